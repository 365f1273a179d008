"""Public pages about pacts: home, list, detail, signing events, and their CSV exports.

Views only pick a selector; the lists are described once in `PACT_LIST` / `SIGNING_LIST`.
"""

from django.shortcuts import render
from django.views.generic import TemplateView

from pacts import selectors
from pacts.filters import published_departements
from pacts.listing import PublicList

PACT_LIST = PublicList(
    export_name="pacts:export",
    template_name="pacts/pact_list.html",
    selector=selectors.pact_list,
    exporter=selectors.PACT_EXPORTER,
)

SIGNING_LIST = PublicList(
    export_name="pacts:signatures_export",
    template_name="pacts/signingevent_list.html",
    selector=selectors.signing_list,
    exporter=selectors.SIGNING_EXPORTER,
)


class HomeView(TemplateView):
    template_name = "pacts/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            figures=selectors.home_figures(),
            latest=selectors.latest_signings(),
            departements=published_departements(),
            **kwargs,
        )


def pact_detail(request, slug):
    pact = selectors.pact_detail(slug=slug)
    return render(request, "pacts/pact_detail.html", {"pact": pact})

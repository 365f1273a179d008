"""Public pages about pacts and their signings (the lists are described once, as `PublicList`)."""

from django.shortcuts import render

from public import exporters
from public.selectors import pacts, signings
from public.views.lists import PublicList

PACT_LIST = PublicList(
    export_name="pacts:export",
    template_name="pacts/pact_list.html",
    selector=pacts.pact_list,
    exporter=exporters.PACT_EXPORTER,
    page_rows=pacts.pact_cards,
)

SIGNING_LIST = PublicList(
    export_name="pacts:signatures_export",
    template_name="pacts/signingevent_list.html",
    selector=signings.signing_list,
    exporter=exporters.SIGNING_EXPORTER,
)


def pact_detail(request, slug):
    return render(request, "pacts/pact_detail.html", pacts.pact_detail(slug=slug))

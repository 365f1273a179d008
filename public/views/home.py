"""The home page: key figures, latest signings, entry by département and on the map."""

from django.views.generic import TemplateView

from public.choices import published_departements
from public.map import departement_map
from public.selectors.home import home_figures
from public.selectors.signings import latest_signings


class HomeView(TemplateView):
    template_name = "pacts/home.html"

    def get_context_data(self, **kwargs):
        departements = published_departements()
        return super().get_context_data(
            figures=home_figures(),
            latest=latest_signings(),
            departements=departements,
            map=departement_map(departements),
            **kwargs,
        )

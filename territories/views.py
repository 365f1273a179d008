"""Public pages about territories and bodies."""

from django.views.generic import DetailView

from territories.models import Body, Territory


class TerritoryDetailView(DetailView):
    model = Territory
    template_name = "territories/territory_detail.html"


class BodyDetailView(DetailView):
    model = Body
    template_name = "territories/body_detail.html"

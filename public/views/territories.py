"""Public pages about territories and bodies (the lists are described once, as `PublicList`)."""

from django.shortcuts import render

from public import exporters
from public.choices import published_departements
from public.map import departement_map
from public.pagination import paginate
from public.params import clean_value
from public.selectors import bodies, territories
from public.suggestions import suggestions_view
from public.views.lists import PublicList
from territories.models import Territory, TerritoryKind

MAPPED_KINDS = {TerritoryKind.REGION, TerritoryKind.DEPARTEMENT}

TERRITORY_LIST = PublicList(
    export_name="territories:export",
    page_name="territories:list",
    template_name="territories/territory_list.html",
    selector=territories.territory_list,
    exporter=exporters.TERRITORY_EXPORTER,
)

BODY_LIST = PublicList(
    export_name="territories:body_export",
    page_name="territories:body_list",
    template_name="territories/body_list.html",
    selector=bodies.body_list,
    exporter=exporters.BODY_EXPORTER,
    kept_rows="body",
)


def render_with_pact_page(request, template_name: str, context: dict):
    """Render a detail page whose `context["pacts"]` is shown one page at a time."""
    context["notices"] = []
    page_param = clean_value(request.GET.get("page", ""))
    context["page_obj"] = paginate(context["pacts"], page_param, context["notices"])
    return render(request, template_name, context)


def territory_detail(request, slug):
    context = territories.territory_detail(slug=slug)
    territory = context["territory"]
    if territory.kind in MAPPED_KINDS:
        # A région's or a département's page: its départements in colour on the map.
        focus = (
            {territory.code}
            if territory.kind == TerritoryKind.DEPARTEMENT
            else set(
                Territory.objects.inside(territory)
                .filter(kind=TerritoryKind.DEPARTEMENT)
                .values_list("code", flat=True)
            )
        )
        context["map"] = departement_map(published_departements(), focus=focus)
    return render_with_pact_page(request, "territories/territory_detail.html", context)


def body_detail(request, slug):
    context = bodies.body_detail(slug=slug)
    return render_with_pact_page(request, "territories/body_detail.html", context)


territory_suggestions = suggestions_view(territories.territory_suggestions)
body_suggestions = suggestions_view(bodies.body_suggestions, scoped=True)

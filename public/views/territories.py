"""Public pages about territories and bodies (the lists are described once, as `PublicList`)."""

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from public import exporters
from public.pagination import paginate
from public.params import clean_value
from public.selectors import bodies, territories
from public.views.lists import PublicList

TERRITORY_LIST = PublicList(
    export_name="territories:export",
    template_name="territories/territory_list.html",
    selector=territories.territory_list,
    exporter=exporters.TERRITORY_EXPORTER,
)

BODY_LIST = PublicList(
    export_name="territories:body_export",
    template_name="territories/body_list.html",
    selector=bodies.body_list,
    exporter=exporters.BODY_EXPORTER,
)


def render_with_pact_page(request, template_name: str, context: dict):
    """Render a detail page whose `context["pacts"]` is shown one page at a time."""
    context["notices"] = []
    page_param = clean_value(request.GET.get("page", ""))
    context["page_obj"] = paginate(context["pacts"], page_param, context["notices"])
    return render(request, template_name, context)


def territory_detail(request, slug):
    context = territories.territory_detail(slug=slug)
    return render_with_pact_page(request, "territories/territory_detail.html", context)


def body_detail(request, slug):
    context = bodies.body_detail(slug=slug)
    return render_with_pact_page(request, "territories/body_detail.html", context)


@require_GET
@cache_control(public=True, max_age=300)
def territory_suggestions(request):
    """JSON suggestions for the territory field of the lists (`?q=` what the visitor typed)."""
    query = clean_value(request.GET.get("q", ""))
    return JsonResponse({"results": territories.territory_suggestions(query=query)})


@require_GET
@cache_control(public=True, max_age=300)
def body_suggestions(request):
    """JSON suggestions for the « organisme » fields (`?q=`; `pactes=1`: parties to a
    published pact only)."""
    query = clean_value(request.GET.get("q", ""))
    involved = request.GET.get("pactes") == "1"
    return JsonResponse({"results": bodies.body_suggestions(query=query, involved=involved)})

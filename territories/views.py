"""Public pages about territories and bodies (lists are described once, as `PublicList`)."""

from django.shortcuts import render

from pacts.listing import PublicList, clean_value, paginate
from territories import selectors

TERRITORY_LIST = PublicList(
    name="territories:list",
    export_name="territories:export",
    title="Territoires",
    template_name="territories/territory_list.html",
    selector=selectors.territory_list,
    exporter=selectors.TERRITORY_EXPORTER,
)

BODY_LIST = PublicList(
    name="territories:body_list",
    export_name="territories:body_export",
    title="Organismes",
    template_name="territories/body_list.html",
    selector=selectors.body_list,
    exporter=selectors.BODY_EXPORTER,
)


def territory_detail(request, slug):
    page_param = clean_value(request.GET.get("page", ""))
    context = selectors.territory_detail(slug=slug)
    selection = context["pacts"]
    context["page_obj"] = paginate(selection.queryset, page_param, selection.notices)
    return render(request, "territories/territory_detail.html", context)


def body_detail(request, slug):
    page_param = clean_value(request.GET.get("page", ""))
    context = selectors.body_detail(slug=slug)
    context["notices"] = []
    context["page_obj"] = paginate(context["pacts"], page_param, context["notices"])
    return render(request, "territories/body_detail.html", context)

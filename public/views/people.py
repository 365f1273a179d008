"""Public pages about people (the list is described once, as a `PublicList`)."""

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from public import exporters
from public.params import clean_value
from public.selectors import people
from public.views.lists import PublicList

PERSON_LIST = PublicList(
    export_name="people:export",
    template_name="people/person_list.html",
    selector=people.person_list,
    exporter=exporters.PERSON_EXPORTER,
)


def person_detail(request, slug):
    return render(request, "people/person_detail.html", people.person_detail(slug=slug))


@require_GET
@cache_control(public=True, max_age=300)
def person_suggestions(request):
    """JSON suggestions for the « personne » field (`?q=`; `pactes=1`: signatories and
    attendees of published pacts only)."""
    query = clean_value(request.GET.get("q", ""))
    involved = request.GET.get("pactes") == "1"
    return JsonResponse({"results": people.person_suggestions(query=query, involved=involved)})

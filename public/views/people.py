"""Public pages about people (the list is described once, as a `PublicList`)."""

from django.shortcuts import render

from public import exporters
from public.selectors import people
from public.suggestions import suggestions_view
from public.views.lists import PublicList

PERSON_LIST = PublicList(
    export_name="people:export",
    page_name="people:list",
    template_name="people/person_list.html",
    selector=people.person_list,
    exporter=exporters.PERSON_EXPORTER,
    kept_rows="person",
)


def person_detail(request, slug):
    return render(request, "people/person_detail.html", people.person_detail(slug=slug))


person_suggestions = suggestions_view(people.person_suggestions, scoped=True)

"""Public pages about people (the list is described once, as a `PublicList`)."""

from django.shortcuts import render

from pacts.listing import PublicList
from people import selectors

PERSON_LIST = PublicList(
    export_name="people:export",
    template_name="people/person_list.html",
    selector=selectors.person_list,
    exporter=selectors.PERSON_EXPORTER,
)


def person_detail(request, slug):
    return render(request, "people/person_detail.html", selectors.person_detail(slug=slug))

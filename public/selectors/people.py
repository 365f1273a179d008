"""Reads behind the people list and a person's page (published pacts only)."""

from django.db.models import Count, Exists, F, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.shortcuts import get_object_or_404

from pacts.models import Attendance, Pact, PactParty
from people.models import Mandate, Person
from public.choices import involved_people
from public.filters.common import SCOPE
from public.filters.people import PersonFilter
from public.selection import Selection, select
from public.selectors.scope import lists_involved, show_ranked, unfiltered
from public.suggestions import SUGGESTIONS, worth_suggesting


def current_mandates_prefetch() -> Prefetch:
    """A person's mandates held today, with their body, as `current_mandates`."""
    return Prefetch(
        "mandates",
        queryset=Mandate.objects.current().select_related("body").order_by("-start_date", "pk"),
        to_attr="current_mandates",
    )


def person_list_queryset() -> QuerySet:
    """People with all their mandates and, as `current_mandates`, those shown as held today."""
    return Person.objects.prefetch_related(
        # Latest first, ties in a stable order: the page and the export agree.
        Prefetch(
            "mandates",
            queryset=Mandate.objects.select_related("body").order_by("-start_date", "pk"),
        ),
        current_mandates_prefetch(),
    ).order_by("sort_key", "pk")


def published_pacts_of_person() -> Coalesce:
    """The number of published pacts a person signed for a party or attended the signing of.

    Two counts correlated on the person, each read from the person's own rows by index:
    the pacts signed, then those attended and not signed (a signatory is often present too).
    """
    person, published = OuterRef("pk"), Pact.objects.published()
    signed = (
        PactParty.objects.filter(mandate__person=person, pact__in=published)
        .order_by()
        .values("mandate__person")
        .annotate(pacts=Count("pact", distinct=True))
        .values("pacts")
    )
    signed_too = PactParty.objects.filter(
        pact=OuterRef("event__pact"), mandate__person=OuterRef(person)
    )
    attended = (
        Attendance.objects.filter(person=person, event__pact__in=published)
        .exclude(Exists(signed_too))
        .order_by()
        .values("person")
        .annotate(pacts=Count("event__pact", distinct=True))
        .values("pacts")
    )
    return Coalesce(Subquery(signed), 0) + Coalesce(Subquery(attended), 0)


def person_list(*, filters: QueryDict | dict) -> Selection:
    """People matching the GET `filters` of `/personnes/`: in reading order, and those
    involved in published pacts (the default scope) most pacts first."""
    selection = select(PersonFilter, filters, person_list_queryset())
    if lists_involved(selection):
        # A few hundred people, fetched by id: counted and sorted whole, still one query.
        selection.queryset = selection.queryset.annotate(
            published_pacts=published_pacts_of_person()
        ).order_by("-published_pacts", "sort_key", "pk")
        show_ranked(
            selection,
            "people",
            person_list_queryset(),
            lambda: person_list(filters={}).queryset,
            narrowed=not unfiltered(selection, SCOPE),
            attributes=("published_pacts",),
        )
    return selection


def person_detail(*, slug: str) -> dict:
    """A person, their mandates over time, pacts they signed and signings they attended."""
    person = get_object_or_404(Person, slug=slug)
    published = Pact.objects.published()
    mandates = list(
        Mandate.objects.filter(person=person)
        .with_is_current()
        .select_related("body", "person")
        # Undated last on both databases (PostgreSQL puts NULLs first when descending).
        .order_by(F("start_date").desc(nulls_last=True), "body__name", "pk")
    )
    signatures = list(
        PactParty.objects.filter(mandate__person=person, pact__in=published)
        .select_related("pact__programme", "body", "mandate__body", "mandate__person")
        .select_related("signing_event__commune")
        .order_by("-signing_event__date", "pact__title")
    )
    attendances = list(
        Attendance.objects.filter(person=person, event__pact__in=published)
        .select_related("event__pact", "event__commune", "mandate__body", "mandate__person")
        .order_by("-event__date", "event__pact__title")
    )
    return {
        "person": person,
        "mandates": mandates,
        "signatures": signatures,
        "attendances": attendances,
    }


def person_suggestions(*, query: str, involved: bool) -> list[dict]:
    """People whose name holds every typed word, for the « personne » field, with the titles
    they hold today; `involved` keeps those who signed a published pact or attended its
    signing (what `/pactes/` can filter on)."""
    if not worth_suggesting(query):
        return []
    people = Person.objects.search(query)
    if involved:
        people = involved_people(people)
    people = people.prefetch_related(current_mandates_prefetch()).order_by("sort_key", "pk")
    return [
        {
            "slug": person.slug,
            "name": person.full_name,
            "details": " ; ".join(m.title_with_body for m in person.current_mandates[:2])
            or "Aucun mandat en cours connu",
            "url": person.get_absolute_url(),
        }
        for person in people[:SUGGESTIONS]
    ]

"""Reads behind the body list and a body's page."""

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, Length
from django.http import QueryDict
from django.shortcuts import get_object_or_404

from pacts.models import Pact, PactParty
from people.models import Mandate
from public.choices import involved_bodies
from public.filters.common import SCOPE
from public.filters.territories import BodyFilter
from public.selection import Selection, select
from public.selectors.pacts import pact_card_queryset
from public.selectors.scope import lists_involved, show_ranked, unfiltered
from public.suggestions import SUGGESTIONS, worth_suggesting
from territories.models import Body


def body_list_queryset() -> QuerySet:
    # Counted per body shown (a correlated subquery), not by grouping every body of the list
    # first: a page then reads its 20 bodies in name order and the count needs no GROUP BY.
    published = (
        PactParty.objects.filter(body=OuterRef("pk"), pact__in=Pact.objects.published())
        .order_by()
        .values("body")
        .annotate(pacts=Count("pact", distinct=True))
        .values("pacts")
    )
    return (
        Body.objects.select_related("territory")
        .annotate(published_pacts=Coalesce(Subquery(published), 0))
        .order_by("sort_key", "pk")
    )


def body_list(*, filters: QueryDict | dict) -> Selection:
    """Bodies matching the GET `filters` of `/organismes/`: in reading order, and those
    party to published pacts (the default scope) most pacts first."""
    selection = select(BodyFilter, filters, body_list_queryset())
    if lists_involved(selection):
        # A few hundred bodies, fetched by id: counted and sorted whole, still one query.
        selection.queryset = selection.queryset.order_by("-published_pacts", "sort_key", "pk")
        show_ranked(
            selection,
            "bodies",
            Body.objects.select_related("territory"),
            lambda: body_list(filters={}).queryset,
            narrowed=not unfiltered(selection, SCOPE),
            attributes=("published_pacts",),
        )
    return selection


def body_detail(*, slug: str) -> dict:
    """A body, its officials today, those of unknown dates, and its published pacts."""
    body = get_object_or_404(Body.objects.select_related("territory"), slug=slug)
    mandates = (
        Mandate.objects.filter(body=body)
        .select_related("person", "body")
        .order_by("function", "person__last_name", "person__first_name", "pk")
    )
    return {
        "body": body,
        "officials": list(mandates.current()),
        # Apart, so that a mandate nobody dated is neither called current nor hidden.
        "undated_officials": list(mandates.undated()),
        "pacts": pact_card_queryset().with_body(body),
    }


def body_suggestions(*, query: str, involved: bool) -> list[dict]:
    """Bodies whose name, acronym or SIREN holds every typed word, for the « organisme »
    field; `involved` keeps those party to a published pact (what `/pactes/` can filter on).
    The shortest names first: « Région Grand Est » before « Région Grand Est — DRH »."""
    if not worth_suggesting(query):
        return []
    bodies = Body.objects.filter(is_obsolete=False).search(query)
    if involved:
        bodies = involved_bodies(bodies)
    bodies = bodies.select_related("territory").order_by(Length("name"), "name", "pk")
    return [_body_suggestion(body) for body in bodies[:SUGGESTIONS]]


def _body_suggestion(body: Body) -> dict:
    details = [body.get_kind_display()]
    if body.territory is not None:
        details.append(str(body.territory))
    if body.siren:
        details.append(f"SIREN {body.siren}")
    return {
        "slug": body.slug,
        "name": body.name,
        "details": " · ".join(details),
        "url": body.get_absolute_url(),
    }

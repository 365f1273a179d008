"""Reads behind the public territory and body pages, and their CSV columns.

Pacts shown on these pages come from `pacts.selectors` (published only, same prefetches) and
the QuerySet rules `in_territory` / `pacts_with_body`, so a territory page lists exactly what
`/pactes/?territoire=<slug>` lists.
"""

from django.db.models import Count, Q, QuerySet
from django.http import QueryDict
from django.shortcuts import get_object_or_404

from pacts.exports import Column, Exporter, absolute_url
from pacts.filters import pacts_with_body
from pacts.listing import Selection, select
from pacts.models import Pact
from pacts.selectors import pact_list_queryset
from people.models import Mandate
from territories.filters import BodyFilter, TerritoryFilter
from territories.models import (
    Body,
    Territory,
    departement_links_prefetch,
    territory_departements,
    territory_description,
    territory_located_in,
)
from territories.text import search_words

# A département holds hundreds of communes: the page shows this many and links to the list.
CONTAINED_CAP = 60


def territory_list_queryset() -> QuerySet:
    return Territory.objects.prefetch_related("parents", departement_links_prefetch()).order_by(
        "name", "code"
    )


def territory_list(*, filters: QueryDict | dict) -> Selection:
    """Territories matching the GET `filters` of `/territoires/`."""
    return select(TerritoryFilter, filters, territory_list_queryset())


def territory_detail(*, slug: str) -> dict:
    """A territory, what contains it, what it contains (capped) and its published pacts."""
    territory = get_object_or_404(Territory, slug=slug)
    children = territory.children.order_by("kind", "name")
    return {
        "territory": territory,
        "parents": list(territory.parents.order_by("kind", "name")),
        "containers": list(Territory.objects.containing(territory).order_by("kind", "name")),
        "overlapping": list(
            Territory.objects.overlapping(territory).order_by("kind", "name")[:CONTAINED_CAP]
        ),
        "children": list(children[:CONTAINED_CAP]),
        "children_count": children.count(),
        "inside_count": Territory.objects.inside(territory).count(),
        "pacts": pact_list_queryset().in_territory(territory),
    }


TERRITORY_EXPORTER = Exporter(
    identifier="territoires",
    columns=(
        Column("identifiant", lambda t, r: t.slug),
        Column("nom", lambda t, r: t.name),
        Column("type", lambda t, r: t.get_kind_display()),
        Column("code", lambda t, r: t.code),
        Column(
            "contenu_dans",
            lambda t, r: [str(p) for p in t.parents.all()],
        ),
        Column("departements", lambda t, r: [d.code for d in territory_departements(t)]),
        Column("obsolete", lambda t, r: t.is_obsolete),
        Column("url", absolute_url),
    ),
)


def body_list_queryset() -> QuerySet:
    return (
        Body.objects.select_related("territory")
        .annotate(
            published_pacts=Count(
                "pact_parties",
                filter=Q(pact_parties__pact__in=Pact.objects.published()),
                distinct=True,
            )
        )
        .order_by("name", "pk")
    )


def body_list(*, filters: QueryDict | dict) -> Selection:
    """Bodies matching the GET `filters` of `/organismes/`."""
    return select(BodyFilter, filters, body_list_queryset())


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
        "pacts": pacts_with_body(pact_list_queryset(), body),
    }


BODY_EXPORTER = Exporter(
    identifier="organismes",
    columns=(
        Column("identifiant", lambda b, r: b.slug),
        Column("nom", lambda b, r: b.name),
        Column("nom_court", lambda b, r: b.short_name),
        Column("type", lambda b, r: b.get_kind_display()),
        Column("siren", lambda b, r: b.siren),
        Column("territoire", lambda b, r: b.territory.name if b.territory else ""),
        Column("code_territoire", lambda b, r: b.territory.code if b.territory else ""),
        Column("pactes_publies", lambda b, r: b.published_pacts),
        Column("site_internet", lambda b, r: b.website),
        Column("url", absolute_url),
    ),
)


# Enough to find one's commune among homonyms without turning the list into a page.
SUGGESTIONS = 10


def territory_suggestions(*, query: str) -> list[dict]:
    """Territories matching what a visitor types, best first, for the territory field.

    Every word must appear (the public search rule, « st » read as « saint »); the name itself
    comes first, then names starting with the words, then the most populated: typing « saint »
    offers Saint-Denis and Saint-Étienne, not the first Saint-A… in alphabetical order.
    """
    words = search_words(query)
    if not words or len("".join(words)) < 2:
        return []
    matches = (
        Territory.objects.filter(is_obsolete=False)
        .best_matches(query)
        .prefetch_related(departement_links_prefetch(), "overlaps")[:SUGGESTIONS]
    )
    return [_suggestion(territory) for territory in matches]


def _suggestion(territory: Territory) -> dict:
    departements = territory_located_in(territory)
    return {
        "slug": territory.slug,
        "name": territory.name,
        "kind": territory.kind,
        "kind_label": territory.get_kind_display(),
        "code": territory.code,
        "departements": [d.code for d in departements],
        "details": territory_description(territory),
        "url": territory.get_absolute_url(),
    }

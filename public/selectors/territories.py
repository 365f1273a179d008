"""Reads behind the territory list, a territory's page and the territory field's suggestions.

A territory page lists its pacts with the rule `/pactes/?territoire=<slug>` applies
(`Pact.objects.in_territory`), on the same published-only queryset.
"""

from django.db.models import QuerySet
from django.http import QueryDict
from django.shortcuts import get_object_or_404

from public.filters.territories import TerritoryFilter
from public.selection import Selection, select
from public.selectors.pacts import pact_card_queryset
from public.suggestions import SUGGESTIONS, worth_suggesting
from territories.models import (
    Territory,
    departement_links_prefetch,
    territory_description,
    territory_located_in,
)

# A département holds hundreds of communes: the page shows this many and links to the list.
CONTAINED_CAP = 60


def territory_list_queryset() -> QuerySet:
    return Territory.objects.prefetch_related("parents", departement_links_prefetch()).order_by(
        "sort_key", "code"
    )


def territory_list(*, filters: QueryDict | dict) -> Selection:
    """Territories matching the GET `filters` of `/territoires/`."""
    return select(TerritoryFilter, filters, territory_list_queryset())


def territory_detail(*, slug: str) -> dict:
    """A territory, what contains it, what it contains (capped) and its published pacts."""
    territory = get_object_or_404(Territory, slug=slug)
    children = Territory.objects.children_of(territory).order_by("kind", "name")
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
        "pacts": pact_card_queryset().in_territory(territory),
    }


def territory_suggestions(*, query: str) -> list[dict]:
    """Territories matching what a visitor types, best first, for the territory field.

    Every word must appear (the public search rule, « st » read as « saint »); the name itself
    comes first, then names starting with the words, then the most populated: typing « saint »
    offers Saint-Denis and Saint-Étienne, not the first Saint-A… in alphabetical order.
    """
    if not worth_suggesting(query):
        return []
    matches = (
        Territory.objects.filter(is_obsolete=False)
        .prefetch_related(departement_links_prefetch(), "overlaps")
        .first_best_matches(query, SUGGESTIONS)
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

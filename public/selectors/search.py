"""`/recherche/`: each list's own `q` rule on its own queryset, one group per kind."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from public.filters.common import ALL
from public.selectors.bodies import body_list_queryset
from public.selectors.pacts import pact_list
from public.selectors.people import person_list_queryset
from public.selectors.territories import territory_list_queryset

# Enough to recognise what one is looking for; the group's full list has the rest.
SEARCH_PREVIEW = 5


@dataclass
class SearchGroup:
    """One kind of result on `/recherche/`: its total, its first rows, its full list."""

    anchor: str
    title: str
    count: int
    results: list
    list_url: str


def search_groups(query: str) -> list[SearchGroup]:
    """Published pacts, territories, bodies and people matching `query`, one group each.

    Each group is the queryset of its public list (`/pactes/`, `/territoires/`…) filtered by
    the rule that list's `q` applies, so a group's count is the count its link shows.
    Constant number of queries: one count, the first rows and their list's prefetches per
    group. The pacts are `/pactes/?q=` itself, read from its ranking (« Reading order »):
    counted from it, their cards not read again when held (`RankedRows.holding`). The first
    territories are the best matches (`first_best_matches`: not every name holding a common
    word ranked).
    """
    pacts = pact_list(filters={"q": query}).rows_shown.holding("pact-card")
    territories = territory_list_queryset()
    bodies = body_list_queryset().search(query)
    people = person_list_queryset().search(query)
    # The search covers every body and person, not only those involved in published pacts
    # that `/organismes/` and `/personnes/` list by default: their links say so.
    kinds = [
        ("pactes", "Pactes", "pacts:list", {}, pacts, lambda: pacts[:SEARCH_PREVIEW]),
        (
            "territoires",
            "Territoires",
            "territories:list",
            {},
            territories.search(query),
            lambda: territories.first_best_matches(query, SEARCH_PREVIEW),
        ),
        (
            "organismes",
            "Organismes",
            "territories:body_list",
            {"perimetre": ALL},
            bodies,
            lambda: bodies[:SEARCH_PREVIEW],
        ),
        (
            "personnes",
            "Personnes",
            "people:list",
            {"perimetre": ALL},
            people,
            lambda: people[:SEARCH_PREVIEW],
        ),
    ]
    groups = []
    for anchor, title, list_name, scope, matches, first in kinds:
        count = matches.count()
        groups.append(
            SearchGroup(
                anchor=anchor,
                title=title,
                count=count,
                results=list(first()) if count else [],
                list_url=f"{reverse(list_name)}?{urlencode({'q': query, **scope})}",
            )
        )
    return groups

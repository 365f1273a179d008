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
    Constant number of queries: one count, one slice and its list's prefetches per group.
    The pacts are `/pactes/?q=` itself, read from its ranking (« Reading order »): counted
    from it, their cards not read again when held (`RankedRows.holding`).
    """
    # The search covers every body and person, not only those involved in published pacts
    # that `/organismes/` and `/personnes/` list by default: their links say so.
    kinds = [
        (
            "pactes",
            "Pactes",
            "pacts:list",
            {},
            pact_list(filters={"q": query}).rows_shown.holding("pact-card"),
        ),
        (
            "territoires",
            "Territoires",
            "territories:list",
            {},
            territory_list_queryset().best_matches(query),
        ),
        (
            "organismes",
            "Organismes",
            "territories:body_list",
            {"perimetre": ALL},
            body_list_queryset().search(query),
        ),
        (
            "personnes",
            "Personnes",
            "people:list",
            {"perimetre": ALL},
            person_list_queryset().search(query),
        ),
    ]
    groups = []
    for anchor, title, list_name, scope, queryset in kinds:
        link_query = urlencode({"q": query, **scope})
        count = queryset.count()
        if not count:
            results = []
        elif anchor == "territoires":
            # The first five without ranking the thousands a common word matches.
            results = territory_list_queryset().first_best_matches(query, SEARCH_PREVIEW)
        else:
            results = list(queryset[:SEARCH_PREVIEW])
        groups.append(
            SearchGroup(
                anchor=anchor,
                title=title,
                count=count,
                results=results,
                list_url=f"{reverse(list_name)}?{link_query}",
            )
        )
    return groups

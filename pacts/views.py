"""Public pages about pacts: home, list, detail, signing events, their CSV exports, and the
search across the whole site.

Views only pick a selector; the lists are described once in `PACT_LIST` / `SIGNING_LIST`.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.views.generic import TemplateView

from pacts import selectors
from pacts.filters import pacts_matching, published_departements
from pacts.listing import PublicList, clean_value
from people.selectors import person_list_queryset
from territories.selectors import body_list_queryset, territory_list_queryset
from territories.text import search_words

PACT_LIST = PublicList(
    export_name="pacts:export",
    template_name="pacts/pact_list.html",
    selector=selectors.pact_list,
    exporter=selectors.PACT_EXPORTER,
)

SIGNING_LIST = PublicList(
    export_name="pacts:signatures_export",
    template_name="pacts/signingevent_list.html",
    selector=selectors.signing_list,
    exporter=selectors.SIGNING_EXPORTER,
)


class HomeView(TemplateView):
    template_name = "pacts/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            figures=selectors.home_figures(),
            latest=selectors.latest_signings(),
            departements=published_departements(),
            **kwargs,
        )


def pact_detail(request, slug):
    pact = selectors.pact_detail(slug=slug)
    return render(request, "pacts/pact_detail.html", {"pact": pact})


# --- Search across the site ---------------------------------------------------------------

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
    """
    kinds = [
        ("pactes", "Pactes", "pacts:list", pacts_matching(selectors.pact_list_queryset(), query)),
        (
            "territoires",
            "Territoires",
            "territories:list",
            territory_list_queryset().best_matches(query),
        ),
        ("organismes", "Organismes", "territories:body_list", body_list_queryset().search(query)),
        ("personnes", "Personnes", "people:list", person_list_queryset().search(query)),
    ]
    link_query = urlencode({"q": query})
    groups = []
    for anchor, title, list_name, queryset in kinds:
        count = queryset.count()
        groups.append(
            SearchGroup(
                anchor=anchor,
                title=title,
                count=count,
                results=list(queryset[:SEARCH_PREVIEW]) if count else [],
                list_url=f"{reverse(list_name)}?{link_query}",
            )
        )
    return groups


def search(request):
    """`/recherche/?q=…`: one search box for pacts, territories, bodies and people."""
    query = clean_value(request.GET.get("q", ""))
    # A query of punctuation only has no words, and no words would match every row.
    groups = search_groups(query) if search_words(query) else []
    return render(
        request,
        "pacts/search.html",
        {"query": query, "groups": groups, "total": sum(g.count for g in groups)},
    )

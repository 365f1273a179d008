"""`/recherche/`: one search box for pacts, territories, bodies and people."""

from django.shortcuts import render

from core.text import search_words
from public.params import clean_value
from public.selectors.search import search_groups


def search(request):
    """`/recherche/?q=…`: each kind's matches, counted, with a link to its full list."""
    query = clean_value(request.GET.get("q", ""))
    # A query of punctuation only has no words, and no words would match every row.
    groups = search_groups(query) if search_words(query) else []
    return render(
        request,
        "pacts/search.html",
        {"query": query, "groups": groups, "total": sum(g.count for g in groups)},
    )

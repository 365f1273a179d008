"""What the suggestion fields share (territory, « organisme », « personne »): when a query is
worth answering, how many rows, and the JSON view around each field's selector."""

from collections.abc import Callable

from django.http import JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from core.text import search_words
from public.params import clean_value

# Enough to recognise what one means among namesakes without turning the list into a page.
SUGGESTIONS = 10


def worth_suggesting(query: str) -> bool:
    """At least two letters of words: one letter, or punctuation only, would match too much."""
    return len("".join(search_words(query))) >= 2


def suggestions_view(find: Callable[..., list[dict]], *, scoped: bool = False):
    """A GET view answering `{"results": find(query=…)}` for `?q=`; with `scoped`, `pactes=1`
    asks `find` for the rows of published pacts only (`involved=True`)."""

    @require_GET
    @cache_control(public=True, max_age=300)
    def view(request):
        query = clean_value(request.GET.get("q", ""))
        options = {"involved": request.GET.get("pactes") == "1"} if scoped else {}
        return JsonResponse({"results": find(query=query, **options)})

    view.__doc__ = find.__doc__
    return view

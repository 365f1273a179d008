"""Which scope a body or people list shows, and its default order kept per data version."""

from collections.abc import Callable

from django.db.models import QuerySet

from core.cache import per_data_version
from public.filters.common import ALL, SCOPE
from public.selection import Selection


def lists_involved(selection: Selection) -> bool:
    """Whether `selection` lists the rows involved in published pacts, the default scope of
    the body and people lists (`InvolvedByDefault`), rather than `perimetre=tous`."""
    return selection.filterset.form.cleaned_data.get(SCOPE) != ALL


class RankedRows:
    """A list's rows in an order computed beforehand, read a page at a time by id.

    `ranking` is every row of the list as (id, published pacts), in the list's order;
    `rows` reads the rows of given ids with what a page shows of them (prefetches). The
    Paginator takes it as it takes a queryset: a length, then a slice.
    """

    def __init__(self, rows: QuerySet, ranking: list[tuple[int, int]]):
        self.rows = rows
        self.ranking = ranking

    def __len__(self) -> int:
        return len(self.ranking)

    def count(self) -> int:
        return len(self.ranking)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        ranked = self.ranking[index]
        found = {row.pk: row for row in self.rows.filter(pk__in=[pk for pk, _ in ranked])}
        page = []
        for pk, pacts in ranked:
            if pk in found:  # read within the same data version: always there
                found[pk].published_pacts = pacts
                page.append(found[pk])
        return page


def rank_involved(
    selection: Selection, name: str, rows: QuerySet, ranked: Callable[[], QuerySet]
) -> None:
    """Show the default list of a body or people list (no filter but its scope) from its
    ranking kept per data version (`per_data_version`), rather than counting and sorting
    every row involved in published pacts on each page (thousands at national scale).

    `ranked()` is that list as the export reads it (the same queryset, counts and order),
    so the page and the file cannot disagree; `rows` reads the rows of one page.
    """
    narrowed = [k for k, v in selection.applied_params.items() if v and k not in ("page", SCOPE)]
    if narrowed or not lists_involved(selection):
        return
    ranking = per_data_version(
        f"ranking:{name}", lambda: list(ranked().values_list("pk", "published_pacts"))
    )
    selection.rows_shown = RankedRows(rows, ranking)

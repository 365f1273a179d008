"""Which scope a body or people list shows, and the order of a list kept per data version."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from django.db.models import QuerySet

from core.cache import held_rows, per_data_version
from public.filters.common import ALL, SCOPE
from public.selection import Selection


def lists_involved(selection: Selection) -> bool:
    """Whether `selection` lists the rows involved in published pacts, the default scope of
    the body and people lists (`InvolvedByDefault`), rather than `perimetre=tous`."""
    return selection.filterset.form.cleaned_data.get(SCOPE) != ALL


@dataclass(frozen=True)
class HeldRow:
    """A row of a page that the process already holds as shown (`RankedRows.holding`): its pk
    and its HTML, which `{% keptrow %}` writes (`public.templatetags.rows`), or its JSON
    representation (`api.views.ApiListView`)."""

    pk: int
    shown: object


class RankedRows:
    """A list's rows in an order computed beforehand, read a page at a time by id.

    `ranking()` gives every row of the list as (id, *values), in the list's order, the
    values set on each row read as `attributes`; it is read when a page is cut, never by an
    export, which reads the list's queryset. `rows` reads the rows of given ids with what a
    page shows of them (prefetches). The Paginator takes it as it takes a queryset: a
    length, then a slice.
    """

    def __init__(self, rows: QuerySet, ranking, attributes: tuple[str, ...] = (), held=None):
        self.rows = rows
        self.read_ranking = ranking
        self.attributes = attributes
        self.held = held

    def holding(self, name: str) -> "RankedRows":
        """The same rows for a page that keeps each row as shown under `name` (a template's
        `{% keptrow %}`, the API's rows): a row the process holds comes as a `HeldRow`, not
        read from the database. The page must show the row from what is held alone."""
        holding = RankedRows(self.rows, self.read_ranking, self.attributes, held=name)
        if "ranking" in self.__dict__:
            holding.ranking = self.ranking
        return holding

    @cached_property
    def ranking(self) -> list[tuple]:
        return self.read_ranking()

    def __len__(self) -> int:
        return len(self.ranking)

    def count(self) -> int:
        return len(self.ranking)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        ranked = self.ranking[index]
        held = held_rows([(self.held, pk) for pk, *_ in ranked]) if self.held else {}
        wanted = [pk for pk, *_ in ranked if (self.held, pk) not in held]
        found = {row.pk: row for row in self.rows.filter(pk__in=wanted)} if wanted else {}
        page = []
        for pk, *values in ranked:
            if (self.held, pk) in held:
                page.append(HeldRow(pk, held[(self.held, pk)]))
            elif pk in found:  # read within the same data version: always there
                for attribute, value in zip(self.attributes, values, strict=True):
                    setattr(found[pk], attribute, value)
                page.append(found[pk])
        return page


def unfiltered(selection: Selection, *ignored: str) -> bool:
    """Whether `selection` applies no filter but the `ignored` parameters (and the page)."""
    return not [
        name
        for name, value in selection.applied_params.items()
        if value and name not in ("page", *ignored)
    ]


def show_ranked(
    selection: Selection,
    name: str,
    rows: QuerySet,
    whole: Callable[[], QuerySet],
    *,
    narrowed: bool,
    attributes: tuple[str, ...] = (),
) -> None:
    """Show a list in the order of its ranking kept per data version (`per_data_version`),
    rather than ordering every row of it on each page (thousands at national scale).

    The ranking is `whole()`, the export's query of the list without filters (its ids, and
    the values of `attributes`, in its order), so the page and the file cannot disagree.
    `narrowed`: filters apply, and the ranking keeps the ids `selection.queryset` selects
    (one query, unordered). `rows` reads the rows of one page. `name` names the ranking:
    one per order the list offers.
    """

    def ranking() -> list[tuple]:
        ranked = per_data_version(
            f"ranking:{name}", lambda: list(whole().values_list("pk", *attributes))
        )
        if not narrowed:
            return ranked
        kept = set(selection.queryset.order_by().values_list("pk", flat=True))
        return [row for row in ranked if row[0] in kept]

    selection.rows_shown = RankedRows(rows, ranking, attributes)

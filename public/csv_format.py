"""CSV export, written once for every public list (docs/architecture.md, « CSV »).

An `Exporter` names its file and lists its columns; `csv_response` streams any queryset
through it in the French spreadsheet dialect: UTF-8 with BOM, `;`, CRLF, RFC 4180 quoting,
ISO dates, several values joined by ` | `, formula-like cells neutralised with `'`.
"""

import csv
import datetime
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone

BOM = "\ufeff"
MULTI_SEPARATOR = " | "
# Rows fetched (and prefetched) per round trip: memory stays flat whatever the row count.
CHUNK_SIZE = 200
# A spreadsheet executes a cell that starts with one of these (CSV/formula injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\x00")


@dataclass(frozen=True)
class Column:
    """One CSV column: its header and how to read the cell from a row object.

    `value` receives the row and the request (for absolute URLs) and may return a string, a
    date, a number, None, or a list of those (joined with ` | `).
    """

    header: str
    value: Callable[[Any, HttpRequest], Any]


@dataclass(frozen=True)
class Exporter:
    """A named list of columns; `identifier` becomes the file name.

    The columns read the rows of the list's queryset, or what `rows(queryset)` makes of it
    when set: plain rows from set-based queries, for the exports of all of France.
    """

    identifier: str
    columns: tuple[Column, ...]
    rows: Callable[[QuerySet], Iterable] | None = None

    def header(self) -> list[str]:
        return [c.header for c in self.columns]

    def row(self, obj, request: HttpRequest) -> list[str]:
        return [format_cell(c.value(obj, request)) for c in self.columns]


def absolute_url(obj, request: HttpRequest) -> str:
    """The public address of a row, as a reader of the file would open it."""
    return request.build_absolute_uri(obj.get_absolute_url())


def _plain(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime.datetime):
        return (
            timezone.localtime(value).isoformat()
            if timezone.is_aware(value)
            else (value.isoformat())
        )
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def neutralise(text: str) -> str:
    """Prefix a cell a spreadsheet would run as a formula with `'` (and drop NUL bytes)."""
    if text.startswith(FORMULA_TRIGGERS):
        text = "'" + text
    return text.replace("\x00", "")


def format_cell(value) -> str:
    if isinstance(value, list | tuple | set):
        value = MULTI_SEPARATOR.join(_plain(v) for v in value if v not in (None, ""))
    return neutralise(_plain(value))


class _Echo:
    """A file-like object whose write() hands the line back, so csv.writer can stream."""

    def write(self, value: str) -> str:
        return value


def csv_lines(exporter: Exporter, rows: Iterable, request: HttpRequest) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    yield BOM + writer.writerow(exporter.header())
    for obj in rows:
        yield writer.writerow(exporter.row(obj, request))


def _batches(exporter: Exporter, queryset: QuerySet) -> Iterator[list]:
    """The rows of `queryset`, CHUNK_SIZE at a time, read in one transaction.

    In a transaction, PostgreSQL's server-side cursor is declared without `WITH HOLD`, so
    each batch is one `FETCH` under the public `statement_timeout`. In autocommit Django
    would declare it `WITH HOLD`, and PostgreSQL would run the whole query when that
    declaration commits, where no statement timeout applies.
    """
    with transaction.atomic():
        rows = exporter.rows(queryset) if exporter.rows else queryset.iterator(CHUNK_SIZE)
        while batch := list(itertools.islice(rows, CHUNK_SIZE)):
            yield batch


def _body(exporter: Exporter, batches: Iterator[list], first: list, request) -> Iterator[bytes]:
    """The encoded lines; closing it (the response is closed) ends the read transaction."""
    try:
        rows = itertools.chain(first, itertools.chain.from_iterable(batches))
        for line in csv_lines(exporter, rows, request):
            yield line.encode("utf-8")
    finally:
        batches.close()


def csv_response(exporter: Exporter, queryset: QuerySet, request: HttpRequest):
    """Stream every row of `queryset` as a CSV attachment.

    The first batch is read before the response exists, so a database that cannot be
    reached, or a query cancelled by the public `statement_timeout`, raises in the view and
    answers 503 (`public.middleware`) instead of a `200` with a header only. A failure after
    the first bytes is not caught: it propagates out of the streamed body, so the server
    aborts the connection without the final chunk and the client sees a failed download,
    never a file that looks complete (docs/architecture.md, « Protection de la base »).
    """
    batches = _batches(exporter, queryset)
    first = next(batches, [])
    response = StreamingHttpResponse(
        _body(exporter, batches, first, request), content_type="text/csv; charset=utf-8"
    )
    filename = f"{exporter.identifier}-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_refusal(reasons: list[str]) -> HttpResponse:
    """The answer to an export that cannot be the list asked for: 400 and why, in French.

    Plain text rather than a CSV: a spreadsheet opening it must not mistake the reasons for
    rows, and a script checking the status stops before reading a wrong file.
    """
    text = "Export CSV refusé : la liste demandée ne peut pas être produite telle quelle.\n"
    text += "".join(f"- {reason}\n" for reason in reasons)
    return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")

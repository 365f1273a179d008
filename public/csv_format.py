"""CSV export, written once for every public list (docs/architecture.md, « CSV »).

An `Exporter` names its file and lists its columns; `csv_response` streams any queryset
through it in the French spreadsheet dialect: UTF-8 with BOM, `;`, CRLF, RFC 4180 quoting,
ISO dates, several values joined by ` | `, formula-like cells neutralised with `'`.
"""

import csv
import datetime
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import KW_ONLY, dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Expression, F, QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from core.db import id_list, id_list_parameter

BOM = "\ufeff"
MULTI_SEPARATOR = " | "
# Rows per statement by default: plain tuples of finished cells, so memory stays flat (a few
# megabytes) whatever the row count while round trips stay few.
CHUNK_SIZE = 2000
# A spreadsheet executes a cell that starts with one of these (CSV/formula injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\x00")


@dataclass(frozen=True)
class Column:
    """One CSV column: its header, what the database computes for it, how Python finishes
    the value when the database cannot (a choice's label, an absolute URL), and what the
    column means, for its Table Schema (`public/schemas.py`, « Données ouvertes »).

    `value` is a field path or a query expression over the list's queryset; the database
    returns finished text, dates, numbers or booleans, several values already joined with
    ` | ` (`core.db.joined`). `shown`, when set, is given the request once per export and
    returns the function that finishes each value.

    The description is keyword-only and required: a column cannot be added without the
    French `title` and `description` its schema field shows. `type` is a Table Schema type
    (`string`, `date`, `integer`, `boolean`) and `format` its Table Schema format (`uri`,
    `email`; dates are ISO, the default); `pattern` the shape of each value (of each of
    them when `multiple`, several values joined by ` | `); `enum` the values it may take;
    `maps_to` the schema.data.gouv.fr field it follows; `required` and `unique` its
    constraints.
    """

    header: str
    value: str | Expression
    shown: Callable[[HttpRequest], Callable[[Any], Any]] | None = None
    _: KW_ONLY
    title: str
    description: str
    type: str = "string"
    format: str | None = None
    pattern: str | None = None
    multiple: bool = False
    enum: tuple[str, ...] | None = None
    maps_to: str | None = None
    example: str | None = None
    required: bool = False
    unique: bool = False


@dataclass(frozen=True)
class Exporter:
    """A named list of columns; `identifier` becomes the file name.

    The rows are built by the database in one query over the list's own filtered queryset
    (docs/architecture.md, « CSV »): Python only finishes a few cells and writes the lines.
    """

    identifier: str
    columns: tuple[Column, ...]
    _: KW_ONLY
    # The dataset's French name and description (schema, datapackage, « Données ouvertes »).
    title: str
    description: str
    # Rows per statement (`row_batches`): fewer where each row costs the database more, so that
    # one statement stays far below the public `statement_timeout` on a saturated server.
    batch_size: int = CHUNK_SIZE

    def header(self) -> list[str]:
        return [c.header for c in self.columns]

    def rows(self, queryset: QuerySet, *, key: bool = False) -> QuerySet:
        """One tuple per row of `queryset`, in its order, each cell computed by the database;
        with `key`, each tuple starts with the row's primary key."""
        names = {f"csv_{i}": column.value for i, column in enumerate(self.columns)}
        annotations = {n: F(v) if isinstance(v, str) else v for n, v in names.items()}
        plain = queryset.prefetch_related(None).select_related(None)
        return plain.annotate(**annotations).values_list(*(["pk"] if key else []), *names)

    def finisher(self, request: HttpRequest, cell=None) -> Callable[[tuple], list]:
        """The function turning one row of `rows()` into the cells of its CSV line, or into
        what `cell` makes of each finished value (a spreadsheet's typed cells)."""
        shown = [column.shown(request) if column.shown else None for column in self.columns]
        cell = cell or format_cell

        def finish(values: tuple) -> list:
            return [
                cell(show(value) if show else value)
                for show, value in zip(shown, values, strict=True)
            ]

        return finish


def choice_label(choices) -> Callable[[HttpRequest], Callable[[str], str]]:
    """A `shown` giving a stored choice's French label, as `get_<field>_display()` does."""
    labels = dict(choices)
    return lambda request: lambda value: labels.get(value, value)


def absolute_url(route: str) -> Callable[[HttpRequest], Callable[[str], str]]:
    """A `shown` for a slug column: the row's public address at `route`, as a reader of the
    file would open it. The address is reversed once per export, the slug put in its place:
    `reverse()` for each of 36,000 rows cost more than the rest of the file."""

    def for_request(request: HttpRequest) -> Callable[[str], str]:
        marker = "slug-of-the-row"
        address = request.build_absolute_uri(reverse(route, kwargs={"slug": marker}))
        head, tail = address.split(marker)
        return lambda slug: f"{head}{slug}{tail}"

    return for_request


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
    if value.__class__ is str:  # most cells: the database finished them
        return neutralise(value)
    if isinstance(value, list | tuple | set):
        value = MULTI_SEPARATOR.join(_plain(v) for v in value if v not in (None, ""))
    return neutralise(_plain(value))


class _Echo:
    """A file-like object whose write() hands the line back, so csv.writer can stream."""

    def write(self, value: str) -> str:
        return value


def _writer():
    return csv.writer(_Echo(), delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)


def csv_lines(exporter: Exporter, rows: Iterable, request: HttpRequest) -> Iterator[str]:
    writer = _writer()
    yield BOM + writer.writerow(exporter.header())
    finish = exporter.finisher(request)
    for values in rows:
        yield writer.writerow(finish(values))


_IDS = object()  # where a batch's ids go among the parameters of the rows' statement


def _rows_statement(exporter: Exporter, queryset: QuerySet):
    """The statement reading the export's rows for any list of ids, built once: (compiler,
    SQL, parameters with `_IDS` where the ids go). Building the columns' expressions and
    compiling them costs Python about as much as the database's work on a batch: doing it
    for each batch would double an export's time."""
    rows = exporter.rows(queryset.filter(pk__in=id_list(_IDS)).order_by(), key=True)
    compiler = rows.query.get_compiler(using=rows.db)
    sql, params = compiler.as_sql()
    return compiler, sql, params


def _fetch(compiler, sql: str, params: list, ids: list[int]) -> Iterable:
    """The rows of the statement of `_rows_statement` for `ids`, converted as a queryset's."""
    value = id_list_parameter(ids)
    with connection.cursor() as cursor:
        cursor.execute(sql, [value if p is _IDS else p for p in params])
        fetched = cursor.fetchall()
    # Django's own conversions (SQLite's dates and booleans), as a queryset would do.
    return compiler.results_iter(results=[fetched])


def row_batches(exporter: Exporter, queryset: QuerySet) -> Iterator[list]:
    """The rows of `queryset`, in its order, `exporter.batch_size` at a time.

    The list's ids are read first, in its order (one light query); then each batch of rows is
    its own statement over those ids. The database's work per statement is then bounded by a
    batch, whatever the length of the list: the public `statement_timeout` limits a batch,
    never the whole file, so a long export on a busy server is slowed down, not cancelled. (One
    cursor over the whole query would compute every row before returning the first: its
    per-row subqueries run below the sort.) On PostgreSQL the batches are read in one
    REPEATABLE READ transaction, so every batch sees the list as the first read did.
    """
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        # Only the statement opening a transaction may set its isolation (not a savepoint's).
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        ids = list(queryset.values_list("pk", flat=True))
        if not ids:
            return
        compiler, sql, params = _rows_statement(exporter, queryset)
        size = min(exporter.batch_size, CHUNK_SIZE)
        for start in range(0, len(ids), size):
            wanted = ids[start : start + size]
            rows = _fetch(compiler, sql, params, wanted)
            # Not sorted by the database: the ids already carry the list's order.
            position = {pk: number for number, pk in enumerate(wanted)}
            yield [tuple(v[1:]) for v in sorted(rows, key=lambda v: position[v[0]])]


def _body(exporter: Exporter, batches: Iterator[list], first: list, request) -> Iterator[bytes]:
    """The encoded lines, one chunk per batch of rows (the header with the first): a chunk
    per line would cost the server a write each. Closing it (the response is closed) ends
    the read transaction."""
    try:
        writer, finish = _writer(), exporter.finisher(request)
        header = BOM + writer.writerow(exporter.header())
        for number, batch in enumerate(itertools.chain([first], batches)):
            lines = "".join(writer.writerow(finish(values)) for values in batch)
            yield ((header if number == 0 else "") + lines).encode("utf-8")
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
    batches = row_batches(exporter, queryset)
    first = next(batches, [])
    response = StreamingHttpResponse(
        _body(exporter, batches, first, request), content_type="text/csv; charset=utf-8"
    )
    filename = f"{exporter.identifier}-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def refusal(heading: str, reasons: list[str]) -> HttpResponse:
    """400 with `heading` and the French reasons, in plain text: a spreadsheet or a feed
    reader opening it must not mistake the reasons for rows, and a script checking the
    status stops before reading a wrong file."""
    text = heading + "\n" + "".join(f"- {reason}\n" for reason in reasons)
    return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")


def csv_refusal(reasons: list[str], file_format: str = "CSV") -> HttpResponse:
    """The answer to an export that cannot be the list asked for: 400 and why, in French."""
    return refusal(
        f"Export {file_format} refusé : la liste demandée ne peut pas être produite telle quelle.",
        reasons,
    )

"""The admin's exports: each list as the public export shows it, drafts included, plus what
only staff see (docs/architecture.md, « Tableurs de l'équipe »).

The columns the public export has are taken from it (`public.exporters`), so a column means
the same in both files; the staff columns are added after them: published or not, pending
changes, and who created and last changed the row, when (from django-simple-history).
"""

import datetime

from django.db.models import Count, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone

from core.db import joined
from pacts.models import Pact, PactParty, ProposalStatus, ProposedChange, SigningEvent
from people.models import Function, Mandate, Person
from people.titles import full_name, mandate_title_with_body
from public.csv_format import (
    MULTI_SEPARATOR,
    Column,
    Exporter,
    choice_label,
    csv_response,
    neutralise,
)
from public.exporters import (
    BODY_EXPORTER,
    PACT_EXPORTER,
    PERSON_EXPORTER,
    SIGNING_EXPORTER,
)
from territories.models import Body, body_label


def _count(rows: QuerySet, key: str):
    """How many of `rows` (correlated to the outer row through `key`), 0 for none."""
    counted = rows.order_by().values(key).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), 0)


def _history_columns(model) -> tuple[Column, ...]:
    """Who created the row and when, who last changed it and when: its first and latest
    history records, read by primary key (the history's `id` column is indexed)."""
    records = model.history.model.objects.filter(id=OuterRef("pk"))
    first = records.order_by("history_date", "history_id")
    latest = records.order_by("-history_date", "-history_id")

    def by(ordered):
        return Coalesce(Subquery(ordered.values("history_user__username")[:1]), Value(""))

    return (
        Column("cree_le", Subquery(first.values("history_date")[:1])),
        Column("cree_par", by(first)),
        Column("modifie_le", Subquery(latest.values("history_date")[:1])),
        Column("modifie_par", by(latest)),
    )


def _public_columns(exporter: Exporter, *, without: tuple[str, ...] = ()) -> tuple[Column, ...]:
    return tuple(c for c in exporter.columns if c.header not in without)


PACT_STAFF_EXPORTER = Exporter(
    identifier="admin-pactes",
    columns=(
        *_public_columns(PACT_EXPORTER),
        Column("publie", "published"),
        Column(
            "modifications_en_attente",
            _count(
                ProposedChange.objects.filter(pact=OuterRef("pk"), status=ProposalStatus.PENDING),
                "pact",
            ),
        ),
        *_history_columns(Pact),
    ),
)

SIGNING_STAFF_EXPORTER = Exporter(
    identifier="admin-signatures",
    columns=(
        *_public_columns(SIGNING_EXPORTER),
        Column("pacte_publie", "pact__published"),
        *_history_columns(SigningEvent),
    ),
)

# The public count is of published pacts only, from the public list's own annotation: here
# every pact the body is party to counts, drafts included.
BODY_STAFF_EXPORTER = Exporter(
    identifier="admin-organismes",
    columns=(
        *_public_columns(BODY_EXPORTER, without=("pactes_publies",)),
        Column("pactes", _count(PactParty.objects.filter(body=OuterRef("pk")), "body")),
        *_history_columns(Body),
    ),
)

PERSON_STAFF_EXPORTER = Exporter(
    identifier="admin-personnes",
    columns=(*_public_columns(PERSON_EXPORTER), *_history_columns(Person)),
)

# Mandates have no public list: their columns are the admin's own.
MANDATE_STAFF_EXPORTER = Exporter(
    identifier="admin-mandats",
    columns=(
        Column("personne", full_name("person__")),
        Column("organisme", body_label("body__")),
        Column("siren_organisme", "body__siren"),
        Column("fonction", "function", choice_label(Function.choices)),
        Column("intitule", "label"),
        Column("titre", mandate_title_with_body()),
        Column("debut", "start_date"),
        Column("fin", "end_date"),
        Column("electif", "elected"),
        Column("obsolete", "is_obsolete"),
        Column(
            "pactes_signes",
            joined(
                PactParty.objects.filter(mandate=OuterRef("pk"))
                .order_by("pact__title", "pk")
                .values("pact__title"),
                MULTI_SEPARATOR,
            ),
        ),
        *_history_columns(Mandate),
    ),
)

STAFF_EXPORTERS: dict[type, Exporter] = {
    Pact: PACT_STAFF_EXPORTER,
    SigningEvent: SIGNING_STAFF_EXPORTER,
    Body: BODY_STAFF_EXPORTER,
    Person: PERSON_STAFF_EXPORTER,
    Mandate: MANDATE_STAFF_EXPORTER,
}

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A sheet's cells hold at most this many characters (Excel's limit).
XLSX_CELL_LIMIT = 32767
# The workbook is built in memory before it is sent: past this many rows (a national list of
# officials), the streamed CSV is the way out.
XLSX_MAX_ROWS = 100_000


def _xlsx_cell(value):
    """A cell as a spreadsheet should hold it: dates and numbers as such (a date sorts as a
    date), text neutralised as in the CSV, since openpyxl stores a text starting with `=` as
    a formula."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime.datetime):
        # Excel has no time zones: the local time, as the CSV shows it.
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, datetime.date | int | float):
        return value
    return neutralise(str(value))[:XLSX_CELL_LIMIT]


def xlsx_response(exporter: Exporter, queryset: QuerySet, request: HttpRequest) -> HttpResponse:
    """Every row of `queryset` as an `.xlsx` attachment, one sheet, the CSV's header.

    openpyxl's write-only workbook keeps one row in memory at a time, but the archive is
    zipped at the end: the file is built whole before it is sent, which the admin's lists
    (thousands of rows, not the public's millions) afford.
    """
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(exporter.identifier[:31])
    sheet.append(exporter.header())
    shown = [c.shown(request) if c.shown else None for c in exporter.columns]
    for values in exporter.rows(queryset).iterator(2000):
        sheet.append(
            [_xlsx_cell(show(v) if show else v) for show, v in zip(shown, values, strict=True)]
        )
    response = HttpResponse(content_type=XLSX_TYPE)
    workbook.save(response)
    filename = f"{exporter.identifier}-{timezone.localdate().isoformat()}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_refusal(queryset: QuerySet) -> str | None:
    """Why `queryset` cannot be exported as `.xlsx`, in French, or None if it can."""
    count = queryset.count()
    if count <= XLSX_MAX_ROWS:
        return None

    def number(n: int) -> str:
        return f"{n:,}".replace(",", "\u202f")  # French thousands: a narrow space

    return (
        f"Export Excel refusé : {number(count)} lignes, au-delà de {number(XLSX_MAX_ROWS)} ; "
        "filtrez la liste ou exportez-la en CSV."
    )


def export_response(
    exporter: Exporter, queryset: QuerySet, request: HttpRequest, file_format: str
) -> HttpResponse | StreamingHttpResponse:
    """The export of `queryset` in `file_format` (« csv » or « xlsx »); a list too long for
    a workbook is refused with 400 and why."""
    if file_format == "xlsx":
        refusal = xlsx_refusal(queryset)
        if refusal:
            return HttpResponse(refusal, status=400, content_type="text/plain; charset=utf-8")
        return xlsx_response(exporter, queryset, request)
    return csv_response(exporter, queryset, request)

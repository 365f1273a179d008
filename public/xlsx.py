"""Every public list as a spreadsheet (`export.xlsx`, docs/architecture.md, « Données
ouvertes »).

The same columns and rows as the CSV (`Exporter.rows`, computed by the database), written by
openpyxl's write-only workbook: each row goes to a temporary file as soon as it is read, so
memory stays flat whatever the number of rows, and the finished file is sent from disk.
Unlike the CSV, cells carry their type: dates are dates, numbers numbers, and text stays
text, so codes keep their leading zeros and a cell starting with `=` is never a formula.
"""

import datetime
import tempfile
from decimal import Decimal
from functools import partial

from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from public.csv_format import MULTI_SEPARATOR, Exporter, csv_refusal, row_batches

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel keeps at most this many characters in a cell; longer text would be cut by it anyway,
# silently: cut here, visibly.
MAX_CELL_LENGTH = 32_767
DATE_FORMAT = "yyyy-mm-dd"
# A spreadsheet is sent once whole, and written at some 20,000 cells a second (the 36,404
# territories of France, 8 columns, in 17 s on the 2-core machine): past this many rows it
# would near the reverse proxy's 60 s wait for a first byte (README, « Déploiement »). The
# CSV, which streams, has no limit.
MAX_ROWS = 50_000


def _text(value: str) -> str:
    # Control characters are invalid in the XML of a sheet (openpyxl refuses them).
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if len(value) > MAX_CELL_LENGTH:
        value = value[: MAX_CELL_LENGTH - 1] + "…"
    return value


def _cell(sheet, value):
    """One typed cell: a date, a number, `oui`/`non` as the CSV, or text typed as text."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        value = "oui" if value else "non"
    elif isinstance(value, list | tuple | set):
        value = MULTI_SEPARATOR.join(str(v) for v in value if v not in (None, ""))
    elif isinstance(value, Decimal):
        value = float(value)
    elif isinstance(value, datetime.datetime) and timezone.is_aware(value):
        # Excel has no time zones: the local time, as the CSV shows it.
        value = timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet)
        # Typed as text explicitly: openpyxl would take a leading `=` for a formula.
        cell.value, cell.data_type = _text(value), "s"
        return cell
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, datetime.datetime):
        cell.number_format = f"{DATE_FORMAT} hh:mm:ss"
    elif isinstance(value, datetime.date):
        cell.number_format = DATE_FORMAT
    return cell


def write_workbook(exporter: Exporter, queryset: QuerySet, request: HttpRequest, file) -> None:
    """Write every row of `queryset` to `file` as a workbook of one sheet, headed like the
    CSV. A sheet holds 1,048,576 lines, far more than any list (half a million officials)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=exporter.identifier[:31])
    bold = Font(bold=True)
    header = []
    for name in exporter.header():
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    finish = exporter.finisher(request, cell=partial(_cell, sheet))
    for batch in row_batches(exporter, queryset):
        for values in batch:
            sheet.append(finish(values))
    workbook.save(file)


def too_long(queryset: QuerySet) -> str | None:
    """Why `queryset` is too long for a spreadsheet, in French, or None (the public lists and
    the admin's alike). A bounded count: it reads at most MAX_ROWS + 1 rows."""
    if queryset.order_by()[: MAX_ROWS + 1].count() <= MAX_ROWS:
        return None
    limit = f"{MAX_ROWS:,}".replace(",", "\u202f")  # French thousands: a narrow space
    return (
        f"La liste compte plus de {limit} lignes, trop pour un tableur : filtrez-la, "
        "ou prenez l'export CSV, qui n'a pas de limite."
    )


def xlsx_response(exporter: Exporter, queryset: QuerySet, request: HttpRequest):
    """The list as an .xlsx attachment, written to a temporary file and sent from it.

    The whole file is written before the response exists (a workbook is a ZIP whose index
    comes last), so a database that fails or times out answers 503 like a page, never a
    broken file. The temporary file disappears when the response closes it.
    """
    refusal = too_long(queryset)
    if refusal:
        return csv_refusal([refusal], file_format="XLSX")
    # Not a `with`: the response closes the file once it is sent.
    file = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    try:
        write_workbook(exporter, queryset, request, file)
    except BaseException:
        file.close()
        raise
    file.seek(0)
    filename = f"{exporter.identifier}-{timezone.localdate().isoformat()}.xlsx"
    return FileResponse(file, as_attachment=True, filename=filename, content_type=CONTENT_TYPE)

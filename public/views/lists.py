"""The two generic views of every public list: its HTML page and its CSV export.

Each list (pacts, territories, bodies, people, signatures) is described once by a
`PublicList`: its selector (which wraps a `PublicFilterSet`), its CSV exporter and its
template. The page and `export.csv` are two views over that description, so they always run
the same filters on the same published-only queryset.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.views import View

from public.csv_format import Exporter, csv_refusal, csv_response
from public.pagination import paginate
from public.params import query_string
from public.schemas import table_schema
from public.selection import Selection
from public.selectors.scope import RankedRows
from public.xlsx import xlsx_response


def candidate_rows(candidates: list, filter_params: dict[str, str]) -> list[dict]:
    """What the page shows of each territory an ambiguous value may mean, with its link.

    Name, kind, code and département tell apart the région and the département sharing
    « 52 », or namesake communes; `departements` is set by the filter that found them.
    """
    rows = []
    for candidate in candidates:
        departements = getattr(candidate, "departements", [])
        rows.append(
            {
                "name": candidate.name,
                "kind": candidate.get_kind_display(),
                "code": candidate.code,
                "departement": ", ".join(f"{d.name} ({d.code})" for d in departements),
                "url": "?" + query_string(filter_params, territoire=candidate.slug),
            }
        )
    return rows


@dataclass(frozen=True)
class PublicList:
    """One public list: how to select its rows, how to export them, how to show them."""

    export_name: str  # URL namespace:name of the CSV export, e.g. "pacts:export"
    page_name: str  # URL namespace:name of the list page, e.g. "pacts:list"
    template_name: str
    selector: Callable[..., Selection]
    exporter: Exporter
    # What the page shows of its rows, when less than the export reads (`pact_cards`).
    page_rows: Callable[[QuerySet], QuerySet] | None = None
    # The name its template keeps each row under (`{% keptrow %}`), when it shows each row
    # through that block alone: a row already rendered is then not read again.
    kept_rows: str | None = None

    # The spreadsheet and the schema are named after the CSV export (`export_patterns`).
    @property
    def xlsx_name(self) -> str:
        return f"{self.export_name}_xlsx"

    @property
    def schema_name(self) -> str:
        return f"{self.export_name}_schema"

    def page_source(self, selection: Selection, *, holding: str | None = None):
        """What a page of the list (HTML or API) is cut from: the rows read by id from the
        list's ranking (`rows_shown`), else its queryset with what a page shows. With
        `holding`, the name the page keeps each row under, the rows it holds come as such
        (`RankedRows.holding`): only for a list whose rows may be kept (`kept_rows`)."""
        if isinstance(selection.rows_shown, RankedRows) and holding and self.kept_rows:
            return selection.rows_shown.holding(holding)
        if selection.rows_shown is not None:
            return selection.rows_shown
        if self.page_rows is not None:
            return self.page_rows(selection.queryset)
        return selection.queryset


def export_patterns(prefix: str, spec: PublicList, name: str) -> list:
    """`<prefix>export.csv`, `export.xlsx` and `schema.json` of one list, named `name`,
    `name_xlsx` and `name_schema` in the list's namespace (a dot never appears in a slug:
    no detail page hides them)."""
    return [
        path(f"{prefix}export.csv", ListExportView.as_view(spec=spec), name=name),
        path(
            f"{prefix}export.xlsx",
            ListExportView.as_view(spec=spec, file_format="xlsx"),
            name=f"{name}_xlsx",
        ),
        path(f"{prefix}schema.json", list_schema, {"spec": spec}, name=f"{name}_schema"),
    ]


class ListPageView(View):
    """The HTML page of a list: filters form, active filters, count, one page of rows."""

    spec: PublicList = None

    def get(self, request):
        selection = self.spec.selector(filters=request.GET)
        selection.filterset.show_counts()  # the page only: an export never pays for them
        page = paginate(
            self.spec.page_source(selection, holding=self.spec.kept_rows),
            selection.params.get("page", ""),
            selection.notices,
        )
        filter_params = {k: v for k, v in selection.params.items() if k != "page"}
        named = selection.filterset.active_filters()
        active = [
            (label, value, "?" + query_string(filter_params, **{name: None}))
            for name, label, value in named
        ]
        nothing_found = ""
        if not page.paginator.count and not selection.ambiguous:
            nothing_found = selection.filterset.nothing_found_message(named)
        filter_query = query_string(filter_params)
        # The export link carries what the page applied, so the file is the list on screen;
        # none while the page itself waits for a choice (an ambiguous territory).
        export_url = xlsx_url = None
        applied = selection.applied_query
        if not selection.filterset.refusals:
            export_url = reverse(self.spec.export_name) + (f"?{applied}" if applied else "")
            xlsx_url = reverse(self.spec.xlsx_name) + (f"?{applied}" if applied else "")
        context = {
            "selection": selection,
            "form": selection.filterset.form,
            "page_obj": page,
            "object_list": page.object_list,
            "active_filters": active,
            "nothing_found": nothing_found,
            "filter_query": filter_query,
            "candidate_links": candidate_rows(
                selection.ambiguous[1] if selection.ambiguous else [], filter_params
            ),
            "export_url": export_url,
            "xlsx_url": xlsx_url,
            "schema_url": reverse(self.spec.schema_name),
            # What the page applied, for the links to its feeds (`<link rel="alternate">`).
            "applied_query": applied,
        }
        return render(request, self.spec.template_name, context)


class ListExportView(View):
    """The same list as a file: same selector, every row; CSV streamed, or `.xlsx`
    (`file_format="xlsx"`, `public/xlsx.py`) with the same columns.

    A request the page would have partly ignored is refused (400, with the reasons in
    French) rather than answered with a file that looks filtered and is not.
    """

    spec: PublicList = None
    file_format: str = "csv"

    def get(self, request):
        selection = self.spec.selector(filters=request.GET)
        if selection.refusals:
            return csv_refusal(selection.refusals, file_format=self.file_format.upper())
        respond = xlsx_response if self.file_format == "xlsx" else csv_response
        return respond(self.spec.exporter, selection.queryset, request)


def list_schema(request, spec: PublicList):
    """The Table Schema of a list's CSV (`public/schemas.py`), beside its `export.csv`."""
    return JsonResponse(
        table_schema(spec.exporter),
        json_dumps_params={"ensure_ascii": False, "indent": 2},
        content_type="application/schema+json; charset=utf-8",
    )

"""Machinery shared by every public list: clean GET parameters, filter, paginate, export.

Each list (pacts, territories, bodies, people, signatures) is described once by a
`PublicList`: its selector (which wraps a `PublicFilterSet`), its CSV exporter and its
template. The HTML page and `export.csv` are two generic views over that description, so a
page and its export always run the same filters on the same published-only queryset.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

import django_filters
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from pacts.exports import Exporter, csv_response

# Long enough for any real search or slug; longer values are cut rather than sent to the
# database (a megabyte of `q` would otherwise turn into a megabyte LIKE pattern).
MAX_PARAM_LENGTH = 200
PAGE_SIZE = 20


def clean_value(value: str) -> str:
    """Strip NUL bytes (PostgreSQL refuses them in text) and cap the length."""
    return value.replace("\x00", "").strip()[:MAX_PARAM_LENGTH]


class PublicFilterSet(django_filters.FilterSet):
    """A FilterSet whose invalid values are ignored and reported, never silently fatal.

    django-filter drops invalid fields from `cleaned_data` and filters on the rest; we keep
    that behaviour and turn the form errors into French messages for the page.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Filter methods add messages here (e.g. an unknown territory) while filtering.
        self.extra_notices: list[str] = []
        self.ambiguous: tuple[str, list] | None = None
        # Filter methods may refuse a syntactically valid value (unknown territory), or say
        # better what a value means (a territory's name rather than its code).
        self.ignored_names: set[str] = set()
        self.shown_values: dict[str, str] = {}

    def ignored_messages(self) -> list[str]:
        messages = []
        for name, errors in self.form.errors.items():
            label = self.filters[name].label or name if name in self.filters else name
            value = self.data.get(name, "")
            messages.append(
                f"Filtre « {label} » ignoré : la valeur « {value} » n'est pas reconnue "
                f"({' '.join(str(e) for e in errors)})"
            )
        return messages

    def active_filters(self) -> list[tuple[str, str, str]]:
        """(parameter, label, value as shown) for each valid, non-empty filter."""
        if not self.is_bound or not hasattr(self.form, "cleaned_data"):
            return []
        active = []
        for name, value in self.form.cleaned_data.items():
            if value in (None, "", [], ()) or name in self.ignored_names:
                continue
            form_field = self.form.fields[name]
            shown = str(value)
            choices = getattr(form_field, "choices", None)
            if choices is not None and not hasattr(value, "pk"):
                shown = {str(k): v for k, v in choices}.get(str(value), shown)
            shown = self.shown_values.get(name, shown)
            active.append((name, str(self.filters[name].label or name), shown))
        return active


@dataclass
class Selection:
    """What a selector returns: the filtered queryset and what the page must tell the user."""

    queryset: QuerySet
    filterset: PublicFilterSet
    params: dict[str, str]
    notices: list[str] = field(default_factory=list)
    # A `territoire` code naming several territories: (code, candidates).
    ambiguous: tuple[str, list] | None = None


def select(
    filterset_class: type[PublicFilterSet],
    raw: QueryDict | dict,
    queryset: QuerySet,
    *,
    extra_known: tuple[str, ...] = ("page",),
) -> Selection:
    """Clean `raw` GET parameters, run the FilterSet, and collect messages for the user."""
    known = set(filterset_class.base_filters) | set(extra_known)
    params: dict[str, str] = {}
    unknown: list[str] = []
    for key in raw:
        value = raw.get(key) if hasattr(raw, "getlist") else raw[key]
        key_clean = clean_value(str(key))
        if key_clean in known:
            params[key_clean] = clean_value(str(value or ""))
        elif key_clean:
            unknown.append(key_clean[:40])
    filter_data = {k: v for k, v in params.items() if k in filterset_class.base_filters and v}
    filterset = filterset_class(data=filter_data, queryset=queryset)
    queryset = filterset.qs
    notices = []
    if unknown:
        notices.append(
            "Paramètre(s) inconnu(s) ignoré(s) : " + ", ".join(f"« {k} »" for k in unknown) + "."
        )
    notices.extend(filterset.ignored_messages())
    notices.extend(getattr(filterset, "extra_notices", []))
    return Selection(
        queryset=queryset,
        filterset=filterset,
        params=params,
        notices=notices,
        ambiguous=getattr(filterset, "ambiguous", None),
    )


def paginate(queryset: QuerySet, page_param: str, notices: list[str], per_page: int = PAGE_SIZE):
    """The requested page; a malformed or out-of-range number falls back with a message."""
    paginator = Paginator(queryset, per_page)
    number = page_param or "1"
    page = paginator.get_page(number)
    if str(page.number) != number and page_param:
        notices.append(
            f"Numéro de page « {page_param} » invalide ou hors limites : "
            f"page {page.number} affichée."
        )
    return page


def query_string(params: dict[str, str], **changes) -> str:
    """Encode `params` with `changes` applied (a value of None removes the key)."""
    merged = {k: v for k, v in params.items() if v}
    for key, value in changes.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return urlencode(merged)


@dataclass(frozen=True)
class PublicList:
    """One public list: how to select its rows, how to export them, how to show them."""

    export_name: str  # URL namespace:name of the CSV export, e.g. "pacts:export"
    template_name: str
    selector: Callable[..., Selection]
    exporter: Exporter


class ListPageView(View):
    """The HTML page of a list: filters form, active filters, count, one page of rows."""

    spec: PublicList = None

    def get(self, request):
        selection = self.spec.selector(filters=request.GET)
        page = paginate(selection.queryset, selection.params.get("page", ""), selection.notices)
        filter_params = {k: v for k, v in selection.params.items() if k != "page"}
        active = [
            (label, value, "?" + query_string(filter_params, **{name: None}))
            for name, label, value in selection.filterset.active_filters()
        ]
        filter_query = query_string(filter_params)
        candidates = selection.ambiguous[1] if selection.ambiguous else []
        context = {
            "selection": selection,
            "form": selection.filterset.form,
            "page_obj": page,
            "object_list": page.object_list,
            "active_filters": active,
            "filter_query": filter_query,
            "candidate_links": [
                (c, "?" + query_string(filter_params, territoire=c.slug)) for c in candidates
            ],
            "export_url": reverse(self.spec.export_name)
            + (f"?{filter_query}" if filter_query else ""),
        }
        return render(request, self.spec.template_name, context)


class ListExportView(View):
    """The same list as CSV: same selector, every row, streamed."""

    spec: PublicList = None

    def get(self, request):
        selection = self.spec.selector(filters=request.GET)
        return csv_response(self.spec.exporter, selection.queryset, request)

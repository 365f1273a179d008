"""Machinery shared by every public list: clean GET parameters, filter, paginate, export.

Each list (pacts, territories, bodies, people, signatures) is described once by a
`PublicList`: its selector (which wraps a `PublicFilterSet`), its CSV exporter and its
template. The HTML page and `export.csv` are two generic views over that description, so a
page and its export always run the same filters on the same published-only queryset.

One rule for every filter of every list: a filter never widens. A well-formed value is
always applied, even when it matches nothing (the answer is then an empty list and a sentence
saying so); only a malformed value is ignored, and then the page says so and the CSV export
refuses (400) rather than hand over an unfiltered file that looks filtered.
"""

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

import django_filters
from django import forms
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.http import QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.views import View
from django_filters.constants import EMPTY_VALUES

from pacts.exports import Exporter, csv_refusal, csv_response

# Long enough for any real search or slug; longer values are cut rather than sent to the
# database (a megabyte of `q` would otherwise turn into a megabyte LIKE pattern).
MAX_PARAM_LENGTH = 200
PAGE_SIZE = 20
# Past this many options a select is slower to render and to use than a typed identifier.
MAX_SELECT_OPTIONS = 150

# Shapes of well-formed values. Validation checks the shape, never whether something
# published matches: that is the filter's answer (possibly an empty list), not a reason to
# drop the filter and show everything.
YEAR = r"(?!0000)[0-9]{4}"  # year 0 does not exist for Python's dates
# Metropolitan 01–95 and Corsica's 2A/2B, overseas 971–976; compared upper-cased.
DEPARTEMENT_CODE = r"0[1-9]|[1-8][0-9]|9[0-5]|2[AB]|97[1-6]"
SLUG = r"[-a-zA-Z0-9_]+"  # Django's SlugField
YEAR_HINT = "attendu : une année à quatre chiffres, par exemple 2019"
DEPARTEMENT_HINT = "attendu : un code de département, par exemple 52, 2A ou 971"
SLUG_HINT = "attendu : un nom d'URL fait de lettres sans accents, de chiffres et de tirets"


def clean_value(value: str) -> str:
    """Strip NUL bytes (PostgreSQL refuses them in text) and cap the length."""
    return value.replace("\x00", "").strip()[:MAX_PARAM_LENGTH]


def one_of_hint(choices) -> str:
    return "attendu : " + ", ".join(str(value) for value, _ in choices)


# --- Form fields that validate on shape ---------------------------------------------------


class OfferedSelect(forms.Select):
    """A select of the values worth offering, which still shows a chosen value it lacks.

    The options are the values that match something (years with a published signing…); a
    well-formed value outside them was applied all the same, so the select shows it as
    chosen instead of pretending nothing is.
    """

    # Labels of values that may be chosen without being offered (e.g. every pact status).
    extra_labels: dict = {}

    def optgroups(self, name, value, attrs=None):
        groups = super().optgroups(name, value, attrs)
        offered = {str(option["value"]) for _, options, _ in groups for option in options}
        for missing in [v for v in value if v and v not in offered]:
            label = f"{self.extra_labels.get(missing, missing)} (aucun résultat)"
            option = self.create_option(name, missing, label, True, len(groups), attrs=attrs)
            groups.append((None, [option], len(groups)))
        return groups


class SelectOrTextInput(OfferedSelect):
    """An `OfferedSelect`, or a text input when there are too many options to list.

    Decided when rendering, from at most MAX_SELECT_OPTIONS + 1 rows: an export or a filter
    never pays for the options, and all of France's people never reach a page.
    """

    placeholder = ""

    def render(self, name, value, attrs=None, renderer=None):
        offered = sum(1 for option_value, _ in self.choices if option_value not in ("", None))
        if offered > MAX_SELECT_OPTIONS:
            text = forms.TextInput(attrs={**self.attrs, "placeholder": self.placeholder})
            return text.render(name, value, attrs, renderer)
        return super().render(name, value, attrs, renderer)


class WellFormedChoiceField(django_filters.fields.ChoiceField):
    """A select offering `choices` that accepts any well-formed value, offered or not.

    Well-formed means matching `pattern` (a regular expression) or, when `allowed` is given,
    being one of those values (every value the model knows, offered or not).
    """

    widget = OfferedSelect

    def __init__(self, *, hint, pattern=None, allowed=None, normalize=None, **kwargs):
        self.pattern = re.compile(pattern) if pattern else None
        self.allowed = {str(value): label for value, label in allowed} if allowed else None
        self.normalize = normalize
        kwargs.setdefault("error_messages", {"invalid_choice": hint})
        super().__init__(**kwargs)
        self.widget.extra_labels = self.allowed or {}

    def to_python(self, value):
        value = super().to_python(value)
        return self.normalize(value) if value and self.normalize else value

    def bound_data(self, data, initial):
        # The select compares the normalised value (« 2a » is the option « 2A »).
        return self.to_python(data) if isinstance(data, str) else data

    def valid_value(self, value):
        if self.allowed is not None:
            return value in self.allowed
        return bool(self.pattern.fullmatch(value))

    def label_for(self, value) -> str:
        return str((self.allowed or {}).get(str(value), value))


class WellFormedChoiceFilter(django_filters.Filter):
    """A `WellFormedChoiceField` filter; callable `choices` are computed lazily, once.

    Lazily: only when the form is shown, so an export or a filtered query does not pay for
    the choices of the page (validation checks the shape, not the choices). Once: rendering
    may read them more than once, and the cache lives as long as this request's filter set.
    """

    field_class = WellFormedChoiceField

    @property
    def field(self):
        if not hasattr(self, "_field") and callable(self.extra.get("choices")):
            self.extra["choices"] = functools.cache(self.extra["choices"])
        return super().field


class SlugChoiceField(WellFormedChoiceField):
    widget = SelectOrTextInput

    def __init__(self, *, placeholder="", **kwargs):
        super().__init__(pattern=SLUG, hint=SLUG_HINT, **kwargs)
        self.widget.placeholder = placeholder


class SlugFilter(django_filters.Filter):
    """Rows related to one object named by its slug (`organisme=region-grand-est`).

    `known()` is the queryset of the objects that can match at all (those of published
    pacts…): it feeds the select and resolves the slug. A well-formed slug outside it gives
    an empty list and the `unknown` sentence, never the whole list. `match(queryset, obj)`
    keeps the rows of `obj`.
    """

    field_class = SlugChoiceField

    def __init__(
        self,
        *,
        known: Callable[[], QuerySet],
        match: Callable[[QuerySet, Model], QuerySet],
        unknown: str,
        **kwargs,
    ):
        self.known = known
        self.match = match
        self.unknown = unknown
        super().__init__(**kwargs)

    @property
    def field(self):
        if not hasattr(self, "_field"):
            known = self.known
            # One more row than a select may hold: enough to know it must be a text input.
            self.extra["choices"] = functools.cache(
                lambda: [(obj.slug, str(obj)) for obj in known()[: MAX_SELECT_OPTIONS + 1]]
            )
        return super().field

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        obj = self.known().filter(slug=value).first()
        if obj is None:
            self.parent.findings.append(self.unknown.format(value=value))
            return qs.none()
        self.parent.shown_values[self.field_name] = str(obj)
        return self.match(qs, obj)


# --- Filter sets ----------------------------------------------------------------------------


class PublicFilterSet(django_filters.FilterSet):
    """A FilterSet whose malformed values are ignored and reported, never silently fatal.

    django-filter drops invalid fields from `cleaned_data` and filters on the rest; the
    fields above make "invalid" mean malformed only, and we turn the form errors into
    French messages for the page and reasons for the export to refuse.
    """

    # The start of the sentence shown when the filters match nothing.
    nothing_found = "Aucun résultat ne correspond à votre recherche"
    # Parameters that order the rows rather than choose them: a malformed one falls back to
    # the default order, and an export of it is still the list asked for.
    ordering_parameters = frozenset({"tri"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Filled by filter methods while filtering:
        # why a well-formed value matches nothing (an unknown slug or territory),
        self.findings: list[str] = []
        # why the request cannot be exported as asked (an ambiguous territory),
        self.refusals: list[str] = []
        # a value naming several territories: (value, candidates),
        self.ambiguous: tuple[str, list] | None = None
        # and what a value means, better said than the raw value (a territory's name).
        self.shown_values: dict[str, str] = {}

    def invalid_values(self) -> list[tuple[str, str, str, str]]:
        """(parameter, label, value, reason) of each malformed value."""
        invalid = []
        for name, errors in self.form.errors.items():
            label = self.filters[name].label or name if name in self.filters else name
            reason = " ".join(str(e) for e in errors)
            invalid.append((name, str(label), self.data.get(name, ""), reason))
        return invalid

    def ignored_messages(self) -> list[str]:
        return [
            f"Filtre « {label} » ignoré : la valeur « {value} » n'est pas reconnue ({reason})."
            for _, label, value, reason in self.invalid_values()
        ]

    def refusal_messages(self) -> list[str]:
        """Why an export of this request would not be the list asked for."""
        messages = [
            f"Filtre « {label} » : la valeur « {value} » n'est pas reconnue ({reason})."
            for name, label, value, reason in self.invalid_values()
            if name not in self.ordering_parameters
        ]
        return messages + self.refusals

    def show_applied_values(self) -> None:
        """Make the form show the filters as applied: a malformed value goes back to « Tous »,
        and a chosen value the select does not offer is named as on the active filters."""
        if self.form.errors:
            self.form.data = {k: v for k, v in self.form.data.items() if k not in self.form.errors}
        for name, shown in self.shown_values.items():
            widget = self.form.fields[name].widget
            if isinstance(widget, OfferedSelect):
                value = str(self.form.cleaned_data[name])
                widget.extra_labels = {**widget.extra_labels, value: shown}

    def active_filters(self) -> list[tuple[str, str, str]]:
        """(parameter, label, value as shown) for each valid, non-empty filter."""
        if not self.is_bound or not hasattr(self.form, "cleaned_data"):
            return []
        active = []
        for name, value in self.form.cleaned_data.items():
            if value in EMPTY_VALUES:
                continue
            form_field = self.form.fields[name]
            if name in self.shown_values:
                shown = self.shown_values[name]
            elif hasattr(form_field, "label_for"):
                shown = form_field.label_for(value)
            elif getattr(form_field, "choices", None) is not None:
                shown = {str(k): v for k, v in form_field.choices}.get(str(value), str(value))
            else:
                shown = str(value)
            active.append((name, str(self.filters[name].label or name), str(shown)))
        return active

    def nothing_found_message(self, active: list[tuple[str, str, str]]) -> str:
        """« Aucun pacte … : Année de signature « 2017 », Département « 57 ». »"""
        asked = [
            f"{label} « {shown} »"
            for name, label, shown in active
            if name not in self.ordering_parameters
        ]
        return f"{self.nothing_found} : {', '.join(asked)}." if asked else ""


@dataclass
class Selection:
    """What a selector returns: the filtered queryset and what the page must tell the user."""

    queryset: QuerySet
    filterset: PublicFilterSet
    params: dict[str, str]
    # What was ignored (unknown parameters, malformed values), for the page.
    notices: list[str] = field(default_factory=list)
    # Why the export cannot be the list asked for: it answers 400 with these.
    refusals: list[str] = field(default_factory=list)
    # Why well-formed values match nothing (an unknown body, territory…).
    findings: list[str] = field(default_factory=list)
    # A `territoire` value naming several territories: (value, candidates).
    ambiguous: tuple[str, list] | None = None
    # `params` without what was ignored: what the page shows and its export link carries.
    applied_params: dict[str, str] = field(default_factory=dict)


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
    notices, refusals = [], []
    if unknown:
        names = ", ".join(f"« {k} »" for k in unknown)
        notices.append(f"Paramètre(s) inconnu(s) ignoré(s) : {names}.")
        # A misspelt filter in an export link would otherwise yield the whole list.
        refusals.append(
            f"Paramètre(s) inconnu(s) : {names}. Paramètres reconnus : "
            + ", ".join(sorted(known))
            + "."
        )
    invalid = {name for name, *_ in filterset.invalid_values()}
    notices.extend(filterset.ignored_messages())
    refusals.extend(filterset.refusal_messages())
    filterset.show_applied_values()
    return Selection(
        queryset=queryset,
        filterset=filterset,
        params=params,
        notices=notices,
        refusals=refusals,
        findings=filterset.findings,
        ambiguous=filterset.ambiguous,
        applied_params={k: v for k, v in params.items() if k not in invalid},
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
        export_url = None
        if not selection.filterset.refusals:
            applied = query_string(
                {k: v for k, v in selection.applied_params.items() if k != "page"}
            )
            export_url = reverse(self.spec.export_name) + (f"?{applied}" if applied else "")
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
        }
        return render(request, self.spec.template_name, context)


class ListExportView(View):
    """The same list as CSV: same selector, every row, streamed.

    A request the page would have partly ignored is refused (400, with the reasons in
    French) rather than answered with a file that looks filtered and is not.
    """

    spec: PublicList = None

    def get(self, request):
        selection = self.spec.selector(filters=request.GET)
        if selection.refusals:
            return csv_refusal(selection.refusals)
        return csv_response(self.spec.exporter, selection.queryset, request)

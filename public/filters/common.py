"""Filters several public lists share: département, year, kind."""

from django.db.models import Count

from public.choices import departement_label, published_years
from public.filters.fields import WellFormedChoiceFilter
from public.filters.resolution import Resolution
from public.params import DEPARTEMENT_CODE, DEPARTEMENT_HINT, YEAR, YEAR_HINT, one_of_hint
from territories.models import Territory, TerritoryKind


def departement_by_code(code: str) -> Territory | None:
    """The département whose INSEE code is `code` (a région may share it: the kind decides)."""
    return Territory.objects.filter(kind=TerritoryKind.DEPARTEMENT, code=code).first()


def departement_filter(*, choices, label="Département"):
    """`departement=<code>`: any département code shape is applied; `choices` are offered.

    The FilterSet resolves the code with `departement_resolution` (`resolve_departement`)."""
    return WellFormedChoiceFilter(
        label=label,
        pattern=DEPARTEMENT_CODE,
        normalize=str.upper,  # « 2a » is Corse-du-Sud
        hint=DEPARTEMENT_HINT,
        choices=choices,
        empty_label="Tous",
    )


def year_filter(*, label, method):
    """`annee=<yyyy>`: any year is applied; years with a published signing are offered."""
    return WellFormedChoiceFilter(
        label=label,
        pattern=YEAR,
        hint=YEAR_HINT,
        choices=published_years,
        method=method,
        empty_label="Toutes",
    )


def departement_resolution(code: str, narrow) -> Resolution:
    """`narrow(rows, département)` for the département of that code, shown by its name; no
    rows, and why, when no département has that code."""
    dep = departement_by_code(code)
    if dep is None:
        return Resolution.not_found(f"Aucun département n'a le code « {code} ».")
    return Resolution.found(lambda rows: narrow(rows, dep), shown=departement_label(dep))


def kind_filter(choices):
    """`type=<kind>`: every kind of the model is offered and applied, even with no row."""
    return WellFormedChoiceFilter(
        label="Type",
        field_name="kind",
        allowed=choices,
        hint=one_of_hint(choices),
        choices=choices,
        empty_label="Tous",
    )


# `perimetre`: lists of bodies and people open on those involved in published pacts (the
# ones a visitor comes for, a few hundred), not on every row of the reference data.
INVOLVED, ALL = "pactes", "tous"


def scope_filter(*, label: str, involved_label: str, all_label: str):
    """`perimetre=pactes` (the default, also when absent) or `perimetre=tous`."""
    scopes = [(INVOLVED, involved_label), (ALL, all_label)]
    return WellFormedChoiceFilter(
        label=label,
        allowed=scopes,
        hint=one_of_hint(scopes),
        choices=scopes,
        method="filter_perimetre",
        empty_label=None,
    )


class InvolvedByDefault:
    """A FilterSet mixin: the rows `involved()` keeps, unless `perimetre=tous` asks for all."""

    def involved(self, queryset):
        raise NotImplementedError

    def filter_perimetre(self, queryset, name, value):
        return queryset if value == ALL else self.involved(queryset)

    def filter_queryset(self, queryset, **options):
        queryset = super().filter_queryset(queryset, **options)
        if not self.form.cleaned_data.get("perimetre"):
            # Absent, or malformed and ignored: the default scope, never every row of France.
            queryset = self.filter_perimetre(queryset, "perimetre", INVOLVED)
        return queryset


def count_by(rows, field: str, counted: str = "pk") -> dict[str, int]:
    """How many distinct `counted` each value of `field` has among `rows`: a facet's counts,
    in one grouped query."""
    grouped = rows.order_by().values(field).annotate(rows=Count(counted, distinct=True))
    return {str(row[field]): row["rows"] for row in grouped}

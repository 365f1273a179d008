"""Filters several public lists share: département, year, kind."""

from public.choices import departement_label, published_years
from public.filters.base import PublicFilterSet
from public.filters.fields import WellFormedChoiceFilter
from public.params import DEPARTEMENT_CODE, DEPARTEMENT_HINT, YEAR, YEAR_HINT, one_of_hint
from territories.models import Territory, TerritoryKind


def departement_by_code(code: str) -> Territory | None:
    """The département whose INSEE code is `code` (a région may share it: the kind decides)."""
    return Territory.objects.filter(kind=TerritoryKind.DEPARTEMENT, code=code).first()


def departement_filter(*, choices, method, label="Département"):
    """`departement=<code>`: any département code shape is applied; `choices` are offered."""
    return WellFormedChoiceFilter(
        label=label,
        pattern=DEPARTEMENT_CODE,
        normalize=str.upper,  # « 2a » is Corse-du-Sud
        hint=DEPARTEMENT_HINT,
        choices=choices,
        method=method,
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


def by_departement(filterset: PublicFilterSet, queryset, name, value, narrow):
    """`narrow(queryset, département)`, or no rows (and why) when no département has that
    code; the active filter then shows the département's name."""
    dep = departement_by_code(value)
    if dep is None:
        filterset.findings.append(f"Aucun département n'a le code « {value} ».")
        return queryset.none()
    filterset.shown_values[name] = departement_label(dep)
    return narrow(queryset, dep)


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

"""Filters several public lists share: département, year, kind."""

from django.db.models import Count

from public.choices import departement_label, published_years
from public.filters.fields import WellFormedChoiceFilter
from public.filters.resolution import Resolution
from public.params import DEPARTEMENT_CODE, DEPARTEMENT_HINT, YEAR, YEAR_HINT, one_of_hint
from public.territory_lookup import resolve_territory, with_departements
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


def territory_resolution(value: str, label: str, narrow) -> Resolution:
    """`narrow(rows, territory)` for the territory a visitor named (docs/architecture.md,
    « Naming a territory »); no rows, and why, when nothing has that name; the candidates,
    and no rows until one is chosen, when the value names several."""
    territory, candidates = resolve_territory(value)
    if territory is not None:
        return Resolution.found(
            lambda rows: narrow(rows, territory),
            shown=f"{territory.name} ({territory.get_kind_display()})",
        )
    if not candidates:
        return Resolution.not_found(f"Aucun territoire ne correspond à « {value} ».")
    # Guessing would show the rows of a territory the user may not mean: none until one is
    # chosen, and no export of a choice not made.
    with_departements(candidates)
    choices = " ; ".join(
        f"territoire={c.slug} ({c.name}, {c.get_kind_display()}"
        + (f", code {c.code})" if c.code else ")")
        for c in candidates
    )
    return Resolution(
        shown=f"{value} (plusieurs territoires possibles)",
        refusal=(
            f"Filtre « {label} » : « {value} » désigne plusieurs territoires ; précisez-le avec "
            f"l'identifiant de l'un d'eux : {choices}."
        ),
        candidates=tuple(candidates),
    )


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
SCOPE = "perimetre"  # the parameter


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
        if not self.form.cleaned_data.get(SCOPE):
            # Absent, or malformed and ignored: the default scope, never every row of France.
            queryset = self.filter_perimetre(queryset, SCOPE, INVOLVED)
        return queryset


def count_by(rows, field: str, counted: str = "pk") -> dict[str, int]:
    """How many distinct `counted` each value of `field` has among `rows`: a facet's counts,
    in one grouped query."""
    grouped = rows.order_by().values(field).annotate(rows=Count(counted, distinct=True))
    return {str(row[field]): row["rows"] for row in grouped}

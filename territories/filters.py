"""GET filters of the public territory and body lists (a filter never widens: see
`pacts.listing`)."""

import django_filters

from pacts.filters import by_departement, departement_filter, departement_label
from pacts.listing import PublicFilterSet, WellFormedChoiceFilter, one_of_hint
from territories.models import Body, BodyKind, Territory, TerritoryKind


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


def all_departements() -> list[tuple[str, str]]:
    return [
        (dep.code, departement_label(dep))
        for dep in Territory.objects.filter(kind=TerritoryKind.DEPARTEMENT)
        .exclude(code="")
        .order_by("code")
    ]


class TerritoryFilter(PublicFilterSet):
    """Filters of `/territoires/`."""

    q = django_filters.CharFilter(label="Nom ou code", method="filter_q")
    type = kind_filter(TerritoryKind.choices)
    departement = departement_filter(choices=all_departements, method="filter_departement")

    nothing_found = "Aucun territoire ne correspond à votre recherche"

    class Meta:
        model = Territory
        fields = []

    def filter_q(self, queryset, name, value):
        return queryset.best_matches(value)

    def filter_departement(self, queryset, name, value):
        return by_departement(
            self, queryset, name, value, lambda territories, dep: territories.within(dep)
        )


class BodyFilter(PublicFilterSet):
    """Filters of `/organismes/`."""

    q = django_filters.CharFilter(label="Nom, sigle ou SIREN", method="filter_q")
    type = kind_filter(BodyKind.choices)

    nothing_found = "Aucun organisme ne correspond à votre recherche"

    class Meta:
        model = Body
        fields = []

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

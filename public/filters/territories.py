"""GET filters of `/territoires/` and `/organismes/`."""

import django_filters

from public.choices import all_departements, involved_bodies
from public.filters.base import PublicFilterSet
from public.filters.common import (
    InvolvedByDefault,
    departement_filter,
    departement_resolution,
    kind_filter,
    scope_filter,
)
from public.filters.resolution import Resolution
from territories.models import Body, BodyKind, Territory, TerritoryKind


class TerritoryFilter(PublicFilterSet):
    """Filters of `/territoires/`."""

    q = django_filters.CharFilter(label="Nom ou code", method="filter_q")
    type = kind_filter(TerritoryKind.choices)
    departement = departement_filter(choices=all_departements)

    nothing_found = "Aucun territoire ne correspond à votre recherche"

    class Meta:
        model = Territory
        fields = []

    def filter_q(self, queryset, name, value):
        return queryset.best_matches(value)

    def resolve_departement(self, value) -> Resolution:
        return departement_resolution(value, lambda territories, dep: territories.within(dep))


class BodyFilter(InvolvedByDefault, PublicFilterSet):
    """Filters of `/organismes/`: by default the bodies party to a published pact, the ones a
    visitor comes for; `perimetre=tous` lists every body of the reference data."""

    q = django_filters.CharFilter(label="Nom, sigle ou SIREN", method="filter_q")
    type = kind_filter(BodyKind.choices)
    perimetre = scope_filter(
        label="Organismes listés",
        involved_label="Parties à un pacte publié",
        all_label="Tous les organismes",
    )

    nothing_found = "Aucun organisme ne correspond à votre recherche"

    class Meta:
        model = Body
        fields = []

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def involved(self, queryset):
        return involved_bodies(queryset)

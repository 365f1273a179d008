"""GET filters of `/territoires/` and `/organismes/`."""

import django_filters

from public.choices import all_departements
from public.filters.base import PublicFilterSet
from public.filters.common import departement_filter, departement_resolution, kind_filter
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

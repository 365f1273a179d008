"""GET filters of `/signatures/`."""

import django_filters

from pacts.models import Pact, SigningEvent
from public.choices import signing_departement_choices
from public.filters.base import PublicFilterSet
from public.filters.common import (
    departement_filter,
    departement_resolution,
    territory_resolution,
    year_filter,
)
from public.filters.resolution import Resolution
from public.widgets import TerritorySuggestInput
from territories.models import Territory


class SigningEventFilter(PublicFilterSet):
    """Filters of `/signatures/`."""

    annee = year_filter(label="Année", method="filter_annee")
    # The signings of the pacts concerning a territory, as `/pactes/?territoire=` keeps them:
    # a mayor follows their commune's (`/signatures/flux.atom?territoire=…`).
    territoire = django_filters.CharFilter(label="Territoire", widget=TerritorySuggestInput)
    departement = departement_filter(choices=signing_departement_choices)

    nothing_found = "Aucune signature de pacte publié ne correspond à votre recherche"

    class Meta:
        model = SigningEvent
        fields = []

    def filter_annee(self, queryset, name, value):
        return queryset.filter(date__year=int(value))

    def resolve_territoire(self, value) -> Resolution:
        return territory_resolution(
            value,
            self.filters["territoire"].label,
            lambda events, t: events.filter(pact__in=Pact.objects.in_territory(t)),
        )

    def resolve_departement(self, value) -> Resolution:
        return departement_resolution(
            value, lambda events, dep: events.filter(commune__in=Territory.objects.within(dep))
        )

"""GET filters of `/territoires/` and `/organismes/`."""

import django_filters

from public.choices import all_departements, involved_bodies
from public.filters.base import PublicFilterSet
from public.filters.common import departement_filter, departement_resolution, kind_filter
from public.filters.fields import WellFormedChoiceFilter
from public.filters.resolution import Resolution
from public.params import one_of_hint
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


INVOLVED, ALL = "pactes", "tous"
BODY_SCOPES = [(INVOLVED, "Parties à un pacte publié"), (ALL, "Tous les organismes")]


class BodyFilter(PublicFilterSet):
    """Filters of `/organismes/`: by default the bodies party to a published pact, the ones a
    visitor comes for; `perimetre=tous` lists every body of the reference data."""

    q = django_filters.CharFilter(label="Nom, sigle ou SIREN", method="filter_q")
    type = kind_filter(BodyKind.choices)
    perimetre = WellFormedChoiceFilter(
        label="Organismes listés",
        allowed=BODY_SCOPES,
        hint=one_of_hint(BODY_SCOPES),
        choices=BODY_SCOPES,
        method="filter_perimetre",
        empty_label=None,
    )

    nothing_found = "Aucun organisme ne correspond à votre recherche"

    class Meta:
        model = Body
        fields = []

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def filter_perimetre(self, queryset, name, value):
        return queryset if value == ALL else queryset.filter(pk__in=involved_bodies())

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("perimetre"):
            # Absent (or malformed and ignored): the default scope, not every body of France.
            queryset = self.filter_perimetre(queryset, "perimetre", INVOLVED)
        return queryset

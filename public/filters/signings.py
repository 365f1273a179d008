"""GET filters of `/signatures/`."""

from pacts.models import SigningEvent
from public.choices import departement_label, signing_departements
from public.filters.base import PublicFilterSet
from public.filters.common import departement_filter, departement_resolution, year_filter
from public.filters.resolution import Resolution
from territories.models import Territory


class SigningEventFilter(PublicFilterSet):
    """Filters of `/signatures/`."""

    annee = year_filter(label="Année", method="filter_annee")
    departement = departement_filter(
        choices=lambda: [(dep.code, departement_label(dep)) for dep in signing_departements()],
    )

    nothing_found = "Aucune signature de pacte publié ne correspond à votre recherche"

    class Meta:
        model = SigningEvent
        fields = []

    def filter_annee(self, queryset, name, value):
        return queryset.filter(date__year=int(value))

    def resolve_departement(self, value) -> Resolution:
        return departement_resolution(
            value, lambda events, dep: events.filter(commune__in=Territory.objects.within(dep))
        )

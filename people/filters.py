"""GET filters of the public people list."""

import django_filters

from pacts.listing import PublicFilterSet
from people.models import Mandate, Person
from territories.models import Body

CURRENT, PAST = "en_cours", "termine"


class PersonFilter(PublicFilterSet):
    """Filters of `/personnes/`."""

    q = django_filters.CharFilter(label="Nom", method="filter_q")
    statut = django_filters.ChoiceFilter(
        label="Mandat",
        choices=[(CURRENT, "Mandat en cours"), (PAST, "Plus de mandat en cours")],
        method="filter_statut",
        empty_label="Tous",
    )
    organisme = django_filters.ModelChoiceFilter(
        label="Organisme",
        to_field_name="slug",
        queryset=Body.objects.none(),
        method="filter_organisme",
        empty_label="Tous les organismes",
    )

    class Meta:
        model = Person
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["organisme"].queryset = Body.objects.filter(
            pk__in=Mandate.objects.values("body_id")
        )

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def filter_statut(self, queryset, name, value):
        current = Mandate.objects.current().values("person_id")
        if value == CURRENT:
            return queryset.filter(pk__in=current)
        # Had a mandate once, holds none today.
        return queryset.filter(pk__in=Mandate.objects.values("person_id")).exclude(pk__in=current)

    def filter_organisme(self, queryset, name, value):
        return queryset.filter(pk__in=Mandate.objects.filter(body=value).values("person_id"))

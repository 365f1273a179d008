"""GET filters of the public territory and body lists."""

import django_filters
from django.db.models import Q

from pacts.listing import PublicFilterSet
from territories.models import Body, BodyKind, Territory, TerritoryAncestor, TerritoryKind


class TerritoryFilter(PublicFilterSet):
    """Filters of `/territoires/`."""

    q = django_filters.CharFilter(label="Nom ou code", method="filter_q")
    type = django_filters.ChoiceFilter(
        label="Type", field_name="kind", choices=TerritoryKind.choices, empty_label="Tous"
    )
    departement = django_filters.ChoiceFilter(
        label="Département", choices=(), method="filter_departement", empty_label="Tous"
    )

    class Meta:
        model = Territory
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["departement"].extra["choices"] = [
            (dep.code, f"{dep.name} ({dep.code})")
            for dep in Territory.objects.filter(kind=TerritoryKind.DEPARTEMENT)
            .exclude(code="")
            .order_by("code")
        ]

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def filter_departement(self, queryset, name, value):
        """The département itself and everything inside it."""
        inside = TerritoryAncestor.objects.filter(
            ancestor__kind=TerritoryKind.DEPARTEMENT, ancestor__code=value
        ).values("territory_id")
        return queryset.filter(Q(pk__in=inside) | Q(kind=TerritoryKind.DEPARTEMENT, code=value))


class BodyFilter(PublicFilterSet):
    """Filters of `/organismes/`."""

    q = django_filters.CharFilter(label="Nom, sigle ou SIREN", method="filter_q")
    type = django_filters.ChoiceFilter(
        label="Type", field_name="kind", choices=BodyKind.choices, empty_label="Tous"
    )

    class Meta:
        model = Body
        fields = []

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

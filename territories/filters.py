"""GET filters of the public territory and body lists."""

import functools

import django_filters

from pacts.filters import departement_by_code, departement_label
from pacts.listing import PublicFilterSet
from territories.models import Body, BodyKind, Territory, TerritoryKind


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
        # A cached callable: computed only when the form is shown or the parameter is given.
        self.filters["departement"].extra["choices"] = functools.cache(
            lambda: [
                (dep.code, departement_label(dep))
                for dep in Territory.objects.filter(kind=TerritoryKind.DEPARTEMENT)
                .exclude(code="")
                .order_by("code")
            ]
        )

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def filter_departement(self, queryset, name, value):
        dep = departement_by_code(value)
        return queryset.within(dep) if dep else queryset.none()


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

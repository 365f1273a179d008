"""GET filters of `/personnes/`."""

import django_filters
from django.urls import reverse_lazy

from core.db import LazyIdList
from people.models import Person
from public.choices import (
    bodies_with_mandates,
    involved_people,
    involved_people_holding_today,
)
from public.filters.base import PublicFilterSet
from public.filters.common import ALL, SCOPE, InvolvedByDefault, scope_filter
from public.filters.fields import SlugFilter, WellFormedChoiceFilter
from public.params import one_of_hint

CURRENT, PAST = "en_cours", "termine"
STATUSES = [(CURRENT, "Mandat en cours"), (PAST, "Plus de mandat en cours")]


class PersonFilter(InvolvedByDefault, PublicFilterSet):
    """Filters of `/personnes/`: by default the people who signed a published pact or attended
    its signing; `perimetre=tous` lists every official of the reference data."""

    q = django_filters.CharFilter(label="Nom", method="filter_q")
    statut = WellFormedChoiceFilter(
        label="Mandat",
        allowed=STATUSES,
        hint=one_of_hint(STATUSES),
        choices=STATUSES,
        method="filter_statut",
        empty_label="Tous",
    )
    organisme = SlugFilter(
        label="Organisme",
        known=bodies_with_mandates,
        match=lambda people, body: people.holding_mandate_in(body),
        unknown=(
            "Aucun organisme où une personne exerce ou a exercé un mandat n'a l'identifiant "
            "« {value} » (organisme inconnu, ou sans mandat enregistré)."
        ),
        empty_label="Tous les organismes",
        placeholder="nom d'URL, ex. region-grand-est",
        suggest_url=reverse_lazy("territories:body_suggestions"),
        list_label="Organismes suggérés",
    )

    perimetre = scope_filter(
        label="Personnes listées",
        involved_label="Signataires et présents",
        all_label="Toutes les personnes",
    )

    nothing_found = "Aucune personne ne correspond à votre recherche"

    class Meta:
        model = Person
        fields = []

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def involved(self, queryset):
        return involved_people(queryset)

    def filter_statut(self, queryset, name, value):
        if self.form.cleaned_data.get(SCOPE) != ALL:
            # Among the involved people (the default scope), from their statuses kept per
            # data version and day rather than from each one's mandates on every page.
            status = 0 if value == CURRENT else 1
            return queryset.filter(
                pk__in=LazyIdList(lambda: involved_people_holding_today()[status])
            )
        if value == CURRENT:
            return queryset.with_current_mandate()
        return queryset.without_current_mandate()

"""GET filters of `/pactes/` (a filter never widens: docs/architecture.md)."""

from functools import cached_property

import django_filters
from django.db.models import F
from django.db.models.functions import ExtractYear
from django.urls import reverse_lazy

from pacts.models import Pact, PactStatus, SigningEvent, matching_ids
from public.choices import (
    departement_label,
    involved_bodies,
    involved_people,
    involved_programmes,
    involved_themes,
    published_departement_pacts,
    published_statuses,
)
from public.filters.base import PublicFilterSet
from public.filters.common import (
    count_by,
    departement_filter,
    departement_resolution,
    territory_resolution,
    year_filter,
)
from public.filters.fields import SlugFilter, WellFormedChoiceFilter
from public.filters.resolution import Resolution
from public.params import one_of_hint
from public.widgets import Select, TerritorySuggestInput

# The first entry is the default order, so the select shows what the page does.
SORTS = {
    "-date": (
        "Signature la plus récente",
        (F("first_signing").desc(nulls_last=True), "title", "pk"),
    ),
    "titre": ("Titre (A → Z)", ("title", "pk")),
    "-titre": ("Titre (Z → A)", ("-title", "-pk")),
    "date": (
        "Signature la plus ancienne",
        (F("first_signing").asc(nulls_last=True), "title", "pk"),
    ),
}


DEFAULT_SORT = "-date"


class PactFilter(PublicFilterSet):
    """Filters of `/pactes/` (docs/architecture.md, « Public site »)."""

    q = django_filters.CharFilter(label="Recherche", method="filter_q")
    programme = SlugFilter(
        label="Programme",
        known=involved_programmes,
        match=lambda pacts, programme: pacts.filter(programme=programme),
        unknown="Aucun programme de pacte publié n'a l'identifiant « {value} ».",
        empty_label="Tous les programmes",
    )
    statut = WellFormedChoiceFilter(
        label="Statut",
        field_name="status",
        # Every status is a fair question; only those of published pacts are offered.
        allowed=PactStatus.choices,
        hint=one_of_hint(PactStatus.choices),
        choices=published_statuses,
        empty_label="Tous les statuts",
    )
    theme = SlugFilter(
        label="Thème",
        known=involved_themes,
        match=lambda pacts, theme: pacts.filter(themes=theme),
        unknown="Aucun thème de pacte publié n'a l'identifiant « {value} ».",
        empty_label="Tous les thèmes",
    )
    territoire = django_filters.CharFilter(
        label="Territoire",
        widget=TerritorySuggestInput,
    )
    # Its choices are set per request in __init__, from `published_departement_pacts`.
    departement = departement_filter(choices=list)
    annee = year_filter(label="Année de signature", method="filter_annee")
    organisme = SlugFilter(
        label="Organisme signataire",
        known=involved_bodies,
        match=lambda pacts, body: pacts.with_body(body),
        unknown=(
            "Aucun organisme partie à un pacte publié n'a l'identifiant « {value} » "
            "(organisme inconnu, ou sans pacte publié)."
        ),
        empty_label="Tous les organismes",
        placeholder="nom d'URL, ex. region-grand-est",
        suggest_url=reverse_lazy("territories:body_suggestions", query={"pactes": "1"}),
        list_label="Organismes suggérés",
    )
    personne = SlugFilter(
        label="Personne (signataire ou présente)",
        known=involved_people,
        match=lambda pacts, person: pacts.with_person(person),
        unknown=(
            "Aucune personne ayant signé un pacte publié ou assisté à sa signature n'a "
            "l'identifiant « {value} » (personne inconnue, ou sans pacte publié)."
        ),
        empty_label="Toutes les personnes",
        placeholder="nom d'URL, ex. christine-guillemy",
        suggest_url=reverse_lazy("people:suggestions", query={"pactes": "1"}),
        list_label="Personnes suggérées",
    )
    tri = django_filters.ChoiceFilter(
        label="Trier par",
        choices=[(key, label) for key, (label, _) in SORTS.items()],
        method="filter_tri",
        empty_label=None,
        widget=Select,
        error_messages={"invalid_choice": one_of_hint([(key, "") for key in SORTS])},
    )

    nothing_found = "Aucun pacte publié ne correspond à votre recherche"
    # Always built on `pact_list_queryset()` (`public.selectors.pacts`).
    facets_kept = "published-pacts"

    # What each choice of these filters would give, the other filters kept (`facet_counts`).
    facets = {
        "programme": lambda filters, pacts: count_by(pacts, "programme__slug"),
        "statut": lambda filters, pacts: count_by(pacts, "status"),
        "theme": lambda filters, pacts: count_by(
            Pact.themes.through.objects.filter(pact__in=pacts.values("pk")), "theme__slug", "pact"
        ),
        "annee": lambda filters, pacts: count_by(
            SigningEvent.objects.filter(pact__in=pacts.values("pk")).annotate(
                year=ExtractYear("date")
            ),
            "year",
            "pact",
        ),
        "departement": lambda filters, pacts: filters.departement_facet(pacts),
    }

    class Meta:
        model = Pact
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The choices and the facet read the same pairs: the rule reads every commune of
        # the straddling intercommunalities, once per request.
        self.filters["departement"].extra["choices"] = lambda: [
            (dep.code, departement_label(dep)) for dep, _ in self.departement_pacts
        ]

    @cached_property
    def departement_pacts(self):
        return published_departement_pacts()

    def departement_facet(self, pacts) -> dict[str, int]:
        """Published pacts per département among `pacts`: the published ones' pairs, kept
        to the ids of `pacts` (one query, the rule is not run again)."""
        selected = set(pacts.values_list("pk", flat=True))
        return {dep.code: len(ids & selected) for dep, ids in self.departement_pacts}

    @cached_property
    def _matching(self) -> dict:
        return {}

    def filter_q(self, queryset, name, value):
        # The list and each facet filter their own queryset by the same words: one reading
        # of the pacts' search keys for all of them (`matching_ids`).
        if value not in self._matching:
            self._matching[value] = matching_ids(value)
        return queryset.matching(value, ids=self._matching[value])

    def resolve_territoire(self, value) -> Resolution:
        return territory_resolution(
            value, self.filters["territoire"].label, lambda pacts, t: pacts.in_territory(t)
        )

    def resolve_departement(self, value) -> Resolution:
        return departement_resolution(value, lambda pacts, dep: pacts.in_territory(dep))

    def filter_annee(self, queryset, name, value):
        return queryset.signed_in(int(value))

    def filter_tri(self, queryset, name, value):
        return queryset.order_by(*SORTS[value][1])

"""GET filters of the public pact and signature lists, and the query rules behind them.

The rules (search, territory resolution, "pacts of a body / of a person") are plain
functions so that the detail pages of territories, bodies and people reuse them verbatim.
Choices offered in the form come from published pacts only.
"""

import django_filters
from django import forms
from django.db.models import F, Q, QuerySet

from pacts.listing import PublicFilterSet
from pacts.models import Attendance, Pact, PactParty, PactStatus, Programme, SigningEvent, Theme
from people.models import Person
from territories.models import Body, Territory, TerritoryAncestor, TerritoryKind
from territories.text import search_words

# Past this many options a select is slower to render and to use than a typed identifier.
MAX_SELECT_OPTIONS = 150


# --- Rules shared with the detail pages -------------------------------------------------


def pacts_matching(queryset: QuerySet, query: str) -> QuerySet:
    """Pacts where every word appears in the title or summary, a party body's name, or the
    name of someone who signed or attended — accents and case ignored on both databases."""
    for word in search_words(query):
        parties = PactParty.objects.filter(
            Q(body__search_text__contains=word) | Q(mandate__person__search_text__contains=word)
        )
        attendees = Attendance.objects.filter(person__search_text__contains=word)
        # pk__in subqueries rather than joins: no duplicate rows, no DISTINCT needed.
        queryset = queryset.filter(
            Q(search_text__contains=word)
            | Q(pk__in=parties.values("pact_id"))
            | Q(pk__in=attendees.values("event__pact_id"))
        )
    return queryset


def pacts_with_body(queryset: QuerySet, body: Body) -> QuerySet:
    """Pacts to which `body` is a party."""
    return queryset.filter(pk__in=PactParty.objects.filter(body=body).values("pact_id"))


def pacts_with_person(queryset: QuerySet, person: Person) -> QuerySet:
    """Pacts `person` signed for a party, or whose signing they attended."""
    signed = PactParty.objects.filter(mandate__person=person).values("pact_id")
    attended = Attendance.objects.filter(person=person).values("event__pact_id")
    return queryset.filter(Q(pk__in=signed) | Q(pk__in=attended))


def resolve_territory(value: str) -> tuple[Territory | None, list[Territory]]:
    """A territory from its slug or official code; several candidates if the code is shared.

    Returns (territory, []) when found, (None, candidates) when the code is ambiguous and
    (None, []) when nothing matches.
    """
    value = value.strip()
    if not value:
        return None, []
    by_slug = Territory.objects.filter(slug=value.lower()).first()
    if by_slug is not None:
        return by_slug, []
    candidates = list(Territory.objects.with_code(value).order_by("kind", "name"))
    if len(candidates) == 1:
        return candidates[0], []
    return None, candidates


def published_departements() -> list[tuple[Territory, int]]:
    """Départements with the number of published pacts concerning them, in a fixed number of
    queries: a pact concerns a département when it covers it, something inside it, or
    something containing it (the rule of `Pact.objects.in_territory`)."""
    pairs = list(
        Pact.territories.through.objects.filter(pact__published=True).values_list(
            "pact_id", "territory_id"
        )
    )
    departements = list(Territory.objects.filter(kind=TerritoryKind.DEPARTEMENT))
    if not pairs or not departements:
        return []
    covered = {t for _, t in pairs}
    ancestors: dict[int, set[int]] = {}
    for territory_id, ancestor_id in TerritoryAncestor.objects.filter(
        Q(
            territory_id__in=Pact.territories.through.objects.filter(pact__published=True).values(
                "territory_id"
            )
        )
        | Q(territory__kind=TerritoryKind.DEPARTEMENT)
    ).values_list("territory_id", "ancestor_id"):
        ancestors.setdefault(territory_id, set()).add(ancestor_id)
    result = []
    for dep in departements:
        related = {dep.pk} | ancestors.get(dep.pk, set())
        related |= {t for t in covered if dep.pk in ancestors.get(t, set())}
        count = len({p for p, t in pairs if t in related})
        if count:
            result.append((dep, count))
    result.sort(key=lambda item: item[0].code)
    return result


def published_years() -> list[tuple[str, str]]:
    """Years with at least one published signing, newest first, as select choices."""
    years = SigningEvent.objects.filter(pact__published=True).dates("date", "year", "DESC")
    return [(str(d.year), str(d.year)) for d in years]


def departement_label(dep: Territory) -> str:
    return f"{dep.name} ({dep.code})"


# --- Pacts ------------------------------------------------------------------------------

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
    """Filters of `/pactes/` (contract: DESIGN.md, « Public site »)."""

    q = django_filters.CharFilter(label="Recherche", method="filter_q")
    programme = django_filters.ModelChoiceFilter(
        label="Programme",
        to_field_name="slug",
        queryset=Programme.objects.none(),
        empty_label="Tous les programmes",
    )
    statut = django_filters.ChoiceFilter(
        label="Statut", field_name="status", choices=(), empty_label="Tous les statuts"
    )
    theme = django_filters.ModelChoiceFilter(
        label="Thème",
        field_name="themes",
        to_field_name="slug",
        queryset=Theme.objects.none(),
        empty_label="Tous les thèmes",
    )
    territoire = django_filters.CharFilter(
        label="Territoire (nom d'URL ou code officiel)", method="filter_territoire"
    )
    departement = django_filters.ChoiceFilter(
        label="Département", choices=(), method="filter_departement", empty_label="Tous"
    )
    annee = django_filters.ChoiceFilter(
        label="Année de signature", choices=(), method="filter_annee", empty_label="Toutes"
    )
    organisme = django_filters.ModelChoiceFilter(
        label="Organisme signataire",
        to_field_name="slug",
        queryset=Body.objects.none(),
        method="filter_organisme",
        empty_label="Tous les organismes",
    )
    personne = django_filters.ModelChoiceFilter(
        label="Personne (signataire ou présente)",
        to_field_name="slug",
        queryset=Person.objects.none(),
        method="filter_personne",
        empty_label="Toutes les personnes",
    )
    tri = django_filters.ChoiceFilter(
        label="Trier par",
        choices=[(key, label) for key, (label, _) in SORTS.items()],
        method="filter_tri",
        empty_label=None,
    )

    class Meta:
        model = Pact
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        published = Pact.objects.published()
        self.filters["programme"].queryset = Programme.objects.filter(
            pk__in=published.values("programme_id")
        )
        statuses = set(published.values_list("status", flat=True).distinct())
        self.filters["statut"].extra["choices"] = [
            (value, label) for value, label in PactStatus.choices if value in statuses
        ]
        self.filters["theme"].queryset = Theme.objects.filter(pk__in=published.values("themes"))
        # Callables: computed only when the form is shown or the parameter is given, so an
        # export without filters does not pay for the choices of the page.
        self.filters["annee"].extra["choices"] = published_years
        self.filters["departement"].extra["choices"] = self.departement_choices
        self.filters["organisme"].queryset = Body.objects.filter(
            pk__in=PactParty.objects.filter(pact__published=True).values("body_id")
        )
        self.filters["personne"].queryset = Person.objects.filter(
            Q(pk__in=PactParty.objects.filter(pact__published=True).values("mandate__person_id"))
            | Q(pk__in=Attendance.objects.filter(event__pact__published=True).values("person_id"))
        )
        for name in ("organisme", "personne"):
            if self.filters[name].queryset.count() > MAX_SELECT_OPTIONS:
                self.filters[name].extra["widget"] = forms.TextInput(
                    attrs={"placeholder": "nom d'URL, ex. region-grand-est"}
                )

    def departement_choices(self):
        if not hasattr(self, "_departement_choices"):
            self._departement_choices = [
                (dep.code, departement_label(dep)) for dep, _ in published_departements()
            ]
        return self._departement_choices

    def filter_q(self, queryset, name, value):
        return pacts_matching(queryset, value)

    def filter_territoire(self, queryset, name, value):
        territory, candidates = resolve_territory(value)
        if territory is not None:
            self.shown_values[name] = f"{territory.name} ({territory.get_kind_display()})"
            return queryset.in_territory(territory)
        self.ignored_names.add(name)
        if candidates:
            self.ambiguous = (value, candidates)
            self.extra_notices.append(
                f"Le code « {value} » désigne plusieurs territoires : le filtre « Territoire » "
                "est ignoré. Choisissez l'un d'eux ci-dessous."
            )
        else:
            self.extra_notices.append(
                f"Territoire « {value} » inconnu : le filtre « Territoire » est ignoré."
            )
        return queryset

    def filter_departement(self, queryset, name, value):
        dep = Territory.objects.filter(kind=TerritoryKind.DEPARTEMENT, code=value).first()
        return queryset.in_territory(dep) if dep else queryset.none()

    def filter_annee(self, queryset, name, value):
        return queryset.signed_in(int(value))

    def filter_organisme(self, queryset, name, value):
        return pacts_with_body(queryset, value)

    def filter_personne(self, queryset, name, value):
        return pacts_with_person(queryset, value)

    def filter_tri(self, queryset, name, value):
        return queryset.order_by(*SORTS[value][1])


# --- Signing events -----------------------------------------------------------------------


def signing_departements() -> list[Territory]:
    """Départements containing the commune of at least one published signing."""
    communes = SigningEvent.objects.filter(pact__published=True).values("commune_id")
    return list(
        Territory.objects.filter(kind=TerritoryKind.DEPARTEMENT)
        .filter(Q(pk__in=communes) | Q(descendant_links__territory_id__in=communes))
        .distinct()
        .order_by("code")
    )


class SigningEventFilter(PublicFilterSet):
    """Filters of `/signatures/`."""

    annee = django_filters.ChoiceFilter(
        label="Année", choices=(), method="filter_annee", empty_label="Toutes"
    )
    departement = django_filters.ChoiceFilter(
        label="Département", choices=(), method="filter_departement", empty_label="Tous"
    )

    class Meta:
        model = SigningEvent
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["annee"].extra["choices"] = published_years
        self.filters["departement"].extra["choices"] = lambda: [
            (dep.code, departement_label(dep)) for dep in signing_departements()
        ]

    def filter_annee(self, queryset, name, value):
        return queryset.filter(date__year=int(value))

    def filter_departement(self, queryset, name, value):
        inside = TerritoryAncestor.objects.filter(
            ancestor__kind=TerritoryKind.DEPARTEMENT, ancestor__code=value
        ).values("territory_id")
        return queryset.filter(
            Q(commune_id__in=inside)
            | Q(commune__kind=TerritoryKind.DEPARTEMENT, commune__code=value)
        )

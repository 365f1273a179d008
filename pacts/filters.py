"""GET filters of the public pact and signature lists, and the query rules behind them.

The rules (search, territory resolution, "pacts of a body / of a person") are plain
functions so that the detail pages of territories, bodies and people reuse them verbatim.
Choices offered in the form come from published pacts only.
"""

import functools

import django_filters
from django import forms
from django.db.models import Count, F, Q, QuerySet

from pacts.listing import PublicFilterSet
from pacts.models import Attendance, Pact, PactParty, PactStatus, Programme, SigningEvent, Theme
from people.models import Person
from territories.models import Body, Territory, TerritoryKind
from territories.text import search_words

# Past this many options a select is slower to render and to use than a typed identifier.
MAX_SELECT_OPTIONS = 150


# --- Rules shared with the detail pages -------------------------------------------------


def pacts_matching(queryset: QuerySet, query: str) -> QuerySet:
    """Pacts where every word appears in the title or summary, the commune or venue of a
    signing, a party body's name, or the name of someone who signed or attended — accents
    and case ignored on both databases."""
    for word in search_words(query):
        parties = PactParty.objects.filter(
            Q(body__search_text__contains=word) | Q(mandate__person__search_text__contains=word)
        )
        attendees = Attendance.objects.filter(person__search_text__contains=word)
        # Each row is compared through its own stored key (`SigningEvent.search_text` for
        # the venue, the commune's for its name): no key copies another row's text, so
        # none goes stale when the venue is corrected or the commune renamed by an import.
        signings = SigningEvent.objects.filter(
            Q(search_text__contains=word) | Q(commune__search_text__contains=word)
        )
        # pk__in subqueries rather than joins: no duplicate rows, no DISTINCT needed.
        queryset = queryset.filter(
            Q(search_text__contains=word)
            | Q(pk__in=parties.values("pact_id"))
            | Q(pk__in=attendees.values("event__pact_id"))
            | Q(pk__in=signings.values("pact_id"))
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


def departement_by_code(code: str) -> Territory | None:
    """The département whose INSEE code is `code` (a région may share it: the kind decides)."""
    return Territory.objects.filter(kind=TerritoryKind.DEPARTEMENT, code=code).first()


def departement_label(dep: Territory) -> str:
    return f"{dep.name} ({dep.code})"


def published_departements() -> list[tuple[Territory, int]]:
    """Départements with the number of published pacts concerning them, in two queries.

    Each count is `Pact.objects.published().in_territory(dep)`, the very queryset behind
    `/pactes/?departement=<code>`, so the home page and the list cannot disagree.
    """
    published = Pact.objects.published()
    covered = Territory.objects.filter(pacts__in=published)
    # Only départements related to a covered territory can have a pact: counting all of
    # France's would cost one closure scan per département.
    departements = list(
        Territory.objects.filter(kind=TerritoryKind.DEPARTEMENT)
        .related_to_any(covered)
        .order_by("code")
    )
    if not departements:
        return []
    counts = published.aggregate(
        **{
            f"dep_{dep.pk}": Count("pk", filter=Q(pk__in=published.in_territory(dep).values("pk")))
            for dep in departements
        }
    )
    return [(dep, counts[f"dep_{dep.pk}"]) for dep in departements if counts[f"dep_{dep.pk}"]]


def published_years() -> list[tuple[str, str]]:
    """Years with at least one published signing, newest first, as select choices."""
    years = SigningEvent.objects.filter(pact__in=Pact.objects.published()).dates(
        "date", "year", "DESC"
    )
    return [(str(d.year), str(d.year)) for d in years]


def published_statuses() -> list[tuple[str, str]]:
    """Statuses of at least one published pact, in the order of `PactStatus`."""
    # order_by(): without it Meta.ordering joins the SELECT and DISTINCT is per pact.
    statuses = set(Pact.objects.published().order_by().values_list("status", flat=True).distinct())
    return [(value, label) for value, label in PactStatus.choices if value in statuses]


def involved_bodies() -> QuerySet:
    """Bodies party to at least one published pact."""
    parties = PactParty.objects.filter(pact__in=Pact.objects.published())
    return Body.objects.filter(pk__in=parties.values("body_id"))


def involved_people() -> QuerySet:
    """People who signed a published pact for a party, or attended its signing."""
    published = Pact.objects.published()
    signed = PactParty.objects.filter(pact__in=published).values("mandate__person_id")
    attended = Attendance.objects.filter(event__pact__in=published).values("person_id")
    return Person.objects.filter(Q(pk__in=signed) | Q(pk__in=attended))


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
        self.filters["theme"].queryset = Theme.objects.filter(pk__in=published.values("themes"))
        # Callables: computed only when the form is shown or the parameter is given, so an
        # export without filters does not pay for the choices of the page; cached, because
        # validation, rendering and the active filters each read them.
        self.filters["statut"].extra["choices"] = functools.cache(published_statuses)
        self.filters["annee"].extra["choices"] = functools.cache(published_years)
        self.filters["departement"].extra["choices"] = functools.cache(
            lambda: [(dep.code, departement_label(dep)) for dep, _ in published_departements()]
        )
        self.filters["organisme"].queryset = involved_bodies()
        self.filters["personne"].queryset = involved_people()
        for name in ("organisme", "personne"):
            if self.filters[name].queryset.count() > MAX_SELECT_OPTIONS:
                self.filters[name].extra["widget"] = forms.TextInput(
                    attrs={"placeholder": "nom d'URL, ex. region-grand-est"}
                )

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
        dep = departement_by_code(value)
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
    communes = SigningEvent.objects.filter(pact__in=Pact.objects.published()).values("commune_id")
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
        self.filters["annee"].extra["choices"] = functools.cache(published_years)
        self.filters["departement"].extra["choices"] = functools.cache(
            lambda: [(dep.code, departement_label(dep)) for dep in signing_departements()]
        )

    def filter_annee(self, queryset, name, value):
        return queryset.filter(date__year=int(value))

    def filter_departement(self, queryset, name, value):
        dep = departement_by_code(value)
        if dep is None:
            return queryset.none()
        return queryset.filter(commune__in=Territory.objects.within(dep))

"""GET filters of the public pact and signature lists, and the query rules behind them.

The rules (search, territory resolution, "pacts of a body / of a person") are plain
functions so that the detail pages of territories, bodies and people reuse them verbatim.
Choices offered in the form come from published pacts only; any well-formed value is
applied all the same (see `pacts.listing`: a filter never widens).
"""

import django_filters
from django.db.models import F, Q, QuerySet

from pacts.listing import (
    DEPARTEMENT_CODE,
    DEPARTEMENT_HINT,
    YEAR,
    YEAR_HINT,
    PublicFilterSet,
    SlugFilter,
    WellFormedChoiceFilter,
    one_of_hint,
)
from pacts.models import Attendance, Pact, PactParty, PactStatus, Programme, SigningEvent, Theme
from people.models import Person
from territories.models import Body, Territory, TerritoryAncestor, TerritoryKind
from territories.text import search_words
from territories.widgets import TerritorySuggestInput

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


# An ambiguous name (« Saint-Martin ») lists at most this many candidates.
MAX_CANDIDATES = 30


def resolve_territory(value: str) -> tuple[Territory | None, list[Territory]]:
    """A territory from its slug, official code, postal code or name (`identified_by`).

    Returns (territory, []) when found, (None, candidates) when the value is ambiguous and
    (None, []) when nothing matches. Territories still current come before obsolete ones, then
    the most populated first.
    """
    matches = Territory.objects.identified_by(value)
    current = matches.filter(is_obsolete=False)
    if current.exists():
        matches = current
    candidates = list(
        matches.order_by("kind", F("population").desc(nulls_last=True), "name", "code")[
            :MAX_CANDIDATES
        ]
    )
    if len(candidates) == 1:
        return candidates[0], []
    return None, candidates


def departement_by_code(code: str) -> Territory | None:
    """The département whose INSEE code is `code` (a région may share it: the kind decides)."""
    return Territory.objects.filter(kind=TerritoryKind.DEPARTEMENT, code=code).first()


def departement_label(dep: Territory) -> str:
    return f"{dep.name} ({dep.code})"


def published_departements() -> list[tuple[Territory, int]]:
    """Départements with the number of published pacts concerning them, in a fixed number of
    queries whatever the number of départements.

    A pact concerns a département by the rule of `Pact.objects.in_territory` (its territories
    are it, lie inside it, contain it or overlap it: `Territory.objects.related_pairs` is that
    rule for many territories at once), so the home page and `/pactes/?departement=<code>`
    cannot disagree.
    """
    pacts_of: dict[int, set[int]] = {}
    for territory_id, pact_id in Pact.territories.through.objects.filter(
        pact__in=Pact.objects.published()
    ).values_list("territory_id", "pact_id"):
        pacts_of.setdefault(territory_id, set()).add(pact_id)
    if not pacts_of:
        return []
    pairs = Territory.objects.filter(kind=TerritoryKind.DEPARTEMENT).related_pairs(
        Territory.objects.filter(pk__in=list(pacts_of))
    )
    concerning: dict[int, set[int]] = {}
    for territory_id, dep_id in pairs:
        concerning.setdefault(dep_id, set()).update(pacts_of[territory_id])
    departements = Territory.objects.filter(pk__in=list(concerning)).order_by("code")
    return [(dep, len(concerning[dep.pk])) for dep in departements]


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


def involved_programmes() -> QuerySet:
    """Programmes of at least one published pact."""
    return Programme.objects.filter(pk__in=Pact.objects.published().values("programme_id"))


def involved_themes() -> QuerySet:
    """Themes of at least one published pact."""
    return Theme.objects.filter(pk__in=Pact.objects.published().values("themes"))


def with_departements(territories: list[Territory]) -> list[Territory]:
    """Set `departements` on each territory: itself if a département, else those containing
    it (none for a région), in one query — what tells namesakes apart on a page."""
    links = TerritoryAncestor.objects.filter(
        territory__in=territories, ancestor__kind=TerritoryKind.DEPARTEMENT
    ).select_related("ancestor")
    containing: dict[int, list[Territory]] = {}
    for link in links.order_by("ancestor__code"):
        containing.setdefault(link.territory_id, []).append(link.ancestor)
    for territory in territories:
        own = [territory] if territory.kind == TerritoryKind.DEPARTEMENT else []
        territory.departements = own or containing.get(territory.pk, [])
    return territories


# --- Filters shared by several lists ----------------------------------------------------


def departement_filter(*, choices, method, label="Département"):
    """`departement=<code>`: any département code shape is applied; `choices` are offered."""
    return WellFormedChoiceFilter(
        label=label,
        pattern=DEPARTEMENT_CODE,
        normalize=str.upper,  # « 2a » is Corse-du-Sud
        hint=DEPARTEMENT_HINT,
        choices=choices,
        method=method,
        empty_label="Tous",
    )


def year_filter(*, label, method):
    """`annee=<yyyy>`: any year is applied; years with a published signing are offered."""
    return WellFormedChoiceFilter(
        label=label,
        pattern=YEAR,
        hint=YEAR_HINT,
        choices=published_years,
        method=method,
        empty_label="Toutes",
    )


def by_departement(filterset: PublicFilterSet, queryset, name, value, narrow):
    """`narrow(queryset, département)`, or no rows (and why) when no département has that
    code; the active filter then shows the département's name."""
    dep = departement_by_code(value)
    if dep is None:
        filterset.findings.append(f"Aucun département n'a le code « {value} ».")
        return queryset.none()
    filterset.shown_values[name] = departement_label(dep)
    return narrow(queryset, dep)


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
        method="filter_territoire",
        widget=TerritorySuggestInput,
    )
    departement = departement_filter(
        choices=lambda: [(dep.code, departement_label(dep)) for dep, _ in published_departements()],
        method="filter_departement",
    )
    annee = year_filter(label="Année de signature", method="filter_annee")
    organisme = SlugFilter(
        label="Organisme signataire",
        known=involved_bodies,
        match=pacts_with_body,
        unknown=(
            "Aucun organisme partie à un pacte publié n'a l'identifiant « {value} » "
            "(organisme inconnu, ou sans pacte publié)."
        ),
        empty_label="Tous les organismes",
        placeholder="nom d'URL, ex. region-grand-est",
    )
    personne = SlugFilter(
        label="Personne (signataire ou présente)",
        known=involved_people,
        match=pacts_with_person,
        unknown=(
            "Aucune personne ayant signé un pacte publié ou assisté à sa signature n'a "
            "l'identifiant « {value} » (personne inconnue, ou sans pacte publié)."
        ),
        empty_label="Toutes les personnes",
        placeholder="nom d'URL, ex. christine-guillemy",
    )
    tri = django_filters.ChoiceFilter(
        label="Trier par",
        choices=[(key, label) for key, (label, _) in SORTS.items()],
        method="filter_tri",
        empty_label=None,
        error_messages={"invalid_choice": one_of_hint([(key, "") for key in SORTS])},
    )

    nothing_found = "Aucun pacte publié ne correspond à votre recherche"

    class Meta:
        model = Pact
        fields = []

    def filter_q(self, queryset, name, value):
        return pacts_matching(queryset, value)

    def filter_territoire(self, queryset, name, value):
        territory, candidates = resolve_territory(value)
        if territory is not None:
            self.shown_values[name] = f"{territory.name} ({territory.get_kind_display()})"
            return queryset.in_territory(territory)
        if candidates:
            # Guessing would show the pacts of a territory the user may not mean: none until
            # one is chosen, and no export of a choice not made.
            with_departements(candidates)
            self.ambiguous = (value, candidates)
            self.shown_values[name] = f"{value} (plusieurs territoires possibles)"
            choices = " ; ".join(
                f"territoire={c.slug} ({c.name}, {c.get_kind_display()}"
                + (f", code {c.code})" if c.code else ")")
                for c in candidates
            )
            self.refusals.append(
                f"Filtre « {self.filters[name].label} » : « {value} » désigne plusieurs "
                f"territoires ; précisez-le avec l'identifiant de l'un d'eux : {choices}."
            )
            return queryset.none()
        self.findings.append(f"Aucun territoire ne correspond à « {value} ».")
        return queryset.none()

    def filter_departement(self, queryset, name, value):
        return by_departement(
            self, queryset, name, value, lambda pacts, dep: pacts.in_territory(dep)
        )

    def filter_annee(self, queryset, name, value):
        return queryset.signed_in(int(value))

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

    annee = year_filter(label="Année", method="filter_annee")
    departement = departement_filter(
        choices=lambda: [(dep.code, departement_label(dep)) for dep in signing_departements()],
        method="filter_departement",
    )

    nothing_found = "Aucune signature de pacte publié ne correspond à votre recherche"

    class Meta:
        model = SigningEvent
        fields = []

    def filter_annee(self, queryset, name, value):
        return queryset.filter(date__year=int(value))

    def filter_departement(self, queryset, name, value):
        return by_departement(
            self,
            queryset,
            name,
            value,
            lambda events, dep: events.filter(commune__in=Territory.objects.within(dep)),
        )

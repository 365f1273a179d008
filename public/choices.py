"""What the public filters offer, and the published rows they resolve values against.

Every function starts from `Pact.objects.published()`; each is called lazily, only when a form
is shown or a value resolved, never when a FilterSet is built.
"""

from django.db.models import F, QuerySet
from django.utils import timezone

from core.cache import kept_per_data_version, per_data_version
from core.db import LazyIdList
from pacts.models import Attendance, Pact, PactParty, PactStatus, Programme, SigningEvent, Theme
from people.models import Mandate, Person
from territories.models import AmongIds, Body, Territory, TerritoryAncestor, TerritoryKind


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
    return [(dep, len(pacts)) for dep, pacts in published_departement_pacts()]


def published_departement_pacts() -> list[tuple[Territory, set[int]]]:
    """The départements concerning published pacts, each with the ids of those pacts: counts
    for all of them (`published_departements`) or for any selection of them (a facet).

    The same for every page until published data changes, and the rule reads every commune of
    the straddling intercommunalities: kept per data version (`core.cache.per_data_version`).
    """
    return per_data_version("departement-pacts", _departement_pacts)


def _departement_pacts() -> list[tuple[Territory, set[int]]]:
    published = Pact.objects.published().order_by().values("pk")
    covered = Pact.territories.through.objects.filter(pact__in=published)
    pacts_of: dict[int, set[int]] = {}
    for territory_id, pact_id in covered.values_list("territory_id", "pact_id"):
        pacts_of.setdefault(territory_id, set()).add(pact_id)
    if not pacts_of:
        return []
    # The covered territories as a subquery (a list of a thousand ids would be sent back to
    # the database several times), fetched by their ids rather than by scanning all France.
    pairs = Territory.objects.filter(kind=TerritoryKind.DEPARTEMENT).related_pairs(
        Territory.objects.filter(AmongIds(F("pk"), covered.values("territory_id")))
    )
    concerning: dict[int, set[int]] = {}
    for territory_id, dep_id in pairs:
        concerning.setdefault(dep_id, set()).update(pacts_of[territory_id])
    departements = Territory.objects.filter(pk__in=list(concerning)).order_by("code")
    return [(dep, concerning[dep.pk]) for dep in departements]


@kept_per_data_version
def published_years() -> list[tuple[str, str]]:
    """Years with at least one published signing, newest first, as select choices."""
    years = SigningEvent.objects.filter(pact__in=Pact.objects.published()).dates(
        "date", "year", "DESC"
    )
    return [(str(d.year), str(d.year)) for d in years]


@kept_per_data_version
def published_statuses() -> list[tuple[str, str]]:
    """Statuses of at least one published pact, in the order of `PactStatus`."""
    # order_by(): without it Meta.ordering joins the SELECT and DISTINCT is per pact.
    statuses = set(Pact.objects.published().order_by().values_list("status", flat=True).distinct())
    return [(value, label) for value, label in PactStatus.choices if value in statuses]


def involved_bodies(bodies: QuerySet | None = None) -> QuerySet:
    """Of `bodies` (default: all), those party to at least one published pact, by their ids
    kept per data version (`involved_body_ids`)."""
    bodies = Body.objects.all() if bodies is None else bodies
    return bodies.filter(pk__in=LazyIdList(involved_body_ids))


def involved_people(people: QuerySet | None = None) -> QuerySet:
    """Of `people` (default: all), those who signed a published pact for a party or attended
    its signing, by their ids kept per data version (`involved_person_ids`): each lookup among
    them (a `personne=` value, a suggestion) is then one indexed read, rather than gathering
    the ids from every published pact again."""
    people = Person.objects.all() if people is None else people
    return people.filter(pk__in=LazyIdList(involved_person_ids))


@kept_per_data_version
def involved_body_ids() -> list[int]:
    """The ids of the bodies party to at least one published pact."""
    parties = PactParty.objects.filter(pact__in=Pact.objects.published()).order_by()
    # Fetched by id, not by hashing the parties against all 36,000 bodies (`AmongIds`).
    bodies = Body.objects.filter(AmongIds(F("pk"), parties.values("body_id")))
    return sorted(bodies.values_list("pk", flat=True))


@kept_per_data_version
def involved_person_ids() -> list[int]:
    """The ids of the people who signed a published pact for a party or attended its
    signing."""
    published = Pact.objects.published()
    # order_by(): a compound statement's parts take no ORDER BY (the models' Meta.ordering).
    signed = (
        PactParty.objects.filter(pact__in=published, mandate__isnull=False)
        .order_by()
        .values("mandate__person_id")
    )
    attended = Attendance.objects.filter(event__pact__in=published).order_by().values("person_id")
    # The union of the two small id lists, each person then fetched by its id: an OR of two
    # INs, or one IN that PostgreSQL hashes, scans every person (half a million at national
    # scale) instead of fetching a few hundred (`AmongIds`).
    people = Person.objects.filter(AmongIds(F("pk"), signed.union(attended)))
    return sorted(people.values_list("pk", flat=True))


def involved_people_holding_today() -> tuple[list[int], list[int]]:
    """Of the involved people (`involved_person_ids`): the ids of those who hold a mandate
    today, and of those who held one and hold none today (`statut` of `/personnes/`).

    Kept per data version and per day, since a mandate ends at midnight without any write:
    each page with a `statut` would otherwise check every involved person's mandates.
    """

    def compute() -> tuple[list[int], list[int]]:
        involved = involved_people().order_by()
        holding = involved.with_current_mandate().values_list("pk", flat=True)
        held = involved.without_current_mandate().values_list("pk", flat=True)
        return sorted(holding), sorted(held)

    today = timezone.localdate().isoformat()
    return per_data_version(f"involved-people-holding:{today}", compute)


def involved_programmes() -> QuerySet:
    """Programmes of at least one published pact."""
    return Programme.objects.filter(pk__in=Pact.objects.published().values("programme_id"))


def involved_themes() -> QuerySet:
    """Themes of at least one published pact."""
    return Theme.objects.filter(pk__in=Pact.objects.published().values("themes"))


@kept_per_data_version
def signing_departement_choices() -> list[tuple[str, str]]:
    """Départements containing the commune of at least one published signing, as select
    choices (code, label)."""
    communes = (
        SigningEvent.objects.filter(pact__in=Pact.objects.published())
        .order_by()
        .values("commune_id")
    )
    containing = TerritoryAncestor.objects.filter(AmongIds(F("territory"), communes))
    # The communes and what contains them, one UNION fetched by id: an OR over a join scans
    # every territory and every link, and then needs DISTINCT.
    departements = (
        Territory.objects.filter(kind=TerritoryKind.DEPARTEMENT)
        .filter(AmongIds(F("pk"), communes.union(containing.order_by().values("ancestor_id"))))
        .order_by("code")
    )
    return [(dep.code, departement_label(dep)) for dep in departements]


@kept_per_data_version
def all_departements() -> list[tuple[str, str]]:
    return [
        (dep.code, departement_label(dep))
        for dep in Territory.objects.filter(kind=TerritoryKind.DEPARTEMENT)
        .exclude(code="")
        .order_by("code")
    ]


def bodies_with_mandates():
    """Bodies where someone holds or held a mandate: the only ones this filter can match."""
    return Body.objects.filter(pk__in=Mandate.objects.values("body_id"))

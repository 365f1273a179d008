"""What the territory readers hand over: régions, départements, communes and EPCI as plain rows.

Readers (`decoupage`, `cog`) turn a file into a `Reference`; `imports.reference` compares it
with the database. Nothing here queries the database.
"""

from dataclasses import dataclass, field

from territories.models import Body, Territory

# Column widths the readers check names against, so a long name is refused on its line rather
# than by PostgreSQL (SQLite would store it whole). A commune's name is also its council's
# short name (« Chaumont »), the narrower column.
NAME_MAX = Territory._meta.get_field("name").max_length
COMMUNE_NAME_MAX = min(NAME_MAX, Body._meta.get_field("short_name").max_length)
POSTAL_CODES_MAX = Territory._meta.get_field("postal_codes").max_length


@dataclass
class Place:
    """A région, département or commune as a source gives it."""

    code: str
    name: str
    parent: str = ""  # the région of a département, the département of a commune…
    tncc: int | None = None
    siren: str = ""
    population: int | None = None
    postal_codes: str = ""  # space-separated


@dataclass
class Epci:
    """An EPCI à fiscalité propre and the INSEE codes of its member communes."""

    code: str
    name: str
    kind: str
    members: list[str] = field(default_factory=list)
    population: int | None = None


@dataclass
class Reference:
    """What one or several source files say; None for a level no file gave."""

    regions: list[Place] | None = None
    departements: list[Place] | None = None
    communes: list[Place] | None = None
    # Municipal arrondissements (Paris, Lyon, Marseille); `parent` is their commune's code.
    arrondissements: list[Place] | None = None
    epcis: list[Epci] | None = None
    paths: list[str] = field(default_factory=list)

    def merge(self, other: "Reference") -> None:
        """Add what `other` says; a level given by both files holds the rows of both."""
        for name in ("regions", "departements", "communes", "arrondissements", "epcis"):
            theirs = getattr(other, name)
            if theirs is not None:
                setattr(self, name, (getattr(self, name) or []) + theirs)
        self.paths += other.paths


def _sums(places: list[Place], key) -> dict[str, int | None]:
    """Population per `key(place)`; None as soon as one place of that key has none."""
    totals: dict[str, int | None] = {}
    for place in places:
        parent = key(place)
        if place.population is None:
            totals[parent] = None
        elif totals.get(parent, 0) is not None:
            totals[parent] = totals.get(parent, 0) + place.population
    return totals


def add_populations(reference: Reference) -> None:
    """Give départements and régions the sum of their communes' populations.

    Only where the source has every commune of them with a population: a partial source, or
    one commune without a figure, says nothing (None, so the stored value is kept).
    """
    if not reference.communes or reference.departements is None:
        return
    totals = _sums(reference.communes, lambda commune: commune.parent)
    for dep in reference.departements:
        dep.population = totals.get(dep.code)
    region_totals = _sums(reference.departements, lambda dep: dep.parent)
    for reg in reference.regions or []:
        reg.population = region_totals.get(reg.code)

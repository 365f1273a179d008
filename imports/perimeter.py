"""The perimeter of a territories import: what it writes, and what it may mark obsolete.

A source only retires what it covers. With --region or --departement, only that subset is
written and can be marked obsolete; régions and départements are marked obsolete only by a
whole-France import. Without either, a file holding the communes of some régions (the Grand
Est extract) covers those régions' départements only, so importing it after the whole of
France marks nothing obsolete elsewhere.
"""

from dataclasses import dataclass

from imports.containment import region_of_departement
from imports.errors import ImportFailure
from imports.sources import Epci, Place, Reference
from imports.territory_sync import InScope
from imports.validation import departement_of
from territories.models import EPCI_KINDS, Territory, TerritoryKind


@dataclass(frozen=True)
class Perimeter:
    """The départements an import covers (None: all of France) and the subset asked for."""

    departements: set[str] | None
    # --region or --departement was given: only that subset is written.
    subset: bool = False
    # The région asked for, or the région of the département asked for.
    regions: frozenset[str] = frozenset()

    def covers(self, departement: str) -> bool:
        """Whether the communes and EPCI of `departement` are within the import."""
        return self.departements is None or departement in self.departements

    def keeps_region(self, place: Place) -> bool:
        return not self.subset or place.code in self.regions

    def keeps_departement(self, place: Place) -> bool:
        return not self.subset or place.code in self.departements

    def keeps_commune(self, place: Place) -> bool:
        return self.covers(place.parent)

    def keeps_arrondissement(self, place: Place) -> bool:
        return self.covers(departement_of(place.code))

    def keeps_epci(self, epci: Epci) -> bool:
        """An EPCI is written when one of its member communes is covered."""
        return any(self.covers(departement_of(member)) for member in epci.members)

    def national_scope(self) -> InScope | None:
        """Régions and départements: all may be retired by a whole-France import, none else."""
        return None if self.subset else InScope(None)

    def retires_commune(self, code: str, pk: int) -> bool:
        """A commune or arrondissement may be retired when its département is covered."""
        return self.covers(departement_of(code))

    def epci_scope(self) -> InScope:
        """EPCI that may be retired: those with a commune in, or lying in, a covered département.

        Read from the database after the communes' départements are synced.
        """
        if self.departements is None:
            return InScope(None)
        deps = self.departements
        in_communes = Territory.objects.filter(
            kind__in=EPCI_KINDS,
            children__kind=TerritoryKind.COMMUNE,
            children__parents__kind=TerritoryKind.DEPARTEMENT,
            children__parents__code__in=deps,
        ).values_list("pk", flat=True)
        lying_in = Territory.objects.filter(
            kind__in=EPCI_KINDS, parents__kind=TerritoryKind.DEPARTEMENT, parents__code__in=deps
        ).values_list("pk", flat=True)
        return InScope(set(in_communes) | set(lying_in))


def _departements_of_region(reference: Reference, region: str) -> set[str]:
    """The région's départements, from the source, else from the database."""
    return {d for d, r in region_of_departement(reference).items() if r == region}


def _departements_of_source(reference: Reference) -> set[str] | None:
    """The départements a source without --region/--departement covers (None: all France).

    A communes file covers the whole régions of its communes (when it gives départements),
    an EPCI file alone the départements of its members; régions and départements alone
    cover all France.
    """
    if reference.communes is not None:
        deps = {c.parent for c in reference.communes}
        if reference.departements is not None:
            region_of = region_of_departement(reference)
            regions = {region_of.get(dep) for dep in deps}
            deps |= {d.code for d in reference.departements if d.parent in regions}
        return deps
    if reference.epcis is not None:
        return {departement_of(m) for e in reference.epcis for m in e.members}
    return None


def _departements(reference: Reference, region: str | None, departement: str | None):
    """The départements whose communes and EPCI the import covers (None: all of France)."""
    if departement:
        return {departement}
    if region:
        codes = _departements_of_region(reference, region)
        if not codes:
            source = reference.paths[0] if reference.paths else "import"
            raise ImportFailure(source, None, f"aucun département pour la région « {region} ».")
        return codes
    return _departements_of_source(reference)


def perimeter_of(reference: Reference, region: str | None, departement: str | None) -> Perimeter:
    """The perimeter of importing `reference`, restricted to `region` or `departement`."""
    departements = _departements(reference, region, departement)
    regions = {region} if region else set()
    if departement and reference.departements is not None:
        region_of = region_of_departement(reference)
        if departement in region_of:
            regions.add(region_of[departement])
    return Perimeter(departements, bool(region or departement), frozenset(regions))

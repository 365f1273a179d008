"""The territories import: régions, départements, communes and EPCI, their bodies and links.

Readers (`decoupage`, `cog`) turn files into a `Reference`; this module writes it level by
level, each level compared with the database and only the difference written
(`imports.territory_sync`), within the perimeter the source covers (`imports.perimeter`).
Each territory's direct container is its parent level (région ⊃ département ⊃ commune ⊃
arrondissement); an EPCI contains its member communes and lies in a département or région
only if all of them do (`imports.containment`, docs/architecture.md, « Contenance et
chevauchement »). Bodies follow their territories (`imports.body_sync`), and the derived
closure is recomputed once, at the end.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from imports.body_sync import BodyRow, obsolete_bodies_of, sync_bodies
from imports.containment import (
    place_areas,
    rebuild_containment,
    region_of_departement,
    sync_parents,
)
from imports.naming import body_names
from imports.perimeter import Perimeter, perimeter_of
from imports.report import ImportReport
from imports.sources import Epci, Place, Reference, add_populations
from imports.territory_sync import GROUPS, TerritoryRow, codes_of, sync_territories
from imports.validation import departement_of
from territories.models import EPCI_KINDS, BodyKind, TerritoryKind

BODY_KINDS = (BodyKind.REGION, BodyKind.DEPARTEMENT, BodyKind.COMMUNE, BodyKind.EPCI)


@dataclass
class _ReferenceImport:
    """One run: what has been written so far, level after level."""

    reference: Reference
    perimeter: Perimeter
    report: ImportReport
    # Code → pk per group, for the groups synced in this run.
    pks: dict[str, dict[str, int]] = field(default_factory=dict)
    # Territories obsolete within the perimeter: their bodies follow.
    obsolete: set[int] = field(default_factory=set)
    # Territories whose direct containers changed: the closure is rebuilt for them.
    changed: set[int] = field(default_factory=set)

    def pks_of(self, group: str) -> dict[str, int]:
        """Code → pk for `group`: synced in this run, else as the database has it."""
        return self.pks.get(group) or codes_of(group)

    def sync(self, group: str, rows, obsolete_scope: Callable[[str, int], bool] | None) -> None:
        self.pks[group], gone = sync_territories(
            group, rows, obsolete_scope=obsolete_scope, report=self.report
        )
        self.obsolete.update(gone)

    def sync_regions(self) -> None:
        """Régions have no container; only a whole-France import retires one."""
        regions = [r for r in self.reference.regions if self.perimeter.keeps_region(r)]
        rows = [TerritoryRow(TerritoryKind.REGION, r.code, r.name, r.population) for r in regions]
        self.sync(TerritoryKind.REGION, rows, self.perimeter.national_scope())

    def sync_level(self, group: str, parent_group: str, places: list[Place], scope) -> None:
        """Write `places` of `group` and link each to its `parent` in `parent_group`.

        A place whose parent the database does not hold is written without container.
        """
        rows = (TerritoryRow(group, p.code, p.name, p.population, p.postal_codes) for p in places)
        self.sync(group, rows, scope)
        parents = self.pks_of(parent_group)
        wanted = {
            self.pks[group][p.code]: {parents[p.parent]} for p in places if p.parent in parents
        }
        self.changed |= sync_parents(
            wanted,
            child_kinds=GROUPS[group],
            parent_kinds=GROUPS[parent_group],
            report=self.report,
        )

    def sync_epcis(self) -> list[Epci]:
        """Write the EPCI with a covered member; retire only those of covered départements."""
        epcis = [e for e in self.reference.epcis if self.perimeter.keeps_epci(e)]
        rows = (TerritoryRow(e.kind, e.code, e.name, e.population) for e in epcis)
        self.sync("epci", rows, self.perimeter.epci_scope())
        return epcis

    def place_epcis(self, epcis: list[Epci], communes: list[Place]) -> None:
        """Link each EPCI to its container and overlaps, and each covered commune to its EPCI."""
        communes_pk = self.pks_of(TerritoryKind.COMMUNE)
        containers = {
            TerritoryKind.DEPARTEMENT: self.pks_of(TerritoryKind.DEPARTEMENT),
            TerritoryKind.REGION: self.pks_of(TerritoryKind.REGION),
        }
        region_of = region_of_departement(self.reference)
        # An EPCI lies in a département, or a région, only if all its members do: 89 of them
        # straddle two départements, and only overlap those.
        self.changed |= place_areas(
            {self.pks["epci"][e.code]: {departement_of(m) for m in e.members} for e in epcis},
            region_of,
            containers,
            child_kinds=EPCI_KINDS,
            report=self.report,
        )
        self.changed |= sync_parents(
            self.epcis_of_communes(epcis, communes, communes_pk),
            child_kinds=(TerritoryKind.COMMUNE,),
            parent_kinds=EPCI_KINDS,
            report=self.report,
        )

    def epcis_of_communes(
        self, epcis: list[Epci], communes: list[Place], communes_pk: dict[str, int]
    ) -> dict[int, set[int]]:
        """commune pk → its EPCI, for the covered communes the database holds.

        A commune of the covered départements that no EPCI lists belongs to none (islands).
        """
        wanted: dict[int, set[int]] = {}
        for e in epcis:
            for member in e.members:
                if self.perimeter.covers(departement_of(member)) and member in communes_pk:
                    wanted.setdefault(communes_pk[member], set()).add(self.pks["epci"][e.code])
        for c in communes:
            wanted.setdefault(communes_pk[c.code], set())
        return wanted

    def body_rows(self, communes: list[Place], epcis: list[Epci]) -> list[BodyRow]:
        """The body of each territory written: région, département, commune, EPCI."""
        rows = []
        for group, kind, keeps in (
            (TerritoryKind.REGION, BodyKind.REGION, self.perimeter.keeps_region),
            (TerritoryKind.DEPARTEMENT, BodyKind.DEPARTEMENT, self.perimeter.keeps_departement),
        ):
            for p in getattr(self.reference, f"{group}s") or []:
                if p.code in self.pks.get(group, {}) and keeps(p):
                    name, short = body_names(group, p.name, p.tncc)
                    rows.append(BodyRow(kind, self.pks[group][p.code], name, short))
        for c in communes:
            name, short = body_names(TerritoryKind.COMMUNE, c.name, c.tncc)
            commune_pk = self.pks[TerritoryKind.COMMUNE][c.code]
            rows.append(
                BodyRow(BodyKind.COMMUNE, commune_pk, name, short, c.siren, f"{short} {c.code}")
            )
        for e in epcis:
            name, short = body_names(e.kind, e.name, None)
            rows.append(BodyRow(BodyKind.EPCI, self.pks["epci"][e.code], name, short, e.code))
        return rows

    def run(self) -> None:
        """Régions, départements, communes, arrondissements, EPCI, then bodies and closure."""
        reference, perimeter = self.reference, self.perimeter
        if reference.regions is not None:
            self.sync_regions()
        if reference.departements is not None:
            departements = [p for p in reference.departements if perimeter.keeps_departement(p)]
            self.sync_level(
                TerritoryKind.DEPARTEMENT,
                TerritoryKind.REGION,
                departements,
                perimeter.national_scope(),
            )
        communes = []
        if reference.communes is not None:
            communes = [p for p in reference.communes if perimeter.keeps_commune(p)]
            self.sync_level(
                TerritoryKind.COMMUNE,
                TerritoryKind.DEPARTEMENT,
                communes,
                perimeter.retires_commune,
            )
        if reference.arrondissements is not None:
            self.sync_level(
                TerritoryKind.ARRONDISSEMENT,
                TerritoryKind.COMMUNE,
                [p for p in reference.arrondissements if perimeter.keeps_arrondissement(p)],
                perimeter.retires_commune,
            )
        epcis = []
        if reference.epcis is not None:
            epcis = self.sync_epcis()
            self.place_epcis(epcis, communes)
        sync_bodies(
            self.body_rows(communes, epcis),
            obsolete_territories=self.obsolete,
            kinds=BODY_KINDS,
            report=self.report,
        )
        obsolete_bodies_of(self.obsolete, self.report)
        rebuild_containment(self.changed)


def reference_import(
    reference: Reference,
    *,
    region: str | None = None,
    departement: str | None = None,
    report: ImportReport | None = None,
) -> ImportReport:
    """Bring territories, their bodies and containment in line with `reference`.

    With `region` or `departement`, only that subset is written and only it can be marked
    obsolete; régions and départements are marked obsolete only by a whole-France import.
    Départements and régions receive the sum of their communes' populations when the source
    gives all of them.
    """
    report = report or ImportReport()
    perimeter = perimeter_of(reference, region, departement)
    add_populations(reference)
    _ReferenceImport(reference, perimeter, report).run()
    return report

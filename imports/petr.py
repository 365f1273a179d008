"""The PETR import: PETR, their bodies, their member EPCI and where they lie.

Rules:
- a PETR none of whose members is a known EPCI is skipped (a national file imported on top of
  the Grand Est extract creates no empty PETR elsewhere), and counted in a note;
- a PETR with no SIREN yet (entered by hand or by the demo, found by its name) receives its
  SIREN instead of being duplicated;
- a PETR no longer in the file is marked obsolete only if it lies in, or has a member EPCI
  with communes in, a département the file covers (the départements of the members it lists),
  so a one-département export leaves the other départements' PETR alone;
- a PETR lies in a département or a région only if all its communes do; otherwise it only
  overlaps them (docs/architecture.md, « Contenance et chevauchement »).
"""

from dataclasses import dataclass

from django.db.models import Q

from core.text import search_key
from imports.banatic import Petr
from imports.body_sync import BodyRow, obsolete_bodies_of, sync_bodies
from imports.containment import (
    place_areas,
    rebuild_containment,
    region_of_departement,
    sync_parents,
)
from imports.report import ImportReport
from imports.sources import Reference
from imports.territory_sync import InScope, TerritoryRow, codes_of, sync_territories
from territories.models import EPCI_KINDS, BodyKind, Territory, TerritoryKind

PARENTS = Territory.parents.through


@dataclass
class _Epcis:
    """The EPCI the database holds, and the départements each reaches."""

    pks: dict[str, int]  # SIREN → pk
    departements: dict[int, set[int]]  # EPCI pk → département pks
    departement_pks: dict[str, int]  # département code → pk

    def __post_init__(self) -> None:
        self.departement_codes = {pk: code for code, pk in self.departement_pks.items()}

    def reached_by(self, petrs: list[Petr]) -> set[int]:
        """The départements the known member EPCI of `petrs` reach: what the file covers."""
        return {
            d
            for p in petrs
            for m in p.members
            if m in self.pks
            for d in self.departements.get(self.pks[m], ())
        }


def _stored_epcis() -> _Epcis:
    """EPCI by SIREN and their départements: those of their communes, or their overlaps.

    An EPCI may straddle several départements; members not loaded (outside the imported
    régions) are known from the EPCI's recorded overlaps.
    """
    pks = codes_of("epci")
    commune_dep = dict(
        PARENTS.objects.filter(
            from_territory__kind=TerritoryKind.COMMUNE,
            to_territory__kind=TerritoryKind.DEPARTEMENT,
        ).values_list("from_territory_id", "to_territory_id")
    )
    departements: dict[int, set[int]] = {}
    for commune, epci in PARENTS.objects.filter(
        from_territory__kind=TerritoryKind.COMMUNE, to_territory__kind__in=EPCI_KINDS
    ).values_list("from_territory_id", "to_territory_id"):
        if commune in commune_dep:
            departements.setdefault(epci, set()).add(commune_dep[commune])
    for epci, dep in Territory.overlaps.through.objects.filter(
        from_territory__kind__in=EPCI_KINDS, to_territory__kind=TerritoryKind.DEPARTEMENT
    ).values_list("from_territory_id", "to_territory_id"):
        departements.setdefault(epci, set()).add(dep)
    return _Epcis(pks, departements, codes_of(TerritoryKind.DEPARTEMENT))


def _known(petrs: list[Petr], epcis: _Epcis, report: ImportReport) -> list[Petr]:
    """The PETR with at least one member EPCI the database holds; the others are noted."""
    known = [p for p in petrs if any(m in epcis.pks for m in p.members)]
    if len(known) < len(petrs):
        report.notes.append(
            f"PETR ignorés faute d'EPCI membre connu : {len(petrs) - len(known)} "
            "(importez d'abord les territoires de leur région)."
        )
    return known


def _adopt_codeless(petrs: list[Petr], report: ImportReport) -> None:
    """Give its SIREN to a PETR known only by name, rather than creating a second one."""
    coded = codes_of(TerritoryKind.PETR).keys()
    codeless: dict[str, list[int]] = {}
    for pk, name in Territory.objects.filter(kind=TerritoryKind.PETR, code="").values_list(
        "pk", "name"
    ):
        codeless.setdefault(search_key(name), []).append(pk)
    adopted = 0
    for p in petrs:
        candidates = codeless.get(search_key(p.name), [])
        if p.code not in coded and len(candidates) == 1:
            # Adopted once: a second PETR of the file with this name does not take it over.
            pk = candidates.pop()
            adopted_row = Territory(name=p.name, code=p.code).with_search_text()
            Territory.objects.filter(pk=pk).update(code=p.code, search_text=adopted_row.search_text)
            adopted += 1
    if adopted:
        report.notes.append(f"PETR déjà saisis sans SIREN, complétés par leur nom : {adopted}")


def _petrs_in_scope(covered: set[int], epcis: _Epcis) -> set[int]:
    """PETR the file may retire: lying in a covered département, or holding an EPCI of one."""
    covered_epcis = {epci for epci, deps in epcis.departements.items() if deps & covered}
    return set(
        Territory.objects.filter(kind=TerritoryKind.PETR)
        .filter(Q(parents__in=covered) | Q(children__in=covered_epcis))
        .values_list("pk", flat=True)
    )


def _memberships(
    petrs: list[Petr], pks: dict[str, int], epcis: _Epcis, in_scope: set[int]
) -> tuple[dict[int, set[int]], dict[int, set[str]]]:
    """(EPCI pk → its PETR, PETR pk → the département codes its EPCI reach).

    EPCI that were in a PETR of this perimeter are compared too, so a departure is removed.
    """
    member_of: dict[int, set[int]] = {}
    for child in PARENTS.objects.filter(
        from_territory__kind__in=EPCI_KINDS, to_territory_id__in=in_scope
    ).values_list("from_territory_id", flat=True):
        member_of.setdefault(child, set())
    petr_deps: dict[int, set[str]] = {}
    for p in petrs:
        petr_pk = pks[p.code]
        for m in p.members:
            if m in epcis.pks:
                member_of.setdefault(epcis.pks[m], set()).add(petr_pk)
                # A département without a code (entered by hand) counts as "", as before.
                codes = epcis.departement_codes
                deps = epcis.departements.get(epcis.pks[m], ())
                petr_deps.setdefault(petr_pk, set()).update(codes.get(d, "") for d in deps)
    return member_of, petr_deps


def _place_petrs(petr_deps: dict[int, set[str]], epcis: _Epcis, report: ImportReport) -> set[int]:
    """Link each PETR to its container and overlaps; return the PETR whose containers changed."""
    containers = {
        TerritoryKind.DEPARTEMENT: epcis.departement_pks,
        TerritoryKind.REGION: codes_of(TerritoryKind.REGION),
    }
    return place_areas(
        petr_deps,
        region_of_departement(Reference()),
        containers,
        child_kinds=(TerritoryKind.PETR,),
        report=report,
    )


def petr_import(petrs: list[Petr], *, report: ImportReport | None = None) -> ImportReport:
    """Write the PETR, their bodies and containment (EPCI ⊂ PETR ⊂ départements)."""
    report = report or ImportReport()
    epcis = _stored_epcis()
    known = _known(petrs, epcis, report)
    _adopt_codeless(known, report)
    covered = epcis.reached_by(known)
    in_scope = _petrs_in_scope(covered, epcis)
    pks, obsolete = sync_territories(
        TerritoryKind.PETR,
        (TerritoryRow(TerritoryKind.PETR, p.code, p.name) for p in known),
        obsolete_scope=InScope(in_scope),
        report=report,
    )
    member_of, petr_deps = _memberships(known, pks, epcis, in_scope)
    changed = _place_petrs(petr_deps, epcis, report)
    changed |= sync_parents(
        member_of, child_kinds=EPCI_KINDS, parent_kinds=(TerritoryKind.PETR,), report=report
    )
    sync_bodies(
        (BodyRow(BodyKind.PETR, pks[p.code], p.name, "", p.code) for p in known),
        obsolete_territories=obsolete,
        kinds=(BodyKind.PETR,),
        report=report,
    )
    obsolete_bodies_of(obsolete, report)
    rebuild_containment(changed)
    report.notes.append(
        "Départements couverts par le fichier : "
        + (", ".join(sorted(epcis.departement_codes.get(d, "") for d in covered)) or "aucun")
    )
    return report

"""PETR and their member EPCI from a BANATIC export (DGCL's base of intercommunal groupings).

BANATIC lists one row per (groupement, membre). Only rows whose `Nature juridique` is `PETR`
are read; their members are EPCI, identified by `Siren membre`, so a PETR's communes follow
through the EPCI by containment. The export is `;`-separated and often Latin-1: it is read as
UTF-8 and refused otherwise, with the line at fault.

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

from dataclasses import dataclass, field
from pathlib import Path

from django.db.models import Q

from core.text import search_key
from imports.base import SIREN, CsvFile, ImportFailure, ImportReport, check_text
from imports.reference import (
    NAME_MAX,
    BodyRow,
    Reference,
    TerritoryRow,
    _obsolete_bodies_of,
    _pks,
    geographic_place,
    rebuild_containment,
    region_of_departement,
    sync_bodies,
    sync_parents,
    sync_territories,
)
from territories.models import EPCI_KINDS, GEOGRAPHIC_KINDS, BodyKind, Territory, TerritoryKind

COLUMNS = ("N° SIREN", "Nom du groupement", "Nature juridique", "Siren membre")


@dataclass
class Petr:
    code: str
    name: str
    members: list[str] = field(default_factory=list)


def read_banatic(path: Path) -> list[Petr]:
    """The PETR of a BANATIC export and the SIREN of their members, validated."""
    petrs: dict[str, Petr] = {}
    with CsvFile(path) as reader:
        reader.require(COLUMNS, "un export BANATIC des groupements et de leurs membres")
        siren, name, nature, member = (reader.index(c) for c in COLUMNS)
        for line, cells in reader.rows():
            if cells[nature].strip().upper() != "PETR":
                continue
            code, member_code = cells[siren].strip(), cells[member].strip()
            if not SIREN.match(code):
                raise ImportFailure(path, line, f"N° SIREN mal formé : « {code} » (9 chiffres).")
            if member_code and not SIREN.match(member_code):
                raise ImportFailure(
                    path, line, f"Siren membre mal formé : « {member_code} » (9 chiffres)."
                )
            label = cells[name].strip()
            if not label:
                raise ImportFailure(path, line, "Nom du groupement vide.")
            check_text(label, "Nom du groupement", NAME_MAX, path, line)
            petr = petrs.setdefault(code, Petr(code, label))
            if member_code and member_code not in petr.members:
                petr.members.append(member_code)
    return list(petrs.values())


def petr_import(petrs: list[Petr], *, report: ImportReport | None = None) -> ImportReport:
    """Write the PETR, their bodies and containment (EPCI ⊂ PETR ⊂ départements)."""
    report = report or ImportReport()
    through = Territory.parents.through
    epcis = dict(
        Territory.objects.filter(kind__in=EPCI_KINDS).exclude(code="").values_list("code", "pk")
    )
    dep_codes = dict(
        Territory.objects.filter(kind=TerritoryKind.DEPARTEMENT).values_list("pk", "code")
    )
    # An EPCI's départements are those of its member communes: it may straddle several.
    commune_dep = dict(
        through.objects.filter(
            from_territory__kind=TerritoryKind.COMMUNE,
            to_territory__kind=TerritoryKind.DEPARTEMENT,
        ).values_list("from_territory_id", "to_territory_id")
    )
    epci_deps: dict[int, set[int]] = {}
    for commune, epci in through.objects.filter(
        from_territory__kind=TerritoryKind.COMMUNE, to_territory__kind__in=EPCI_KINDS
    ).values_list("from_territory_id", "to_territory_id"):
        if commune in commune_dep:
            epci_deps.setdefault(epci, set()).add(commune_dep[commune])
    # Members not loaded (outside the imported régions) are known from the EPCI's overlaps.
    for epci, dep in Territory.overlaps.through.objects.filter(
        from_territory__kind__in=EPCI_KINDS, to_territory__kind=TerritoryKind.DEPARTEMENT
    ).values_list("from_territory_id", "to_territory_id"):
        epci_deps.setdefault(epci, set()).add(dep)

    known = [p for p in petrs if any(m in epcis for m in p.members)]
    if len(known) < len(petrs):
        report.notes.append(
            f"PETR ignorés faute d'EPCI membre connu : {len(petrs) - len(known)} "
            "(importez d'abord les territoires de leur région)."
        )
    _adopt_codeless(known, report)

    covered = {
        d for p in known for m in p.members if m in epcis for d in epci_deps.get(epcis[m], ())
    }
    covered_epcis = {epci for epci, deps in epci_deps.items() if deps & covered}
    in_scope = set(
        Territory.objects.filter(kind=TerritoryKind.PETR)
        .filter(Q(parents__in=covered) | Q(children__in=covered_epcis))
        .values_list("pk", flat=True)
    )
    pks, obsolete = sync_territories(
        TerritoryKind.PETR,
        (TerritoryRow(TerritoryKind.PETR, p.code, p.name) for p in known),
        obsolete_scope=lambda code, pk: pk in in_scope,
        report=report,
    )

    member_of: dict[int, set[int]] = {}
    # EPCI that were in a PETR of this perimeter are compared too, so a departure is removed.
    for child in through.objects.filter(
        from_territory__kind__in=EPCI_KINDS, to_territory_id__in=in_scope
    ).values_list("from_territory_id", flat=True):
        member_of.setdefault(child, set())
    petr_deps: dict[int, set[str]] = {}
    for p in known:
        petr_pk = pks[p.code]
        for m in p.members:
            if m in epcis:
                member_of.setdefault(epcis[m], set()).add(petr_pk)
                petr_deps.setdefault(petr_pk, set()).update(
                    dep_codes[d] for d in epci_deps.get(epcis[m], ())
                )
    # A PETR lies in a département or a région only if all its communes do.
    region_of = region_of_departement(Reference())
    container_pks = {
        kind: dict(Territory.objects.filter(kind=kind).exclude(code="").values_list("code", "pk"))
        for kind in GEOGRAPHIC_KINDS
    }
    petr_parents, petr_overlaps = {}, {}
    for petr_pk, deps in petr_deps.items():
        place, overlaps = geographic_place(deps, region_of)
        petr_parents[petr_pk] = _pks(container_pks, [place] if place else [])
        petr_overlaps[petr_pk] = _pks(container_pks, overlaps)
    changed = sync_parents(
        petr_parents,
        child_kinds=(TerritoryKind.PETR,),
        parent_kinds=GEOGRAPHIC_KINDS,
        report=report,
    )
    sync_parents(
        petr_overlaps,
        child_kinds=(TerritoryKind.PETR,),
        parent_kinds=GEOGRAPHIC_KINDS,
        report=report,
        relation="overlaps",
    )
    changed |= sync_parents(
        member_of, child_kinds=EPCI_KINDS, parent_kinds=(TerritoryKind.PETR,), report=report
    )
    sync_bodies(
        (BodyRow(BodyKind.PETR, pks[p.code], p.name, "", p.code) for p in known),
        obsolete_territories=obsolete,
        kinds=(BodyKind.PETR,),
        report=report,
    )
    _obsolete_bodies_of(obsolete, report)
    rebuild_containment(changed)
    report.notes.append(
        "Départements couverts par le fichier : "
        + (", ".join(sorted(dep_codes[d] for d in covered)) or "aucun")
    )
    return report


def _adopt_codeless(petrs: list[Petr], report: ImportReport) -> None:
    """Give its SIREN to a PETR known only by name, rather than creating a second one."""
    coded = set(
        Territory.objects.filter(kind=TerritoryKind.PETR)
        .exclude(code="")
        .values_list("code", flat=True)
    )
    codeless: dict[str, list[int]] = {}
    for pk, name in Territory.objects.filter(kind=TerritoryKind.PETR, code="").values_list(
        "pk", "name"
    ):
        codeless.setdefault(search_key(name), []).append(pk)
    adopted = 0
    for p in petrs:
        candidates = codeless.get(search_key(p.name), [])
        if p.code not in coded and len(candidates) == 1:
            adopted_row = Territory(name=p.name, code=p.code).with_search_text()
            Territory.objects.filter(pk=candidates[0]).update(
                code=p.code, search_text=adopted_row.search_text
            )
            adopted += 1
    if adopted:
        report.notes.append(f"PETR déjà saisis sans SIREN, complétés par leur nom : {adopted}")

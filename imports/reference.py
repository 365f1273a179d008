"""Write official territories into the database: the shared back end of every reader.

Readers (`decoupage`, `cog`, `banatic`) turn a file into plain rows; the functions here compare
those rows with the database in memory and write only the difference, with bulk statements:

- a territory is found by its official code within its group of kinds (an EPCI keeps its
  SIREN when a CC becomes a CA, so the kind is updated, not a new row created);
- what is no longer in the source is marked obsolete, never deleted, and only within the
  perimeter the source covers (`obsolete_scope`); a row that comes back is un-obsoleted;
- each group reports how many current rows it covers and retires (`ImportReport.cover`), so a
  run retiring a large share of them is refused whole (`base.run_import`);
- rows ticked "protégé des imports" (`manually_edited`) are left as they are and counted;
- direct containment (`Territory.parents`) is replaced only for the pairs of kinds an import
  owns (`sync_parents`), so the territories import does not remove the PETR links that
  `import_petr` made, nor links entered by hand between other kinds;
- an intercommunality lies in a département or a région only if all its member communes do
  (`smallest_container`); one that straddles them only overlaps them, which the closure never
  records (docs/architecture.md, « Contenance et chevauchement »);
- the derived closure is recomputed once, at the end, for what changed.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from core.text import luhn_valid
from imports.base import (
    BATCH_SIZE,
    LINKS,
    OVERLAPS,
    ImportFailure,
    ImportReport,
    SlugPool,
    departement_of,
    in_chunks,
)
from territories.models import (
    EPCI_KINDS,
    GEOGRAPHIC_KINDS,
    Body,
    BodyKind,
    Territory,
    TerritoryKind,
)
from territories.services import containment_rebuild

TERRITORIES = "Territoires"
BODIES = "Organismes"

# Column widths the readers check names against, so a long name is refused on its line rather
# than by PostgreSQL (SQLite would store it whole). A commune's name is also its council's
# short name (« Chaumont »), the narrower column.
NAME_MAX = Territory._meta.get_field("name").max_length
COMMUNE_NAME_MAX = min(NAME_MAX, Body._meta.get_field("short_name").max_length)
POSTAL_CODES_MAX = Territory._meta.get_field("postal_codes").max_length

# Kinds that share one series of codes: an EPCI's SIREN identifies it whatever its category.
GROUPS = {
    TerritoryKind.REGION: (TerritoryKind.REGION,),
    TerritoryKind.DEPARTEMENT: (TerritoryKind.DEPARTEMENT,),
    TerritoryKind.COMMUNE: (TerritoryKind.COMMUNE,),
    TerritoryKind.ARRONDISSEMENT: (TerritoryKind.ARRONDISSEMENT,),
    "epci": EPCI_KINDS,
    TerritoryKind.PETR: (TerritoryKind.PETR,),
}
# How the mass-obsolescence guard names each group in its refusal (ImportReport.cover).
GROUP_LABELS = {
    TerritoryKind.REGION: "régions",
    TerritoryKind.DEPARTEMENT: "départements",
    TerritoryKind.COMMUNE: "communes",
    TerritoryKind.ARRONDISSEMENT: "arrondissements municipaux",
    "epci": "EPCI",
    TerritoryKind.PETR: "PETR",
}
BODY_LABEL = "organismes"

# Above this many changed territories, rebuilding the whole closure is cheaper than listing
# ids (and a list that long would exceed SQLite's limit on query variables).
FULL_REBUILD_THRESHOLD = 5000

# INSEE's TNCC ("type de nom en clair"): the article a name starts with and the linking word
# that replaces it after "Commune" or "Département" (Le Havre → Commune du Havre).
TNCC_ARTICLES = {2: "Le ", 3: "La ", 4: "Les ", 5: "L'", 6: "Aux ", 7: "Las ", 8: "Los "}
TNCC_LINKS = {
    0: "de ",
    1: "d'",
    2: "du ",
    3: "de la ",
    4: "des ",
    5: "de l'",
    6: "aux ",
    7: "de las ",
    8: "de los ",
}

EPCI_PREFIXES = {
    "CA ": "Communauté d'agglomération ",
    "CC ": "Communauté de communes ",
    "CU ": "Communauté urbaine ",
}


def with_link(tncc: int | None, name: str) -> str:
    """« de la Haute-Marne », « du Havre », « d'Épinal »: the name after a noun, per its TNCC."""
    if tncc is None:
        tncc = 1 if name[:1].casefold() in "aeiouyéèêâîôûh" else 0
    article = TNCC_ARTICLES.get(tncc, "")
    if article and name.casefold().startswith(article.casefold()):
        name = name[len(article) :]
    return TNCC_LINKS.get(tncc, "de ") + name


def body_names(kind: str, name: str, tncc: int | None) -> tuple[str, str]:
    """The (name, short name) of the collectivity that governs a territory.

    They follow the demo data's forms, so both find the same rows: « Région Grand Est »,
    « Commune de Doulaincourt-Saucourt » shortened to « Doulaincourt-Saucourt », and an EPCI's
    abbreviated official name spelled out (« CA de Chaumont » → « Communauté d'agglomération
    de Chaumont »).
    """
    if kind == TerritoryKind.REGION:
        return f"Région {name}", ""
    if kind == TerritoryKind.DEPARTEMENT:
        return f"Département {with_link(tncc, name)}", ""
    if kind == TerritoryKind.COMMUNE:
        return f"Commune {with_link(tncc, name)}", name
    for short, long in EPCI_PREFIXES.items():
        if name.startswith(short):
            return long + name[len(short) :], name[:100]
    return name, ""


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
        for name in ("regions", "departements", "communes", "arrondissements", "epcis"):
            theirs = getattr(other, name)
            if theirs is not None:
                setattr(self, name, (getattr(self, name) or []) + theirs)
        self.paths += other.paths


# --- Generic building blocks (also used by the PETR import) ----------------------------------


@dataclass
class TerritoryRow:
    kind: str
    code: str
    name: str
    # None and "" mean the source does not say: the stored value is kept.
    population: int | None = None
    postal_codes: str = ""


def geographic_place(
    departements: set[str], region_of: dict[str, str]
) -> tuple[tuple[str, str] | None, set[tuple[str, str]]]:
    """Where an area made of communes of these départements lies, as (kind, code) pairs.

    Returns its smallest container — the département when all its communes are in one, else
    the région when all are in one, else None — and the départements and régions it only
    overlaps (those holding some of its communes without containing it).
    """
    regions = {region_of[d] for d in departements if d in region_of}
    if len(departements) == 1:
        return (TerritoryKind.DEPARTEMENT, next(iter(departements))), set()
    overlaps = {(TerritoryKind.DEPARTEMENT, d) for d in departements}
    if len(regions) == 1 and all(d in region_of for d in departements):
        return (TerritoryKind.REGION, regions.pop()), overlaps
    return None, overlaps | {(TerritoryKind.REGION, r) for r in regions}


def sync_territories(
    group: str,
    rows: Iterable[TerritoryRow],
    *,
    obsolete_scope: Callable[[str, int], bool] | None,
    report: ImportReport,
) -> tuple[dict[str, int], set[int]]:
    """Create or update the territories of `group` found in `rows`; mark the missing obsolete.

    A territory of the group that is not in `rows` is marked obsolete when
    `obsolete_scope(code, pk)` says the source covers it (None: never). Returns the pk of each
    code of the group (existing or created) and the pks of the group's obsolete territories
    in scope.
    """
    kinds = GROUPS[group]
    existing = {
        row[2]: (row[0], row[1], *row[3:])
        for row in Territory.objects.filter(kind__in=kinds)
        .exclude(code="")
        .values_list(
            "pk",
            "kind",
            "code",
            "name",
            "is_obsolete",
            "manually_edited",
            "population",
            "postal_codes",
        )
    }
    slugs = SlugPool(Territory.objects.values_list("slug", flat=True))
    created, updated, seen = [], [], set()
    for row in rows:
        if row.code in seen:
            continue
        seen.add(row.code)
        current = existing.get(row.code)
        if current is None:
            created.append(
                Territory(
                    kind=row.kind,
                    code=row.code,
                    name=row.name,
                    population=row.population,
                    postal_codes=row.postal_codes,
                    slug=slugs.take(f"{row.name} {row.code}"),
                ).with_search_text()
            )
            report.add(TERRITORIES, "created")
            continue
        pk, kind, name, obsolete, protected, population, postal_codes = current
        if row.population is not None:
            population = row.population
        postal_codes = row.postal_codes or postal_codes
        if (kind, name, obsolete, population, postal_codes) == (
            row.kind,
            row.name,
            False,
            *current[5:],
        ):
            report.add(TERRITORIES, "unchanged")
        elif protected:
            report.add(TERRITORIES, "protected")
        else:
            updated.append(
                Territory(
                    pk=pk,
                    kind=row.kind,
                    code=row.code,
                    name=row.name,
                    is_obsolete=False,
                    population=population,
                    postal_codes=postal_codes,
                ).with_search_text()
            )
            report.add(TERRITORIES, "updated")
    obsolete_pks = set()
    if obsolete_scope is not None:
        # Current rows the source covers (listed, or in its perimeter) and those it retires,
        # for the mass-obsolescence guard.
        covered = retired = 0
        for code, (pk, _kind, _name, obsolete, protected, *_rest) in existing.items():
            if code in seen:
                covered += not obsolete
                continue
            if not obsolete_scope(code, pk):
                continue
            if obsolete:
                obsolete_pks.add(pk)
            elif protected:
                covered += 1
                report.add(TERRITORIES, "protected")
            else:
                covered += 1
                retired += 1
                obsolete_pks.add(pk)
                updated.append(Territory(pk=pk, is_obsolete=True))
                report.add(TERRITORIES, "obsolete")
        report.cover(GROUP_LABELS[group], covered, retired)
    Territory.objects.bulk_create(created, batch_size=BATCH_SIZE)
    to_rename = [t for t in updated if t.name]
    Territory.objects.bulk_update(
        to_rename,
        ["kind", "name", "search_text", "is_obsolete", "population", "postal_codes"],
        batch_size=BATCH_SIZE,
    )
    Territory.objects.bulk_update(
        [t for t in updated if not t.name], ["is_obsolete"], batch_size=BATCH_SIZE
    )
    pks = {code: values[0] for code, values in existing.items()}
    pks.update({t.code: t.pk for t in created})
    return pks, obsolete_pks


def sync_parents(
    wanted: dict[int, set[int]],
    *,
    child_kinds: Iterable[str],
    parent_kinds: Iterable[str],
    report: ImportReport,
    relation: str = "parents",
) -> set[int]:
    """Make the direct containers of each child in `wanted`, among `parent_kinds`, exactly so.

    Only links from a `child_kinds` territory to a `parent_kinds` territory are compared, so
    links of other kinds (made by another import or by hand) stay. A protected child
    (`manually_edited`) keeps its links. Returns the pks of children whose links changed.
    With `relation="overlaps"`, the same is done for the territories each child overlaps.
    """
    through = getattr(Territory, relation).through
    protected = set(
        Territory.objects.filter(kind__in=child_kinds, manually_edited=True).values_list(
            "pk", flat=True
        )
    )
    existing: dict[int, dict[int, int]] = {}
    for pk, child, parent in through.objects.filter(
        from_territory__kind__in=child_kinds, to_territory__kind__in=parent_kinds
    ).values_list("pk", "from_territory_id", "to_territory_id"):
        existing.setdefault(child, {})[parent] = pk
    added, stale, changed = [], [], set()
    for child, parents in wanted.items():
        if child in protected:
            continue
        current = existing.get(child, {})
        for parent in parents - current.keys():
            added.append(through(from_territory_id=child, to_territory_id=parent))
            changed.add(child)
        for parent, link_pk in current.items():
            if parent not in parents:
                stale.append(link_pk)
                changed.add(child)
    for chunk in in_chunks(stale):
        through.objects.filter(pk__in=chunk).delete()
    through.objects.bulk_create(added, batch_size=BATCH_SIZE)
    label = LINKS if relation == "parents" else OVERLAPS
    report.add(label, "created", len(added))
    report.add(label, "obsolete", len(stale))
    return changed


def rebuild_containment(changed: set[int]) -> None:
    """Recompute the derived closure once for everything whose links changed."""
    if not changed:
        return
    containment_rebuild(None if len(changed) > FULL_REBUILD_THRESHOLD else changed)


@dataclass
class BodyRow:
    kind: str
    territory_pk: int
    name: str
    short_name: str = ""
    siren: str = ""
    # Communes share names (dozens of Saint-Martin): their body's slug carries the INSEE code.
    slug_base: str = ""


def sync_bodies(
    rows: Iterable[BodyRow], *, obsolete_territories: set[int], kinds: Iterable[str], report
) -> None:
    """Create or update the body governing each territory; follow its territory's obsolescence.

    A body is found by its SIREN, else by (kind, territory) — the demo data finds the same
    rows by name, and names here follow its forms. A value the source does not give (a short
    name, a SIREN) is never blanked.
    """
    kinds = tuple(kinds)
    by_siren = dict(Body.objects.exclude(siren="").values_list("siren", "pk"))
    fields = ("pk", "kind", "territory_id", "siren", "name", "short_name")
    fields += ("is_obsolete", "manually_edited")
    existing = {}
    by_place = {}
    for values in Body.objects.filter(kind__in=kinds).values_list(*fields):
        existing[values[0]] = values
        by_place.setdefault((values[1], values[2]), values[0])
    slugs = SlugPool(Body.objects.values_list("slug", flat=True))
    created, updated, seen = [], [], set()
    covered = retired = 0  # for the mass-obsolescence guard
    for row in rows:
        pk = by_siren.get(row.siren) if row.siren else None
        if pk not in existing:
            pk = by_place.get((row.kind, row.territory_pk))
        siren = (
            row.siren if row.siren and row.siren not in by_siren and luhn_valid(row.siren) else ""
        )
        if pk is None:
            body = Body(
                kind=row.kind,
                territory_id=row.territory_pk,
                name=row.name,
                short_name=row.short_name,
                siren=siren,
                slug=slugs.take(row.slug_base or row.short_name or row.name),
                is_obsolete=row.territory_pk in obsolete_territories,
            ).with_search_text()
            created.append(body)
            if siren:
                by_siren[siren] = None
            report.add(BODIES, "created")
            continue
        if pk in seen:
            continue
        seen.add(pk)
        _pk, kind, territory_pk, old_siren, name, short_name, obsolete, protected = existing[pk]
        wanted = (
            row.kind,
            row.territory_pk,
            old_siren or siren,
            row.name,
            row.short_name or short_name,
            row.territory_pk in obsolete_territories,
        )
        current = (kind, territory_pk, old_siren, name, short_name, obsolete)
        covered += not obsolete
        if wanted == current:
            report.add(BODIES, "unchanged")
        elif protected:
            report.add(BODIES, "protected")
        else:
            body = Body(pk=pk, kind=wanted[0], territory_id=wanted[1], siren=wanted[2])
            body.name, body.short_name, body.is_obsolete = wanted[3], wanted[4], wanted[5]
            body.with_search_text()
            updated.append(body)
            if wanted[5] and not obsolete:
                retired += 1
                report.add(BODIES, "obsolete")
            else:
                report.add(BODIES, "updated")
            if siren and not old_siren:
                by_siren[siren] = pk
    report.cover(BODY_LABEL, covered, retired)
    Body.objects.bulk_create(created, batch_size=BATCH_SIZE)
    Body.objects.bulk_update(
        updated,
        ["kind", "territory", "siren", "name", "short_name", "is_obsolete", "search_text"],
        batch_size=BATCH_SIZE,
    )


# --- Régions, départements, communes and EPCI ------------------------------------------------


def _departements_of_region(reference: Reference, region: str) -> set[str]:
    if reference.departements is not None:
        return {d.code for d in reference.departements if d.parent == region}
    return set(
        Territory.objects.filter(
            kind=TerritoryKind.DEPARTEMENT, parents__kind=TerritoryKind.REGION, parents__code=region
        ).values_list("code", flat=True)
    )


def _scope(reference: Reference, region: str | None, departement: str | None) -> set[str] | None:
    """The départements whose communes and EPCI the import covers (None: all of France)."""
    source = reference.paths[0] if reference.paths else "import"
    if departement:
        return {departement}
    if region:
        codes = _departements_of_region(reference, region)
        if not codes:
            raise ImportFailure(source, None, f"aucun département pour la région « {region} ».")
        return codes
    # A file with the communes of some régions (the Grand Est extract) covers those régions
    # only, so importing it after the whole of France marks nothing obsolete elsewhere.
    if reference.communes is not None:
        deps = {c.parent for c in reference.communes}
        if reference.departements is not None:
            region_of = {d.code: d.parent for d in reference.departements}
            regions = {region_of.get(dep) for dep in deps}
            deps |= {d.code for d in reference.departements if d.parent in regions}
        return deps
    if reference.epcis is not None:
        return {departement_of(m) for e in reference.epcis for m in e.members}
    return None


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
    """
    report = report or ImportReport()
    subset = bool(region or departement)
    deps = _scope(reference, region, departement)
    _add_populations(reference)
    regions_wanted = {region} if region else set()
    if departement and reference.departements is not None:
        regions_wanted |= {d.parent for d in reference.departements if d.code == departement}

    def in_deps(code: str) -> bool:
        return deps is None or code in deps

    changed: set[int] = set()
    tncc: dict[tuple[str, str], int | None] = {}
    pks: dict[str, dict[str, int]] = {}
    obsolete: set[int] = set()

    def level(group, kind, places, parent_group, keep, obsolete_scope):
        places = [p for p in places if keep(p)]
        for p in places:
            tncc[(kind, p.code)] = p.tncc
        rows = (TerritoryRow(kind, p.code, p.name, p.population, p.postal_codes) for p in places)
        pks[group], gone = sync_territories(
            group, rows, obsolete_scope=obsolete_scope, report=report
        )
        obsolete.update(gone)
        parents = pks.get(parent_group) or _codes(parent_group)
        wanted = {pks[group][p.code]: {parents[p.parent]} for p in places if p.parent in parents}
        changed.update(
            sync_parents(
                wanted, child_kinds=GROUPS[group], parent_kinds=GROUPS[parent_group], report=report
            )
        )
        return places

    if reference.regions is not None:
        rows = [
            TerritoryRow(TerritoryKind.REGION, r.code, r.name, r.population)
            for r in reference.regions
            if not subset or r.code in regions_wanted
        ]
        for r in reference.regions:
            tncc[(TerritoryKind.REGION, r.code)] = r.tncc
        pks["region"], gone = sync_territories(
            TerritoryKind.REGION,
            rows,
            obsolete_scope=None if subset else (lambda code, pk: True),
            report=report,
        )
        obsolete.update(gone)
    if reference.departements is not None:
        level(
            TerritoryKind.DEPARTEMENT,
            TerritoryKind.DEPARTEMENT,
            reference.departements,
            TerritoryKind.REGION,
            lambda p: not subset or p.code in deps,
            None if subset else (lambda code, pk: True),
        )
    communes = []
    if reference.communes is not None:
        communes = level(
            TerritoryKind.COMMUNE,
            TerritoryKind.COMMUNE,
            reference.communes,
            TerritoryKind.DEPARTEMENT,
            lambda p: in_deps(p.parent),
            lambda code, pk: in_deps(departement_of(code)),
        )
    if reference.arrondissements is not None:
        level(
            TerritoryKind.ARRONDISSEMENT,
            TerritoryKind.ARRONDISSEMENT,
            reference.arrondissements,
            TerritoryKind.COMMUNE,
            lambda p: in_deps(departement_of(p.code)),
            lambda code, pk: in_deps(departement_of(code)),
        )
    epcis = []
    if reference.epcis is not None:
        epcis = [e for e in reference.epcis if any(in_deps(departement_of(m)) for m in e.members)]
        in_scope = _epcis_in(deps)
        pks["epci"], gone = sync_territories(
            "epci",
            (TerritoryRow(e.kind, e.code, e.name, e.population) for e in epcis),
            obsolete_scope=lambda code, pk: in_scope is None or pk in in_scope,
            report=report,
        )
        obsolete.update(gone)
        communes_pk = pks.get(TerritoryKind.COMMUNE) or _codes(TerritoryKind.COMMUNE)
        containers = {
            TerritoryKind.DEPARTEMENT: pks.get(TerritoryKind.DEPARTEMENT)
            or _codes(TerritoryKind.DEPARTEMENT),
            TerritoryKind.REGION: pks.get(TerritoryKind.REGION) or _codes(TerritoryKind.REGION),
        }
        region_of = region_of_departement(reference)
        # An EPCI lies in a département, or a région, only if all its members do: 89 of them
        # straddle two départements, and only overlap those.
        epci_parents, epci_overlaps, commune_parents = {}, {}, {}
        for e in epcis:
            epci_pk = pks["epci"][e.code]
            place, overlaps = geographic_place({departement_of(m) for m in e.members}, region_of)
            epci_parents[epci_pk] = _pks(containers, [place] if place else [])
            epci_overlaps[epci_pk] = _pks(containers, overlaps)
            for member in e.members:
                if in_deps(departement_of(member)) and member in communes_pk:
                    commune_parents.setdefault(communes_pk[member], set()).add(epci_pk)
        # A commune of the covered départements that no EPCI lists belongs to none (islands).
        for c in communes:
            commune_parents.setdefault(communes_pk[c.code], set())
        changed |= sync_parents(
            epci_parents,
            child_kinds=EPCI_KINDS,
            parent_kinds=GEOGRAPHIC_KINDS,
            report=report,
        )
        sync_parents(
            epci_overlaps,
            child_kinds=EPCI_KINDS,
            parent_kinds=GEOGRAPHIC_KINDS,
            report=report,
            relation="overlaps",
        )
        changed |= sync_parents(
            commune_parents,
            child_kinds=(TerritoryKind.COMMUNE,),
            parent_kinds=EPCI_KINDS,
            report=report,
        )

    bodies = []
    for group, kind in (
        (TerritoryKind.REGION, BodyKind.REGION),
        (TerritoryKind.DEPARTEMENT, BodyKind.DEPARTEMENT),
    ):
        items = getattr(reference, f"{group}s") or []
        for p in items:
            if p.code in pks.get(group, {}) and (
                not subset or _wanted(group, p, deps, regions_wanted)
            ):
                name, short = body_names(group, p.name, p.tncc)
                bodies.append(BodyRow(kind, pks[group][p.code], name, short))
    for c in communes:
        name, short = body_names(TerritoryKind.COMMUNE, c.name, c.tncc)
        bodies.append(
            BodyRow(
                BodyKind.COMMUNE,
                pks[TerritoryKind.COMMUNE][c.code],
                name,
                short,
                c.siren,
                slug_base=f"{short} {c.code}",
            )
        )
    for e in epcis:
        name, short = body_names(e.kind, e.name, None)
        bodies.append(BodyRow(BodyKind.EPCI, pks["epci"][e.code], name, short, e.code))
    sync_bodies(
        bodies,
        obsolete_territories=obsolete,
        kinds=(BodyKind.REGION, BodyKind.DEPARTEMENT, BodyKind.COMMUNE, BodyKind.EPCI),
        report=report,
    )
    _obsolete_bodies_of(obsolete, report)
    rebuild_containment(changed)
    return report


def _pks(pks: dict[str, dict[str, int]], places: Iterable[tuple[str, str]]) -> set[int]:
    """The pks of these (kind, code) places, among those the database holds."""
    return {pks[kind][code] for kind, code in places if code in pks[kind]}


def _wanted(group: str, place: Place, deps: set[str], regions: set[str]) -> bool:
    return place.code in (regions if group == TerritoryKind.REGION else deps)


def _codes(group: str) -> dict[str, int]:
    return dict(
        Territory.objects.filter(kind__in=GROUPS[group]).exclude(code="").values_list("code", "pk")
    )


def _epcis_in(deps: set[str] | None) -> set[int] | None:
    """EPCI with a member commune in one of `deps`: those a partial source can mark obsolete."""
    if deps is None:
        return None
    return set(
        Territory.objects.filter(
            kind__in=EPCI_KINDS,
            children__kind=TerritoryKind.COMMUNE,
            children__parents__kind=TerritoryKind.DEPARTEMENT,
            children__parents__code__in=deps,
        ).values_list("pk", flat=True)
    ) | set(
        Territory.objects.filter(
            kind__in=EPCI_KINDS, parents__kind=TerritoryKind.DEPARTEMENT, parents__code__in=deps
        ).values_list("pk", flat=True)
    )


def region_of_departement(reference: Reference) -> dict[str, str]:
    """Région code by département code, from the source, else from the database."""
    if reference.departements is not None:
        return {d.code: d.parent for d in reference.departements}
    return dict(
        Territory.objects.filter(
            kind=TerritoryKind.DEPARTEMENT, parents__kind=TerritoryKind.REGION
        ).values_list("code", "parents__code")
    )


def _add_populations(reference: Reference) -> None:
    """Give départements and régions the sum of their communes' populations, where the source
    has every commune of them with a population (a partial source says nothing)."""
    if not reference.communes or reference.departements is None:
        return
    totals: dict[str, int | None] = {}
    for commune in reference.communes:
        if commune.population is None:
            totals[commune.parent] = None
        elif totals.get(commune.parent, 0) is not None:
            totals[commune.parent] = totals.get(commune.parent, 0) + commune.population
    region_totals: dict[str, int | None] = {}
    for dep in reference.departements:
        dep.population = totals.get(dep.code)
        if dep.population is None:
            region_totals[dep.parent] = None
        elif region_totals.get(dep.parent, 0) is not None:
            region_totals[dep.parent] = region_totals.get(dep.parent, 0) + dep.population
    for reg in reference.regions or []:
        reg.population = region_totals.get(reg.code)


def _obsolete_bodies_of(territory_pks: set[int], report: ImportReport) -> None:
    """Bodies of obsolete territories the rows above did not list (they left the source)."""
    if not territory_pks:
        return
    stale = []
    for chunk in in_chunks(sorted(territory_pks)):
        stale += list(
            Body.objects.filter(
                territory_id__in=chunk, is_obsolete=False, manually_edited=False
            ).values_list("pk", flat=True)
        )
    for chunk in in_chunks(stale):
        Body.objects.filter(pk__in=chunk).update(is_obsolete=True)
    report.add(BODIES, "obsolete", len(stale))
    report.cover(BODY_LABEL, len(stale), len(stale))

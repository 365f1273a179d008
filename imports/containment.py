"""Where imported territories lie: direct containers, overlaps, and the derived closure.

The rules (docs/architecture.md, « Contenance et chevauchement »):

- an intercommunality (EPCI, PETR) lies in a département, or a région, only if all its member
  communes do (`geographic_place`); one that straddles them only overlaps them, which is
  recorded in `Territory.overlaps` and never feeds the closure;
- direct containment (`Territory.parents`) is replaced only for the pairs of kinds an import
  owns (`sync_parents`), so the territories import does not remove the PETR links that
  `import_petr` made, nor links entered by hand between other kinds;
- the derived closure is recomputed once, at the end, for what changed.
"""

from collections.abc import Iterable

from imports.bulk import BATCH_SIZE, in_chunks
from imports.report import LINKS, OVERLAPS, ImportReport
from imports.sources import Reference
from territories.models import GEOGRAPHIC_KINDS, Territory, TerritoryKind
from territories.services import containment_rebuild

# Above this many changed territories, rebuilding the whole closure is cheaper than listing
# ids (and a list that long would exceed SQLite's limit on query variables).
FULL_REBUILD_THRESHOLD = 5000


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


def region_of_departement(reference: Reference) -> dict[str, str]:
    """Région code by département code, from the source, else from the database."""
    if reference.departements is not None:
        return {d.code: d.parent for d in reference.departements}
    return dict(
        Territory.objects.filter(
            kind=TerritoryKind.DEPARTEMENT, parents__kind=TerritoryKind.REGION
        ).values_list("code", "parents__code")
    )


def pks_of(pks: dict[str, dict[str, int]], places: Iterable[tuple[str, str]]) -> set[int]:
    """The pks of these (kind, code) places, among those the database holds."""
    return {pks[kind][code] for kind, code in places if code in pks[kind]}


def place_areas(
    deps_by_pk: dict[int, set[str]],
    region_of: dict[str, str],
    containers: dict[str, dict[str, int]],
    *,
    child_kinds: Iterable[str],
    report: ImportReport,
) -> set[int]:
    """Link each area (EPCI, PETR) to its container and overlaps, from its départements.

    `deps_by_pk` gives the département codes of each area's communes, `containers` the pk of
    each département and région by code. Returns the areas whose containers changed.
    """
    parents, overlapping = {}, {}
    for pk, departements in deps_by_pk.items():
        place, overlaps = geographic_place(departements, region_of)
        parents[pk] = pks_of(containers, [place] if place else [])
        overlapping[pk] = pks_of(containers, overlaps)
    kinds = {"child_kinds": tuple(child_kinds), "parent_kinds": GEOGRAPHIC_KINDS}
    changed = sync_parents(parents, **kinds, report=report)
    sync_parents(overlapping, **kinds, report=report, relation="overlaps")
    return changed


def _stored_links(through, child_kinds, parent_kinds) -> dict[int, dict[int, int]]:
    """child pk → {parent pk: link pk} for the links between these kinds."""
    existing: dict[int, dict[int, int]] = {}
    for pk, child, parent in through.objects.filter(
        from_territory__kind__in=child_kinds, to_territory__kind__in=parent_kinds
    ).values_list("pk", "from_territory_id", "to_territory_id"):
        existing.setdefault(child, {})[parent] = pk
    return existing


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
    existing = _stored_links(through, child_kinds, parent_kinds)
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

"""Writes on territories that touch several rows: parents and the derived containment."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from core.cache import data_changed
from territories.models import GEOGRAPHIC_KINDS, Territory, TerritoryAncestor, TerritoryKind


def _parent_map(children: set[int] | None = None) -> dict[int, set[int]]:
    """Direct parents by child id: all of them, or only those of `children`."""
    links = Territory.parents.through.objects.all()
    if children is not None:
        links = links.filter(from_territory_id__in=children)
    edges: dict[int, set[int]] = {}
    for child_id, parent_id in links.values_list("from_territory_id", "to_territory_id"):
        edges.setdefault(child_id, set()).add(parent_id)
    return edges


def _closure(
    edges: dict[int, set[int]], territory_id: int, memo: dict[int, frozenset]
) -> frozenset:
    """Every ancestor of `territory_id`, iteratively so that deep chains cannot overflow."""
    if territory_id in memo:
        return memo[territory_id]
    stack, seen = [territory_id], {territory_id}
    result: set[int] = set()
    while stack:
        current = stack.pop()
        for parent in edges.get(current, ()):
            if parent == territory_id:
                raise ValidationError(
                    "Un territoire ne peut pas se contenir lui-même, même indirectement.",
                    code="containment_cycle",
                )
            if parent not in seen:
                seen.add(parent)
                result.add(parent)
                if parent in memo:
                    result |= memo[parent]
                else:
                    stack.append(parent)
    memo[territory_id] = frozenset(result)
    return memo[territory_id]


@transaction.atomic
def containment_rebuild(territory_ids: Iterable[int] | None = None) -> dict[str, int]:
    """Recompute `TerritoryAncestor` rows for these territories and everything inside them.

    With no ids, the whole closure is rebuilt. Only the difference is written, so a re-run on
    unchanged data writes nothing. Returns the counts of rows added and removed.
    """
    if territory_ids is None:
        targets = set(Territory.objects.values_list("pk", flat=True))
        edges = _parent_map()
        memo: dict[int, frozenset] = {}
    else:
        roots = set(territory_ids)
        targets = roots | set(
            TerritoryAncestor.objects.filter(ancestor_id__in=roots).values_list(
                "territory_id", flat=True
            )
        )
        edges = _parent_map(targets)
        # A parent outside the targets is not inside any root, so its recorded ancestors are
        # still right: reuse them instead of walking the whole graph up to the régions.
        outside = {p for parents in edges.values() for p in parents} - targets
        known: dict[int, set[int]] = {p: set() for p in outside}
        for t, a in TerritoryAncestor.objects.filter(territory_id__in=outside).values_list(
            "territory_id", "ancestor_id"
        ):
            known[t].add(a)
        memo = {p: frozenset(ancestors) for p, ancestors in known.items()}
    wanted = {(t, a) for t in targets for a in _closure(edges, t, memo)}
    existing_qs = TerritoryAncestor.objects.filter(territory_id__in=targets)
    existing = {
        (t, a): pk for pk, t, a in existing_qs.values_list("pk", "territory_id", "ancestor_id")
    }
    stale = [pk for pair, pk in existing.items() if pair not in wanted]
    for start in range(0, len(stale), 900):
        TerritoryAncestor.objects.filter(pk__in=stale[start : start + 900]).delete()
    missing = [
        TerritoryAncestor(territory_id=t, ancestor_id=a)
        for t, a in wanted
        if (t, a) not in existing
    ]
    TerritoryAncestor.objects.bulk_create(missing, batch_size=2000)
    if stale or missing:
        # Bulk writes send no signal (docs/architecture.md, « Cache »).
        data_changed()
    return {"added": len(missing), "removed": len(stale)}


def containment_check_parents(*, territory: Territory, parents: Iterable[Territory]) -> None:
    """Refuse a parent that is `territory` itself or lies inside it (containment is acyclic),
    and a département or région that holds only part of its communes: that is an overlap,
    not containment (docs/architecture.md, « Contenance et chevauchement »)."""
    if territory.pk is None:
        # A territory being created contains nothing yet, so it cannot close a cycle.
        return
    inside = dict(Territory.objects.inside(territory).values_list("pk", "kind"))
    communes = {pk for pk, kind in inside.items() if kind == TerritoryKind.COMMUNE}
    overlapped = None  # read once, for the first département or région checked
    for parent in parents:
        if parent.pk == territory.pk:
            raise ValidationError(
                "Un territoire ne peut pas se contenir lui-même.", code="containment_cycle"
            )
        if parent.pk in inside:
            raise ValidationError(
                "« %(parent)s » est contenu dans « %(territory)s » : "
                "il ne peut pas aussi le contenir.",
                code="containment_cycle",
                params={"parent": parent, "territory": territory},
            )
        # The INSEE hierarchy between départements and régions is the reference itself; what
        # is checked is an area of communes (EPCI, PETR…) placed in one of them.
        if parent.kind in GEOGRAPHIC_KINDS and territory.kind not in GEOGRAPHIC_KINDS:
            if overlapped is None:
                overlapped = set(territory.overlaps.values_list("pk", flat=True))
            _check_inside(territory, parent, communes=communes, overlapped=overlapped)


def _check_inside(
    territory: Territory, parent: Territory, *, communes: set[int], overlapped: set[int]
) -> None:
    """Refuse `parent` (a département or région) unless all of `territory`'s `communes` lie
    in it and the imports recorded no overlap of the two (`overlapped`)."""
    outside = Territory.objects.filter(pk__in=communes - _communes_within(parent))
    if parent.pk in overlapped or outside:
        names = ", ".join(str(t) for t in outside.order_by("name")[:3])
        more = "…" if len(outside) > 3 else ""
        raise ValidationError(
            "« %(territory)s » n'est pas entièrement dans « %(parent)s » : il le chevauche "
            "seulement.%(outside)s",
            code="containment_overlap",
            params={
                "parent": parent,
                "territory": territory,
                "outside": f" Communes hors de « {parent} » : {names}{more}." if names else "",
            },
        )


def _communes_within(territory: Territory) -> set[int]:
    return set(
        Territory.objects.inside(territory)
        .filter(kind=TerritoryKind.COMMUNE)
        .values_list("pk", flat=True)
    )


@transaction.atomic
def territory_set_parents(*, territory: Territory, parents: Iterable[Territory]) -> Territory:
    """Replace the direct containers of `territory` and update the derived containment.

    Refuses (ValidationError, nothing written) a parent that is the territory itself or lies
    inside it, since containment must stay acyclic.
    """
    parents = list(parents)
    try:
        containment_check_parents(territory=territory, parents=parents)
    except ValidationError as error:
        raise ValidationError({"parents": error.messages}) from error
    territory.parents.set(parents)
    containment_rebuild([territory.pk])
    return territory


def territories_delete(territories: QuerySet) -> None:
    """Delete `territories`, then re-derive the containment of what lay directly inside them
    (it may still list its former containers among its ancestors)."""
    with transaction.atomic():
        children = list(
            Territory.objects.filter(parents__in=territories)
            .exclude(pk__in=territories)
            .values_list("pk", flat=True)
            .distinct()
        )
        territories.delete()
        containment_rebuild(children)

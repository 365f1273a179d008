"""A territory from what a visitor types, and what tells namesakes apart
(docs/architecture.md, « Naming a territory »)."""

from django.db.models import F

from territories.models import Territory, TerritoryAncestor, TerritoryKind

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

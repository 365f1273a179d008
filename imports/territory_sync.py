"""Comparing a source's territories with the database and writing only the difference.

The rules (docs/architecture.md, « Reference data »):

- a territory is found by its official code within its group of kinds (an EPCI keeps its
  SIREN when a CC becomes a CA, so the kind is updated, not a new row created);
- what is no longer in the source is marked obsolete, never deleted, and only within the
  perimeter the source covers (`obsolete_scope`); a row that comes back is un-obsoleted;
- each group reports how many current rows it covers and retires (`ImportReport.cover`), for
  the mass-obsolescence guard (`imports.guard`);
- rows ticked "protégé des imports" (`manually_edited`) are left as they are and counted.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from imports.bulk import BATCH_SIZE, SlugPool
from imports.report import ImportReport
from territories.models import EPCI_KINDS, Territory, TerritoryKind

TERRITORIES = "Territoires"

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

# What is compared of a stored territory, by code: (pk, kind, name, is_obsolete,
# manually_edited, population, postal_codes).
STORED_FIELDS = (
    "pk",
    "kind",
    "code",
    "name",
    "is_obsolete",
    "manually_edited",
    "population",
    "postal_codes",
)


@dataclass
class TerritoryRow:
    """A territory as a source gives it."""

    kind: str
    code: str
    name: str
    # None and "" mean the source does not say: the stored value is kept.
    population: int | None = None
    postal_codes: str = ""


@dataclass(frozen=True)
class InScope:
    """An `obsolete_scope` that covers the territories of these pks (None: all of them)."""

    pks: set[int] | None

    def __call__(self, code: str, pk: int) -> bool:
        return self.pks is None or pk in self.pks


@dataclass
class _Writes:
    """The rows one group's comparison will create and update, in one pass each."""

    created: list[Territory] = field(default_factory=list)
    updated: list[Territory] = field(default_factory=list)

    def save(self) -> None:
        """Insert, then update renamed rows fully and merely retired rows on one column."""
        Territory.objects.bulk_create(self.created, batch_size=BATCH_SIZE)
        Territory.objects.bulk_update(
            [t for t in self.updated if t.name],
            [
                "kind",
                "name",
                "search_text",
                "sort_key",
                "is_obsolete",
                "population",
                "postal_codes",
            ],
            batch_size=BATCH_SIZE,
        )
        Territory.objects.bulk_update(
            [t for t in self.updated if not t.name], ["is_obsolete"], batch_size=BATCH_SIZE
        )


def codes_of(group: str) -> dict[str, int]:
    """The pk of each coded territory of `group` in the database."""
    return dict(
        Territory.objects.filter(kind__in=GROUPS[group]).exclude(code="").values_list("code", "pk")
    )


def _stored(group: str) -> dict[str, tuple]:
    """The coded territories of `group`: code → (pk, kind, name, obsolete, protected, …)."""
    return {
        row[2]: (row[0], row[1], *row[3:])
        for row in Territory.objects.filter(kind__in=GROUPS[group])
        .exclude(code="")
        .values_list(*STORED_FIELDS)
    }


def _new_territory(row: TerritoryRow, slugs: SlugPool) -> Territory:
    return Territory(
        kind=row.kind,
        code=row.code,
        name=row.name,
        population=row.population,
        postal_codes=row.postal_codes,
        slug=slugs.take(f"{row.name} {row.code}"),
    ).with_search_text()


def _compare(row: TerritoryRow, current: tuple, writes: _Writes, report: ImportReport) -> None:
    """Update a stored territory to `row` unless it already agrees or is protected.

    A population or postal codes the source leaves out keep their stored value; a listed
    territory is current again.
    """
    pk, kind, name, obsolete, protected, population, postal_codes = current
    if row.population is not None:
        population = row.population
    postal_codes = row.postal_codes or postal_codes
    wanted = (row.kind, row.name, False, population, postal_codes)
    if (kind, name, obsolete, *current[5:]) == wanted:
        report.add(TERRITORIES, "unchanged")
    elif protected:
        report.add(TERRITORIES, "protected")
    else:
        writes.updated.append(
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


def _retire_missing(
    group: str,
    stored: dict[str, tuple],
    seen: set[str],
    obsolete_scope: Callable[[str, int], bool],
    writes: _Writes,
    report: ImportReport,
) -> set[int]:
    """Mark obsolete the unlisted territories the source covers; return all obsolete in scope.

    Counts the current rows the source covers (listed, or in its perimeter) and those it
    retires, for the mass-obsolescence guard; a protected row is covered but never retired.
    """
    obsolete_pks = set()
    covered = retired = 0
    for code, (pk, _kind, _name, obsolete, protected, *_rest) in stored.items():
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
            writes.updated.append(Territory(pk=pk, is_obsolete=True))
            report.add(TERRITORIES, "obsolete")
    report.cover(GROUP_LABELS[group], covered, retired)
    return obsolete_pks


def sync_territories(
    group: str,
    rows: Iterable[TerritoryRow],
    *,
    obsolete_scope: Callable[[str, int], bool] | None,
    report: ImportReport,
) -> tuple[dict[str, int], set[int]]:
    """Create or update the territories of `group` found in `rows`; mark the missing obsolete.

    A code listed twice counts once, its first row standing. A territory of the group that is
    not in `rows` is marked obsolete when `obsolete_scope(code, pk)` says the source covers it
    (None: never). Returns the pk of each code of the group (existing or created) and the pks
    of the group's obsolete territories in scope.
    """
    stored = _stored(group)
    slugs = SlugPool(Territory.objects.values_list("slug", flat=True))
    writes, seen = _Writes(), set()
    for row in rows:
        if row.code in seen:
            continue
        seen.add(row.code)
        current = stored.get(row.code)
        if current is None:
            writes.created.append(_new_territory(row, slugs))
            report.add(TERRITORIES, "created")
        else:
            _compare(row, current, writes, report)
    obsolete_pks = set()
    if obsolete_scope is not None:
        obsolete_pks = _retire_missing(group, stored, seen, obsolete_scope, writes, report)
    writes.save()
    pks = {code: values[0] for code, values in stored.items()}
    pks.update({t.code: t.pk for t in writes.created})
    return pks, obsolete_pks

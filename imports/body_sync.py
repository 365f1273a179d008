"""Comparing the bodies that govern imported territories with the database, and writing them.

A body follows its territory: created with it, renamed with it, obsolete when it is. It is
found by its SIREN, else by (kind, territory) — the demo data finds the same rows by name,
and names follow its forms (`imports.naming`). A value the source does not give (a short
name, a SIREN) is never blanked; a protected body (`manually_edited`) is left as it is.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from core.text import luhn_valid
from imports.bulk import BATCH_SIZE, SlugPool, in_chunks
from imports.report import ImportReport
from territories.models import Body

BODIES = "Organismes"
# How the mass-obsolescence guard names bodies in its refusal (ImportReport.cover).
BODY_LABEL = "organismes"

STORED_FIELDS = (
    "pk",
    "kind",
    "territory_id",
    "siren",
    "name",
    "short_name",
    "is_obsolete",
    "manually_edited",
)
UPDATED_FIELDS = [
    "kind",
    "territory",
    "siren",
    "name",
    "short_name",
    "is_obsolete",
    "search_text",
    "sort_key",
]


@dataclass
class BodyRow:
    """The body a source implies for one of its territories."""

    kind: str
    territory_pk: int
    name: str
    short_name: str = ""
    siren: str = ""
    # Communes share names (dozens of Saint-Martin): their body's slug carries the INSEE code.
    slug_base: str = ""


class _BodySync:
    """One comparison of body rows with the stored bodies of some kinds, then one write."""

    def __init__(self, kinds: tuple[str, ...], obsolete_territories: set[int], report):
        self.obsolete_territories, self.report = obsolete_territories, report
        # SIREN → pk, and None for a SIREN given to a body created in this run.
        self.by_siren = dict(Body.objects.exclude(siren="").values_list("siren", "pk"))
        self.stored, self.by_place = {}, {}
        for values in Body.objects.filter(kind__in=kinds).values_list(*STORED_FIELDS):
            self.stored[values[0]] = values
            self.by_place.setdefault((values[1], values[2]), values[0])
        self.slugs = SlugPool(Body.objects.values_list("slug", flat=True))
        self.created, self.updated, self.seen = [], [], set()
        self.covered = self.retired = 0  # for the mass-obsolescence guard

    def add(self, row: BodyRow) -> None:
        """Compare one row: create its body, or update the stored one found for it once."""
        pk = self.by_siren.get(row.siren) if row.siren else None
        if pk not in self.stored:
            pk = self.by_place.get((row.kind, row.territory_pk))
        # A SIREN already held by another body, or with a wrong check digit, is not given.
        siren = row.siren
        if not (siren and siren not in self.by_siren and luhn_valid(siren)):
            siren = ""
        if pk is None:
            self.create(row, siren)
        elif pk not in self.seen:
            self.seen.add(pk)
            self.compare(self.stored[pk], row, siren)

    def create(self, row: BodyRow, siren: str) -> None:
        self.created.append(
            Body(
                kind=row.kind,
                territory_id=row.territory_pk,
                name=row.name,
                short_name=row.short_name,
                siren=siren,
                slug=self.slugs.take(row.slug_base or row.short_name or row.name),
                is_obsolete=row.territory_pk in self.obsolete_territories,
            ).with_search_text()
        )
        if siren:
            self.by_siren[siren] = None
        self.report.add(BODIES, "created")

    def compare(self, stored: tuple, row: BodyRow, siren: str) -> None:
        """Bring a stored body to `row`, keeping a SIREN or short name the row does not give."""
        pk, kind, territory_pk, old_siren, name, short_name, obsolete, protected = stored
        wanted = (
            row.kind,
            row.territory_pk,
            old_siren or siren,
            row.name,
            row.short_name or short_name,
            row.territory_pk in self.obsolete_territories,
        )
        self.covered += not obsolete
        if wanted == (kind, territory_pk, old_siren, name, short_name, obsolete):
            self.report.add(BODIES, "unchanged")
            return
        if protected:
            self.report.add(BODIES, "protected")
            return
        body = Body(pk=pk, kind=wanted[0], territory_id=wanted[1], siren=wanted[2])
        body.name, body.short_name, body.is_obsolete = wanted[3], wanted[4], wanted[5]
        self.updated.append(body.with_search_text())
        if wanted[5] and not obsolete:
            self.retired += 1
            self.report.add(BODIES, "obsolete")
        else:
            self.report.add(BODIES, "updated")
        if siren and not old_siren:
            self.by_siren[siren] = pk

    def save(self) -> None:
        self.report.cover(BODY_LABEL, self.covered, self.retired)
        Body.objects.bulk_create(self.created, batch_size=BATCH_SIZE)
        Body.objects.bulk_update(self.updated, UPDATED_FIELDS, batch_size=BATCH_SIZE)


def sync_bodies(
    rows: Iterable[BodyRow],
    *,
    obsolete_territories: set[int],
    kinds: Iterable[str],
    report: ImportReport,
) -> None:
    """Create or update the body governing each territory; follow its territory's obsolescence.

    Only stored bodies of `kinds` are compared; a body listed twice counts once.
    """
    sync = _BodySync(tuple(kinds), obsolete_territories, report)
    for row in rows:
        sync.add(row)
    sync.save()


def obsolete_bodies_of(territory_pks: set[int], report: ImportReport) -> None:
    """Bodies of obsolete territories the rows above did not list (they left the source)."""
    if not territory_pks:
        return
    stale = 0
    for chunk in in_chunks(sorted(territory_pks)):
        stale += Body.objects.filter(
            territory_id__in=chunk, is_obsolete=False, manually_edited=False
        ).update(is_obsolete=True)
    report.add(BODIES, "obsolete", stale)
    report.cover(BODY_LABEL, stale, stale)

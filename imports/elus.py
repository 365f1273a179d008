"""The elected-officials import: people and their mandates from the RNE files (`imports.rne`).

Rules:
- a person is the same across files and re-imports when the normalised last name, first name
  and birth date agree, so a conseiller municipal who is also conseiller communautaire is one
  `Person` with two mandates; a person entered without birth date (by hand, or by the demo)
  and alone with that name receives the birth date instead of being duplicated;
- a mandate is keyed by (person, body, function, source); its label keeps the file's wording
  (« Premier adjoint au maire ») when it says more than the usual title;
- obsolescence is scoped: a mandate of the same source on a body the file lists, absent from
  the file, is marked obsolete. A Haute-Marne-only file therefore leaves other départements'
  mandates alone, and a body the file no longer lists at all keeps its mandates as they were;
- a run that would mark more than a small share of the mandates on the file's bodies obsolete
  is refused whole (a cut download), unless --allow-mass-obsolete (after an election);
- birth dates only serve matching: they are never shown nor exported;
- rows ticked "protégé des imports" are not overwritten (counted as protégés).

The file is streamed and written in chunks inside the command's single transaction, so a
500,000-row file does not sit in memory and a bad line still leaves the database untouched.
"""

from collections import Counter
from pathlib import Path

from core.text import search_key
from imports.bulk import BATCH_SIZE, SlugPool, in_chunks
from imports.errors import ImportFailure
from imports.files import CsvFile
from imports.naming import body_names
from imports.report import ImportReport, Progress
from imports.rne import CD, CM, COMMON, CR, EPCI, FileKind, display_name, file_kind, parse_row
from people.models import Mandate, Person
from territories.models import Body, Territory

PEOPLE = "Personnes"
MANDATES = "Mandats"
# Rows validated, then written together: bounded memory, few statements.
CHUNK = 5000


class _Bodies:
    """Body pk by official code for the file's kind; bodies missing for a known territory
    (a territory created by hand or by the demo) are created on first use."""

    def __init__(self, kind: FileKind):
        self.kind = kind
        self.by_code = dict(
            Body.objects.filter(kind=kind.body_kind, territory__kind__in=kind.territory_kinds)
            .exclude(territory__code="")
            .values_list("territory__code", "pk")
        )

    def get(self, code: str, path, line: int) -> int:
        pk = self.by_code.get(code)
        if pk is not None:
            return pk
        territory = (
            Territory.objects.filter(kind__in=self.kind.territory_kinds, code=code)
            .only("pk", "kind", "name")
            .first()
        )
        if territory is None:
            what = {
                CM: "commune inconnue",
                EPCI: "EPCI inconnu",
                CD: "département inconnu",
                CR: "région inconnue",
            }[self.kind]
            raise ImportFailure(
                path,
                line,
                f"{what} : « {code} » ({self.kind.code_column}). Importez d'abord les "
                "territoires (manage.py import_territories).",
            )
        name, short = body_names(territory.kind, territory.name, None)
        body = Body(kind=self.kind.body_kind, territory=territory, name=name, short_name=short)
        body.save()
        self.by_code[code] = body.pk
        return body.pk


def rne_import(path: Path, *, report: ImportReport | None = None) -> ImportReport:
    """Import one RNE file: people, their mandates, obsolescence within the file's bodies."""
    report = report or ImportReport()
    with CsvFile(path) as reader:
        kind = file_kind(reader)
        _Import(reader, kind, report).run()
    return report


class _Import:
    """One RNE file against the people and this source's mandates, loaded once in memory."""

    def __init__(self, reader: CsvFile, kind: FileKind, report: ImportReport):
        self.reader, self.kind, self.report = reader, kind, report
        self.source = kind.source
        self.bodies = _Bodies(kind)
        self.columns = {name: reader.index(name) for name in (*COMMON, kind.code_column)}
        self._load_people()
        self.person_slugs = SlugPool(Person.objects.values_list("slug", flat=True))
        self._load_mandates()
        # Current mandates before the run: the mass-obsolescence guard's denominator.
        self.current_before = {entry[0] for entry in self.mandates.values() if not entry[3]}
        self.seen_mandates: set[int] = set()
        self.seen_bodies: set[int] = set()
        self.seen_people: set[int] = set()
        for label in (PEOPLE, MANDATES):
            report.counts.setdefault(label, Counter())

    def _load_people(self) -> None:
        """Every person by (last-name key, first-name key, birth date), and those without one."""
        # (last-name key, first-name key, birth date) → [pk, gender, manually_edited]
        self.people: dict[tuple, list] = {}
        self.nameless_birth: dict[tuple, list[int]] = {}
        for pk, last, first, birth, gender, protected in Person.objects.values_list(
            "pk", "last_name", "first_name", "birth_date", "gender", "manually_edited"
        ).iterator(chunk_size=5000):
            key = (search_key(last), search_key(first), birth)
            self.people[key] = [pk, gender, protected]
            if birth is None:
                self.nameless_birth.setdefault(key[:2], []).append(pk)

    def _load_mandates(self) -> None:
        """This source's mandates by (person, body, function)."""
        # (person, body, function) → [pk, label, start, obsolete, protected], this source only
        self.mandates: dict[tuple, list] = {}
        for pk, person, body, function, label, start, obsolete, protected in (
            Mandate.objects.filter(source=self.source)
            .values_list(
                "pk",
                "person_id",
                "body_id",
                "function",
                "label",
                "start_date",
                "is_obsolete",
                "manually_edited",
            )
            .iterator(chunk_size=5000)
        ):
            self.mandates[(person, body, function)] = [pk, label, start, obsolete, protected]

    def run(self) -> None:
        """Read, validate and write the file chunk by chunk, then retire what it no longer lists."""
        progress = Progress(f"{self.reader.path.name} : lignes lues")
        chunk = []
        for line, cells in self.reader.rows():
            chunk.append(self.parse(line, cells))
            if len(chunk) >= CHUNK:
                self.write(chunk)
                progress.step(len(chunk))
                chunk = []
        self.write(chunk)
        progress.step(len(chunk))
        progress.done()
        self.obsolete()

    def parse(self, line: int, cells: list[str]) -> tuple:
        """Validate one row into a compact tuple (no dict per row: files run to 500,000)."""
        last, first, gender, birth, code, function, label, start = parse_row(
            self.reader, self.kind, self.columns, line, cells
        )
        body = self.bodies.get(code, self.reader.path, line)
        return (last, first, gender, birth, body, function, label, start)

    def person_for(self, last, first, gender, birth, created: list) -> list:
        """The entry of the row's person: known, adopted from a namesake without birth date,
        or new (appended to `created`, written with the chunk)."""
        key = (search_key(last), search_key(first), birth)
        entry = self.people.get(key)
        if entry is None and birth is not None:
            candidates = self.nameless_birth.get(key[:2], [])
            if len(candidates) == 1:
                # Entered without birth date: give it the RNE's rather than a twin.
                pk = candidates.pop()
                Person.objects.filter(pk=pk).update(birth_date=birth)
                old = self.people.pop((*key[:2], None))
                entry = self.people[key] = old
                self.seen_people.add(pk)
                self.report.add(PEOPLE, "updated")
        if entry is None:
            person = Person(
                last_name=display_name(last),
                first_name=display_name(first),
                gender=gender,
                birth_date=birth,
            )
            person.with_search_text()
            person.slug = self.person_slugs.take(person.full_name)
            entry = self.people[key] = [person, gender, False]
            created.append(person)
            self.report.add(PEOPLE, "created")
        return entry

    def write(self, chunk: list[tuple]) -> None:
        """Write one chunk of parsed rows: their people first, then their mandates."""
        self.write_mandates(self.write_people(chunk), chunk)

    def write_people(self, chunk: list[tuple]) -> list[list]:
        """Create or update the person of each row; return each row's entry, pk first.

        A known person's sex code is updated from the file unless protected or not given.
        """
        new_people, gender_updates = [], {}
        entries = []
        for last, first, gender, birth, *_rest in chunk:
            entry = self.person_for(last, first, gender, birth, new_people)
            if not isinstance(entry[0], Person) and entry[0] not in self.seen_people:
                self.seen_people.add(entry[0])
                if not gender or entry[1] == gender:
                    self.report.add(PEOPLE, "unchanged")
                elif entry[2]:
                    self.report.add(PEOPLE, "protected")
                else:
                    gender_updates[entry[0]] = gender
                    entry[1] = gender
                    self.report.add(PEOPLE, "updated")
            entries.append(entry)
        Person.objects.bulk_create(new_people, batch_size=BATCH_SIZE)
        # A person's first row in the run decides: a namesake row further down (same name and
        # birth date, other sex code) must not flip the gender back and forth on every run.
        self.seen_people.update(person.pk for person in new_people)
        for entry in entries:
            if isinstance(entry[0], Person):
                entry[0] = entry[0].pk
        for gender in {"M", "F"}:
            pks = [pk for pk, g in gender_updates.items() if g == gender]
            for part in in_chunks(pks):
                Person.objects.filter(pk__in=part).update(gender=gender)
        return entries

    def write_mandates(self, entries: list[list], chunk: list[tuple]) -> None:
        """Create or update the mandate of each row; the first row of a mandate stands."""
        new_mandates, updates = [], []
        for entry, (*_person, body, function, label, start) in zip(entries, chunk, strict=True):
            self.seen_bodies.add(body)
            key = (entry[0], body, function)
            current = self.mandates.get(key)
            if current is None:
                mandate = Mandate(
                    person_id=entry[0],
                    body_id=body,
                    function=function,
                    label=label,
                    start_date=start,
                    source=self.source,
                )
                new_mandates.append(mandate)
                self.mandates[key] = [mandate, label, start, False, False]
                self.report.add(MANDATES, "created")
                continue
            pk = current[0]
            if isinstance(pk, Mandate) or pk in self.seen_mandates:
                continue  # the same mandate twice in one file: the first row stands
            self.seen_mandates.add(pk)
            if (current[1], current[2], current[3]) == (label, start, False):
                self.report.add(MANDATES, "unchanged")
            elif current[4]:
                self.report.add(MANDATES, "protected")
            else:
                updates.append(Mandate(pk=pk, label=label, start_date=start, is_obsolete=False))
                current[1:4] = [label, start, False]
                self.report.add(MANDATES, "updated")
        Mandate.objects.bulk_create(new_mandates, batch_size=BATCH_SIZE)
        for mandate in new_mandates:
            entry = self.mandates[(mandate.person_id, mandate.body_id, mandate.function)]
            entry[0] = mandate.pk
            self.seen_mandates.add(mandate.pk)
        Mandate.objects.bulk_update(
            updates, ["label", "start_date", "is_obsolete"], batch_size=BATCH_SIZE
        )

    def obsolete(self) -> None:
        """Mandates of this source on the file's bodies that the file no longer lists."""
        stale = []
        for (_person, body, _function), (pk, _l, _s, obsolete, protected) in self.mandates.items():
            if body not in self.seen_bodies or pk in self.seen_mandates or obsolete:
                continue
            if protected:
                self.report.add(MANDATES, "protected")
            else:
                stale.append(pk)
        for part in in_chunks(stale):
            Mandate.objects.filter(pk__in=part).update(is_obsolete=True)
        self.report.add(MANDATES, "obsolete", len(stale))
        covered = sum(
            1
            for (_person, body, _function), (pk, *_rest) in self.mandates.items()
            if body in self.seen_bodies and pk in self.current_before
        )
        self.report.cover(f"mandats de {self.kind.label}", covered, len(stale))

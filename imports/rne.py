"""Elected officials from the Répertoire national des élus (RNE), one CSV per kind of council.

The kind of file is recognised from its header (columns are read by name, never by position):

| file                          | recognised by                        | body        | source    |
| ----------------------------- | ------------------------------------ | ----------- | --------- |
| conseillers communautaires    | `N° SIREN`                           | EPCI        | `rne-epci`|
| conseillers départementaux    | `Code du canton`                     | département | `rne-cd`  |
| conseillers régionaux         | `Code de la section départementale`  | région      | `rne-cr`  |
| conseillers municipaux        | `Code de la commune`                 | commune     | `rne-cm`  |

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

import datetime
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from core.text import search_key
from imports.base import (
    BATCH_SIZE,
    COMMUNE_CODE,
    DEPARTEMENT_CODE,
    REGION_CODE,
    SIREN,
    CsvFile,
    ImportFailure,
    ImportReport,
    Progress,
    SlugPool,
    check_text,
    in_chunks,
)
from imports.reference import body_names
from people.models import FUNCTION_TITLES, Function, Mandate, Person
from territories.models import EPCI_KINDS, Body, BodyKind, Territory, TerritoryKind

PEOPLE = "Personnes"
MANDATES = "Mandats"
CHUNK = 5000
# Column widths checked on each line, so that a long value is refused with its line rather than
# cut (it was) or refused by PostgreSQL alone.
LAST_NAME_MAX = Person._meta.get_field("last_name").max_length
FIRST_NAME_MAX = Person._meta.get_field("first_name").max_length
LABEL_MAX = Mandate._meta.get_field("label").max_length

COMMON = (
    "Nom de l'élu",
    "Prénom de l'élu",
    "Code sexe",
    "Date de naissance",
    "Libellé de la fonction",
    "Date de début du mandat",
    "Date de début de la fonction",
)


@dataclass(frozen=True)
class FileKind:
    label: str
    source: str
    code_column: str
    pattern: re.Pattern
    body_kind: str
    territory_kinds: tuple[str, ...]


CM = FileKind(
    "conseillers municipaux",
    "rne-cm",
    "Code de la commune",
    COMMUNE_CODE,
    BodyKind.COMMUNE,
    (TerritoryKind.COMMUNE,),
)
EPCI = FileKind(
    "conseillers communautaires", "rne-epci", "N° SIREN", SIREN, BodyKind.EPCI, EPCI_KINDS
)
CD = FileKind(
    "conseillers départementaux",
    "rne-cd",
    "Code du département",
    DEPARTEMENT_CODE,
    BodyKind.DEPARTEMENT,
    (TerritoryKind.DEPARTEMENT,),
)
CR = FileKind(
    "conseillers régionaux",
    "rne-cr",
    "Code de la région",
    REGION_CODE,
    BodyKind.REGION,
    (TerritoryKind.REGION,),
)


def file_kind(reader: CsvFile) -> FileKind:
    """Which RNE file this is, from its header; refuse any other file on line 1."""
    if reader.has("N° SIREN"):
        kind = EPCI
    elif reader.has("Code du canton"):
        kind = CD
    elif reader.has("Code de la section départementale"):
        kind = CR
    elif reader.has("Code de la commune"):
        kind = CM
    else:
        raise ImportFailure(
            reader.path,
            1,
            "fichier du Répertoire national des élus non reconnu : une colonne « Code de la "
            "commune », « N° SIREN », « Code du canton » ou « Code de la section "
            "départementale » est attendue.",
        )
    reader.require((*COMMON, kind.code_column), f"le fichier des {kind.label}")
    return kind


def function_of(label: str) -> tuple[str, str]:
    """Map `Libellé de la fonction` to (Mandate.function, label to keep); empty → conseiller."""
    key = search_key(label)
    if not key:
        return Function.COUNCILLOR, ""
    if "adjoint" in key:
        function = Function.DEPUTY_MAYOR
    elif key.startswith("maire") and "delegue" not in key:
        function = Function.MAYOR
    elif "vice president" in key:
        function = Function.VICE_PRESIDENT
    elif "president" in key:
        function = Function.COMMITTEE_CHAIR if "commission" in key else Function.PRESIDENT
    elif "delegue" in key:
        function = Function.DELEGATE
    elif key.startswith(("conseiller", "membre")):
        function = Function.COUNCILLOR
    else:
        function = Function.OTHER
    # The usual title needs no label; « 2e adjoint au maire » or « Président du conseil
    # départemental » says more and is kept as written.
    usual = {search_key(title) for title in FUNCTION_TITLES[function]}
    return function, "" if key in usual else label.strip()


def parse_date(value: str, path, line: int, column: str) -> datetime.date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return datetime.datetime.strptime(value, "%d/%m/%Y").date()
    except ValueError as error:
        raise ImportFailure(
            path, line, f"{column} mal formée : « {value} » (format attendu : jj/mm/aaaa)."
        ) from error


PARTICLES = {"de", "du", "des"}


def display_name(name: str) -> str:
    """« DUPONT-MOREAU » → « Dupont-Moreau », « MARTIN DE LA TOUR » → « Martin de La Tour ».

    RNE names are upper case; the site shows them as people write them, as the demo data does.
    A name already in mixed case is kept as written.
    """
    name = " ".join(name.split())
    if name != name.upper():
        return name
    words = []
    for i, word in enumerate(name.lower().split(" ")):
        if i and word in PARTICLES:
            words.append(word)
        else:
            words.append("".join(p[:1].upper() + p[1:] for p in re.split(r"([-'’])", word)))
    return " ".join(words)


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
    def __init__(self, reader: CsvFile, kind: FileKind, report: ImportReport):
        self.reader, self.kind, self.report = reader, kind, report
        self.source = kind.source
        self.bodies = _Bodies(kind)
        self.columns = {name: reader.index(name) for name in (*COMMON, kind.code_column)}
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
        self.person_slugs = SlugPool(Person.objects.values_list("slug", flat=True))
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
        # Current mandates before the run: the mass-obsolescence guard's denominator.
        self.current_before = {entry[0] for entry in self.mandates.values() if not entry[3]}
        self.seen_mandates: set[int] = set()
        self.seen_bodies: set[int] = set()
        self.seen_people: set[int] = set()
        for label in (PEOPLE, MANDATES):
            report.counts.setdefault(label, Counter())

    def run(self) -> None:
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
        col, path = self.columns, self.reader.path

        def cell(name):
            return cells[col[name]].strip()

        last, first = cell("Nom de l'élu"), cell("Prénom de l'élu")
        if not last or not first:
            raise ImportFailure(path, line, "nom ou prénom de l'élu vide.")
        check_text(last, "Nom de l'élu", LAST_NAME_MAX, path, line)
        check_text(first, "Prénom de l'élu", FIRST_NAME_MAX, path, line)
        function_label = check_text(
            cell("Libellé de la fonction"), "Libellé de la fonction", LABEL_MAX, path, line
        )
        gender = cell("Code sexe").upper()
        if gender not in {"M", "F", ""}:
            raise ImportFailure(path, line, f"Code sexe mal formé : « {gender} » (M ou F).")
        birth = parse_date(cell("Date de naissance"), path, line, "Date de naissance")
        mandate_start = parse_date(
            cell("Date de début du mandat"), path, line, "Date de début du mandat"
        )
        function_start = parse_date(
            cell("Date de début de la fonction"), path, line, "Date de début de la fonction"
        )
        code = cell(self.kind.code_column).upper()
        if not self.kind.pattern.match(code):
            raise ImportFailure(path, line, f"{self.kind.code_column} mal formé : « {code} ».")
        body = self.bodies.get(code, path, line)
        function, label = function_of(function_label)
        return (last, first, gender, birth, body, function, label, function_start or mandate_start)

    def person_for(self, last, first, gender, birth, created: list) -> list:
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

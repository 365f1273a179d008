"""What every import of official files shares: errors, counts, progress, CSV reading, slugs.

An import refuses a bad file with the file, the line and the reason, in French
(`ImportFailure`); it counts what it did per kind of row (`ImportReport`); it reads CSV files
as a stream of decoded lines so that a 500,000-row file never sits in memory; and it computes
slugs in memory, because bulk writes bypass the models' `save()`.
"""

import contextlib
import csv
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.core.management.base import CommandError
from django.db import transaction

from territories.text import slug_candidates

# Rows per INSERT or UPDATE statement: small enough for SQLite's variable limit with every
# column of a row, large enough to keep round trips few.
BATCH_SIZE = 500

OUTCOMES = {
    "created": "créés",
    "updated": "modifiés",
    "unchanged": "inchangés",
    "obsolete": "rendus obsolètes",
    "protected": "protégés",
}
# Feminine labels agree ("Personnes : 3 créées"); containment links are added or removed.
FEMININE_OUTCOMES = {
    "created": "créées",
    "updated": "modifiées",
    "unchanged": "inchangées",
    "obsolete": "rendues obsolètes",
    "protected": "protégées",
}
LINK_OUTCOMES = {"created": "ajoutées", "obsolete": "retirées"}
LINKS = "Inclusions directes"
OVERLAPS = "Chevauchements"
WORDS = {
    "Personnes": FEMININE_OUTCOMES,
    LINKS: LINK_OUTCOMES,
    OVERLAPS: {"created": "ajoutés", "obsolete": "retirés"},
}


class ImportFailure(Exception):
    """A file the import refuses; the message names the file, the line and the reason."""

    def __init__(self, path: str | Path, line: int | None, reason: str):
        self.path, self.line, self.reason = str(path), line, reason
        where = f"{self.path}, ligne {line}" if line else self.path
        super().__init__(f"{where} : {reason}")


@dataclass
class ImportReport:
    """Counts per kind of row (French label) and outcome, plus free-form notes."""

    counts: dict[str, Counter] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def add(self, label: str, outcome: str, n: int = 1) -> None:
        self.counts.setdefault(label, Counter())[outcome] += n

    def lines(self) -> list[str]:
        out = []
        for label, counter in self.counts.items():
            words = WORDS.get(label, OUTCOMES)
            parts = [f"{counter[key]} {word}" for key, word in words.items()]
            out.append(f"{label} : " + ", ".join(parts))
        return out + self.notes


class Progress:
    """A counter on stderr for long work, shown only when someone is watching a terminal."""

    def __init__(self, label: str, every: int = 10_000, stream=None):
        self.label, self.every, self.count = label, every, 0
        self.stream = stream or sys.stderr
        self.enabled = hasattr(self.stream, "isatty") and self.stream.isatty()

    def step(self, n: int = 1) -> None:
        before = self.count
        self.count += n
        if self.enabled and before // self.every != self.count // self.every:
            self.stream.write(f"\r{self.label} : {self.count:,}".replace(",", " "))
            self.stream.flush()

    def done(self) -> None:
        if self.enabled and self.count >= self.every:
            self.stream.write("\n")


class _Rollback(Exception):
    """Raised inside the transaction of a dry run so that nothing it wrote is kept."""


def run_import(work: Callable[[], ImportReport], *, dry_run: bool = False) -> ImportReport:
    """Run `work` in one transaction; roll it back on a dry run; turn refusals into CommandError.

    A refused file therefore leaves the database exactly as it was.
    """
    report = None
    try:
        with transaction.atomic():
            report = work()
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    except ImportFailure as failure:
        raise CommandError(str(failure)) from failure
    return report


def write_report(command, report: ImportReport, *, dry_run: bool) -> None:
    """Print the counts of `report` on the command's stdout, in French."""
    for line in report.lines():
        command.stdout.write(line)
    if dry_run:
        command.stdout.write(command.style.WARNING("Simulation : rien n'a été enregistré."))
    else:
        command.stdout.write(command.style.SUCCESS("Import terminé."))


# --- CSV ------------------------------------------------------------------------------------


def normalise_header(name: str) -> str:
    """Header names compared case-insensitively, with typographic apostrophes made straight."""
    return " ".join(name.replace("\ufeff", "").replace("’", "'").split()).casefold()


class CsvFile:
    """A delimited UTF-8 file read as a stream of (line number, row) with headers by name.

    Decoding happens line by line, so a Latin-1 byte is reported on its own line rather than
    wherever a buffered decoder happened to stop. The delimiter is the most frequent of `;`,
    `,` and tab on the header line (BANATIC and the RNE use `;`, INSEE uses `,`).
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.line = 0
        self._handle = self.path.open("rb")
        self._lines = self._decoded_lines()
        header_line = next(self._lines, "")
        if not header_line.strip():
            raise ImportFailure(self.path, 1, "le fichier est vide (ligne d'en-tête attendue).")
        self.delimiter = max(";,\t", key=header_line.count)
        self.header = next(csv.reader([header_line], delimiter=self.delimiter))
        self.columns = {normalise_header(name): i for i, name in enumerate(self.header)}

    def _decoded_lines(self) -> Iterator[str]:
        for raw in self._handle:
            self.line += 1
            try:
                text = raw.decode("utf-8-sig" if self.line == 1 else "utf-8")
            except UnicodeDecodeError as error:
                raise ImportFailure(
                    self.path,
                    self.line,
                    f"le fichier n'est pas encodé en UTF-8 (octet {raw[error.start]:#04x} "
                    f"illisible, position {error.start + 1}). Enregistrez-le en UTF-8 "
                    "(par exemple depuis un tableur : « CSV UTF-8 ») puis relancez l'import.",
                ) from error
            yield text

    def has(self, *names: str) -> bool:
        return all(normalise_header(name) in self.columns for name in names)

    def require(self, names: Iterable[str], what: str) -> None:
        """Refuse the file, on line 1, if any of `names` is not a column."""
        missing = [name for name in names if normalise_header(name) not in self.columns]
        if missing:
            raise ImportFailure(
                self.path,
                1,
                f"colonne(s) manquante(s) pour {what} : "
                + ", ".join(f"« {name} »" for name in missing)
                + ". Colonnes trouvées : "
                + ", ".join(f"« {name} »" for name in self.header)
                + ".",
            )

    def index(self, name: str) -> int:
        return self.columns[normalise_header(name)]

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """Yield (line number, cells) for each non-empty row; the line is where the row ends."""
        width = len(self.header)
        for cells in csv.reader(self._lines, delimiter=self.delimiter):
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) < width:
                raise ImportFailure(
                    self.path,
                    self.line,
                    f"{len(cells)} colonne(s) au lieu de {width} : la ligne est tronquée ou le "
                    "séparateur n'est pas le même que celui de l'en-tête.",
                )
            yield self.line, cells

    def close(self) -> None:
        self._handle.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


# --- Validation of official codes -------------------------------------------------------------

COMMUNE_CODE = re.compile(r"^[0-9][0-9AB][0-9]{3}$")
# Overseas départements and collectivities (971…989) have three-character codes.
DEPARTEMENT_CODE = re.compile(r"^(?:[0-9]{2}|2A|2B|9[78][0-9])$")
REGION_CODE = re.compile(r"^[0-9]{2,3}$")
SIREN = re.compile(r"^[0-9]{9}$")


def departement_of(commune_code: str) -> str:
    """The département code a commune code starts with (three characters overseas)."""
    return commune_code[:3] if commune_code.startswith(("97", "98")) else commune_code[:2]


# --- Slugs computed in memory ---------------------------------------------------------------


class SlugPool:
    """Unique slugs like `territories.text.unique_slug`, checked against a set, not queries."""

    def __init__(self, existing: Iterable[str], max_length: int = 200):
        self.taken = set(existing)
        self.max_length = max_length
        self._next: dict[str, int] = {}

    def take(self, base: str) -> str:
        _first, root = next(slug_candidates(base, self.max_length))
        # Resume where this root last stopped: importing 500 « Saint-Martin » stays linear.
        start = self._next.get(root, 1)
        n, candidate = next(
            (n, slug)
            for n, slug in slug_candidates(base, self.max_length, start)
            if slug not in self.taken
        )
        self._next[root] = n
        self.taken.add(candidate)
        return candidate


def in_chunks(items: list, size: int = 900) -> Iterator[list]:
    """Slices of `items`, for `pk__in` lookups that must stay under SQLite's variable limit."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


@contextlib.contextmanager
def opened_text(path: Path):
    """Open a JSON or text file as UTF-8, refusing another encoding with a clear message."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        raise ImportFailure(
            path, line, "le fichier n'est pas encodé en UTF-8. Enregistrez-le en UTF-8."
        ) from error
    except OSError as error:
        raise ImportFailure(path, None, f"lecture impossible ({error.strerror}).") from error
    yield text

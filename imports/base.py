"""What every import of official files shares: errors, counts, progress, CSV reading, slugs.

An import refuses a bad file with the file, the line and the reason, in French
(`ImportFailure`); it counts what it did per kind of row (`ImportReport`); it reads CSV files
as a stream of decoded lines so that a 500,000-row file never sits in memory; and it computes
slugs in memory, because bulk writes bypass the models' `save()`.

Bad input is refused by the readers, where the line is known, never left for the database to
reject: PostgreSQL refuses a NUL character or a value longer than its column with an English
error while SQLite stores it, so both databases must never see one. A run that would mark
more than a small share of what it covers obsolete is refused too (`mass_obsolescence`): that
is what a cut download or the wrong file looks like.
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

from core.text import slug_candidates

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


# The mass-obsolescence guard. A real yearly update retires little: nationally at most about
# 2 % of communes a year (773 of 36,658 at the 2016 peak of communes nouvelles), a few EPCI or
# PETR outside the reform years. A cut or wrong file retires nearly everything it covers (425
# of Haute-Marne's 426 communes for a communes file holding one). So a run is refused when it
# would mark obsolete more than 5 % of the rows of one kind it covers; below ten rows a share
# means nothing (a small département or a PETR file may well lose a few), so those always pass.
# Real upheavals (a merger wave in one département, a new intercommunal map, the mandates after
# an election) pass with --allow-mass-obsolete.
MASS_OBSOLETE_SHARE = 0.05
MASS_OBSOLETE_MIN_ROWS = 10
MASS_OBSOLETE_FLAG = "--allow-mass-obsolete"


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
    # Per kind of row that can be marked obsolete, named in French for the refusal message
    # (« communes », « mandats de conseillers municipaux »): [rows the source covers that were
    # current before the run, rows the run marks obsolete]. Kinds are kept apart so that an
    # empty epci.json is not diluted among 35,000 communes imported beside it.
    coverage: dict[str, list[int]] = field(default_factory=dict)

    def add(self, label: str, outcome: str, n: int = 1) -> None:
        self.counts.setdefault(label, Counter())[outcome] += n

    def cover(self, what: str, covered: int, obsolete: int) -> None:
        """Record that `obsolete` of the `covered` current rows of kind `what` leave the source."""
        entry = self.coverage.setdefault(what, [0, 0])
        entry[0] += covered
        entry[1] += obsolete

    def mass_obsolescence(self) -> list[tuple[str, int, int]]:
        """(kind, covered, obsolete) for each kind of row beyond the guard's threshold."""
        return [
            (what, covered, obsolete)
            for what, (covered, obsolete) in self.coverage.items()
            if obsolete > MASS_OBSOLETE_MIN_ROWS and obsolete > MASS_OBSOLETE_SHARE * covered
        ]

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


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}".replace(".", ",") + " %" if whole else "100 %"


def mass_obsolescence_message(excess: list[tuple[str, int, int]]) -> str:
    """The French explanation of a run refused by the mass-obsolescence guard."""
    what = " ; ".join(
        f"{obsolete} {kind} sur les {covered} qu'il couvre ({_percent(obsolete, covered)})"
        for kind, covered, obsolete in excess
    )
    share = f"{MASS_OBSOLETE_SHARE:.0%}".replace("%", " %")
    return (
        f"import refusé, rien n'a été enregistré : il rendrait obsolètes {what}. Au-delà de "
        f"{share} et de {MASS_OBSOLETE_MIN_ROWS} lignes, c'est le plus souvent un fichier tronqué "
        "(téléchargement interrompu) ou qui n'est pas le bon. Vérifiez le fichier (--dry-run "
        "affiche les décomptes sans rien enregistrer) ; si ces disparitions sont réelles "
        "(fusions de communes, nouvelle carte intercommunale, mandats après des élections), "
        f"relancez la commande avec {MASS_OBSOLETE_FLAG}."
    )


def run_import(
    work: Callable[[], ImportReport],
    *,
    dry_run: bool = False,
    allow_mass_obsolete: bool = False,
    sources: Iterable[str | Path] = (),
) -> ImportReport:
    """Run `work` in one transaction; roll it back on a dry run; turn refusals into CommandError.

    A refused file therefore leaves the database exactly as it was. So does a run that would
    mark a large share of what it covers obsolete (`ImportReport.mass_obsolescence`), unless
    `allow_mass_obsolete`: it is checked once everything is computed and rolled back whole,
    so the refusal can give exact counts. A dry run reports it as a warning instead.
    """
    report = None
    sources = [str(source) for source in sources]
    try:
        with transaction.atomic():
            report = work()
            excess = [] if allow_mass_obsolete else report.mass_obsolescence()
            if excess and dry_run:
                report.notes.append(
                    f"Attention : sans {MASS_OBSOLETE_FLAG}, l'import réel serait refusé ; "
                    + mass_obsolescence_message(excess).split(" : ", 1)[1]
                )
            elif excess:
                raise ImportFailure(
                    ", ".join(sources) or "import", None, mass_obsolescence_message(excess)
                )
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
        self._handle = open_binary(self.path)
        try:
            self._lines = self._decoded_lines()
            header_line = next(self._lines, "")
            if not header_line.strip():
                raise ImportFailure(self.path, 1, "le fichier est vide (ligne d'en-tête attendue).")
            self.delimiter = max(";,\t", key=header_line.count)
            self.header = next(self._parsed([header_line]))
        except BaseException:
            self._handle.close()
            raise
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
            # PostgreSQL refuses NUL in text and SQLite would store it: refused here, in any
            # column, so that both databases behave alike.
            if "\x00" in text:
                raise ImportFailure(
                    self.path,
                    self.line,
                    f"caractère nul (octet 0x00) en position {text.index(chr(0)) + 1} : le "
                    "fichier est endommagé ou n'est pas un fichier texte CSV.",
                )
            yield text

    def _parsed(self, lines: Iterable[str]) -> Iterator[list[str]]:
        """csv.reader over `lines`, its English errors turned into refusals of the line."""
        reader = csv.reader(lines, delimiter=self.delimiter)
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                reason = str(error)
                if "field limit" in reason:
                    reason = (
                        f"une cellule dépasse {csv.field_size_limit():,} caractères".replace(
                            ",", " "
                        )
                        + " : guillemet non refermé ou fichier qui n'est pas un CSV."
                    )
                elif "end of data" in reason:
                    reason = "guillemet non refermé avant la fin du fichier."
                else:
                    reason = "ligne CSV illisible (guillemets ou séparateurs mal placés)."
                raise ImportFailure(self.path, self.line, reason) from error
            yield cells

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
        for cells in self._parsed(self._lines):
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
    """Unique slugs like `core.text.unique_slug`, checked against a set, not queries."""

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


def unreadable(path: Path, error: OSError) -> ImportFailure:
    """A refusal, in French, for a file the system would not open (errno text is English)."""
    if isinstance(error, FileNotFoundError):
        reason = "fichier introuvable. Vérifiez le chemin et le nom du fichier."
    elif isinstance(error, IsADirectoryError):
        reason = "c'est un dossier : indiquez le fichier lui-même."
    elif isinstance(error, NotADirectoryError):
        reason = "fichier introuvable : un élément du chemin n'est pas un dossier."
    elif isinstance(error, PermissionError):
        reason = "lecture non autorisée : vérifiez les droits sur le fichier."
    else:
        reason = f"lecture impossible (erreur système n° {error.errno})."
    return ImportFailure(path, None, reason)


def open_binary(path: Path):
    """Open `path` for reading bytes, refusing a missing file or a folder in French."""
    if path.is_dir():
        # Opening a folder succeeds on some systems and fails on reading: say it up front.
        raise unreadable(path, IsADirectoryError())
    try:
        return path.open("rb")
    except OSError as error:
        raise unreadable(path, error) from error


@contextlib.contextmanager
def opened_text(path: Path):
    """Open a JSON or text file as UTF-8, refusing another encoding with a clear message."""
    with open_binary(path) as handle:
        try:
            data = handle.read()
        except OSError as error:
            raise unreadable(path, error) from error
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportFailure(
            path,
            line,
            f"le fichier n'est pas encodé en UTF-8 (octet {data[error.start]:#04x} illisible). "
            "Enregistrez-le en UTF-8 puis relancez l'import.",
        ) from error
    yield text


# --- Validation of text values -----------------------------------------------------------------

# Control characters never belong in a name; NUL is refused by PostgreSQL and kept by SQLite.
CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f]")


def text_problem(value: str, what: str, max_length: int | None = None) -> str | None:
    """Why `value` (the field `what`) cannot be stored, in French, or None when it can.

    A value longer than its column is refused here rather than cut: PostgreSQL would refuse it
    and SQLite would store it whole, and a cut name is wrong data imported silently.
    """
    bad = CONTROL_CHARACTER.search(value)
    if bad:
        return (
            f"{what} contient un caractère de contrôle (U+{ord(bad.group()):04X}) en position "
            f"{bad.start() + 1} : le fichier est endommagé."
        )
    if max_length is not None and len(value) > max_length:
        return (
            f"{what} trop long : {len(value)} caractères, {max_length} au plus (« {value[:40]}… »)."
        )
    return None


def check_text(value: str, what: str, max_length: int | None, path, line: int | None) -> str:
    """`value`, or an ImportFailure naming the file, the line and the reason."""
    problem = text_problem(value, what, max_length)
    if problem:
        raise ImportFailure(path, line, problem)
    return value

"""Opening source files: UTF-8 text and delimited CSV streams, refused in French when unreadable.

CSV files are read as a stream of decoded lines, so that a 500,000-row file never sits in
memory and a bad byte is reported on its own line. NUL characters are refused in any column:
PostgreSQL refuses them in text and SQLite would store them, so both databases behave alike.
"""

import contextlib
import csv
from collections.abc import Iterable, Iterator
from pathlib import Path

from imports.errors import ImportFailure, unreadable


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


def normalise_header(name: str) -> str:
    """Header names compared case-insensitively, with typographic apostrophes made straight."""
    return " ".join(name.replace("\ufeff", "").replace("’", "'").split()).casefold()


def _csv_reason(error: csv.Error) -> str:
    """The csv module's English error, said in French for the person who made the file."""
    reason = str(error)
    if "field limit" in reason:
        return (
            f"une cellule dépasse {csv.field_size_limit():,} caractères".replace(",", " ")
            + " : guillemet non refermé ou fichier qui n'est pas un CSV."
        )
    if "end of data" in reason:
        return "guillemet non refermé avant la fin du fichier."
    return "ligne CSV illisible (guillemets ou séparateurs mal placés)."


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
        """Each line as text; a byte that is not UTF-8, or a NUL, refuses its line."""
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
                raise ImportFailure(self.path, self.line, _csv_reason(error)) from error
            yield cells

    def has(self, *names: str) -> bool:
        """Whether every one of `names` is a column (case and apostrophes ignored)."""
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
        """The position of column `name`."""
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

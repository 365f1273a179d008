"""How an import refuses a file: in French, naming the file, the line and the reason.

Bad input is refused by the readers, where the line is known, never left for the database to
reject: PostgreSQL refuses a NUL character or a value longer than its column with an English
error while SQLite stores it, so both databases must never see one.
"""

from pathlib import Path


class ImportFailure(Exception):
    """A file the import refuses; the message names the file, the line and the reason."""

    def __init__(self, path: str | Path, line: int | None, reason: str):
        self.path, self.line, self.reason = str(path), line, reason
        where = f"{self.path}, ligne {line}" if line else self.path
        super().__init__(f"{where} : {reason}")


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

"""Running an import: one transaction, rolled back whole on a refusal, a dry run or the guard.

A refused file therefore leaves the database exactly as it was, and so does a run the
mass-obsolescence guard stops (`imports.guard`).
"""

from collections.abc import Callable, Iterable
from pathlib import Path

from django.core.management.base import CommandError
from django.db import transaction

from core.cache import data_changed
from imports.errors import ImportFailure
from imports.guard import dry_run_warning, mass_obsolescence, mass_obsolescence_message
from imports.report import ImportReport


def add_run_arguments(parser) -> None:
    """The options every import command takes: `--dry-run` and `--allow-mass-obsolete`."""
    parser.add_argument("--dry-run", action="store_true", help="Compter sans rien enregistrer.")
    parser.add_argument(
        "--allow-mass-obsolete",
        action="store_true",
        help="Accepter de rendre obsolète plus de 5 %% des lignes couvertes (sinon l'import "
        "est refusé : c'est d'ordinaire un fichier tronqué).",
    )


class _Rollback(Exception):
    """Raised inside the transaction of a dry run so that nothing it wrote is kept."""


def run_import(
    work: Callable[[], ImportReport],
    *,
    dry_run: bool = False,
    allow_mass_obsolete: bool = False,
    sources: Iterable[str | Path] = (),
) -> ImportReport:
    """Run `work` in one transaction; roll it back on a dry run; turn refusals into CommandError.

    The guard is checked once everything is computed, unless `allow_mass_obsolete`, so the
    refusal can give exact counts; a dry run reports it as a warning instead.
    """
    report = None
    sources = [str(source) for source in sources]
    try:
        with transaction.atomic():
            report = work()
            excess = [] if allow_mass_obsolete else mass_obsolescence(report)
            if excess and dry_run:
                report.notes.append(dry_run_warning(excess))
            elif excess:
                raise ImportFailure(
                    ", ".join(sources) or "import", None, mass_obsolescence_message(excess)
                )
            if dry_run:
                raise _Rollback
            # Bulk writes send no signal: the public pages cached before the import are
            # dropped once it commits (docs/architecture.md, « Cache »).
            data_changed()
    except _Rollback:
        pass
    except ImportFailure as failure:
        raise CommandError(str(failure)) from failure
    return report

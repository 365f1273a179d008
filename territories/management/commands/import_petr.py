"""`manage.py import_petr PATH`: PETR and their member EPCI from a BANATIC export."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from territories.importers.banatic import petr_import, read_banatic
from territories.importers.base import ImportFailure, run_import, write_report


class Command(BaseCommand):
    help = (
        "Importe les PETR (pôles d'équilibre territorial et rural) et leurs EPCI membres "
        "depuis un export BANATIC (CSV UTF-8). Importez d'abord les territoires. Peut être "
        "relancée : ne supprime rien, marque obsolète ce qui a quitté le fichier."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Export BANATIC (CSV, séparateur ; ou ,).")
        parser.add_argument("--dry-run", action="store_true", help="Compter sans rien enregistrer.")

    def handle(self, *args, path, dry_run, **options):
        try:
            petrs = read_banatic(Path(path))
        except (ImportFailure, OSError) as failure:
            raise CommandError(str(failure)) from failure
        report = run_import(lambda: petr_import(petrs), dry_run=dry_run)
        write_report(self, report, dry_run=dry_run)

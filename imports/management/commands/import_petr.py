"""`manage.py import_petr PATH`: PETR and their member EPCI from a BANATIC export."""

from pathlib import Path

from django.core.management.base import BaseCommand

from imports.banatic import read_banatic
from imports.petr import petr_import
from imports.report import write_report
from imports.run import add_run_arguments, run_import


class Command(BaseCommand):
    help = (
        "Importe les PETR (pôles d'équilibre territorial et rural) et leurs EPCI membres "
        "depuis un export BANATIC (CSV UTF-8). Importez d'abord les territoires. Peut être "
        "relancée : ne supprime rien, marque obsolète ce qui a quitté le fichier."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Export BANATIC (CSV, séparateur ; ou ,).")
        add_run_arguments(parser)

    def handle(self, *args, path, dry_run, allow_mass_obsolete, **options):
        # Read within the run, so a refused file ends as every refusal does (run_import).
        report = run_import(
            lambda: petr_import(read_banatic(Path(path))),
            dry_run=dry_run,
            allow_mass_obsolete=allow_mass_obsolete,
            sources=[path],
        )
        write_report(self, report, dry_run=dry_run)

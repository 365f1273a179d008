"""`manage.py import_elus PATH…`: elected officials from the Répertoire national des élus."""

from pathlib import Path

from django.core.management.base import BaseCommand

from imports.elus import rne_import
from imports.report import ImportReport, write_report
from imports.run import add_run_arguments, run_import


class Command(BaseCommand):
    help = (
        "Importe les élus et leurs mandats depuis les fichiers CSV du Répertoire national des "
        "élus (conseillers municipaux, communautaires, départementaux ou régionaux ; type "
        "reconnu d'après l'en-tête). Importez d'abord les territoires. Peut être relancée : "
        "ne supprime rien, marque obsolètes les mandats absents du fichier pour les "
        "collectivités qu'il couvre."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Fichier(s) CSV du RNE (séparateur ;).")
        add_run_arguments(parser)

    def handle(self, *args, paths, dry_run, allow_mass_obsolete, **options):
        def work():
            report = ImportReport()
            for path in paths:
                rne_import(Path(path), report=report)
            return report

        report = run_import(
            work, dry_run=dry_run, allow_mass_obsolete=allow_mass_obsolete, sources=paths
        )
        write_report(self, report, dry_run=dry_run)

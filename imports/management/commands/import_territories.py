"""`manage.py import_territories PATH…`: official régions, départements, communes and EPCI.

PATH is a folder of `@etalab/decoupage-administratif` JSON files (the package's `data/` or
the shipped Grand Est extract), such JSON files, or INSEE COG CSV files. Re-runnable.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from imports.cog import read_cog
from imports.decoupage import decoupage_files, read_decoupage
from imports.errors import ImportFailure
from imports.reference import reference_import
from imports.report import write_report
from imports.run import add_run_arguments, run_import
from imports.sources import Reference
from imports.validation import DEPARTEMENT_CODE, REGION_CODE


def read_reference(paths: list[str]) -> Reference:
    """Read every given file or folder into one `Reference` (before anything is written)."""
    reference = Reference()
    for name in paths:
        path = Path(name)
        if path.is_dir():
            files = decoupage_files(path)
        elif path.is_file():
            files = [path]
        else:
            raise ImportFailure(path, None, "fichier ou dossier introuvable.")
        for file in files:
            if file.suffix.lower() == ".csv":
                reference.merge(read_cog(file))
            else:
                reference.merge(read_decoupage(file))
    return reference


class Command(BaseCommand):
    help = (
        "Importe les régions, départements, communes et EPCI officiels (paquet "
        "@etalab/decoupage-administratif ou fichiers CSV du COG de l'INSEE), leurs "
        "collectivités et les inclusions. Peut être relancée : ne supprime rien, marque "
        "obsolète ce qui a quitté la source, respecte les lignes protégées."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Dossier ou fichiers JSON / CSV.")
        subset = parser.add_mutually_exclusive_group()
        subset.add_argument("--region", help="N'importer que cette région (code INSEE, ex. 44).")
        subset.add_argument(
            "--departement", help="N'importer que ce département (code INSEE, ex. 52)."
        )
        add_run_arguments(parser)

    def handle(self, *args, paths, region, departement, dry_run, allow_mass_obsolete, **options):
        if region and not REGION_CODE.match(region):
            raise CommandError(f"Code de région mal formé : « {region} ».")
        if departement:
            departement = departement.upper()
            if not DEPARTEMENT_CODE.match(departement):
                raise CommandError(f"Code de département mal formé : « {departement} ».")
        # Read within the run, so a refused file ends as every refusal does (run_import).
        report = run_import(
            lambda: reference_import(read_reference(paths), region=region, departement=departement),
            dry_run=dry_run,
            allow_mass_obsolete=allow_mass_obsolete,
            sources=paths,
        )
        write_report(self, report, dry_run=dry_run)

"""`manage.py build_open_data`: build the open-data ZIP now (docs/architecture.md,
« Données ouvertes »), e.g. from cron after an import, so that no visitor waits for it."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from public.opendata import SiteAddress, build_package


class Command(BaseCommand):
    help = "Construit le fichier ZIP des données ouvertes (CSV, schémas, datapackage.json)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--url",
            default=settings.PUBLIC_SITE_URL,
            help="Adresse publique du site (https://…), pour la colonne « url » des fichiers ; "
            "DJANGO_PUBLIC_SITE_URL par défaut.",
        )

    def handle(self, *args, url, **options):
        if not url.startswith(("https://", "http://")):
            raise CommandError(
                "Indiquez l'adresse publique du site avec --url https://… (ou la variable "
                "DJANGO_PUBLIC_SITE_URL) : la colonne « url » des fichiers en a besoin."
            )
        package = build_package(SiteAddress(url))
        rows = ", ".join(f"{name} : {count}" for name, count in package.rows.items())
        self.stdout.write(
            f"{package.path} : {package.size} octets en {package.seconds:.1f} s ({rows} lignes)."
        )

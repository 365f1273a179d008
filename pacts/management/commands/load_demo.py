"""`manage.py load_demo`: load the press release of 15 January 2019 as demo data (re-runnable)."""

from django.core.management.base import BaseCommand

from pacts.demo import demo_load


class Command(BaseCommand):
    help = (
        "Charge les données de démonstration : les deux POCE signés en Haute-Marne le "
        "15 janvier 2019, d'après le communiqué de la Région Grand Est. Peut être relancée "
        "sans rien dupliquer."
    )

    def handle(self, *args, **options):
        counts = demo_load()
        self.stdout.write("Lignes créées / modifiées / inchangées, par type :")
        for name, by_outcome in counts["by_model"].items():
            self.stdout.write(
                f"  {name} : {by_outcome['created']} / {by_outcome['updated']} / "
                f"{by_outcome['unchanged']}"
            )
        self.stdout.write(
            self.style.SUCCESS(
                "Données de démonstration chargées : "
                f"{counts['created']} créées, {counts['updated']} modifiées, "
                f"{counts['unchanged']} inchangées."
            )
        )

"""`manage.py load_demo`: load the press release of 15 January 2019 as demo data (re-runnable)."""

from django.core.management.base import BaseCommand

from pacts.demo import demo_load


class Command(BaseCommand):
    help = (
        "Charge les données de démonstration : les deux POCE signés en Haute-Marne le "
        "15 janvier 2019, d'après le communiqué de la Région Grand Est. Peut être relancée "
        "sans rien dupliquer : ce qui existe déjà n'est jamais modifié."
    )

    def handle(self, *args, **options):
        counts = demo_load()
        self.stdout.write(
            "Lignes créées / complétées / laissées telles quelles / inchangées, par type :"
        )
        for name, by_outcome in counts["by_model"].items():
            self.stdout.write(
                f"  {name} : {by_outcome['created']} / {by_outcome['updated']} / "
                f"{by_outcome['kept']} / {by_outcome['unchanged']}"
            )
        self.stdout.write(
            self.style.SUCCESS(
                "Données de démonstration chargées : "
                f"{counts['created']} créées, {counts['updated']} complétées, "
                f"{counts['unchanged']} inchangées."
            )
        )
        if counts["kept"]:
            self.stdout.write(
                self.style.WARNING(
                    f"{counts['kept']} ligne(s) diffèrent du communiqué (modifiées depuis par "
                    "l'équipe ou par un import) : laissées telles quelles."
                )
            )

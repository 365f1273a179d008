from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """Reference-data imports (INSEE, DGCL, BANATIC, RNE) and their commands."""

    name = "imports"
    verbose_name = "Imports de données de référence"

from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Helpers every app shares (text keys, slugs, SIREN, migration pieces, admin plumbing);
    no model, and no import of any other app of the project."""

    name = "core"
    verbose_name = "Socle commun"

from django.apps import AppConfig


class StaffConfig(AppConfig):
    """Staff spreadsheets in the admin: every list exported, pacts imported with a preview
    (docs/architecture.md, « Tableurs de l'équipe »)."""

    name = "staff"
    verbose_name = "Tableurs de l'équipe"

    def ready(self):
        # The domain admins know nothing of this layer (docs/architecture.md, « Couches »):
        # the export actions are added to them here, once every admin is registered.
        from staff.admin import add_export_actions

        add_export_actions()

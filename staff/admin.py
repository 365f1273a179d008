"""The export actions of the admin's lists (docs/architecture.md, « Tableurs de l'équipe »).

An admin action works on the rows ticked, or on every row of the filtered, searched list
when « sélectionner tous » is chosen: the export is then exactly what the list shows, drafts
included. The « Exporter » links above a list do the same without ticking anything
(`staff.views.export_list`).
"""

from django.contrib import admin, messages
from django.http import HttpRequest

from public.xlsx import too_long
from staff.exports import STAFF_EXPORTERS, export_response


def _export_action(file_format: str, description: str):
    # Only those allowed to see the model see the action: Django checks `has_view_permission`.
    @admin.action(description=description, permissions=["view"])
    def export(model_admin, request: HttpRequest, queryset):
        refusal = too_long(queryset) if file_format == "xlsx" else None
        if refusal:
            # Back to the list, which says why.
            model_admin.message_user(request, refusal, messages.ERROR)
            return None
        exporter = STAFF_EXPORTERS[model_admin.model]
        return export_response(exporter, queryset, request, file_format)

    export.__name__ = f"export_{file_format}"
    return export


export_csv = _export_action("csv", "Exporter la sélection (CSV)")
export_xlsx = _export_action("xlsx", "Exporter la sélection (Excel .xlsx)")


def add_export_actions(site: admin.AdminSite = admin.site) -> None:
    """Give each exported model's admin the two export actions, beside its own."""
    for model in STAFF_EXPORTERS:
        model_admin = site._registry[model]
        own = list(model_admin.actions or [])
        model_admin.actions = [*own, export_csv, export_xlsx]

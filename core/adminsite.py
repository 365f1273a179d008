"""The project's admin site: French titles and autocompletes that tell homonyms apart."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.views.autocomplete import AutocompleteJsonView


class LabelledAutocompleteView(AutocompleteJsonView):
    """Autocomplete results labelled by the model admin's `autocomplete_label`, if it has one.

    Ten bodies are called « Beaulieu »: `str()` cannot tell them apart, their kind, code and
    département can (« Beaulieu — Commune, 15 Cantal »).
    """

    def get_queryset(self):
        queryset = super().get_queryset()
        prepare = getattr(self.model_admin, "autocomplete_queryset", None)
        queryset = prepare(queryset) if prepare else queryset
        # What the rest of the row already says (the chosen body, the event's date), sent by
        # the page's script: the choices then fit it (« Maire, Mulhouse » is not offered for
        # the Région).
        narrow = getattr(self.model_admin, "autocomplete_narrow", None)
        return narrow(queryset, self.request.GET) if narrow else queryset

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        label = getattr(self.model_admin, "autocomplete_label", None)
        if label is not None:
            result["text"] = label(obj)
        return result


class PactsAdminSite(admin.AdminSite):
    site_header = "Pactes territoriaux — administration"
    site_title = "Pactes territoriaux"
    index_title = "Saisie et suivi des pactes"

    def autocomplete_view(self, request):
        return LabelledAutocompleteView.as_view(admin_site=self)(request)


class PactsAdminConfig(AdminConfig):
    default_site = "core.adminsite.PactsAdminSite"

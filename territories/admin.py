"""Admin pages for territories.

Containment is edited here through `Territory.parents`; the derived `TerritoryAncestor` rows
are never shown for editing, they are recomputed whenever parents change.
"""

from django import forms
from django.contrib import admin
from django.utils.html import format_html_join

from core.text import search_words
from territories.models import (
    Territory,
    departement_links_prefetch,
    territory_description,
)
from territories.services import (
    containment_check_parents,
    containment_rebuild,
    territories_delete,
)


class TerritoryAdminForm(forms.ModelForm):
    class Meta:
        model = Territory
        fields = ["kind", "code", "name", "parents", "is_obsolete", "manually_edited"]

    def clean_parents(self):
        parents = self.cleaned_data["parents"]
        containment_check_parents(territory=self.instance, parents=parents)
        return parents


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    form = TerritoryAdminForm
    list_display = ["name", "kind", "code", "is_obsolete"]
    list_filter = ["kind", "is_obsolete"]
    search_fields = ["name", "code", "search_text"]
    autocomplete_fields = ["parents"]
    readonly_fields = ["slug", "all_containers"]
    fields = [
        "kind",
        "code",
        "name",
        "slug",
        "parents",
        "all_containers",
        "is_obsolete",
        "manually_edited",
    ]

    def autocomplete_queryset(self, queryset):
        return queryset.prefetch_related(departement_links_prefetch(), "overlaps")

    def autocomplete_label(self, territory: Territory) -> str:
        """« Beaulieu — Commune · 15014 · Cantal (15) »: homonyms told apart."""
        return f"{territory.name} — {territory_description(territory)}"

    def get_search_results(self, request, queryset, search_term):
        if not search_words(search_term):
            return super().get_search_results(request, queryset, search_term)
        # The public search rule (« st » read as « saint »), best match first: what the
        # autocompletes show; a change list re-sorts by its own columns.
        return queryset.best_matches(search_term), False

    @admin.display(description="contenu dans (directement ou non)")
    def all_containers(self, obj):
        if obj.pk is None:
            return "—"
        containers = Territory.objects.containing(obj).order_by("kind", "name")
        return format_html_join(", ", "{}", ((str(t),) for t in containers)) or "—"

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The closure is derived from `parents`, which only exist once the m2m is saved.
        if "parents" in form.changed_data:
            containment_rebuild([form.instance.pk])

    def delete_model(self, request, obj):
        territories_delete(Territory.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        territories_delete(queryset)

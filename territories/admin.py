"""Admin pages for territories and bodies, and the search behaviour every admin page shares.

Containment is edited here through `Territory.parents`; the derived `TerritoryAncestor` rows
are never shown for editing, they are recomputed whenever parents change.
"""

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Prefetch
from django.utils.html import format_html_join
from simple_history.admin import SimpleHistoryAdmin

from config.admin import VersionedModelForm
from people.models import Mandate
from territories.models import (
    Body,
    Territory,
    departement_links_prefetch,
    territory_description,
    territory_located_in,
)
from territories.services import containment_check_parents, containment_rebuild
from territories.text import search_key, search_words

# Staff paste addresses without a scheme; every public site they cite is served over HTTPS.
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


class FoldedSearchMixin:
    """Admin search that ignores accents and case, as the public search does.

    `search_text` columns hold accent-stripped, casefolded text, so the term is searched both
    as typed (for plain columns such as a mandate's label) and folded (for `search_text`):
    « Marechal », « maréchal » and « Maréchal » then find the same person on both databases.
    """

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        folded = search_key(search_term)
        if folded and folded != search_term:
            more, more_duplicates = super().get_search_results(request, queryset, folded)
            results = results | more
            may_have_duplicates = may_have_duplicates or more_duplicates
        return results, may_have_duplicates


class TerritoryAdminForm(forms.ModelForm):
    class Meta:
        model = Territory
        fields = ["kind", "code", "name", "parents", "is_obsolete", "manually_edited"]

    def clean_parents(self):
        parents = self.cleaned_data["parents"]
        containment_check_parents(territory=self.instance, parents=parents)
        return parents


@admin.register(Territory)
class TerritoryAdmin(FoldedSearchMixin, admin.ModelAdmin):
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
        children = list(obj.children.values_list("pk", flat=True))
        super().delete_model(request, obj)
        # Whatever lay inside the deleted territory may still list its former containers.
        containment_rebuild(children)

    def delete_queryset(self, request, queryset):
        children = list(
            Territory.objects.filter(parents__in=queryset)
            .exclude(pk__in=queryset)
            .values_list("pk", flat=True)
            .distinct()
        )
        super().delete_queryset(request, queryset)
        containment_rebuild(children)


class MandateInlineForBody(admin.TabularInline):
    """A body's mandates: who holds which function in it, and when."""

    form = VersionedModelForm

    model = Mandate
    fields = [
        "person",
        "function",
        "label",
        "start_date",
        "end_date",
        "elected",
        "manually_edited",
        "row_version",
    ]
    autocomplete_fields = ["person"]
    extra = 0


@admin.register(Body)
class BodyAdmin(FoldedSearchMixin, SimpleHistoryAdmin):
    form = VersionedModelForm
    list_display = ["name", "short_name", "kind", "siren", "territory"]
    list_filter = ["kind"]
    list_select_related = ["territory"]
    search_fields = ["name", "short_name", "siren", "search_text"]
    autocomplete_fields = ["territory"]
    readonly_fields = ["slug"]
    fields = [
        "kind",
        "name",
        "short_name",
        "slug",
        "siren",
        "territory",
        "website",
        "manually_edited",
        "row_version",
    ]
    formfield_overrides = HTTPS_URLS
    inlines = [MandateInlineForBody]

    def autocomplete_queryset(self, queryset):
        return queryset.select_related("territory").prefetch_related(
            Prefetch(
                "territory__ancestor_links",
                queryset=departement_links_prefetch().queryset,
                to_attr="departement_links",
            ),
            "territory__overlaps",
        )

    def autocomplete_label(self, body: Body) -> str:
        """« Commune de Beaulieu — Commune · Cantal (15) », with the SIREN when known."""
        parts = [body.get_kind_display()]
        if body.siren:
            parts.append(f"SIREN {body.siren}")
        if body.territory is not None:
            parts += [f"{d.name} ({d.code})" for d in territory_located_in(body.territory)]
        return f"{body} — {' · '.join(parts)}"

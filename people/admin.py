"""Admin pages for people, bodies and mandates (who holds which function in which body, when).

Bodies are edited here, beside the mandates held in them (`Body` is a model of `territories`,
which cannot import `people`: docs/architecture.md, « Couches »). All three keep their
history (« Historique » button), with who changed what and when.
"""

import datetime

from django.contrib import admin
from django.db.models.functions import Length

from core.admin import HTTPS_URLS, FoldedSearchMixin, HistoryAdmin
from core.forms import VersionedModelForm
from core.text import search_words
from people.models import Mandate, Person
from territories.models import Body, departement_links_prefetch, territory_located_in

# What a mandate inline edits besides its other end (the body on a person's page, the
# person on a body's).
MANDATE_FIELDS = [
    "function",
    "label",
    "start_date",
    "end_date",
    "elected",
    "manually_edited",
    "row_version",
]


class MandateInline(admin.TabularInline):
    """A person's mandates, entered on the person's page."""

    form = VersionedModelForm
    model = Mandate
    fields = ["body", *MANDATE_FIELDS]
    autocomplete_fields = ["body"]
    extra = 0


@admin.register(Person)
class PersonAdmin(FoldedSearchMixin, HistoryAdmin):
    form = VersionedModelForm
    list_display = ["last_name", "first_name", "gender", "is_contact", "public_email"]
    list_filter = ["gender", "is_contact"]
    search_fields = ["first_name", "last_name", "search_text"]
    readonly_fields = ["slug"]
    fields = [
        "first_name",
        "last_name",
        "slug",
        "gender",
        "is_contact",
        "public_email",
        "email_shown",
        "public_phone",
        "phone_shown",
        "manually_edited",
        "row_version",
    ]
    inlines = [MandateInline]


@admin.register(Mandate)
class MandateAdmin(FoldedSearchMixin, HistoryAdmin):
    form = VersionedModelForm
    list_display = ["person", "function", "label", "body", "start_date", "end_date", "elected"]
    list_filter = ["function", "elected", "body__kind"]
    list_select_related = ["person", "body"]
    # Names live folded in `search_text`; the label is searched as typed.
    search_fields = ["person__search_text", "body__search_text", "label"]
    autocomplete_fields = ["person", "body"]
    date_hierarchy = "start_date"

    def get_queryset(self, request):
        # A mandate's label names its person and body; the autocomplete lists twenty at a time.
        return super().get_queryset(request).select_related("person", "body")

    def autocomplete_narrow(self, queryset, params):
        """The mandates of the row's body or person, held on its date, when the page says."""
        for name in ("body", "person"):
            if params.get(name, "").isdigit():
                queryset = queryset.filter(**{f"{name}_id": params[name]})
        date = parse_french_date(params.get("date", ""))
        return queryset.active_on(date) if date else queryset


class MandateInlineForBody(MandateInline):
    """A body's mandates: who holds which function in it, and when."""

    fields = ["person", *MANDATE_FIELDS]
    autocomplete_fields = ["person"]


@admin.register(Body)
class BodyAdmin(HistoryAdmin):
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

    def get_search_results(self, request, queryset, search_term):
        if not search_words(search_term):
            return super().get_search_results(request, queryset, search_term)
        # The public search rule (« st » read as « saint », accents ignored), shortest names
        # first: « Commune de Saint-Dizier » before « Communauté de communes de Saint-Dizier,
        # Der et Blaise » in the autocompletes; a change list re-sorts by its own columns.
        return queryset.search(search_term).order_by(Length("name"), "name", "pk"), False

    def autocomplete_queryset(self, queryset):
        return queryset.select_related("territory").prefetch_related(
            departement_links_prefetch("territory__"), "territory__overlaps"
        )

    def autocomplete_label(self, body: Body) -> str:
        """« Commune de Beaulieu — Commune · Cantal (15) », with the SIREN when known."""
        parts = [body.get_kind_display()]
        if body.siren:
            parts.append(f"SIREN {body.siren}")
        if body.territory is not None:
            parts += [f"{d.name} ({d.code})" for d in territory_located_in(body.territory)]
        return f"{body} — {' · '.join(parts)}"


def parse_french_date(text: str) -> datetime.date | None:
    """« 15/01/2019 » as typed in the admin's date fields, or None."""
    try:
        return datetime.datetime.strptime(text.strip(), "%d/%m/%Y").date()
    except ValueError:
        return None

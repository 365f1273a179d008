"""Admin pages for people and their mandates (who holds which function in which body, when).

Both keep their history (« Historique » button), with who changed what and when.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from config.admin import VersionedModelForm
from people.models import Mandate, Person
from territories.admin import FoldedSearchMixin


class MandateInline(admin.TabularInline):
    form = VersionedModelForm
    """A person's mandates, entered on the person's page."""

    model = Mandate
    fields = [
        "body",
        "function",
        "label",
        "start_date",
        "end_date",
        "elected",
        "manually_edited",
        "row_version",
    ]
    autocomplete_fields = ["body"]
    extra = 0


@admin.register(Person)
class PersonAdmin(FoldedSearchMixin, SimpleHistoryAdmin):
    form = VersionedModelForm
    list_display = ["last_name", "first_name", "gender", "public_email"]
    list_filter = ["gender"]
    search_fields = ["first_name", "last_name", "search_text"]
    readonly_fields = ["slug"]
    fields = [
        "first_name",
        "last_name",
        "slug",
        "gender",
        "public_email",
        "public_phone",
        "manually_edited",
        "row_version",
    ]
    inlines = [MandateInline]


@admin.register(Mandate)
class MandateAdmin(FoldedSearchMixin, SimpleHistoryAdmin):
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

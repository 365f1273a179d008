"""Admin pages for pacts, so that regional staff can enter a whole pact in one sitting.

The pact page carries its signing events (with the people present), parties, actions and
sources inline, saved at once (`pacts/entry.py`); attendees' mandates and statements are
entered on the signing event's page. Every rule the models check in `clean()`
(a signatory's mandate belongs to the party's body and is active on the signing date, and so
on) therefore shows as a French form error rather than a server error.

Every change is kept by django-simple-history: the « Historique » button lists versions with
their differences and restores one. Publishing needs the `publish_pact` permission, not just
the right to edit.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import ngettext

from core.admin import HTTPS_URLS, FoldedSearchMixin, HistoryAdmin
from core.forms import VersionedModelForm
from pacts.entry import (
    PactPartyForm,
    PactPartyFormSet,
    SigningEventForm,
    SigningEventFormSet,
    SourceForm,
)
from pacts.models import (
    Action,
    Attendance,
    Pact,
    PactParty,
    Programme,
    ProposalStatus,
    ProposedChange,
    SigningEvent,
    Source,
    Statement,
    Strategy,
    Theme,
)
from pacts.review import (
    ReviewedChangesMixin,
    approve,
    pending_for,
    preview,
    published,
    reject,
)
from pacts.services import pact_keep_visibility, pacts_set_published
from territories.models import Territory, TerritoryKind

# Tabular inlines sit side by side; a full-height textarea would push every row apart.
COMPACT_TEXT = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 40})}}


class SigningYearFilter(admin.SimpleListFilter):
    title = "année de signature"
    parameter_name = "annee"

    def lookups(self, request, model_admin):
        years = SigningEvent.objects.dates("date", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if not value.isdigit():
            raise IncorrectLookupParameters(f"Année invalide : {value}")
        return queryset.signed_in(int(value))


class DepartementFilter(admin.SimpleListFilter):
    """Départements that some pact concerns, with the same rule as the public `departement`."""

    title = "département"
    parameter_name = "departement"

    def lookups(self, request, model_admin):
        covered = Territory.objects.filter(pacts__isnull=False)
        # The rule of `in_territory` (is, inside, containing, overlapping), for all at once.
        pairs = Territory.objects.filter(kind=TerritoryKind.DEPARTEMENT).related_pairs(covered)
        departements = Territory.objects.filter(pk__in={dep for _t, dep in pairs})
        return [(str(t.pk), str(t)) for t in departements.order_by("code", "name")]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        departement = (
            Territory.objects.filter(pk=value, kind=TerritoryKind.DEPARTEMENT).first()
            if value.isdigit()
            else None
        )
        if departement is None:
            raise IncorrectLookupParameters(f"Département inconnu : {value}")
        return queryset.in_territory(departement)


class SigningEventInline(admin.TabularInline):
    model = SigningEvent
    form = SigningEventForm
    formset = SigningEventFormSet
    fields = ["date", "commune", "venue", "description", "attendees", "row_version"]
    autocomplete_fields = ["commune"]
    formfield_overrides = COMPACT_TEXT
    show_change_link = True
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.admin_site = self.admin_site  # for the attendees' autocomplete
        return formset


class PactPartyInline(admin.TabularInline):
    model = PactParty
    form = PactPartyForm
    formset = PactPartyFormSet
    fields = ["body", "role", "mandate", "signing_event_choice", "order", "row_version"]
    autocomplete_fields = ["body", "mandate"]
    extra = 0

    class Media:
        # The mandate autocomplete offers the chosen body's mandates held on the event's date.
        js = ["admin/js/jquery.init.js", "pacts/admin/mandate-context.js"]


class ActionInline(admin.TabularInline):
    model = Action
    form = VersionedModelForm
    fields = ["title", "description", "lead_body", "status", "budget", "row_version"]
    autocomplete_fields = ["lead_body"]
    formfield_overrides = COMPACT_TEXT
    show_change_link = True
    extra = 0


# The auto-created through model would show as « Source_pacts object (1) » above each source
# row and on deletion pages; the source's own title is what staff recognise. (An explicit
# through model in pacts/models.py would be the lasting fix.)
Source.pacts.through.__str__ = lambda link: str(link.source)


class SourceInline(admin.TabularInline):
    model = Source.pacts.through
    fields = ["source"]
    autocomplete_fields = ["source"]
    verbose_name = "source"
    verbose_name_plural = "sources"
    extra = 0


@admin.register(Pact)
class PactAdmin(ReviewedChangesMixin, FoldedSearchMixin, HistoryAdmin):
    list_display = ["title", "programme", "status", "published", "signing_date"]
    list_filter = ["programme", "status", "published", SigningYearFilter, DepartementFilter]
    list_select_related = ["programme"]
    search_fields = ["title", "search_text"]
    date_hierarchy = "signing_events__date"
    autocomplete_fields = ["territories", "themes", "strategies"]
    readonly_fields = ["slug", "created_at", "updated_at"]
    form = VersionedModelForm
    fieldsets = [
        (None, {"fields": ["programme", "title", "slug", "status", "published", "row_version"]}),
        ("Contenu", {"fields": ["summary", "description"]}),
        ("Périmètre", {"fields": ["territories", "themes", "strategies"]}),
        ("Validité", {"fields": ["start_date", "end_date"]}),
        ("Suivi", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    inlines = [SigningEventInline, PactPartyInline, ActionInline, SourceInline]
    actions = ["publish", "unpublish"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_first_signing()

    def _create_formsets(self, request, obj, change):
        # Django's own step, extended: a party may cite an event added on the same page
        # (`pacts.entry`), so its formset is handed the events' one.
        formsets, inline_instances = super()._create_formsets(request, obj, change)
        events = next((f for f in formsets if f.model is SigningEvent), None)
        for formset in formsets:
            if isinstance(formset, PactPartyFormSet):
                formset.events_formset = events
        return formsets, inline_instances

    def published_pact(self, obj, data):
        return obj if obj is not None and obj.published else None

    def proposal_data(self, obj, data):
        # Its author's form had no « publié » box: the pact keeps the visibility it has.
        if obj is not None and obj.published:
            data = {**data, "published": ["on"]}
        return data

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Counted by the pact's id: the page reads the pact itself just after.
        pact_id = unquote(object_id)
        count = pending_for(pact_id).count() if request.method == "GET" and pact_id.isdigit() else 0
        if count:
            messages.warning(
                request,
                ngettext(
                    "%(count)d modification proposée de ce pacte attend une validation.",
                    "%(count)d modifications proposées de ce pacte attendent une validation.",
                    count,
                )
                % {"count": count},
            )
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description="date de signature", ordering="first_signing")
    def signing_date(self, obj):
        return obj.first_signing

    def view_on_site(self, obj):
        # Only published pacts have a public page; any other link would lead to a 404.
        return obj.get_absolute_url() if obj.published else None

    def has_publish_permission(self, request, obj=None):
        """Publishing is a right of its own (the « Publication » group), not part of editing."""
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.publish_pact")

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request, obj):
            # Not a form field then: a forged POST setting it is simply ignored.
            readonly.append("published")
        return readonly

    def save_model(self, request, obj, form, change):
        if not self.has_publish_permission(request, obj):
            # Restoring an old version from the history copies `published` too; without the
            # right to publish, the pact keeps the visibility it has now.
            pact_keep_visibility(obj)
        super().save_model(request, obj, form, change)

    @admin.action(description="Publier les pactes sélectionnés", permissions=["publish"])
    def publish(self, request, queryset):
        count = pacts_set_published(queryset, published=True)
        self.message_user(
            request,
            ngettext("%(count)d pacte publié.", "%(count)d pactes publiés.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description="Dépublier les pactes sélectionnés", permissions=["publish"])
    def unpublish(self, request, queryset):
        count = pacts_set_published(queryset, published=False)
        self.message_user(
            request,
            ngettext("%(count)d pacte dépublié.", "%(count)d pactes dépubliés.", count)
            % {"count": count},
            messages.SUCCESS,
        )


class AttendanceInline(admin.TabularInline):
    model = Attendance
    form = VersionedModelForm
    fields = ["person", "mandate", "row_version"]
    autocomplete_fields = ["person", "mandate"]
    extra = 0

    class Media:
        # The mandate autocomplete offers the person's mandates held on the event's date.
        js = PactPartyInline.Media.js


class StatementInline(admin.TabularInline):
    model = Statement
    form = VersionedModelForm
    fields = ["person", "text", "row_version"]
    autocomplete_fields = ["person"]
    formfield_overrides = COMPACT_TEXT
    extra = 0


class PactChildAdmin(ReviewedChangesMixin, HistoryAdmin):
    """The admin of a row that belongs to one pact for good: it cannot be moved to another
    (its page, its parties and its history would follow it there)."""

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "pact"] if obj is not None else readonly

    def published_pact(self, obj, data):
        return published([obj.pact_id] if obj is not None else data.getlist("pact"))


@admin.register(SigningEvent)
class SigningEventAdmin(PactChildAdmin):
    form = VersionedModelForm
    list_display = ["pact", "date", "commune", "venue"]
    list_select_related = ["pact", "commune"]
    search_fields = ["pact__title", "commune__name", "venue"]
    date_hierarchy = "date"
    autocomplete_fields = ["pact", "commune"]
    inlines = [AttendanceInline, StatementInline]


@admin.register(Action)
class ActionAdmin(PactChildAdmin):
    form = VersionedModelForm
    list_display = ["title", "pact", "lead_body", "status", "budget"]
    list_filter = ["status"]
    list_select_related = ["pact", "lead_body"]
    search_fields = ["title", "pact__title"]
    autocomplete_fields = ["pact", "lead_body"]


@admin.register(Source)
class SourceAdmin(ReviewedChangesMixin, HistoryAdmin):
    form = SourceForm
    readonly_fields = ["document_name", "document_size"]
    formfield_overrides = HTTPS_URLS
    list_display = ["title", "date", "publisher", "url"]
    list_select_related = ["publisher"]
    search_fields = ["title", "url"]
    date_hierarchy = "date"
    autocomplete_fields = ["publisher", "contact", "pacts"]

    def published_pact(self, obj, data):
        current = list(obj.pacts.values_list("pk", flat=True)) if obj is not None else []
        return published(current + data.getlist("pacts"))

    def get_queryset(self, request):
        # The list and the form never need the document's bytes, only its name and size.
        return super().get_queryset(request).defer("document")


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["name", "acronym", "owner"]
    list_select_related = ["owner"]
    search_fields = ["name", "acronym"]
    readonly_fields = ["slug"]
    autocomplete_fields = ["owner"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    readonly_fields = ["slug"]


@admin.register(Strategy)
class StrategyAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["acronym", "name"]
    search_fields = ["acronym", "name"]
    readonly_fields = ["slug"]


@admin.register(ProposedChange)
class ProposedChangeAdmin(admin.ModelAdmin):
    """What awaits a publisher: each proposal with its difference from the public version,
    to approve or reject (docs/architecture.md, « Relecture »)."""

    list_display = ["object_label", "author", "created_at", "status"]
    list_filter = ["status"]
    list_select_related = ["pact", "author", "decided_by"]
    search_fields = ["object_label", "pact__title"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False  # proposals come from the forms of the pages they change

    def has_delete_permission(self, request, obj=None):
        return False  # kept, decided or not: they say who asked for what

    def changelist_view(self, request, extra_context=None):
        # What awaits a decision first: the list opens on pending proposals.
        if request.method == "GET" and not request.GET:
            return redirect(f"{request.path}?status__exact={ProposalStatus.PENDING}")
        extra_context = {"title": "Modifications proposées", **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        change = self.get_object(request, object_id)
        if change is None or not self.has_view_permission(request, change):
            return super().change_view(request, object_id, form_url, extra_context)
        can_decide = request.user.has_perm("pacts.publish_pact") and self.has_change_permission(
            request, change
        )
        if request.method == "POST":
            if not can_decide:
                raise PermissionDenied
            return self._decide(request, change)
        pending = change.status == ProposalStatus.PENDING
        rows, errors = preview(change, request, self.admin_site) if pending else ([], [])
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Modification proposée : {change.object_label}",
            "change": change,
            "rows": rows,
            "errors": errors,
            "can_decide": can_decide and pending,
            "pact_url": reverse("admin:pacts_pact_change", args=[change.pact_id]),
        }
        return TemplateResponse(request, "admin/pacts/proposedchange/review.html", context)

    def _decide(self, request, change):
        if "_approve" in request.POST:
            errors = approve(change, request, self.admin_site)
            if errors:
                for error in errors:
                    messages.error(request, error)
                return redirect(request.path)
            messages.success(request, f"Modification de « {change.object_label} » publiée.")
        else:
            if not reject(change, request, request.POST.get("decision_note", "")):
                messages.error(request, "Cette proposition a déjà été traitée.")
                return redirect(request.path)
            messages.success(request, f"Modification de « {change.object_label} » rejetée.")
        return redirect(reverse("admin:pacts_proposedchange_changelist"))

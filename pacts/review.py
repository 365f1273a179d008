"""Publication review: nothing reaches a published pact's page without a publisher's approval
(docs/architecture.md, « Relecture »).

Someone without `pacts.publish_pact` who saves a form that would change what a published
pact's page shows (the pact and its inlines, a signing event with its attendees and
statements, an action, a source) gets every check of that form as usual; when it would have
been saved, the save is rolled back and the form, as sent, is kept as a `ProposedChange`.
A publisher sees its difference with the public version and approves it, which sends the
same form again in the publisher's name (the same checks, `row_version` included: a row
changed since the proposal is refused rather than overwritten), or rejects it.
"""

import copy
import datetime
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.db import models, router, transaction
from django.http import HttpRequest, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.text import capfirst

from pacts.models import (
    Action,
    Attendance,
    Pact,
    PactParty,
    ProposalStatus,
    ProposedChange,
    SigningEvent,
    Statement,
)

PUBLISH_PERMISSION = "pacts.publish_pact"
# Sent by the browser with every form; not part of what was proposed.
NOT_KEPT = {"csrfmiddlewaretoken"}
# Columns the page does not show or that follow from others.
NOT_COMPARED = {"id", "search_text", "created_at", "updated_at", "slug", "published"}


class ReviewedChangesMixin:
    """For the admin of a model shown on a pact's page: a change to a published pact by
    someone who may not publish becomes a `ProposedChange` instead of being saved."""

    def published_pact(self, obj, data: QueryDict) -> Pact | None:
        """The published pact whose page saving `data` on `obj` (None: an addition) alters."""
        raise NotImplementedError

    def proposal_data(self, obj, data: dict[str, list[str]]) -> dict[str, list[str]]:
        """`data` completed with what its author could not edit, before it is sent again."""
        return data

    def pact_to_review(self, request: HttpRequest, obj) -> Pact | None:
        if request.user.has_perm(PUBLISH_PERMISSION):
            return None
        return self.published_pact(obj, request.POST)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # A kept form sent again (`send_again`) is the decision itself, or its preview.
        if request.method == "POST" and not getattr(request, "review_replay", False):
            obj = self.get_object(request, unquote(object_id)) if object_id else None
            pact = self.pact_to_review(request, obj)
            if pact is not None:
                return self._propose(request, object_id, obj, pact, form_url, extra_context)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def _propose(self, request, object_id, obj, pact, form_url, extra_context):
        if request.FILES:
            # A proposal keeps the form's fields, not a file: a publisher uploads it.
            messages.error(
                request,
                "Un document joint à ce qu'affiche un pacte publié est déposé par un membre "
                "de Publication : rien n'a été enregistré, transmettez-lui le fichier.",
            )
            return redirect(request.path)
        # Every check of the form runs as for a save, then the save is undone: an invalid
        # form comes back with its errors, a valid one is kept as it was sent.
        request.quiet_admin_messages = True
        request.unchanged_forms = []  # filled by save_model and save_formset below
        with transaction.atomic(using=router.db_for_write(self.model)):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            transaction.set_rollback(True)
        request.quiet_admin_messages = False
        if not isinstance(response, HttpResponseRedirect):
            return response
        label = str(obj) if obj is not None else f"{capfirst(self.opts.verbose_name)} à ajouter"
        change = ProposedChange.objects.create(
            pact=pact,
            content_type=ContentType.objects.get_for_model(self.model),
            object_id=obj.pk if obj is not None else None,
            object_label=label[:500],
            data={k: v for k, v in request.POST.lists() if k not in NOT_KEPT},
            unchanged_forms=request.unchanged_forms,
            author=request.user,
        )
        messages.success(
            request,
            f"Votre modification de « {label} » attend la validation d'un membre de "
            f"Publication : la page publique de « {pact} » reste inchangée d'ici là.",
        )
        return redirect(reverse("admin:pacts_proposedchange_change", args=[change.pk]))

    def save_model(self, request, obj, form, change):
        if change and not form.has_changed() and hasattr(request, "unchanged_forms"):
            request.unchanged_forms.append(form.prefix or "")
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if hasattr(request, "unchanged_forms"):
            request.unchanged_forms += [
                f.prefix for f in formset.initial_forms if not f.has_changed()
            ]
        super().save_formset(request, form, formset, change)

    def message_user(self, request, *args, **kwargs):
        # A save undone (`_propose`) or tried for a preview must not say it was saved.
        if not getattr(request, "quiet_admin_messages", False):
            super().message_user(request, *args, **kwargs)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            obj = self.get_object(request, unquote(object_id))
            if obj is not None and self.pact_to_review(request, obj) is not None:
                messages.error(
                    request,
                    "Rétablir une version de ce qu'affiche un pacte publié demande le droit de "
                    "publier : proposez plutôt la modification depuis la fiche.",
                )
                return redirect(reverse(admin_url_name(self.model, "change"), args=[obj.pk]))
        return super().history_form_view(request, object_id, version_id, extra_context)


def admin_url_name(model, view: str) -> str:
    return f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}"


def published(ids) -> Pact | None:
    """The first published pact among `ids` (row ids, or as a form sent them)."""
    ids = [i for i in ids if isinstance(i, int) or str(i).isdigit()]
    return Pact.objects.filter(pk__in=ids, published=True).order_by("pk").first()


# --- Sending a kept form again ---------------------------------------------------------


def _replay_request(change: ProposedChange, request: HttpRequest, data: dict) -> HttpRequest:
    """`request` (the publisher's) turned into the POST of `data` to the proposal's admin
    page."""
    model = change.content_type.model_class()
    if change.object_id is None:
        url = reverse(admin_url_name(model, "add"))
    else:
        url = reverse(admin_url_name(model, "change"), args=[change.object_id])
    replay = copy.copy(request)
    replay.method = "POST"
    replay.path = replay.path_info = url
    replay.resolver_match = resolve(url)
    post = QueryDict(mutable=True)
    for key, values in data.items():
        post.setlist(key, values)
    replay._post, replay._files = post, MultiValueDict()
    # Checked when the publisher's own request came in; this one never left the server.
    replay._dont_enforce_csrf_checks = True
    replay.review_replay = True
    return replay


def _send_again(
    change: ProposedChange, request: HttpRequest, admin_site, quiet: bool = False
) -> list[str]:
    """Send the kept form through its admin page; its French errors, none when saved.
    `quiet`: for a preview, whose save is rolled back, the admin says nothing."""
    model = change.content_type.model_class()
    model_admin = admin_site._registry[model]
    obj = None
    if change.object_id is not None:
        obj = model.objects.filter(pk=change.object_id).first()
        if obj is None:
            return ["La fiche modifiée n'existe plus."]
    data = dict(change.data)
    if obj is not None and change.unchanged_forms:
        data = with_current_rows(
            data, change.unchanged_forms, current_forms(model_admin, request, obj)
        )
    replay = _replay_request(change, request, model_admin.proposal_data(obj, data))
    replay.quiet_admin_messages = quiet
    object_id = str(change.object_id) if change.object_id is not None else None
    response = model_admin.changeform_view(replay, object_id)
    if isinstance(response, HttpResponseRedirect):
        return []
    return form_errors(response)


def _sent_values(form) -> tuple[set[str], dict[str, list[str]]]:
    """The names of a form's fields and what a browser would send back from it unchanged."""
    names, values = set(), {}
    for bound in form:
        names.add(bound.html_name)
        value = bound.value()
        if value is None or value is False:
            continue
        shown = ["on"] if value is True else bound.field.widget.format_value(value)
        if shown is None:
            shown = ""  # an empty input, sent as such
        values[bound.html_name] = [str(v) for v in (shown if isinstance(shown, list) else [shown])]
    return names, values


def current_forms(model_admin, request: HttpRequest, obj) -> dict[str, tuple]:
    """The admin page of `obj` as it would open now: for each form (by prefix, "" for the
    main one), its field names and values, and the id of its row."""
    viewer = copy.copy(request)
    viewer.method = "GET"
    form = model_admin.get_form(viewer, obj, change=True)(instance=obj)
    forms = {"": (*_sent_values(form), None)}
    formsets, _ = model_admin._create_formsets(viewer, obj, change=True)
    for formset in formsets:
        for inline_form in formset.initial_forms:
            forms[inline_form.prefix] = (*_sent_values(inline_form), inline_form.instance.pk)
    return forms


def with_current_rows(data: dict, unchanged: list[str], current: dict) -> dict:
    """`data` where each form the proposal left unchanged says what its row says now.

    A proposal sends every form of its page again; a row it did not touch must not be
    written back as it was then (a signing's venue approved since would be undone), nor make
    the proposal stale. A row it changed keeps its version: changed by someone else since,
    the proposal is refused rather than applied over it.
    """
    data = dict(data)
    by_row = {(prefix.rsplit("-", 1)[0], str(pk)): prefix for prefix, (*_, pk) in current.items()}
    for prefix in unchanged:
        if prefix == "":
            source = ""
        else:
            source = by_row.get((prefix.rsplit("-", 1)[0], (data.get(f"{prefix}-id") or [""])[0]))
        if source is None:
            continue  # the row is gone: the form will say so
        names, values, _pk = current[source]
        for name in names:
            data.pop(_renamed(name, source, prefix), None)
        data.update({_renamed(name, source, prefix): value for name, value in values.items()})
    return data


def _renamed(name: str, source: str, prefix: str) -> str:
    """A field's name in form `source` of the current page, as named in form `prefix`."""
    return name if source == "" else prefix + name[len(source) :]


# What a publisher reads when a row the proposal changes was changed again since.
STALE_FOR_PUBLISHER = (
    "« %(row)s » a été modifié par %(who)s le %(date)s à %(time)s, après cette proposition."
)


def form_errors(response) -> list[str]:
    """The errors an admin change form was sent back with, each with its field's label."""
    context = getattr(response, "context_data", None) or {}
    errors = []
    forms = [context["adminform"].form] if "adminform" in context else []
    for inline in context.get("inline_admin_formsets", []):
        errors += [str(e) for e in inline.formset.non_form_errors()]
        forms += inline.formset.forms
    for form in forms:
        for name, problems in form.errors.as_data().items():
            label = form.fields[name].label if name in form.fields else ""
            for problem in problems:
                if problem.code == "stale_form":
                    text = STALE_FOR_PUBLISHER % problem.params
                else:
                    text = " ".join(problem.messages)
                errors.append(f"{capfirst(label)} : {text}" if label else text)
    return errors or ["Le formulaire proposé n'a pas pu être enregistré."]


def approve(change: ProposedChange, request: HttpRequest, admin_site) -> list[str]:
    """Apply a pending proposal in the publisher's name; its French errors, none if done."""
    with transaction.atomic():
        change = ProposedChange.objects.select_for_update().get(pk=change.pk)
        if change.status != ProposalStatus.PENDING:
            return ["Cette proposition a déjà été traitée."]
        # Quiet: the admin would say « … modifié avec succès » under the proposed name.
        errors = _send_again(change, request, admin_site, quiet=True)
        if errors:
            transaction.set_rollback(True)
            return errors
        _decide(change, request, ProposalStatus.APPROVED)
    return []


def reject(change: ProposedChange, request: HttpRequest, note: str) -> bool:
    with transaction.atomic():
        change = ProposedChange.objects.select_for_update().get(pk=change.pk)
        if change.status != ProposalStatus.PENDING:
            return False
        change.decision_note = note.strip()
        _decide(change, request, ProposalStatus.REJECTED)
    return True


def _decide(change: ProposedChange, request: HttpRequest, status: str) -> None:
    change.status = status
    change.decided_by = request.user
    change.decided_at = timezone.now()
    change.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])


# --- The difference with the public version ------------------------------------------


@dataclass
class RowDifference:
    """One row of a pact's page added, removed or changed by a proposal."""

    label: str
    kind: str  # « ajout », « suppression », « modification »
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (label, before, after)


def preview(change: ProposedChange, request: HttpRequest, admin_site):
    """What approving `change` would change on its pact's page now, and why it could not
    be applied if so: the kept form is sent again in a transaction that is rolled back."""
    before = page_rows(change.pact)
    with transaction.atomic():
        errors = _send_again(change, request, admin_site, quiet=True)
        after = page_rows(Pact.objects.get(pk=change.pact_id)) if not errors else before
        transaction.set_rollback(True)
    return differences(before, after), errors


def _display(obj, model_field) -> tuple:
    """A column's value, to compare (ids for relations), and as shown, to read."""
    if model_field.many_to_many:
        related = sorted(getattr(obj, model_field.name).all(), key=lambda x: x.pk)
        return [x.pk for x in related], ", ".join(sorted(map(str, related))) or "—"
    value = getattr(obj, model_field.attname)
    if model_field.is_relation:
        return value, str(getattr(obj, model_field.name)) if value is not None else "—"
    if model_field.choices:
        return value, str(getattr(obj, f"get_{model_field.name}_display")())
    if value is None or value == "":
        return value, "—"
    if isinstance(value, bool):
        return value, "oui" if value else "non"
    if isinstance(value, datetime.date):
        return value, f"{value:%d/%m/%Y}"
    return value, str(value)


def _row(obj) -> dict[str, tuple]:
    opts = obj._meta
    fields = [f for f in opts.concrete_fields if f.name not in NOT_COMPARED]
    fields += [f for f in opts.many_to_many if not f.name.startswith("history")]
    skip = {"pact", "event", "pacts"} if not isinstance(obj, Pact) else set()
    return {capfirst(f.verbose_name): _display(obj, f) for f in fields if f.name not in skip}


def page_rows(pact: Pact) -> dict[tuple[str, int], tuple[str, dict[str, tuple]]]:
    """Every row a pact's page shows, by (kind, id): its label and its fields as shown."""
    rows = [pact]
    for model, lookup in (
        (SigningEvent, "pact"),
        (PactParty, "pact"),
        (Action, "pact"),
        (Attendance, "event__pact"),
        (Statement, "event__pact"),
    ):
        rows += list(model.objects.filter(**{lookup: pact}).order_by("pk"))
    rows += list(pact.sources.order_by("pk"))
    return {
        (r._meta.label, r.pk): (f"{capfirst(r._meta.verbose_name)} « {r} »", _row(r)) for r in rows
    }


def differences(before: dict, after: dict) -> list[RowDifference]:
    result = []
    for key in [*before, *(k for k in after if k not in before)]:
        if key not in after:
            result.append(RowDifference(before[key][0], "suppression"))
        elif key not in before:
            label, values = after[key]
            shown = [(name, "", shown) for name, (_v, shown) in values.items() if shown != "—"]
            result.append(RowDifference(label, "ajout", shown))
        else:
            old, new = before[key][1], after[key][1]
            changed = [
                (name, old[name][1], new[name][1])
                for name in new
                if name in old and old[name][0] != new[name][0]
            ]
            if changed:
                # Named as the public version names it.
                result.append(RowDifference(before[key][0], "modification", changed))
    return result


def pending_for(pact) -> models.QuerySet:
    """The proposals of `pact` (a pact or its id) that await a decision."""
    return ProposedChange.objects.filter(pact=pact, status=ProposalStatus.PENDING)

"""The admin pages of the staff spreadsheets: a list's export, the pact import and its
template (docs/architecture.md, « Tableurs de l'équipe »).

Each page runs inside the admin site (`admin_site.admin_view`: logged-in staff only) and
checks the model's own rights: viewing a list to export it, adding and changing pacts to
import them.
"""

import base64

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from pacts.models import Pact
from public.xlsx import CONTENT_TYPE as XLSX_TYPE
from staff.exports import STAFF_EXPORTERS, export_response
from staff.pact_import import (
    COLUMNS,
    MAX_FILE_SIZE,
    ImportFileError,
    pact_import_apply,
    pact_import_plan,
    template_csv,
    template_xlsx,
)

# The file travels from the preview to the confirmation inside the form, signed: app servers
# keep nothing on disk (README, « Déploiement »), and a confirmation writes only a file that
# this site previewed.
SIGNING_SALT = "staff.pact_import"


def export_list(request: HttpRequest, app_label: str, model_name: str, file_format: str):
    """Every row of an admin list as it stands: its filters, search and ordering."""
    model_admin = next(
        (
            m
            for model, m in admin.site._registry.items()
            if model in STAFF_EXPORTERS
            and (model._meta.app_label, model._meta.model_name) == (app_label, model_name)
        ),
        None,
    )
    if model_admin is None or file_format not in ("csv", "xlsx"):
        raise Http404("Pas d'export pour cette liste.")
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    try:
        changelist = model_admin.get_changelist_instance(request)
    except IncorrectLookupParameters:
        return HttpResponseBadRequest(
            "Export refusé : un filtre de la liste est invalide.",
            content_type="text/plain; charset=utf-8",
        )
    queryset = changelist.get_queryset(request)
    return export_response(STAFF_EXPORTERS[model_admin.model], queryset, request, file_format)


def _check_import_rights(request: HttpRequest) -> None:
    pact_admin = admin.site._registry[Pact]
    if not (pact_admin.has_add_permission(request) and pact_admin.has_change_permission(request)):
        raise PermissionDenied


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Fichier (CSV ou Excel .xlsx)",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_SIZE:
            raise forms.ValidationError("Fichier trop volumineux (1 Mo au plus).")
        return upload


def _token(name: str, content: bytes) -> str:
    return signing.dumps(
        {"name": name, "content": base64.b64encode(content).decode()},
        salt=SIGNING_SALT,
        compress=True,
    )


def _untoken(token: str) -> tuple[str, bytes]:
    data = signing.loads(token, salt=SIGNING_SALT, max_age=3600)
    return data["name"], base64.b64decode(data["content"])


def _counted(number: int, singular: str, plural: str) -> str:
    """« 0 pacte créé », « 2 pactes créés »: in French, 0 and 1 take the singular."""
    return f"{number} {plural if number > 1 else singular}"


def _preview(plan, name: str, content: bytes) -> dict:
    return {
        "plan": plan,
        "token": _token(name, content),
        "file_name": name,
        "created": plan.count("création"),
        "updated": plan.count("modification"),
        "unchanged": plan.count("inchangé"),
        "failed": plan.count("erreur"),
    }


def import_pacts(request: HttpRequest):
    """Upload a file, see what it would do, then confirm: nothing is written before."""
    _check_import_rights(request)
    context = {
        **admin.site.each_context(request),
        "title": "Importer des pactes depuis un tableur",
        "opts": Pact._meta,
        "columns": COLUMNS,
        "form": UploadForm(),
    }
    if request.method == "POST" and "confirm" in request.POST:
        try:
            name, content = _untoken(request.POST.get("token", ""))
        except signing.BadSignature:
            messages.error(request, "Aperçu expiré ou altéré : importez le fichier à nouveau.")
            return redirect("staff:import_pacts")
        try:
            plan, result = pact_import_apply(name, content, request.user)
        except ImportFileError as error:
            context["file_error"] = str(error)
            return TemplateResponse(request, "admin/staff/pact_import.html", context, status=400)
        if result is None:
            # The database changed since the preview: the new errors are shown, nothing written.
            context.update(_preview(plan, name, content), stale=True)
            return TemplateResponse(request, "admin/staff/pact_import.html", context)
        messages.success(
            request,
            f"Import de « {name} » terminé : "
            f"{_counted(result.created, 'pacte créé', 'pactes créés')}"
            f", {_counted(result.updated, 'modifié', 'modifiés')}"
            f", {_counted(result.unchanged, 'inchangé', 'inchangés')}."
            + (" Les pactes créés sont des brouillons, non publiés." if result.created else ""),
        )
        return redirect(reverse("admin:pacts_pact_changelist"))
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        context["form"] = form
        if not form.is_valid():
            return TemplateResponse(request, "admin/staff/pact_import.html", context, status=400)
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            plan = pact_import_plan(upload.name, content)
        except ImportFileError as error:
            context["file_error"] = str(error)
            return TemplateResponse(request, "admin/staff/pact_import.html", context, status=400)
        context.update(_preview(plan, upload.name, content))
    return TemplateResponse(request, "admin/staff/pact_import.html", context)


def import_template(request: HttpRequest, file_format: str) -> HttpResponse:
    """The empty spreadsheet to fill: one header per column, French; the .xlsx has a help
    sheet describing each."""
    _check_import_rights(request)
    if file_format == "xlsx":
        response = HttpResponse(template_xlsx(), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="modele-import-pactes.{file_format}"'
    return response

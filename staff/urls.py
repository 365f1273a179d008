"""The staff spreadsheets' pages, under the admin's address (config/urls.py)."""

from django.contrib import admin
from django.urls import path

from staff import views

app_name = "staff"

urlpatterns = [
    path("import-pactes/", admin.site.admin_view(views.import_pacts), name="import_pacts"),
    path(
        "import-pactes/modele.<str:file_format>",
        admin.site.admin_view(views.import_template),
        name="import_template",
    ),
    path(
        "export/<str:app_label>/<str:model_name>.<str:file_format>",
        admin.site.admin_view(views.export_list),
        name="export_list",
    ),
]

"""Public URLs of territories and bodies (docs/architecture.md, « Public site »)."""

from django.urls import path

from pacts.listing import ListExportView, ListPageView
from territories import views

app_name = "territories"

urlpatterns = [
    path("territoires/", ListPageView.as_view(spec=views.TERRITORY_LIST), name="list"),
    path(
        "territoires/export.csv",
        ListExportView.as_view(spec=views.TERRITORY_LIST),
        name="export",
    ),
    # A dot cannot appear in a slug: no territory can hide this address.
    path(
        "territoires/suggestions.json",
        views.territory_suggestions,
        name="suggestions",
    ),
    path("territoires/<slug:slug>/", views.territory_detail, name="detail"),
    path("organismes/", ListPageView.as_view(spec=views.BODY_LIST), name="body_list"),
    path(
        "organismes/export.csv",
        ListExportView.as_view(spec=views.BODY_LIST),
        name="body_export",
    ),
    path("organismes/<slug:slug>/", views.body_detail, name="body_detail"),
]

"""Public URLs of pacts and signing events (docs/architecture.md, « Public site »)."""

from django.urls import path

from pacts import views
from pacts.listing import ListExportView, ListPageView

app_name = "pacts"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("pactes/", ListPageView.as_view(spec=views.PACT_LIST), name="list"),
    path("pactes/export.csv", ListExportView.as_view(spec=views.PACT_LIST), name="export"),
    path("pactes/<slug:slug>/", views.pact_detail, name="detail"),
    path("recherche/", views.search, name="search"),
    path("signatures/", ListPageView.as_view(spec=views.SIGNING_LIST), name="signatures"),
    path(
        "signatures/export.csv",
        ListExportView.as_view(spec=views.SIGNING_LIST),
        name="signatures_export",
    ),
]

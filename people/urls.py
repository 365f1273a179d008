"""Public URLs of people (docs/architecture.md, « Public site »)."""

from django.urls import path

from pacts.listing import ListExportView, ListPageView
from people import views

app_name = "people"

urlpatterns = [
    path("personnes/", ListPageView.as_view(spec=views.PERSON_LIST), name="list"),
    path("personnes/export.csv", ListExportView.as_view(spec=views.PERSON_LIST), name="export"),
    path("personnes/<slug:slug>/", views.person_detail, name="detail"),
]

"""API addresses under /api/v1/ (docs/architecture.md, « API »): French paths like the
site's, keyed on slugs and official codes, never on database ids."""

from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView

from api import views

app_name = "api"

urlpatterns = [
    path("", views.ApiRootView.as_view(), name="root"),
    path("pactes/", views.pact_list, name="pact-list"),
    path("pactes/<slug:slug>/", views.PactDetailView.as_view(), name="pact-detail"),
    path("signatures/", views.signing_list, name="signing-list"),
    path("signatures/<slug:slug>/", views.SigningDetailView.as_view(), name="signing-detail"),
    path("territoires/", views.territory_list, name="territory-list"),
    path(
        "territoires/<slug:type>/<slug:code>/",
        views.TerritoryDetailView.as_view(),
        name="territory-detail",
    ),
    path("territoires/<slug:slug>/", views.TerritorySlugView.as_view(), name="territory-slug"),
    path("organismes/", views.body_list, name="body-list"),
    path("organismes/<slug:siren>/", views.BodyDetailView.as_view(), name="body-detail"),
    path("personnes/", views.person_list, name="person-list"),
    path("personnes/<slug:slug>/", views.PersonDetailView.as_view(), name="person-detail"),
    # JSON only: one answer per address, as the page cache expects (« Cache »).
    path("schema/", SpectacularJSONAPIView.as_view(), name="schema"),
    path(
        "documentation/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema",
            template_name="api/swagger_ui.html",
            title="Documentation de l'API des pactes territoriaux",
        ),
        name="docs",
    ),
]

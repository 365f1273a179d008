"""Public URLs, French paths (docs/architecture.md, « Public site »).

Three namespaces, one per subject, so that templates and models name a page the same way
whatever file serves it: `pacts:` (home, pacts, signings, search), `territories:` (territories
and bodies) and `people:`; `legal:` holds the pages the footer links to (legal notice,
accessibility, personal data) and `/favicon.ico`.
"""

from django.urls import include, path

from public.views import home, legal, pacts, people, search, signings, territories
from public.views.lists import ListExportView, ListPageView

pact_patterns = [
    path("", home.HomeView.as_view(), name="home"),
    path("pactes/", ListPageView.as_view(spec=pacts.PACT_LIST), name="list"),
    path("pactes/export.csv", ListExportView.as_view(spec=pacts.PACT_LIST), name="export"),
    path("pactes/<slug:slug>/", pacts.pact_detail, name="detail"),
    path("recherche/", search.search, name="search"),
    path("signatures/", ListPageView.as_view(spec=pacts.SIGNING_LIST), name="signatures"),
    path(
        "signatures/export.csv",
        ListExportView.as_view(spec=pacts.SIGNING_LIST),
        name="signatures_export",
    ),
    # A dot cannot appear in a slug: no signing can hide the export.
    path("signatures/<slug:slug>/", signings.signing_detail, name="signing"),
    path("sources/<int:pk>/document.pdf", pacts.source_document, name="source_document"),
]

territory_patterns = [
    path("territoires/", ListPageView.as_view(spec=territories.TERRITORY_LIST), name="list"),
    path(
        "territoires/export.csv",
        ListExportView.as_view(spec=territories.TERRITORY_LIST),
        name="export",
    ),
    # A dot cannot appear in a slug: no territory can hide this address.
    path(
        "territoires/suggestions.json",
        territories.territory_suggestions,
        name="suggestions",
    ),
    path("territoires/<slug:slug>/", territories.territory_detail, name="detail"),
    path("organismes/", ListPageView.as_view(spec=territories.BODY_LIST), name="body_list"),
    path(
        "organismes/export.csv",
        ListExportView.as_view(spec=territories.BODY_LIST),
        name="body_export",
    ),
    path(
        "organismes/suggestions.json",
        territories.body_suggestions,
        name="body_suggestions",
    ),
    path("organismes/<slug:slug>/", territories.body_detail, name="body_detail"),
]

people_patterns = [
    path("personnes/", ListPageView.as_view(spec=people.PERSON_LIST), name="list"),
    path("personnes/export.csv", ListExportView.as_view(spec=people.PERSON_LIST), name="export"),
    path("personnes/suggestions.json", people.person_suggestions, name="suggestions"),
    path("personnes/<slug:slug>/", people.person_detail, name="detail"),
]

legal_patterns = [
    path("mentions-legales/", legal.legal_notice, name="notice"),
    path("accessibilite/", legal.accessibility, name="accessibility"),
    path("donnees-personnelles/", legal.personal_data, name="personal_data"),
    path("favicon.ico", legal.favicon, name="favicon"),
]

urlpatterns = [
    path("", include((pact_patterns, "pacts"))),
    path("", include((territory_patterns, "territories"))),
    path("", include((people_patterns, "people"))),
    path("", include((legal_patterns, "legal"))),
]

"""Public URLs, French paths (docs/architecture.md, « Public site »).

Three namespaces, one per subject, so that templates and models name a page the same way
whatever file serves it: `pacts:` (home, pacts, signings, search), `territories:` (territories
and bodies) and `people:`; `legal:` holds the pages the footer links to (legal notice,
accessibility, personal data) and `/favicon.ico`.
"""

from django.urls import include, path

from public.views import (
    feeds,
    home,
    legal,
    opendata,
    pacts,
    people,
    search,
    signings,
    territories,
)
from public.views.lists import ListPageView, export_patterns

pact_patterns = [
    path("", home.HomeView.as_view(), name="home"),
    path("pactes/", ListPageView.as_view(spec=pacts.PACT_LIST), name="list"),
    *export_patterns("pactes/", pacts.PACT_LIST, "export"),
    path("pactes/<slug:slug>/", pacts.pact_detail, name="detail"),
    path("recherche/", search.search, name="search"),
    path("signatures/", ListPageView.as_view(spec=pacts.SIGNING_LIST), name="signatures"),
    *export_patterns("signatures/", pacts.SIGNING_LIST, "signatures_export"),
    path("signatures/flux.atom", feeds.SigningFeed(), name="signatures_feed"),
    path("signatures/agenda.ics", feeds.signing_calendar, name="signatures_calendar"),
    # A dot cannot appear in a slug: no signing can hide the export.
    path("signatures/<slug:slug>/", signings.signing_detail, name="signing"),
    path("sources/<int:pk>/document.pdf", pacts.source_document, name="source_document"),
]

territory_patterns = [
    path("territoires/", ListPageView.as_view(spec=territories.TERRITORY_LIST), name="list"),
    *export_patterns("territoires/", territories.TERRITORY_LIST, "export"),
    # A dot cannot appear in a slug: no territory can hide this address.
    path(
        "territoires/suggestions.json",
        territories.territory_suggestions,
        name="suggestions",
    ),
    path("territoires/<slug:slug>/", territories.territory_detail, name="detail"),
    path("organismes/", ListPageView.as_view(spec=territories.BODY_LIST), name="body_list"),
    *export_patterns("organismes/", territories.BODY_LIST, "body_export"),
    path(
        "organismes/suggestions.json",
        territories.body_suggestions,
        name="body_suggestions",
    ),
    path("organismes/<slug:slug>/", territories.body_detail, name="body_detail"),
]

people_patterns = [
    path("personnes/", ListPageView.as_view(spec=people.PERSON_LIST), name="list"),
    *export_patterns("personnes/", people.PERSON_LIST, "export"),
    path("personnes/suggestions.json", people.person_suggestions, name="suggestions"),
    path("personnes/<slug:slug>/", people.person_detail, name="detail"),
]

legal_patterns = [
    path("mentions-legales/", legal.legal_notice, name="notice"),
    path("accessibilite/", legal.accessibility, name="accessibility"),
    path("donnees-personnelles/", legal.personal_data, name="personal_data"),
    path("favicon.ico", legal.favicon, name="favicon"),
]

# The open data: what the datasets are and the whole of them in one file (« Données ouvertes »).
open_data_patterns = [
    path("donnees/", opendata.open_data, name="index"),
    path("donnees/pactes-territoriaux.zip", opendata.open_data_package, name="package"),
]

urlpatterns = [
    path("", include((pact_patterns, "pacts"))),
    path("", include((territory_patterns, "territories"))),
    path("", include((people_patterns, "people"))),
    path("", include((legal_patterns, "legal"))),
    path("", include((open_data_patterns, "opendata"))),
]

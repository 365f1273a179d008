"""The read-only JSON API (docs/architecture.md, « API »): what a reuser reading it observes.

Each list must give the rows of its HTML list, in its order, for the same filters; drafts
never show, not even nested or counted; unknown keys answer 404, malformed filters 400 in
French; the schema is valid OpenAPI 3; anonymous clients are throttled and any site may read.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.test.utils import override_settings
from drf_spectacular.validation import validate_schema
from rest_framework.throttling import AnonRateThrottle

from tests import factories
from tests.conftest import build_haute_marne, make_signed_pact
from tests.public.test_timeouts import (
    database_out_of_reach,  # noqa: F401 (a fixture, used by name)
    observed_timeouts,
    postgresql_only,
)

pytestmark = pytest.mark.django_db


def api_ids(client, url) -> list[str]:
    """The identifiers of every row of an API list, walking its `suivante` links."""
    ids = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        ids += [row["identifiant"] for row in response.json()["resultats"]]
        url = response.json()["suivante"]
    return ids


@pytest.fixture
def published_and_draft(db):
    """Two published pacts in Haute-Marne and a draft whose body, signatory, attendee and
    territory appear nowhere else; the CA de Chaumont is party to a published pact and to
    the draft."""
    places = build_haute_marne()
    chaumont_body = factories.BodyFactory(name="CA de Chaumont", siren="200068658")
    president = factories.MandateFactory(body=chaumont_body)
    first = make_signed_pact(
        title="Pacte de Chaumont",
        territories=[places.epci],
        commune=places.chaumont,
        signatory=president,
        attendees=[factories.PersonFactory()],
        date=datetime.date(2019, 1, 15),
    )
    second = make_signed_pact(
        title="Pacte de Langres",
        territories=[places.langres],
        commune=places.langres,
        date=datetime.date(2020, 3, 2),
    )
    hidden_place = factories.TerritoryFactory(name="Secretville", code="88999")
    hidden_person = factories.PersonFactory(last_name="Cachée")
    draft = make_signed_pact(
        title="Pacte brouillon",
        territories=[places.dep, hidden_place],
        commune=hidden_place,
        attendees=[hidden_person],
        published=False,
    )
    factories.PactPartyFactory(pact=draft, body=chaumont_body, order=5)
    return SimpleNamespace(
        places=places,
        first=first,
        second=second,
        draft=draft,
        chaumont_body=chaumont_body,
        president=president,
        hidden_place=hidden_place,
        hidden_person=hidden_person,
    )


def test_every_api_list_gives_the_rows_and_order_of_its_html_list(client, published_and_draft):
    lists = [
        ("/pactes/", "?tri=titre"),
        ("/pactes/", "?departement=52&annee=2019"),
        ("/signatures/", ""),
        ("/territoires/", "?departement=52"),
        ("/organismes/", ""),
        ("/personnes/", "?perimetre=tous"),
    ]
    for path, query in lists:
        page = client.get(path + query)
        expected = [row.slug for row in page.context["object_list"]]
        assert expected, path + query
        # Two rows a page: the `suivante` links walk the whole list in the page's order.
        separator = "&" if query else "?"
        assert api_ids(client, f"/api/v1{path}{query}{separator}taille=2") == expected
        assert client.get(f"/api/v1{path}{query}").json()["total"] == len(expected)


def test_nested_objects_carry_their_public_and_api_addresses(client, published_and_draft):
    pact = client.get("/api/v1/pactes/?tri=titre").json()["resultats"][0]
    assert pact["url"] == "http://testserver" + published_and_draft.first.get_absolute_url()
    (territory,) = pact["territoires"]
    assert territory["url"] == "http://testserver/territoires/ca-de-chaumont-200068658/"
    assert territory["api"] == "http://testserver/api/v1/territoires/ca/200068658/"
    assert client.get(territory["api"]).json()["nom"] == "CA de Chaumont"
    body = next(p["organisme"] for p in pact["parties"] if p["organisme"]["siren"])
    assert body["api"] == "http://testserver/api/v1/organismes/200068658/"
    (signing,) = pact["signatures"]
    assert client.get(signing["api"]).json()["commune"]["code"] == "52121"
    detail = client.get(pact["api"]).json()
    signatory = detail["parties"][0]["signataire"]
    assert client.get(signatory["api"]).json()["identifiant"] == signatory["identifiant"]


def test_drafts_never_appear_in_lists_details_nested_objects_or_counts(client, published_and_draft):
    data = published_and_draft
    draft = data.draft

    assert draft.slug not in api_ids(client, "/api/v1/pactes/?taille=100")
    assert client.get(f"/api/v1/pactes/{draft.slug}/").status_code == 404
    event = draft.signing_events.get()
    assert client.get(f"/api/v1/signatures/{event.slug}/").status_code == 404
    assert event.slug not in api_ids(client, "/api/v1/signatures/")
    # People and bodies involved only in the draft are not « involved » (default scope).
    assert data.hidden_person.slug not in api_ids(client, "/api/v1/personnes/")
    bodies = client.get("/api/v1/organismes/").json()["resultats"]
    assert {b["identifiant"]: b["pactes_publies"] for b in bodies}[data.chaumont_body.slug] == 1
    assert len(bodies) == 2  # the two published pacts' signatory bodies

    body = client.get("/api/v1/organismes/200068658/").json()
    assert body["pactes"]["nombre"] == 1
    assert [p["identifiant"] for p in body["pactes"]["premiers"]] == [data.first.slug]
    haute_marne = client.get("/api/v1/territoires/departement/52/").json()
    assert haute_marne["pactes"]["nombre"] == 2
    assert draft.slug not in {p["identifiant"] for p in haute_marne["pactes"]["premiers"]}
    hidden_place = client.get("/api/v1/territoires/commune/88999/").json()
    assert hidden_place["pactes"] == {
        "nombre": 0,
        "premiers": [],
        "liste": f"http://testserver/api/v1/pactes/?territoire={data.hidden_place.slug}",
    }
    person = client.get(f"/api/v1/personnes/{data.hidden_person.slug}/").json()
    assert person["signatures"] == [] and person["presences"] == []


def test_unknown_keys_answer_404_in_french(client, published_and_draft):
    for url, message in [
        ("/api/v1/pactes/inconnu/", "Aucun pacte publié n'a l'identifiant « inconnu »."),
        ("/api/v1/territoires/commune/99999/", "Aucun territoire de type « commune »"),
        ("/api/v1/territoires/region/52121/", "Aucun territoire de type « region »"),
        ("/api/v1/territoires/canton/52/", "Type de territoire « canton » inconnu."),
        ("/api/v1/territoires/nulle-part/", "Aucun territoire n'a l'identifiant"),
        ("/api/v1/organismes/123456782/", "Aucun organisme n'a le SIREN « 123456782 »."),
        ("/api/v1/personnes/personne/", "Aucune personne n'a l'identifiant « personne »."),
        ("/api/v1/signatures/nulle-part-2019-01-01/", "Aucune signature"),
        ("/api/v1/pactes/?page=3", "La page 3 n'existe pas"),
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json()["detail"].startswith(message), url
    for garbage in ["/api/v1/territoires/commune/%00/", "/api/v1/organismes/a%20b/"]:
        assert client.get(garbage).status_code == 404
    # The same code names a région and a département: the kind tells them apart.
    assert client.get("/api/v1/territoires/region/44/").json()["nom"] == "Grand Est"
    assert client.get("/api/v1/territoires/departement/44/").json()["nom"] == "Loire-Atlantique"


def test_malformed_filters_answer_400_with_french_reasons(client, published_and_draft):
    for url, reason in [
        ("/api/v1/pactes/?annee=deux-mille", "Filtre « Année de signature »"),
        ("/api/v1/pactes/?tri=hasard", "Paramètre « Trier par »"),
        ("/api/v1/pactes/?organsime=x", "Paramètre(s) inconnu(s) : « organsime »"),
        ("/api/v1/pactes/?territoire=44", "Filtre « Territoire » : « 44 » désigne plusieurs"),
        ("/api/v1/signatures/?departement=999", "Filtre « Département »"),
        ("/api/v1/personnes/?statut=peut-etre", "Filtre « Mandat »"),
        ("/api/v1/territoires/?page=deux", "Paramètre « page »"),
        ("/api/v1/organismes/?taille=1000", "Paramètre « taille » : 100 au plus"),
    ]:
        response = client.get(url)
        assert response.status_code == 400, url
        body = response.json()
        assert body["erreurs"][0].startswith(reason), (url, body)
    # Well formed but matching nothing: an empty list that says why, never the whole list.
    empty = client.get("/api/v1/pactes/?organisme=inconnu").json()
    assert empty["total"] == 0 and empty["resultats"] == [] and empty["constats"]


def test_the_openapi_schema_is_valid_and_documented_in_french(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "API des pactes territoriaux"
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/pactes/"]["get"]["parameters"]}
    assert parameters["territoire"]["description"] == "Territoire"
    assert parameters["tri"]["schema"]["enum"] == ["-date", "-titre", "date", "titre"]

    docs = client.get("/api/v1/documentation/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert '<html lang="fr">' in html and "Documentation de l&#x27;API" in html
    # Swagger UI is served by this site: the CSP ('self') lets it run, no CDN is named.
    assert "http" not in html.split("<body>")[1].split("</header>")[1]
    assert "script-src 'self'" in docs["Content-Security-Policy"]
    assert (
        client.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css").status_code
        == 200
    )


def test_anonymous_clients_are_throttled_per_address_and_any_site_may_read(
    client, monkeypatch, haute_marne
):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    url = "/api/v1/territoires/"
    first = client.get(url, HTTP_ORIGIN="https://journal.example")
    assert first.status_code == 200
    assert first["Access-Control-Allow-Origin"] == "*"
    assert client.get(url, REMOTE_ADDR="10.0.0.2").status_code == 200  # another address
    assert client.get(url).status_code == 200
    refused = client.get(url)
    assert refused.status_code == 429
    assert "Requête ralentie" in refused.json()["detail"]
    assert int(refused["Retry-After"]) > 0
    # The public pages are not the API: neither throttled nor open to other sites.
    page = client.get("/territoires/", HTTP_ORIGIN="https://journal.example")
    assert page.status_code == 200 and "Access-Control-Allow-Origin" not in page


@pytest.mark.django_db(transaction=True)
def test_the_api_shares_the_page_cache(client):
    build_haute_marne()
    first = client.get("/api/v1/territoires/?departement=52")
    assert first["X-Cache"] == "MISS" and first.json()["total"] == 4
    again = client.get("/api/v1/territoires/?departement=52")
    assert again["X-Cache"] == "HIT" and again.content == first.content
    assert again["Content-Type"] == "application/json"


@postgresql_only
@override_settings(PUBLIC_STATEMENT_TIMEOUT_MS=1234)
def test_the_api_runs_under_the_public_statement_timeout(client, haute_marne):
    with observed_timeouts() as seen:
        assert client.get("/api/v1/territoires/?departement=52").status_code == 200
    assert seen and {value for _sql, value in seen} == {"1234ms"}


@pytest.mark.usefixtures("database_out_of_reach")
def test_the_api_answers_a_french_json_503_when_the_database_is_out_of_reach(client):
    response = client.get("/api/v1/pactes/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json()["detail"].startswith("La base de données n'a pas répondu")

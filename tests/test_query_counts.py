"""Every public page and export runs a number of queries independent of the rows it shows.

Each test runs against 3 and against 60 rich pacts (`make_rich_pacts`: territories, themes,
strategies, parties whose signatories hold several mandates, attendees, statements, actions
and sources) under the same bound, which catches an N+1 anywhere on a page. The pacts are
built once per size for the whole module (`shared_rows`) since the pages only read them;
what a test adds on top is rolled back after it.
"""

import pytest

from people.models import Function
from territories.models import BodyKind
from tests import factories
from tests.conftest import EXPORT_URLS, make_rich_pacts, read_csv_response, shared_rows

pytestmark = pytest.mark.django_db

SEARCH_URL = "/recherche/"


@pytest.fixture(scope="module", params=[3, 60], ids=lambda count: f"{count}pactes")
def rich_pacts(request, django_db_setup, django_db_blocker):
    """`make_rich_pacts(count)`, built once per count for this module."""
    yield from shared_rows(django_db_blocker, lambda: make_rich_pacts(request.param))


# --- Lists and details (public pact pages) ------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/", "/pactes/", "/pactes/?q=nom&tri=titre", "/pactes/?departement=52", "/signatures/"],
)
def test_list_pages_run_a_constant_number_of_queries(
    client, django_assert_max_num_queries, rich_pacts, url
):
    # Inside the test's transaction what pages keep per data version is computed each time
    # (`per_data_version`): the search keys of `q` take 4 queries where the site reads one entry.
    with django_assert_max_num_queries(29):
        assert client.get(url).status_code == 200


def test_pact_detail_runs_a_constant_number_of_queries(
    client, django_assert_max_num_queries, rich_pacts
):
    pacts = rich_pacts
    # Make one pact as heavy as all of them: its counts must not matter either.
    heavy = pacts[0]
    event = heavy.signing_events.get()
    for _ in pacts[1:]:
        attendee = factories.MandateFactory().person
        factories.MandateFactory(person=attendee, function=Function.MAYOR)
        factories.AttendanceFactory(event=event, person=attendee)
    with django_assert_max_num_queries(20):
        assert client.get(heavy.get_absolute_url()).status_code == 200


def test_signing_page_runs_a_constant_number_of_queries(
    client, django_assert_max_num_queries, rich_pacts
):
    pacts = rich_pacts
    # Make one signing as heavy as all the pacts: as many signatories and attendees, each
    # with several mandates, and as many other signings of its pact.
    heavy = pacts[0]
    event = heavy.signing_events.get()
    for n, _ in enumerate(pacts[1:], start=1):
        signatory = factories.MandateFactory()
        factories.MandateFactory(person=signatory.person, function=Function.MAYOR)
        factories.PactPartyFactory(
            pact=heavy, body=signatory.body, mandate=signatory, signing_event=event, order=n
        )
        attendee = factories.MandateFactory().person
        factories.MandateFactory(person=attendee, function=Function.MAYOR)
        factories.AttendanceFactory(event=event, person=attendee)
        factories.StatementFactory(event=event, person=attendee)
        factories.SigningEventFactory(pact=heavy)
    with django_assert_max_num_queries(20):
        assert client.get(event.get_absolute_url()).status_code == 200


# --- CSV exports ------------------------------------------------------------------------------


@pytest.mark.parametrize("url", EXPORT_URLS)
def test_exports_run_a_number_of_queries_independent_of_the_rows(
    client, django_assert_max_num_queries, rich_pacts, url
):
    with django_assert_max_num_queries(25):
        response = client.get(url)
        read_csv_response(response)


# --- Territories, bodies, people ----------------------------------------------------------


def test_territory_and_body_pages_run_a_constant_number_of_queries(
    client, django_assert_max_num_queries, rich_pacts
):
    pacts = rich_pacts
    dep = pacts[0].territories.get().parents.get()
    region_body = pacts[0].parties.get(body__kind=BodyKind.REGION).body
    for url in [
        "/territoires/",
        "/territoires/?departement=52",
        dep.get_absolute_url(),
        pacts[0].territories.get().get_absolute_url(),
        "/organismes/",
        region_body.get_absolute_url(),
    ]:
        with django_assert_max_num_queries(25):
            assert client.get(url).status_code == 200, url


def test_people_pages_run_a_constant_number_of_queries(
    client, django_assert_max_num_queries, rich_pacts
):
    pacts = rich_pacts
    president = pacts[0].parties.order_by("pk").last().mandate.person
    for url in ["/personnes/", "/personnes/?statut=en_cours", president.get_absolute_url()]:
        with django_assert_max_num_queries(20):
            assert client.get(url).status_code == 200, url


# --- Search -----------------------------------------------------------------------------------


def test_search_page_runs_a_constant_number_of_queries(
    client, django_assert_max_num_queries, rich_pacts
):
    count = len(rich_pacts)
    for n in range(count):
        factories.TerritoryFactory(name=f"Nom commune {n}")
        factories.MandateFactory(
            person__last_name=f"Nom{n}", body__name=f"Nom organisme {n}", function=Function.MAYOR
        )
    response = None
    # count + first rows (and the prefetches of its list) per group, for four groups; the
    # territories' first rows read as ids, then rows (`first_best_matches`).
    with django_assert_max_num_queries(23):
        response = client.get(SEARCH_URL, {"q": "nom"})
    assert response.status_code == 200
    assert all(group.count >= count for group in response.context["groups"])


# --- Filters matching nothing -----------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "annee=2017&departement=57&statut=preparation",
        "organisme=inconnu&personne=inconnue&theme=inconnu&programme=inconnu",
        "territoire=atlantide&annee=abc&departement=999&inconnu=1",
    ],
)
@pytest.mark.parametrize("url", ["/pactes/", "/pactes/export.csv"])
def test_filters_matching_nothing_cost_a_constant_number_of_queries(
    client, django_assert_max_num_queries, rich_pacts, url, query
):
    with django_assert_max_num_queries(25):
        response = client.get(f"{url}?{query}")
        if response.streaming:
            read_csv_response(response)


# --- Pages of the footer ------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/mentions-legales/", "/accessibilite/", "/donnees-personnelles/"])
def test_legal_pages_read_nothing(client, django_assert_max_num_queries, rich_pacts, url):
    with django_assert_max_num_queries(0):
        assert client.get(url).status_code == 200


# --- JSON API ---------------------------------------------------------------------------------


def test_api_lists_and_details_run_a_constant_number_of_queries(
    client, django_assert_max_num_queries, rich_pacts
):
    """Every row of the 60 pacts on one API page (`taille=100`), nested objects included."""
    pacts = rich_pacts
    epci = pacts[0].territories.get()
    region_body = pacts[0].parties.get(body__kind=BodyKind.REGION).body
    president = pacts[0].parties.get(body__kind=BodyKind.REGION).mandate.person
    urls = [
        f"/api/v1/{name}/?taille=100"
        for name in ("pactes", "signatures", "territoires", "organismes", "personnes")
    ]
    urls += [
        f"/api/v1/pactes/{pacts[0].slug}/",
        f"/api/v1/signatures/{pacts[0].signing_events.get().slug}/",
        f"/api/v1/territoires/departement/{epci.parents.get().code}/",
        f"/api/v1/territoires/{epci.kind}/{epci.code}/",
        f"/api/v1/organismes/{region_body.slug}/",
        f"/api/v1/personnes/{president.slug}/",
    ]
    for url in urls:
        with django_assert_max_num_queries(20):
            response = client.get(url)
        assert response.status_code == 200, url

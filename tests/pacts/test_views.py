"""Public pact pages: filters, territory logic, search, details, drafts, bad input, queries."""

import datetime
import html as html_lib
import re

import pytest
from django.urls import reverse

from pacts.models import Pact, PactStatus, PartyRole
from people.models import Function, Gender
from territories.models import BodyKind
from tests import factories
from tests.conftest import make_signed_pact

pytestmark = pytest.mark.django_db

LIST_URL = "/pactes/"


def titles_on_page(response) -> list[str]:
    """Titles of the pacts listed on a list page, in order."""
    html = response.content.decode()
    found = re.findall(r'<h3 class="card-title"><a href="[^"]+">([^<]+)</a></h3>', html)
    return [html_lib.unescape(title) for title in found]


def get_titles(client, **params) -> list[str]:
    response = client.get(LIST_URL, params)
    assert response.status_code == 200
    return titles_on_page(response)


# --- Filters ----------------------------------------------------------------------------


def test_list_shows_published_pacts_with_their_count(client):
    make_signed_pact(title="Pacte de Chaumont")
    make_signed_pact(title="Pacte de Langres")
    response = client.get(LIST_URL)
    assert response.status_code == 200
    assert sorted(titles_on_page(response)) == ["Pacte de Chaumont", "Pacte de Langres"]
    assert "<strong>2</strong> résultats" in response.content.decode()


def test_programme_filter_keeps_that_programme_only(client):
    crte = factories.ProgrammeFactory(name="Contrat de relance", acronym="CRTE")
    make_signed_pact(title="Pacte POCE")
    make_signed_pact(title="Contrat CRTE", programme=crte)
    assert get_titles(client, programme=crte.slug) == ["Contrat CRTE"]


def test_status_filter(client):
    make_signed_pact(title="Signé")
    make_signed_pact(title="Achevé", status=PactStatus.COMPLETED)
    assert get_titles(client, statut=PactStatus.COMPLETED) == ["Achevé"]


def test_theme_filter_offers_only_themes_of_published_pacts(client):
    emploi = factories.ThemeFactory(name="Emploi")
    secret = factories.ThemeFactory(name="Thème secret")
    make_signed_pact(title="Pacte emploi", themes=[emploi])
    make_signed_pact(title="Autre")
    make_signed_pact(title="Brouillon", themes=[secret], published=False)
    assert get_titles(client, theme=emploi.slug) == ["Pacte emploi"]
    html = client.get(LIST_URL).content.decode()
    assert "Emploi" in html
    assert "Thème secret" not in html


def test_year_filter_and_its_choices_come_from_published_signings(client):
    make_signed_pact(title="2019", date=datetime.date(2019, 1, 15))
    make_signed_pact(title="2021", date=datetime.date(2021, 6, 1))
    make_signed_pact(title="Brouillon 2015", date=datetime.date(2015, 1, 1), published=False)
    assert get_titles(client, annee="2021") == ["2021"]
    html = client.get(LIST_URL).content.decode()
    assert '<option value="2019">' in html
    assert '<option value="2015">' not in html


def test_body_filter_keeps_pacts_the_body_is_party_to(client):
    mandate = factories.MandateFactory()
    make_signed_pact(title="Avec", signatory=mandate)
    make_signed_pact(title="Sans")
    assert get_titles(client, organisme=mandate.body.slug) == ["Avec"]


def test_person_filter_matches_signatories_and_attendees(client):
    signatory = factories.MandateFactory()
    attendee = factories.PersonFactory()
    make_signed_pact(title="Signé par elle", signatory=signatory)
    make_signed_pact(title="Elle y était", attendees=[attendee])
    make_signed_pact(title="Autre")
    assert get_titles(client, personne=signatory.person.slug) == ["Signé par elle"]
    assert get_titles(client, personne=attendee.slug) == ["Elle y était"]


def test_sort_by_title_and_by_date(client):
    make_signed_pact(title="B", date=datetime.date(2020, 1, 1))
    make_signed_pact(title="A", date=datetime.date(2019, 1, 1))
    make_signed_pact(title="C", date=datetime.date(2021, 1, 1))
    assert get_titles(client) == ["C", "B", "A"]  # newest signing first by default
    assert get_titles(client, tri="titre") == ["A", "B", "C"]
    assert get_titles(client, tri="date") == ["A", "B", "C"]
    assert get_titles(client, tri="-titre") == ["C", "B", "A"]


def test_active_filters_are_shown_with_a_way_to_remove_them(client):
    emploi = factories.ThemeFactory(name="Emploi")
    make_signed_pact(title="Pacte emploi", themes=[emploi])
    html = client.get(LIST_URL, {"theme": emploi.slug, "q": "pacte"}).content.decode()
    assert "Filtres actifs" in html
    assert "Thème : Emploi" in html
    assert "retirer" in html


def test_export_link_carries_the_current_filters(client):
    emploi = factories.ThemeFactory(name="Emploi")
    make_signed_pact(title="Pacte emploi", themes=[emploi])
    html = client.get(LIST_URL, {"theme": emploi.slug, "page": "1"}).content.decode()
    assert f'href="/pactes/export.csv?theme={emploi.slug}"' in html
    assert "Exporter en CSV" in html


def test_pagination_splits_long_lists(client):
    for n in range(25):
        make_signed_pact(title=f"Pacte {n:02d}")
    first = get_titles(client, tri="titre")
    second = get_titles(client, tri="titre", page="2")
    assert len(first) == 20 and len(second) == 5
    assert not set(first) & set(second)


# --- Territories -------------------------------------------------------------------------


def test_pact_on_an_epci_is_found_from_a_commune_inside_it_and_from_its_departement(
    client, haute_marne
):
    make_signed_pact(title="Pacte de l'agglo", territories=[haute_marne.epci])
    make_signed_pact(title="Pacte de Langres", territories=[haute_marne.langres])
    assert get_titles(client, territoire=haute_marne.chaumont.slug) == ["Pacte de l'agglo"]
    assert get_titles(client, territoire="52121") == ["Pacte de l'agglo"]
    assert sorted(get_titles(client, territoire=haute_marne.dep.slug)) == [
        "Pacte de Langres",
        "Pacte de l'agglo",
    ]


def test_pact_on_a_commune_is_found_from_its_epci(client, haute_marne):
    make_signed_pact(title="Pacte de Chaumont", territories=[haute_marne.chaumont])
    assert get_titles(client, territoire=haute_marne.epci.slug) == ["Pacte de Chaumont"]
    assert get_titles(client, territoire=haute_marne.epci.code) == ["Pacte de Chaumont"]


def test_departement_filter_is_explicit_about_the_kind(client, haute_marne):
    make_signed_pact(title="Pacte haut-marnais", territories=[haute_marne.chaumont])
    make_signed_pact(title="Pacte nantais", territories=[haute_marne.loire])
    assert get_titles(client, departement="52") == ["Pacte haut-marnais"]
    assert get_titles(client, departement="44") == ["Pacte nantais"]


def test_home_counts_per_departement_are_those_of_the_departement_filter(client, haute_marne):
    make_signed_pact(title="Pacte régional", territories=[haute_marne.region])
    make_signed_pact(title="Pacte de l'agglo", territories=[haute_marne.epci])
    make_signed_pact(
        title="Pacte de Chaumont", territories=[haute_marne.chaumont, haute_marne.epci]
    )
    make_signed_pact(title="Pacte nantais", territories=[haute_marne.loire])
    make_signed_pact(title="Brouillon", territories=[haute_marne.dep], published=False)
    home = client.get("/").content.decode()
    counts = dict(
        re.findall(r'\?departement=(\w+)">.*?<span class="count">(\d+) pactes?</span>', home)
    )
    assert counts == {"44": "1", "52": "3"}
    for code, count in counts.items():
        listed = client.get(LIST_URL, {"departement": code}).content.decode()
        assert f"<strong>{count}</strong> résultat" in listed, code


def test_status_choices_are_those_of_published_pacts_each_offered_once(client):
    make_signed_pact(title="Signé 1")
    make_signed_pact(title="Signé 2")
    make_signed_pact(title="Achevé", status=PactStatus.COMPLETED)
    make_signed_pact(title="Résilié", status=PactStatus.TERMINATED, published=False)
    html = client.get(LIST_URL).content.decode()
    assert html.count(f'<option value="{PactStatus.SIGNED}"') == 1
    assert f'<option value="{PactStatus.COMPLETED}"' in html
    assert f'<option value="{PactStatus.TERMINATED}"' not in html


def test_ambiguous_code_is_not_guessed_and_candidates_are_linked(client, haute_marne):
    make_signed_pact(title="Pacte", territories=[haute_marne.chaumont])
    response = client.get(LIST_URL, {"territoire": "44"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "désigne plusieurs territoires" in html
    assert f"territoire={haute_marne.region.slug}" in html
    assert f"territoire={haute_marne.loire.slug}" in html
    assert "Grand Est — Région" in html
    assert "Loire-Atlantique — Département" in html


def test_unknown_territory_is_reported_and_matches_nothing(client):
    make_signed_pact(title="Pacte")
    response = client.get(LIST_URL, {"territoire": "does-not-exist"})
    assert "Aucun territoire ne correspond à « does-not-exist »" in response.content.decode()
    assert titles_on_page(response) == []


# --- Search ---------------------------------------------------------------------------------


@pytest.fixture
def press_release_people(db):
    region = factories.BodyFactory(kind=BodyKind.REGION, name="Région Grand Est")
    heliot = factories.PersonFactory(first_name="Isabelle", last_name="Heliot-Couronne")
    marechal = factories.PersonFactory(
        first_name="Guillaume", last_name="Maréchal", gender=Gender.MALE
    )
    fabre = factories.PersonFactory(first_name="Frédéric", last_name="Fabre", gender=Gender.MALE)
    guillemy = factories.MandateFactory(
        person__first_name="Christine", person__last_name="Guillemy", body__name="CA Chaumont"
    )
    make_signed_pact(
        title="POCE de Chaumont", signatory=guillemy, attendees=[heliot, marechal, fabre]
    )
    make_signed_pact(title="POCE de Langres", summary="Pays de Langres")
    factories.PactPartyFactory(
        pact=factories.PactFactory(title="Brouillon", published=False), body=region
    )
    return SimpleNamespaceish(heliot=heliot, marechal=marechal, fabre=fabre)


class SimpleNamespaceish(dict):
    __getattr__ = dict.__getitem__


@pytest.mark.parametrize("query", ["heliot", "marechal", "Maréchal", "FABRE", "MARÉCHAL  "])
def test_search_finds_pacts_by_attendee_names_whatever_accents_and_case(
    client, press_release_people, query
):
    assert get_titles(client, q=query) == ["POCE de Chaumont"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("guillemy", ["POCE de Chaumont"]),  # signatory
        ("ca chaumont", ["POCE de Chaumont"]),  # party body
        ("langres", ["POCE de Langres"]),  # summary
        ("poce", ["POCE de Chaumont", "POCE de Langres"]),
        ("brouillon", []),
    ],
)
def test_search_covers_titles_summaries_bodies_and_signatories(
    client, press_release_people, query, expected
):
    assert sorted(get_titles(client, q=query)) == expected


@pytest.mark.parametrize("query", ["heliot", "marechal", "Maréchal", "FABRE"])
def test_people_search_is_accent_and_case_insensitive(client, press_release_people, query):
    html = client.get("/personnes/", {"q": query}).content.decode()
    assert "<strong>1</strong> résultat" in html


# --- Detail ---------------------------------------------------------------------------------


def test_detail_shows_titles_held_on_the_signing_date_only(client):
    region = factories.BodyFactory(kind=BodyKind.REGION, name="Région Grand Est")
    agglo = factories.BodyFactory(name="Communauté d'agglomération de Chaumont", short_name="")
    guillemy = factories.PersonFactory(first_name="Christine", last_name="Guillemy")
    signing = factories.MandateFactory(person=guillemy, body=agglo)
    factories.MandateFactory(
        person=guillemy,
        body=region,
        function=Function.VICE_PRESIDENT,
        label="Vice-Présidente en charge de la Formation initiale",
    )
    factories.MandateFactory(
        person=guillemy,
        body=region,
        function=Function.COUNCILLOR,
        start_date=datetime.date(2010, 1, 1),
        end_date=datetime.date(2015, 12, 31),
    )
    factories.MandateFactory(
        person=guillemy,
        body=region,
        function=Function.PRESIDENT,
        start_date=datetime.date(2022, 1, 1),
    )
    pact = make_signed_pact(title="POCE", signatory=signing, date=datetime.date(2019, 1, 15))
    html = client.get(pact.get_absolute_url()).content.decode()
    assert "Présidente, Communauté d&#x27;agglomération de Chaumont" in html
    assert "Vice-Présidente en charge de la Formation initiale, Région Grand Est" in html
    assert "Conseill" not in html  # the councillor mandate ended before the signing
    assert "Présidente, Région Grand Est" not in html  # began after it


def test_detail_shows_event_place_attendees_statements_and_more(client, haute_marne):
    marechal = factories.PersonFactory(
        first_name="Guillaume", last_name="Maréchal", gender=Gender.MALE
    )
    region = factories.BodyFactory(kind=BodyKind.REGION, name="Région Grand Est")
    factories.MandateFactory(person=marechal, body=region, function=Function.COUNCILLOR)
    strategy = factories.StrategyFactory(acronym="SRDEII", name="Schéma régional")
    pact = make_signed_pact(
        title="POCE de Chaumont",
        territories=[haute_marne.epci],
        commune=haute_marne.chaumont,
        attendees=[marechal],
        themes=[factories.ThemeFactory(name="Innovation")],
    )
    pact.strategies.add(strategy)
    event = pact.signing_events.get()
    event.venue = "Pépinière d'entreprises Plein'Est"
    event.save()
    factories.StatementFactory(event=event, person=marechal, text="Un partenariat fort.")
    factories.ActionFactory(pact=pact, title="Filière métallurgie")
    factories.SourceFactory(title="Communiqué de presse").pacts.add(pact)
    html = client.get(pact.get_absolute_url()).content.decode()
    for expected in [
        "<h1>POCE de Chaumont</h1>",
        "Pacte Offensive Croissance Emploi",
        "Mardi 15 janvier 2019",
        "Chaumont",
        "Pépinière d&#x27;entreprises Plein&#x27;Est",
        "Guillaume Maréchal",
        "Conseiller régional, Région Grand Est",
        "Un partenariat fort.",
        "Innovation",
        "SRDEII",
        "Filière métallurgie",
        "Communiqué de presse",
        "CA de Chaumont",
        PartyRole.SIGNATORY.label,
    ]:
        assert expected in html, expected
    assert html.count("<h1") == 1


def test_draft_pact_detail_is_404_and_unknown_slug_too(client):
    draft = make_signed_pact(title="Brouillon", published=False)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get("/pactes/n-existe-pas/").status_code == 404


# --- Drafts are invisible everywhere ------------------------------------------------------


def test_draft_pact_is_absent_from_every_public_page(client, haute_marne):
    theme = factories.ThemeFactory(name="Thème du brouillon")
    signatory = factories.MandateFactory(person__last_name="Secret", body__name="Organisme discret")
    attendee = factories.PersonFactory(last_name="Invisible")
    draft = make_signed_pact(
        title="Brouillon confidentiel",
        territories=[haute_marne.chaumont],
        signatory=signatory,
        attendees=[attendee],
        themes=[theme],
        date=datetime.date(2015, 5, 5),
        published=False,
    )
    pages = [
        "/",
        "/pactes/",
        "/pactes/export.csv",
        f"/pactes/?territoire={haute_marne.chaumont.slug}",
        "/signatures/",
        "/signatures/export.csv",
        haute_marne.chaumont.get_absolute_url(),
        haute_marne.dep.get_absolute_url(),
        signatory.body.get_absolute_url(),
        signatory.person.get_absolute_url(),
        attendee.get_absolute_url(),
        "/organismes/export.csv",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        body = (
            b"".join(response.streaming_content) if response.streaming else response.content
        ).decode()
        assert draft.title not in body, url
        assert theme.name not in body, url
        assert "2015" not in body, url
    home = client.get("/").content.decode()
    assert "<strong>0</strong> pactes publiés" in home


# --- Bad input is reported ------------------------------------------------------------------
# (that bad input never raises a server error is fuzzed in tests/test_fuzz.py, which replays
# the cases met so far as explicit examples: KNOWN_BAD)

LIST_URLS = ["/pactes/", "/territoires/", "/organismes/", "/personnes/", "/signatures/"]


@pytest.mark.parametrize("url", LIST_URLS)
def test_ignored_parameters_are_reported_in_french(client, url):
    response = client.get(url, {"annee": "abc", "inconnu": "1", "page": "abc"})
    html = response.content.decode()
    assert "Certains paramètres ont été ignorés" in html
    assert "« inconnu »" in html
    assert "Numéro de page « abc » invalide" in html


def test_invalid_year_is_reported_and_not_an_empty_list(client):
    make_signed_pact(title="Pacte")
    response = client.get(LIST_URL, {"annee": "abc"})
    html = response.content.decode()
    assert "Filtre « Année de signature » ignoré" in html
    assert titles_on_page(response) == ["Pacte"]


@pytest.mark.parametrize(
    "url", ["/pactes/x/", "/territoires/x/", "/organismes/x/", "/personnes/x/"]
)
def test_unknown_details_answer_404(client, url):
    assert client.get(url).status_code == 404


def test_detail_url_name_is_stable():
    assert reverse("pacts:detail", kwargs={"slug": "x"}) == "/pactes/x/"
    assert reverse("pacts:list") == "/pactes/"
    assert reverse("pacts:export") == "/pactes/export.csv"
    assert reverse("pacts:signatures") == "/signatures/"
    assert reverse("pacts:home") == "/"


def test_a_pact_page_says_when_the_pact_was_last_updated(client):
    pact = make_signed_pact(title="POCE")
    Pact.objects.filter(pk=pact.pk).update(
        updated_at=datetime.datetime(2024, 3, 5, 10, 0, tzinfo=datetime.UTC)
    )
    page = client.get(pact.get_absolute_url()).content.decode()
    assert '<dt>Mis à jour le</dt><dd><time datetime="2024-03-05">5 mars 2024</time></dd>' in page

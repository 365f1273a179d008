"""Search across the site: `/recherche/` groups pacts, territories, bodies and people, and the
pact search reaches the signing's commune and venue, the parties and the signatories."""

import html as html_lib
import re
from types import SimpleNamespace

import pytest
from django.urls import reverse

from pacts.models import SigningEvent
from public.selectors.search import SEARCH_PREVIEW
from territories.models import BodyKind, TerritoryKind
from tests import factories
from tests.conftest import make_signed_pact

pytestmark = pytest.mark.django_db

SEARCH_URL = "/recherche/"


def pact_titles(response) -> list[str]:
    found = re.findall(
        r'<h3 class="card-title"><a href="[^"]+">([^<]+)</a></h3>', response.content.decode()
    )
    return sorted(html_lib.unescape(title) for title in found)


def groups_by_anchor(response) -> dict:
    return {group.anchor: group for group in response.context["groups"]}


@pytest.fixture
def chaumont_signing(db):
    """The Chaumont signing of the press release, each name in one place only, and a draft
    that shares every one of them."""
    chaumont = factories.TerritoryFactory(code="52121", name="Chaumont")
    guillemy = factories.MandateFactory(
        person__first_name="Christine",
        person__last_name="Guillemy",
        body__name="Communauté de communes Meuse-Rognon",
        body__short_name="",
    )
    kwargs = {
        "commune": chaumont,
        "signatory": guillemy,
        "summary": "Actions structurantes.",
    }
    pact = make_signed_pact(title="Pacte Offensive Croissance Emploi", **kwargs)
    draft = make_signed_pact(title="Brouillon confidentiel", published=False, **kwargs)
    for each in (pact, draft):
        each.signing_events.update(venue="")  # set through save() below, to test the key
        event = each.signing_events.get()
        event.venue = "Pépinière d'entreprises Plein'Est"
        event.save()
    return SimpleNamespace(pact=pact, draft=draft, chaumont=chaumont, guillemy=guillemy)


@pytest.mark.parametrize(
    "query",
    [
        "chaumont",  # the signing's commune
        "CHAUMONT",
        "PEPINIERE",  # its venue, accents dropped
        "plein est",  # the venue, apostrophe typed as a space
        "Pépinière d’entreprises",  # typographic apostrophe
        "meuse rognon",  # a party's body
        "MEUSE-ROGNON",
        "guillémy",  # the signatory, accent added
        "CHRISTINE guillemy",
        "chaumont plein est guillemy",  # words from different places, all required
    ],
)
def test_a_pact_is_found_by_commune_venue_party_and_signatory_on_both_pages(
    client, chaumont_signing, query
):
    expected = ["Pacte Offensive Croissance Emploi"]
    assert pact_titles(client.get("/pactes/", {"q": query})) == expected
    response = client.get(SEARCH_URL, {"q": query})
    assert response.status_code == 200
    assert pact_titles(response) == expected
    assert groups_by_anchor(response)["pactes"].count == 1


@pytest.mark.parametrize("query", ["brouillon", "confidentiel", "langres", "plein ouest"])
def test_draft_pacts_and_non_matching_words_find_nothing(client, chaumont_signing, query):
    assert pact_titles(client.get("/pactes/", {"q": query})) == []
    response = client.get(SEARCH_URL, {"q": query})
    assert groups_by_anchor(response)["pactes"].count == 0
    assert "Brouillon" not in response.content.decode()


def test_the_venue_key_follows_the_venue():
    event = factories.SigningEventFactory(venue="Salle des fêtes")
    assert event.search_text == "salle des fetes"
    event.venue = "Hôtel de Région"
    event.save()
    assert SigningEvent.objects.get(pk=event.pk).search_text == "hotel de region"


def test_search_page_groups_every_kind_with_its_count_and_a_link_to_its_list(
    client, chaumont_signing
):
    factories.EpciFactory(kind=TerritoryKind.CA, name="CA de Chaumont")
    factories.BodyFactory(name="Communauté d'agglomération de Chaumont", kind=BodyKind.EPCI)
    factories.PersonFactory(first_name="Paul", last_name="Chaumont")
    response = client.get(SEARCH_URL, {"q": "Chaumont"})
    html = response.content.decode()
    groups = groups_by_anchor(response)
    assert list(groups) == ["pactes", "territoires", "organismes", "personnes"]
    # Bodies and people: all of them, not only those involved in published pacts, that
    # `/organismes/` and `/personnes/` show first.
    lists = {
        "pactes": "/pactes/?q=Chaumont",
        "territoires": "/territoires/?q=Chaumont",
        "organismes": "/organismes/?q=Chaumont&perimetre=tous",
        "personnes": "/personnes/?q=Chaumont&perimetre=tous",
    }
    for anchor, list_url in lists.items():
        group = groups[anchor]
        assert group.list_url == list_url
        assert f'href="{list_url.replace("&", "&amp;")}"' in html, anchor
        assert f'<h2 id="{anchor}">' in html
        # The group's count is the count of the list it links to.
        full_list = client.get(list_url)
        assert group.count == full_list.context["page_obj"].paginator.count, anchor
    assert [groups[a].count for a in lists] == [1, 2, 1, 1]
    assert "<strong>5</strong> résultats pour « Chaumont »" in html
    assert "Paul Chaumont" in html and "CA de Chaumont" in html


def test_people_found_are_those_of_the_public_people_list(client, chaumont_signing):
    """Anyone `/personnes/` lists is found, with the titles it shows as current."""
    factories.PersonFactory(first_name="Sans", last_name="Mandat")
    response = client.get(SEARCH_URL, {"q": "guillemy"})
    [person] = groups_by_anchor(response)["personnes"].results
    assert person == chaumont_signing.guillemy.person
    assert "Présidente, Communauté de communes Meuse-Rognon" in response.content.decode()
    response = client.get(SEARCH_URL, {"q": "sans mandat"})
    assert [p.full_name for p in groups_by_anchor(response)["personnes"].results] == ["Sans Mandat"]
    assert "aucun mandat en cours connu" in response.content.decode()


def test_each_group_shows_its_first_results_and_says_how_many_more(client):
    for n in range(SEARCH_PREVIEW + 3):
        factories.TerritoryFactory(name=f"Saint-Martin {n}")
    response = client.get(SEARCH_URL, {"q": "saint martin"})
    group = groups_by_anchor(response)["territoires"]
    assert group.count == SEARCH_PREVIEW + 3
    assert len(group.results) == SEARCH_PREVIEW
    assert f"Voir les {SEARCH_PREVIEW + 3} résultats" in response.content.decode()


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "   "}, {"q": "- ' ’"}])
def test_without_a_word_the_page_invites_a_search(client, chaumont_signing, params):
    response = client.get(SEARCH_URL, params)
    assert response.status_code == 200
    assert response.context["groups"] == []
    html = response.content.decode()
    assert "<h1>Recherche</h1>" in html
    assert "Pacte Offensive" not in html


@pytest.mark.parametrize(
    "query",
    [
        "x" * 10_000,
        "chau\x00mont",
        "\x00",
        "%_\\' \" ; -- 🙂 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ﬁ",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
    ],
)
def test_hostile_queries_never_break_the_page(client, chaumont_signing, query):
    response = client.get(SEARCH_URL, {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html
    assert len(response.context["query"]) <= 200


def test_raw_invalid_utf8_is_not_a_server_error(client):
    assert client.get(f"{SEARCH_URL}?q=%ED%A0%80%FF%00").status_code == 200


def test_home_and_header_search_forms_submit_to_the_search_page(client):
    html = client.get("/").content.decode()
    action = f'action="{reverse("pacts:search")}"'
    forms = re.findall(r"<form [^>]*>", html)
    search_forms = [form for form in forms if 'role="search"' in form]
    assert len(search_forms) == 2
    assert all(action in form for form in search_forms)
    assert '<label for="recherche-site" class="visually-hidden">' in html
    assert '<label for="recherche-accueil"' in html
    # Every page has the header field, the search page included.
    assert 'id="recherche-site"' in client.get("/pactes/").content.decode()
    assert 'id="recherche-site"' in client.get(SEARCH_URL).content.decode()

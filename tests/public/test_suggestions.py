"""The « organisme » and « personne » fields: past a few hundred options, a text field that
suggests bodies and people as one types, never a select listing all of France."""

import pytest

from public.filters.fields import MAX_SELECT_OPTIONS
from tests import factories
from tests.conftest import make_signed_pact

pytestmark = pytest.mark.django_db


def test_body_suggestions_match_every_word_and_can_keep_the_parties_to_published_pacts(client):
    signed = factories.MandateFactory(body__name="Communauté de communes du Grand Langres")
    make_signed_pact(signatory=signed)
    factories.BodyFactory(name="Communauté de communes du Grand Autun")
    factories.BodyFactory(name="Commune de Langres", is_obsolete=True)

    every = client.get("/organismes/suggestions.json", {"q": "grand"}).json()["results"]
    assert [r["name"] for r in every] == [
        "Communauté de communes du Grand Autun",
        "Communauté de communes du Grand Langres",
    ]
    involved = client.get("/organismes/suggestions.json", {"q": "grand", "pactes": "1"}).json()
    assert [r["slug"] for r in involved["results"]] == [signed.body.slug]
    assert "SIREN" in involved["results"][0]["details"]
    # Obsolete bodies are never suggested; one letter suggests nothing.
    assert client.get("/organismes/suggestions.json", {"q": "langres"}).json()["results"][0][
        "name"
    ] == ("Communauté de communes du Grand Langres")
    assert client.get("/organismes/suggestions.json", {"q": "g"}).json() == {"results": []}


def test_person_suggestions_show_current_titles_and_can_keep_signatories(client):
    signatory = factories.MandateFactory(
        person__first_name="Christine", person__last_name="Guillemy", body__name="CA de Chaumont"
    )
    make_signed_pact(signatory=signatory)
    factories.MandateFactory(person__first_name="Christian", person__last_name="Guillemot")

    every = client.get("/personnes/suggestions.json", {"q": "christ guille"}).json()["results"]
    assert [r["name"] for r in every] == ["Christian Guillemot", "Christine Guillemy"]
    involved = client.get("/personnes/suggestions.json", {"q": "guille", "pactes": "1"}).json()
    assert [r["slug"] for r in involved["results"]] == [signatory.person.slug]
    assert "CA de Chaumont" in involved["results"][0]["details"]


def test_past_the_select_limit_the_body_field_is_a_suggestion_field(client):
    for _ in range(MAX_SELECT_OPTIONS + 1):
        make_signed_pact()
    html = client.get("/pactes/").content.decode()
    assert '<select name="organisme"' not in html
    assert 'name="organisme"' in html
    assert 'data-suggest-url="/organismes/suggestions.json?pactes=1"' in html
    assert 'aria-label="Organismes suggérés"' in html


def test_under_the_select_limit_the_body_field_stays_a_select(client):
    make_signed_pact()
    html = client.get("/pactes/").content.decode()
    assert '<select name="organisme"' in html
    assert "/organismes/suggestions.json" not in html

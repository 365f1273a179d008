"""Public people pages: list, filters, details (mandates, pacts signed, events attended)."""

import datetime
import re

import pytest

from people.models import Function
from public.filters.fields import MAX_SELECT_OPTIONS
from tests import factories
from tests.conftest import make_signed_pact

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    return [p.full_name for p in response.context["object_list"]]


# Every official, not only those involved in published pacts (the list's default).
EVERYONE = {"perimetre": "tous"}


def test_people_list_filters_by_current_or_past_mandate_and_body(client):
    body = factories.BodyFactory(name="Région Grand Est")
    factories.MandateFactory(person__first_name="Jean", person__last_name="Rottner", body=body)
    factories.MandateFactory(
        person__first_name="Ancien",
        person__last_name="Élu",
        start_date=datetime.date(2000, 1, 1),
        end_date=datetime.date(2005, 1, 1),
    )
    people = EVERYONE
    assert names(client.get("/personnes/", {"statut": "en_cours", **people})) == ["Jean Rottner"]
    assert names(client.get("/personnes/", {"statut": "termine", **people})) == ["Ancien Élu"]
    assert names(client.get("/personnes/", {"organisme": body.slug, **people})) == ["Jean Rottner"]
    assert names(client.get("/personnes/", {"q": "elu", **people})) == ["Ancien Élu"]


def test_people_list_shows_those_involved_in_published_pacts_unless_asked_for_all(client):
    signatory = factories.MandateFactory(person__first_name="Christine", person__last_name="G")
    make_signed_pact(signatory=signatory)
    attendee = factories.PersonFactory(first_name="Présente", last_name="Signature")
    make_signed_pact(attendees=[attendee])
    draft = factories.MandateFactory(person__first_name="Seulement", person__last_name="Brouillon")
    make_signed_pact(signatory=draft, published=False)
    factories.MandateFactory(person__first_name="Sans", person__last_name="Pacte")
    involved = names(client.get("/personnes/"))
    assert "Christine G" in involved and "Présente Signature" in involved
    assert "Seulement Brouillon" not in involved and "Sans Pacte" not in involved
    everyone = names(client.get("/personnes/", EVERYONE))
    assert {"Seulement Brouillon", "Sans Pacte"} <= set(everyone)
    assert set(involved) < set(everyone)
    # The export is the list on screen.
    export = b"".join(client.get("/personnes/export.csv").streaming_content).decode()
    assert "Présente" in export and "Sans" not in export


def test_person_page_lists_mandates_pacts_signed_and_events_attended(client):
    fabre = factories.PersonFactory(first_name="Frédéric", last_name="Fabre", gender="M")
    region = factories.BodyFactory(name="Région Grand Est", kind="region")
    commune = factories.BodyFactory(name="Doulaincourt-Saucourt", kind="commune")
    factories.MandateFactory(person=fabre, body=region, function=Function.COUNCILLOR)
    signing = factories.MandateFactory(person=fabre, body=commune, function=Function.MAYOR)
    make_signed_pact(title="Pacte signé", signatory=signing)
    make_signed_pact(title="Pacte où il assistait", attendees=[fabre])
    make_signed_pact(title="Brouillon", attendees=[fabre], published=False)
    html = client.get(fabre.get_absolute_url()).content.decode()
    assert "<h1>Frédéric Fabre</h1>" in html
    assert "Conseiller régional" in html and "Maire" in html
    assert "Pacte signé" in html
    assert "Pacte où il assistait" in html
    assert "15 janvier 2019" in html
    assert "Brouillon" not in html


EN_COURS = 'status-en_cours">en cours</span>'


def test_an_undated_mandate_says_dates_inconnues_and_is_not_en_cours(client):
    person = factories.PersonFactory(first_name="Jean", last_name="Rottner", gender="M")
    factories.MandateFactory(
        person=person, body__name="Région Grand Est", start_date=None, end_date=None
    )
    html = client.get(person.get_absolute_url()).content.decode()
    assert "dates inconnues" in html
    assert EN_COURS not in html
    # Nor is he among the people holding a mandate today, nor his title a current one.
    assert names(client.get("/personnes/", {"statut": "en_cours", **EVERYONE})) == []
    listed = client.get("/personnes/", EVERYONE).content.decode()
    assert "Rottner Jean" in listed and "Président, Région Grand Est" not in listed


def test_a_dated_open_mandate_is_en_cours(client):
    person = factories.PersonFactory(first_name="Christine", last_name="Guillemy")
    factories.MandateFactory(
        person=person, body__name="CA de Chaumont", start_date=datetime.date(2020, 7, 15)
    )
    factories.MandateFactory(
        person=person,
        body__name="Ancien organisme",
        start_date=datetime.date(2008, 3, 1),
        end_date=datetime.date(2014, 3, 30),
    )
    html = client.get(person.get_absolute_url()).content.decode()
    assert html.count(EN_COURS) == 1
    assert "depuis le 15 juillet 2020" in html
    assert "du 1 mars 2008 au 30 mars 2014" in html
    assert names(client.get("/personnes/", {"statut": "en_cours", **EVERYONE})) == [
        "Christine Guillemy"
    ]


def test_a_long_body_list_is_a_text_input_not_a_huge_select(client):
    for _ in range(MAX_SELECT_OPTIONS + 1):
        factories.MandateFactory(function=Function.MAYOR)
    html = client.get("/personnes/").content.decode()
    assert re.search(r'<input type="text" name="organisme"[^>]*placeholder=', html)
    assert '<select name="organisme"' not in html


def test_a_contact_s_phone_and_email_are_shown_only_once_ticked(client):
    contact = factories.PersonFactory(
        first_name="Gaëlle",
        last_name="Tortil-Texier",
        public_email="gaelle.tortil-texier@grandest.fr",
        public_phone="06 78 79 93 36",
        is_contact=True,
    )
    page = client.get(contact.get_absolute_url()).content.decode()
    assert "Contact de la Région, pas un élu" in page
    assert "06 78 79 93 36" not in page and "gaelle.tortil-texier@grandest.fr" not in page

    contact.email_shown = True
    contact.save()
    page = client.get(contact.get_absolute_url()).content.decode()
    assert "gaelle.tortil-texier@grandest.fr" in page and "06 78 79 93 36" not in page

    contact.phone_shown = True
    contact.save()
    page = client.get(contact.get_absolute_url()).content.decode()
    assert "gaelle.tortil-texier@grandest.fr</a> · 06 78 79 93 36" in page


def test_an_elected_official_is_not_called_a_contact(client):
    official = factories.MandateFactory().person
    page = client.get(official.get_absolute_url()).content.decode()
    assert "pas un élu" not in page

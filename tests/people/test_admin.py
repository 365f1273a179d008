"""The people admin: a person and their mandates on one page, found however the name is typed."""

import datetime

import pytest
from django.urls import reverse

from people.models import Function, Gender, Mandate, Person
from tests.factories import BodyFactory, MandateFactory, PersonFactory

pytestmark = pytest.mark.django_db


def person_form(**fields) -> dict:
    return {
        "first_name": "Lilla",
        "last_name": "Merabet",
        "gender": Gender.FEMALE,
        "mandates-TOTAL_FORMS": "0",
        "mandates-INITIAL_FORMS": "0",
        "mandates-MIN_NUM_FORMS": "0",
        "mandates-MAX_NUM_FORMS": "1000",
    } | fields


def with_mandate(body, **fields) -> dict:
    row = {"body": body.pk, "function": Function.VICE_PRESIDENT, "elected": "on"} | fields
    return {"mandates-TOTAL_FORMS": "1"} | {f"mandates-0-{k}": v for k, v in row.items()}


def test_a_person_is_added_with_a_mandate_in_one_go(admin_client):
    region = BodyFactory(name="Région Grand Est")
    label = "Vice-Présidente en charge de la Compétitivité, de l'Innovation et du Numérique"
    data = person_form(**with_mandate(region, label=label, start_date="04/01/2016"))

    response = admin_client.post(reverse("admin:people_person_add"), data)

    assert response.status_code == 302
    mandate = Mandate.objects.get()
    assert (mandate.person.full_name, mandate.body, mandate.title) == (
        "Lilla Merabet",
        region,
        label,
    )
    assert mandate.start_date == datetime.date(2016, 1, 4)


def test_a_mandate_ending_before_it_starts_is_refused_in_french(admin_client):
    data = person_form(
        **with_mandate(BodyFactory(), start_date="01/01/2021", end_date="31/12/2015")
    )

    response = admin_client.post(reverse("admin:people_person_add"), data)

    assert response.status_code == 200
    assert "La fin du mandat ne peut pas précéder son début." in response.content.decode()
    assert not Person.objects.exists()


def changelist(client, model_name: str, term: str) -> list[str]:
    response = client.get(reverse(f"admin:people_{model_name}_changelist"), {"q": term})
    assert response.status_code == 200
    return [str(obj) for obj in response.context["cl"].result_list]


def test_people_are_found_whatever_the_accents_and_case(admin_client):
    PersonFactory(first_name="Guillaume", last_name="Maréchal")
    PersonFactory(first_name="Philippe", last_name="Borde")

    for term in ("marechal", "Maréchal", "MARÉCHAL", "guillaume mare"):
        assert changelist(admin_client, "person", term) == ["Guillaume Maréchal"], term


def test_mandates_are_found_by_person_body_or_label(admin_client):
    fabre = PersonFactory(first_name="Frédéric", last_name="Fabre", gender=Gender.MALE)
    region = BodyFactory(name="Région Grand Est")
    commune = BodyFactory(name="Commune de Doulaincourt-Saucourt", short_name="Doulaincourt")
    MandateFactory(person=fabre, body=region, function=Function.COUNCILLOR)
    MandateFactory(person=fabre, body=commune, function=Function.MAYOR)
    MandateFactory(
        body=region,
        function=Function.COMMITTEE_CHAIR,
        label="Président de la Commission Innovation",
    )

    assert len(changelist(admin_client, "mandate", "frederic fabre")) == 2
    assert changelist(admin_client, "mandate", "doulaincourt") == [
        "Frédéric Fabre — Maire, Doulaincourt"
    ]
    assert len(changelist(admin_client, "mandate", "grand est")) == 2
    assert len(changelist(admin_client, "mandate", "Commission Innovation")) == 1


def test_mandate_autocomplete_answers_with_a_constant_number_of_queries(
    admin_client, django_assert_max_num_queries
):
    region = BodyFactory(name="Région Grand Est")
    MandateFactory.create_batch(10, body=region, function=Function.COUNCILLOR)
    params = {
        "app_label": "pacts",
        "model_name": "pactparty",
        "field_name": "mandate",
        "term": "grand est",
    }

    with django_assert_max_num_queries(6):
        response = admin_client.get("/admin/autocomplete/", params)

    assert len(response.json()["results"]) == 10


def test_person_and_body_autocomplete_on_a_mandate(admin_client):
    PersonFactory(first_name="Rémy", last_name="Sadocco")
    BodyFactory(name="Région Grand Est")

    def search(field_name, term):
        response = admin_client.get(
            "/admin/autocomplete/",
            {
                "app_label": "people",
                "model_name": "mandate",
                "field_name": field_name,
                "term": term,
            },
        )
        return [row["text"] for row in response.json()["results"]]

    assert search("person", "remy") == ["Rémy Sadocco"]
    assert [label.split(" — ")[0] for label in search("body", "grand est")] == ["Région Grand Est"]

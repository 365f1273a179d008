"""Public territory and body pages: lists, filters, details, pacts shown, query counts."""

import datetime

import pytest

from people.models import Function
from territories.models import BodyKind, TerritoryKind
from tests import factories
from tests.conftest import make_signed_pact

pytestmark = pytest.mark.django_db


def test_territory_list_filters_by_name_kind_and_departement(client, haute_marne):
    html = client.get("/territoires/", {"q": "CHAUMONT"}).content.decode()
    assert "<strong>2</strong> résultats" in html  # the commune and the CA
    html = client.get("/territoires/", {"type": TerritoryKind.COMMUNE}).content.decode()
    assert "Langres" in html and "Haute-Marne</a></th>" not in html
    response = client.get("/territoires/", {"departement": "52"})
    names = {t.name for t in response.context["object_list"]}
    assert names == {"Haute-Marne", "CA de Chaumont", "Chaumont", "Langres"}


def test_territory_page_lists_pacts_of_it_inside_it_and_containing_it(client, haute_marne):
    make_signed_pact(title="Pacte de l'agglo", territories=[haute_marne.epci])
    make_signed_pact(title="Pacte de Langres", territories=[haute_marne.langres])
    make_signed_pact(title="Brouillon", territories=[haute_marne.epci], published=False)
    html = client.get(haute_marne.chaumont.get_absolute_url()).content.decode()
    assert "<h1>Chaumont</h1>" in html
    assert "Pacte de l&#x27;agglo" in html
    assert "Pacte de Langres" not in html
    assert "Brouillon" not in html
    # Parents, linked.
    assert f'href="{haute_marne.dep.get_absolute_url()}"' in html
    assert f'href="{haute_marne.epci.get_absolute_url()}"' in html
    html = client.get(haute_marne.dep.get_absolute_url()).content.decode()
    assert "Pacte de l&#x27;agglo" in html and "Pacte de Langres" in html
    # What it contains, linked.
    assert f'href="{haute_marne.langres.get_absolute_url()}"' in html
    assert "/pactes/export.csv?territoire=haute-marne-52" in html


def test_big_territory_caps_its_contained_list(client):
    dep = factories.TerritoryFactory(kind=TerritoryKind.DEPARTEMENT, code="52", name="HM")
    for _ in range(70):
        factories.TerritoryFactory(parents=[dep])
    html = client.get(dep.get_absolute_url()).content.decode()
    assert "70 territoires directement contenus" in html
    assert "les 60 premiers" in html
    assert "/territoires/?departement=52" in html


def test_body_list_filters_and_counts_published_pacts_only(client):
    mandate = factories.MandateFactory(body__name="CA de Chaumont", body__kind=BodyKind.EPCI)
    make_signed_pact(signatory=mandate)
    make_signed_pact(
        signatory=factories.MandateFactory(body=mandate.body, person=mandate.person),
        published=False,
    )
    factories.BodyFactory(name="Région Grand Est", kind=BodyKind.REGION)
    response = client.get("/organismes/", {"q": "chaumont"})
    [body] = response.context["object_list"]
    assert body.published_pacts == 1
    # By default, the bodies party to a published pact; every body on request.
    response = client.get("/organismes/", {"type": BodyKind.REGION})
    assert list(response.context["object_list"]) == []
    assert [b.name for b in client.get("/organismes/").context["object_list"]] == ["CA de Chaumont"]
    response = client.get("/organismes/", {"type": BodyKind.REGION, "perimetre": "tous"})
    assert [b.name for b in response.context["object_list"]] == ["Région Grand Est"]


def test_body_page_shows_current_officials_and_its_published_pacts(client):
    body = factories.BodyFactory(name="Communauté d'agglomération de Chaumont")
    current = factories.MandateFactory(
        body=body, person__first_name="Christine", person__last_name="Guillemy"
    )
    factories.MandateFactory(
        body=body,
        function=Function.VICE_PRESIDENT,
        person__last_name="Ancien",
        start_date=datetime.date(2010, 1, 1),
        end_date=datetime.date(2014, 1, 1),
    )
    make_signed_pact(title="POCE de Chaumont", signatory=current)
    make_signed_pact(title="Brouillon", signatory=current, published=False)
    html = client.get(body.get_absolute_url()).content.decode()
    assert "Christine Guillemy" in html and "Présidente" in html
    assert "Ancien" not in html
    assert "POCE de Chaumont" in html and "Brouillon" not in html


def test_body_page_lists_undated_mandates_apart_from_current_officials(client):
    body = factories.BodyFactory(name="Région Grand Est", kind=BodyKind.REGION)
    factories.MandateFactory(
        body=body,
        person__first_name="Jean",
        person__last_name="Rottner",
        start_date=None,
        end_date=None,
    )
    factories.MandateFactory(
        body=body,
        function=Function.VICE_PRESIDENT,
        person__first_name="Lilla",
        person__last_name="Merabet",
        start_date=datetime.date(2021, 7, 2),
    )
    response = client.get(body.get_absolute_url())
    assert [m.person.last_name for m in response.context["officials"]] == ["Merabet"]
    assert [m.person.last_name for m in response.context["undated_officials"]] == ["Rottner"]
    html = response.content.decode()
    current, undated = html.split("Mandats aux dates inconnues")
    assert "Lilla Merabet" in current and "depuis le 2 juillet 2021" in current
    assert "Jean Rottner" not in current
    assert "Jean Rottner" in undated and "dates inconnues" in undated

"""Which pacts concern a territory, and how a visitor names one (slug, code, postal code, name)."""

import json

import pytest
from django.urls import reverse

from pacts.models import Pact
from public.choices import published_departements
from public.territory_lookup import resolve_territory
from territories.models import TerritoryKind
from territories.services import containment_rebuild
from tests.conftest import make_signed_pact
from tests.factories import EpciFactory, TerritoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def map_():
    """Grand Est ⊃ Haute-Marne, Vosges; Bourgogne-Franche-Comté ⊃ Haute-Saône; a CC straddling
    Haute-Marne and Haute-Saône; communes in each département."""
    t = {}
    t["grand_est"] = TerritoryFactory(kind=TerritoryKind.REGION, code="44", name="Grand Est")
    t["bfc"] = TerritoryFactory(kind=TerritoryKind.REGION, code="27", name="Bourgogne-F.-C.")
    t["haute_marne"] = TerritoryFactory(
        kind=TerritoryKind.DEPARTEMENT, code="52", name="Haute-Marne", parents=[t["grand_est"]]
    )
    t["vosges"] = TerritoryFactory(
        kind=TerritoryKind.DEPARTEMENT, code="88", name="Vosges", parents=[t["grand_est"]]
    )
    t["haute_saone"] = TerritoryFactory(
        kind=TerritoryKind.DEPARTEMENT, code="70", name="Haute-Saône", parents=[t["bfc"]]
    )
    t["cc"] = EpciFactory(name="CC des Savoir-Faire")
    t["cc"].overlaps.set([t["haute_marne"], t["haute_saone"], t["grand_est"], t["bfc"]])
    t["fays"] = TerritoryFactory(
        name="Poinson-lès-Fays", code="52398", parents=[t["haute_marne"], t["cc"]]
    )
    t["champlitte"] = TerritoryFactory(
        name="Champlitte", code="70122", parents=[t["haute_saone"], t["cc"]]
    )
    t["epinal"] = TerritoryFactory(name="Épinal", code="88160", parents=[t["vosges"]])
    containment_rebuild()
    return t


def concerned(territory) -> set[str]:
    return set(Pact.objects.published().in_territory(territory).values_list("title", flat=True))


def test_a_pact_of_a_straddling_epci_concerns_both_departements_and_both_regions(map_):
    make_signed_pact(title="Pacte de la CC", territories=[map_["cc"]])

    for name in ("haute_marne", "haute_saone", "grand_est", "bfc", "fays", "champlitte"):
        assert concerned(map_[name]) == {"Pacte de la CC"}, name
    assert concerned(map_["vosges"]) == set()


def test_a_pact_of_one_commune_concerns_its_departement_not_the_neighbour(map_):
    make_signed_pact(title="Pacte d'Épinal", territories=[map_["epinal"]])

    assert concerned(map_["vosges"]) == concerned(map_["grand_est"]) == {"Pacte d'Épinal"}
    assert concerned(map_["haute_marne"]) == set()
    assert concerned(map_["cc"]) == set()


def test_a_pact_of_a_departement_concerns_the_epci_reaching_into_it(map_):
    make_signed_pact(title="Pacte de la Haute-Saône", territories=[map_["haute_saone"]])

    assert concerned(map_["cc"]) == {"Pacte de la Haute-Saône"}
    assert concerned(map_["fays"]) == set()


def test_the_territory_page_says_what_the_epci_overlaps(client, map_):
    response = client.get(map_["cc"].get_absolute_url())

    page = response.content.decode()
    assert "Chevauche" in page
    assert "Haute-Marne" in page and "Haute-Saône" in page
    assert "Tous les territoires qui le contiennent" not in page


# --- A territory named as a visitor knows it ------------------------------------------------


@pytest.fixture
def communes():
    haute_marne = TerritoryFactory(kind=TerritoryKind.DEPARTEMENT, code="52", name="Haute-Marne")
    return {
        "chaumont": TerritoryFactory(
            name="Chaumont",
            code="52121",
            postal_codes="52000",
            population=20827,
            parents=[haute_marne],
        ),
        "choignes": TerritoryFactory(
            name="Chamarandes-Choignes", code="52125", postal_codes="52000", population=1000
        ),
        "saint_dizier": TerritoryFactory(
            name="Saint-Dizier", code="52448", postal_codes="52100", population=24000
        ),
        "ecot": TerritoryFactory(name="Écot-la-Combe", code="52182", postal_codes="52700"),
        "haute_marne": haute_marne,
    }


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Chaumont", "chaumont"),
        ("  CHAUMONT ", "chaumont"),
        ("52121", "chaumont"),
        ("saint dizier", "saint_dizier"),
        ("St-Dizier", "saint_dizier"),
        ("st dizier", "saint_dizier"),
        ("52100", "saint_dizier"),
        ("ecot la combe", "ecot"),
        ("haute marne", "haute_marne"),
    ],
)
def test_a_territory_is_found_by_name_postal_code_or_code(communes, value, expected):
    assert resolve_territory(value) == (communes[expected], [])


def test_a_territory_is_found_by_its_slug(communes):
    assert resolve_territory(communes["chaumont"].slug) == (communes["chaumont"], [])


def test_a_postal_code_of_several_communes_lists_them_most_populated_first(communes):
    territory, candidates = resolve_territory("52000")

    assert territory is None
    assert candidates == [communes["chaumont"], communes["choignes"]]


def test_a_part_of_a_name_is_not_a_name(communes):
    assert resolve_territory("Chaum") == (None, [])
    assert resolve_territory("Dizier") == (None, [])


def test_a_pact_list_filtered_by_a_commune_name_lists_its_pacts(client, communes):
    make_signed_pact(title="Pacte de Chaumont", territories=[communes["chaumont"]])
    make_signed_pact(title="Pacte de Saint-Dizier", territories=[communes["saint_dizier"]])

    response = client.get(reverse("pacts:list"), {"territoire": "chaumont"})
    export = client.get(reverse("pacts:export"), {"territoire": "chaumont"})

    assert [p.title for p in response.context["object_list"]] == ["Pacte de Chaumont"]
    assert "Pacte de Chaumont" in export.getvalue().decode("utf-8-sig")
    assert "Pacte de Saint-Dizier" not in export.getvalue().decode("utf-8-sig")


# --- Suggestions ------------------------------------------------------------------------------


def suggestions(client, q):
    response = client.get(reverse("territories:suggestions"), {"q": q})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)["results"]


def test_suggestions_put_the_name_first_then_the_most_populated(client, communes):
    TerritoryFactory(name="Chaumont-le-Bois", code="21155", population=90000)
    TerritoryFactory(name="Chaumont", code="74061", population=500)

    names = [(s["name"], s["code"]) for s in suggestions(client, "chaumont")]

    assert names == [("Chaumont", "52121"), ("Chaumont", "74061"), ("Chaumont-le-Bois", "21155")]


def test_a_suggestion_carries_kind_code_and_departement(client, communes):
    (first,) = suggestions(client, "st dizier")

    assert first["slug"] == communes["saint_dizier"].slug
    assert first["kind_label"] == "Commune" and first["code"] == "52448"
    chaumont = suggestions(client, "chaumont")[0]
    assert chaumont["departements"] == ["52"]
    assert "Haute-Marne (52)" in chaumont["details"]


def test_suggestions_skip_obsolete_territories_and_too_short_input(client, communes):
    TerritoryFactory(name="Chaumont-Vieux", code="52999", is_obsolete=True)

    assert "Chaumont-Vieux" not in [s["name"] for s in suggestions(client, "chaumont")]
    assert suggestions(client, "c") == []
    assert suggestions(client, "") == []
    assert suggestions(client, "\x00" * 5000) == []


def test_suggestions_cost_a_fixed_number_of_queries(
    client, communes, django_assert_max_num_queries
):
    for n in range(30):
        TerritoryFactory(name=f"Chaumontel {n}", code=f"95{n:03d}")
    with django_assert_max_num_queries(4):
        assert len(suggestions(client, "chaumont")) == 10


def test_home_counts_per_departement_equal_the_filtered_lists(client, map_):
    make_signed_pact(title="Pacte de la CC", territories=[map_["cc"]])
    make_signed_pact(title="Pacte d'Épinal", territories=[map_["epinal"]])
    make_signed_pact(title="Pacte du Grand Est", territories=[map_["grand_est"]])
    make_signed_pact(title="Brouillon", territories=[map_["fays"]], published=False)

    counts = {dep.code: n for dep, n in published_departements()}

    assert counts == {"52": 2, "70": 1, "88": 2}
    for code, n in counts.items():
        response = client.get(reverse("pacts:list"), {"departement": code})
        assert response.context["page_obj"].paginator.count == n


def test_an_area_holding_one_departement_and_part_of_another_concerns_both(client, map_):
    zone = TerritoryFactory(kind=TerritoryKind.OTHER, code="", name="Zone d'emploi")
    for part in (map_["haute_marne"], map_["epinal"]):
        part.parents.add(zone)
    containment_rebuild()
    make_signed_pact(title="Pacte de la zone", territories=[zone])

    counts = {dep.code: n for dep, n in published_departements()}

    assert counts == {"52": 1, "88": 1}
    assert concerned(map_["vosges"]) == concerned(map_["haute_marne"]) == {"Pacte de la zone"}
    assert concerned(map_["haute_saone"]) == set()


def test_the_territory_list_and_site_search_put_the_name_itself_first(client, communes):
    TerritoryFactory(name="Bréchaumont", code="68050", population=600)

    listed = client.get(reverse("territories:list"), {"q": "chaumont"}).context["object_list"]
    searched = client.get(reverse("pacts:search"), {"q": "chaumont"}).content.decode()

    assert [t.name for t in listed] == ["Chaumont", "Bréchaumont"]
    assert searched.index(">Chaumont<") < searched.index(">Bréchaumont<")

"""Bodies, people and territories in the order a French reader expects (docs/architecture.md,
« Reading order »): accents, case, articles and legal forms ignored; involved bodies and
people most pacts first."""

import pytest

from core.text import sort_key
from people.models import Person
from territories.models import Body, BodyKind, Territory, TerritoryKind
from tests import factories
from tests.conftest import make_signed_pact, read_csv_response
from tests.people import test_imports as people_imports
from tests.territories import test_imports as territory_imports


def names(response) -> list[str]:
    return [str(row) for row in response.context["object_list"]]


# --- the key ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Épinal", "epinal"),
        ("CA d'Épinal", "epinal / ca d epinal"),
        (
            "Communauté de communes du Grand Langres",
            "grand langres / communaute de communes du grand langres",
        ),
        (
            "Communauté d'Agglomération de Chaumont",
            "chaumont / communaute d agglomeration de chaumont",
        ),
        ("Métropole du Grand Nancy", "grand nancy / metropole du grand nancy"),
        ("PETR du Pays de Langres", "langres / petr du pays de langres"),
        ("Pays de Langres", "pays de langres"),
        ("Metz Métropole", "metz metropole"),
        ("L'Isle-Adam", "isle adam / l isle adam"),
        ("Saint-Dizier", "saint dizier"),
        ("St-Dizier", "saint dizier"),
        ("Ville-sur-Illon", "ville sur illon"),
        ("Cœuvres-et-Valsery", "coeuvres et valsery"),
        ("Paris 2e Arrondissement", "paris 000002e arrondissement"),
        # Nothing left to sort on: the name stays whole.
        ("CC", "cc"),
        ("Les", "les"),
    ],
)
def test_sort_key_reads_names_as_an_index_does(name, key):
    assert sort_key(name) == key


def test_sort_key_orders_as_a_french_reader():
    names = [
        "Eybens",
        "CA d'Épinal",
        "Ézy-sur-Eure",
        "Épinal",
        "Communauté de communes du Bassin de Joinville",
        "Joinville",
        "Paris 10e Arrondissement",
        "Paris 2e Arrondissement",
        "Saint-Dizier",
        "Sainte-Marie",
        "L'Isle-Adam",
        "Isles-sur-Suippe",
    ]
    assert sorted(names, key=sort_key) == [
        "Épinal",
        "CA d'Épinal",
        "Eybens",
        "Ézy-sur-Eure",
        "L'Isle-Adam",
        "Isles-sur-Suippe",
        "Joinville",
        "Communauté de communes du Bassin de Joinville",
        "Paris 2e Arrondissement",
        "Paris 10e Arrondissement",
        "Saint-Dizier",
        "Sainte-Marie",
    ]


def test_people_sort_by_whole_last_name_then_first_name_particles_kept():
    people = [
        ("Dupont-Martin", "Anne"),
        ("Dupont", "Zoé"),
        ("de Gaulle", "Anne"),
        ("Éluard", "Paul"),
    ]
    ordered = sorted(people, key=lambda p: sort_key(*p, reading=False))
    assert ordered == [
        ("de Gaulle", "Anne"),
        ("Dupont", "Zoé"),
        ("Dupont-Martin", "Anne"),
        ("Éluard", "Paul"),
    ]


# --- the lists -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_body_lists_a_legal_form_beside_the_place(client):
    for name in ("Troyes Champagne Métropole", "CA d'Épinal", "Épinal", "Eybens", "Dijon"):
        factories.BodyFactory(name=name, kind=BodyKind.COMMUNE)
    response = client.get("/organismes/", {"perimetre": "tous"})
    assert names(response) == [
        "Dijon",
        "Épinal",
        "CA d'Épinal",
        "Eybens",
        "Troyes Champagne Métropole",
    ]


@pytest.mark.django_db
def test_territories_list_in_reading_order_homonyms_by_code(client):
    factories.TerritoryFactory(name="Saint-Martin", code="52400")
    factories.TerritoryFactory(name="Saint-Martin", code="10300")
    factories.TerritoryFactory(name="Le Havre", code="76351")
    factories.TerritoryFactory(name="Ézy-sur-Eure", code="27230")
    factories.TerritoryFactory(name="Eybens", code="38158")
    factories.EpciFactory(name="CC du Grand Langres")
    response = client.get("/territoires/")
    assert [(t.name, t.code) for t in response.context["object_list"]][:5] == [
        ("Eybens", "38158"),
        ("Ézy-sur-Eure", "27230"),
        ("CC du Grand Langres", Territory.objects.get(kind=TerritoryKind.CC).code),
        ("Le Havre", "76351"),
        ("Saint-Martin", "10300"),
    ]


@pytest.mark.django_db
def test_involved_bodies_and_people_come_most_pacts_first(client):
    many = factories.MandateFactory(body__name="Zénith", person__last_name="Zola")
    few = factories.MandateFactory(body__name="Abbaye", person__last_name="Abel")
    also_few = factories.MandateFactory(body__name="Bar-le-Duc", person__last_name="Balzac")
    attendee = factories.PersonFactory(last_name="Camus")
    for _ in range(3):
        make_signed_pact(signatory=many, attendees=[attendee])
    # Signing and attending one pact counts it once.
    make_signed_pact(signatory=few, attendees=[few.person])
    make_signed_pact(signatory=also_few)
    make_signed_pact(signatory=few, published=False)
    make_signed_pact(signatory=few, published=False)

    response = client.get("/organismes/")
    assert names(response) == ["Zénith", "Abbaye", "Bar-le-Duc"]
    assert [b.published_pacts for b in response.context["object_list"]] == [3, 1, 1]
    response = client.get("/personnes/")
    assert [p.last_name for p in response.context["object_list"]] == [
        "Camus",
        "Zola",
        "Abel",
        "Balzac",
    ]
    assert [p.published_pacts for p in response.context["object_list"]] == [3, 3, 1, 1]
    # Every row: the reading order alone.
    response = client.get("/organismes/", {"perimetre": "tous"})
    assert names(response) == ["Abbaye", "Bar-le-Duc", "Zénith"]
    response = client.get("/personnes/", {"perimetre": "tous"})
    assert [p.last_name for p in response.context["object_list"]] == [
        "Abel",
        "Balzac",
        "Camus",
        "Zola",
    ]


@pytest.mark.django_db
def test_involved_lists_export_in_their_order(client):
    many = factories.MandateFactory(body__name="Zénith", person__last_name="Zola")
    few = factories.MandateFactory(body__name="Abbaye", person__last_name="Abel")
    make_signed_pact(signatory=few)
    make_signed_pact(signatory=many)
    make_signed_pact(signatory=many)
    body_csv = read_csv_response(client.get("/organismes/export.csv"))
    assert body_csv.index("Zénith") < body_csv.index("Abbaye")
    people_csv = read_csv_response(client.get("/personnes/export.csv"))
    assert people_csv.index("Zola") < people_csv.index("Abel")


# --- every writer fills the key --------------------------------------------------------------


@pytest.mark.django_db
def test_save_fills_the_sort_keys():
    body = factories.BodyFactory(name="Communauté de communes du Bassin de Joinville")
    assert body.sort_key == "joinville / communaute de communes du bassin de joinville"
    person = factories.PersonFactory(last_name="Éluard", first_name="Paul")
    assert Person.objects.get(pk=person.pk).sort_key == "eluard / paul"


@pytest.mark.django_db
def test_the_territory_import_fills_and_renews_the_sort_keys(tmp_path):
    territory_imports.run("import_territories", territory_imports.decoupage(tmp_path))
    ca = Territory.objects.get(code=territory_imports.CA_CHAUMONT)
    assert ca.sort_key == "chaumont / ca de chaumont"
    assert Body.objects.get(territory=ca).sort_key == sort_key(Body.objects.get(territory=ca).name)
    assert Territory.objects.get(code="21001").sort_key == "agencourt"
    assert not Territory.objects.filter(sort_key="").exists()
    assert not Body.objects.filter(sort_key="").exists()

    renamed = territory_imports.decoupage(
        tmp_path, rename={territory_imports.CA_CHAUMONT: "Communauté d'agglomération de Chaumont"}
    )
    territory_imports.run("import_territories", renamed)
    ca.refresh_from_db()
    assert ca.sort_key == "chaumont / communaute d agglomeration de chaumont"
    body = Body.objects.get(territory=ca)
    assert body.sort_key == sort_key(body.name)


@pytest.mark.django_db
def test_the_officials_import_fills_the_sort_keys(tmp_path, places):
    path = people_imports.write(
        tmp_path, "elus-cm.csv", people_imports.CM_HEADER, people_imports.CM_ROWS
    )
    people_imports.run("import_elus", path)
    assert Person.objects.get(last_name="Dupont").sort_key == "dupont / christine"
    assert not Person.objects.filter(sort_key="").exists()


places = people_imports.places

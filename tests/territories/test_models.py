"""Territories and bodies: official codes, SIREN rules and the derived containment."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from territories.models import Body, Territory, TerritoryAncestor, TerritoryKind
from territories.services import containment_rebuild, territory_set_parents
from tests.factories import BodyFactory, EpciFactory, TerritoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def haute_marne():
    """A small real-shaped graph: région ⊃ département ⊃ EPCI ⊃ commune, and a PETR."""
    region = TerritoryFactory(kind=TerritoryKind.REGION, code="44", name="Grand Est")
    dept = TerritoryFactory(
        kind=TerritoryKind.DEPARTEMENT, code="52", name="Haute-Marne", parents=[region]
    )
    ca = EpciFactory(kind=TerritoryKind.CA, code="200068658", name="CA de Chaumont", parents=[dept])
    chaumont = TerritoryFactory(code="52121", name="Chaumont", parents=[dept, ca])
    grand_langres = EpciFactory(code="200072999", name="CC du Grand Langres", parents=[dept])
    langres = TerritoryFactory(code="52269", name="Langres", parents=[dept, grand_langres])
    petr = TerritoryFactory(
        kind=TerritoryKind.PETR, code="", name="PETR du Pays de Langres", parents=[dept]
    )
    territory_set_parents(territory=grand_langres, parents=[dept, petr])
    return {
        "region": region,
        "dept": dept,
        "ca": ca,
        "chaumont": chaumont,
        "grand_langres": grand_langres,
        "langres": langres,
        "petr": petr,
    }


def test_a_commune_is_inside_its_epci_departement_and_region(haute_marne):
    containers = set(Territory.objects.containing(haute_marne["chaumont"]))
    assert containers == {haute_marne["ca"], haute_marne["dept"], haute_marne["region"]}


@pytest.mark.parametrize("name", ["region", "dept", "ca", "grand_langres", "petr", "chaumont"])
def test_children_of_is_what_a_territory_directly_contains(haute_marne, name):
    territory = haute_marne[name]
    assert set(Territory.objects.children_of(territory)) == set(territory.children.all())


def test_children_of_reads_each_child_by_its_id(haute_marne):
    """Not a join of the link table against every territory, which PostgreSQL hashes."""
    children = Territory.objects.children_of(haute_marne["dept"])
    assert {t.name for t in children} == {
        "CA de Chaumont",
        "Chaumont",
        "CC du Grand Langres",
        "Langres",
        "PETR du Pays de Langres",
    }
    assert " JOIN " not in str(children.query)


def test_everything_inside_a_departement_is_one_query(haute_marne, django_assert_num_queries):
    with django_assert_num_queries(1):
        inside = set(Territory.objects.inside(haute_marne["dept"]))
    assert inside == {
        haute_marne[k] for k in ("ca", "chaumont", "grand_langres", "langres", "petr")
    }


def test_a_petr_contains_the_communes_of_its_member_epci(haute_marne):
    assert set(Territory.objects.inside(haute_marne["petr"])) == {
        haute_marne["grand_langres"],
        haute_marne["langres"],
    }
    assert haute_marne["petr"] in Territory.objects.containing(haute_marne["langres"])


def test_an_epci_straddling_two_departements_is_inside_both():
    marne = TerritoryFactory(kind=TerritoryKind.DEPARTEMENT, code="51", name="Marne")
    meuse = TerritoryFactory(kind=TerritoryKind.DEPARTEMENT, code="55", name="Meuse")
    epci = EpciFactory(parents=[marne, meuse])
    commune = TerritoryFactory(code="55001", parents=[meuse, epci])
    assert set(Territory.objects.containing(epci)) == {marne, meuse}
    assert epci in Territory.objects.inside(marne)
    assert commune in Territory.objects.inside(marne)


def test_related_to_covers_itself_inside_and_containing(haute_marne):
    related = set(Territory.objects.related_to(haute_marne["ca"]))
    assert related == {
        haute_marne["ca"],
        haute_marne["chaumont"],
        haute_marne["dept"],
        haute_marne["region"],
    }


def test_moving_a_territory_updates_everything_inside_it(haute_marne):
    other_region = TerritoryFactory(kind=TerritoryKind.REGION, code="27", name="Bourgogne")
    territory_set_parents(territory=haute_marne["dept"], parents=[other_region])
    assert other_region in Territory.objects.containing(haute_marne["chaumont"])
    assert haute_marne["region"] not in Territory.objects.containing(haute_marne["chaumont"])


def test_a_containment_cycle_is_refused_and_nothing_changes(haute_marne):
    with pytest.raises(ValidationError) as error:
        territory_set_parents(territory=haute_marne["dept"], parents=[haute_marne["chaumont"]])
    assert "contenu dans" in str(error.value)
    assert list(haute_marne["dept"].parents.all()) == [haute_marne["region"]]


def test_a_full_rebuild_of_unchanged_data_writes_nothing(haute_marne):
    before = TerritoryAncestor.objects.count()
    assert containment_rebuild() == {"added": 0, "removed": 0}
    assert TerritoryAncestor.objects.count() == before


def test_the_same_code_may_name_a_region_and_a_departement():
    TerritoryFactory(kind=TerritoryKind.REGION, code="44", name="Grand Est")
    TerritoryFactory(kind=TerritoryKind.DEPARTEMENT, code="44", name="Loire-Atlantique")
    assert Territory.objects.with_code("44").count() == 2


def test_a_code_is_unique_within_a_kind():
    TerritoryFactory(kind=TerritoryKind.COMMUNE, code="52121")
    with pytest.raises(IntegrityError), transaction.atomic():
        TerritoryFactory(kind=TerritoryKind.COMMUNE, code="52121")


def test_several_territories_of_a_kind_may_have_no_code():
    TerritoryFactory(kind=TerritoryKind.PETR, code="", name="PETR A")
    TerritoryFactory(kind=TerritoryKind.PETR, code="", name="PETR B")
    assert Territory.objects.filter(kind=TerritoryKind.PETR).count() == 2


def test_two_communes_with_the_same_name_get_distinct_readable_slugs():
    a = TerritoryFactory(code="52001", name="Saint-Martin")
    b = TerritoryFactory(code="55002", name="Saint-Martin")
    assert (a.slug, b.slug) == ("saint-martin-52001", "saint-martin-55002")


def test_an_epci_code_must_be_a_valid_siren():
    epci = EpciFactory.build(code="200068659")
    with pytest.raises(ValidationError) as error:
        epci.full_clean()
    assert "Luhn" in str(error.value.message_dict["code"])


@pytest.mark.parametrize(
    ("siren", "message"),
    [("12345", "9 chiffres"), ("2000686A8", "9 chiffres"), ("200068659", "Luhn")],
)
def test_a_malformed_siren_is_refused_with_a_french_message(siren, message):
    body = BodyFactory.build(siren=siren)
    with pytest.raises(ValidationError) as error:
        body.full_clean()
    assert message in " ".join(error.value.message_dict["siren"])


def test_a_siren_is_unique_among_bodies():
    BodyFactory(siren="200068658")
    duplicate = BodyFactory.build(siren="200068658")
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "Un organisme porte déjà ce SIREN." in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_the_database_refuses_a_siren_of_the_wrong_length():
    with pytest.raises(IntegrityError), transaction.atomic():
        Body.objects.create(kind="epci", name="Sans SIREN valide", siren="1234")


def test_bodies_without_siren_may_coexist():
    BodyFactory(siren="")
    BodyFactory(siren="")
    assert Body.objects.filter(siren="").count() == 2


def test_body_search_ignores_case_and_accents():
    BodyFactory(name="Pôle d'Équilibre Territorial et Rural du Pays de Langres", siren="")
    assert Body.objects.search("EQUILIBRE langres").count() == 1
    assert Body.objects.search("chaumont").count() == 0


def test_a_territory_referenced_by_a_body_cannot_be_deleted():
    from django.db.models import ProtectedError

    territory = TerritoryFactory()
    BodyFactory(territory=territory)
    with pytest.raises(ProtectedError):
        territory.delete()


def test_two_territories_of_a_kind_without_code_cannot_share_a_name():
    TerritoryFactory(kind=TerritoryKind.PETR, code="", name="PETR du Pays de Langres")
    with pytest.raises(IntegrityError), transaction.atomic():
        TerritoryFactory(kind=TerritoryKind.PETR, code="", name="PETR du Pays de Langres")


@pytest.mark.django_db
def test_a_name_is_the_whole_key_or_the_part_before_the_codes():
    """`named`: accents, case, hyphens and « St » ignored; a longer name is another name."""
    saint = TerritoryFactory(name="Saint", code="", postal_codes="")
    dizier = TerritoryFactory(name="Saint-Dizier", code="52448", postal_codes="52100")
    TerritoryFactory(name="Sainte-Marie", code="97418", postal_codes="97438")
    TerritoryFactory(name="Saint Dizier l'Évêque", code="90092", postal_codes="90100")
    corse = TerritoryFactory(name="Ajaccio", code="2A004", postal_codes="20000 20090")

    assert set(Territory.objects.named("saint")) == {saint}
    assert set(Territory.objects.named("ST DIZIER")) == {dizier}
    assert set(Territory.objects.named("saint-dizier")) == {dizier}
    assert set(Territory.objects.named("Ajaccio")) == {corse}
    assert not Territory.objects.named("Saint Diz").exists()
    assert not Territory.objects.named("").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("limit", [1, 3, 5, 8])
@pytest.mark.parametrize(
    "query", ["saint", "Saint-Dizier", "st dizier", "dizier", "marie", "52", "é", "zzz", "?!"]
)
def test_the_first_best_matches_are_those_of_the_whole_ranking(query, limit):
    """`first_best_matches` reads only the names starting with the words when they are
    enough, and otherwise ranks every match: the same rows in the same order either way."""
    for name, code, population in [
        ("Saint", "", None),
        ("Saint-Dizier", "52448", 23000),
        ("Saint Dizier l'Évêque", "90092", 400),
        ("Sainte-Marie", "97418", 33000),
        ("Saint-Denis", "93066", 113000),
        ("Saint-Denis", "97411", 153000),
        ("Abbeville-Saint-Lucien", "60001", 400),
        ("Marie", "06079", 100),
        ("Villiers-Saint-Denis", "02810", 1200),
        ("Saint-Amand", "62738", None),
    ]:
        TerritoryFactory(name=name, code=code, postal_codes="", population=population)

    whole = list(Territory.objects.best_matches(query)[:limit])
    assert Territory.objects.first_best_matches(query, limit) == whole

"""The territory and body admin: containment stays consistent, identifiers are checked in French."""

import datetime

import pytest
from django.urls import reverse
from django.utils.html import escape

from people.models import Function
from territories.models import Body, BodyKind, Territory, TerritoryKind
from tests.factories import (
    BodyFactory,
    EpciFactory,
    MandateFactory,
    PersonFactory,
    TerritoryFactory,
    siren_with_key,
)

pytestmark = pytest.mark.django_db

NO_MANDATES = {
    "mandates-TOTAL_FORMS": "0",
    "mandates-INITIAL_FORMS": "0",
    "mandates-MIN_NUM_FORMS": "0",
    "mandates-MAX_NUM_FORMS": "1000",
}


def territory_form(territory: Territory, parents) -> dict:
    return {
        "kind": territory.kind,
        "code": territory.code,
        "name": territory.name,
        "parents": [p.pk for p in parents],
    }


@pytest.fixture
def haute_marne():
    """Haute-Marne ⊃ CA de Chaumont ⊃ Chaumont, as the reference files describe them."""
    departement = TerritoryFactory(kind=TerritoryKind.DEPARTEMENT, code="52", name="Haute-Marne")
    agglo = EpciFactory(kind=TerritoryKind.CA, name="CA de Chaumont", parents=[departement])
    commune = TerritoryFactory(name="Chaumont", code="52121", parents=[agglo])
    return departement, agglo, commune


def test_changing_parents_in_the_admin_updates_containment(admin_client):
    grand_est = TerritoryFactory(kind=TerritoryKind.REGION, code="44", name="Grand Est")
    departement = TerritoryFactory(kind=TerritoryKind.DEPARTEMENT, code="52", name="Haute-Marne")
    agglo = EpciFactory(kind=TerritoryKind.CA, name="CA de Chaumont")
    commune = TerritoryFactory(name="Chaumont", code="52121", parents=[agglo, departement])
    url = reverse("admin:territories_territory_change", args=[agglo.pk])

    response = admin_client.post(url, territory_form(agglo, [departement]))

    assert response.status_code == 302
    assert set(Territory.objects.inside(departement)) == {agglo, commune}
    assert set(Territory.objects.containing(commune)) == {agglo, departement}

    # Moving the département under the région carries everything inside it along.
    url = reverse("admin:territories_territory_change", args=[departement.pk])
    admin_client.post(url, territory_form(departement, [grand_est]))
    assert set(Territory.objects.inside(grand_est)) == {departement, agglo, commune}

    # And removing the link takes it all away again.
    admin_client.post(url, territory_form(departement, []))
    assert not Territory.objects.inside(grand_est).exists()


def test_an_epci_reaching_into_another_departement_cannot_be_placed_inside_one(admin_client):
    haute_marne = TerritoryFactory(kind=TerritoryKind.DEPARTEMENT, code="52", name="Haute-Marne")
    haute_saone = TerritoryFactory(kind=TerritoryKind.DEPARTEMENT, code="70", name="Haute-Saône")
    cc = EpciFactory(kind=TerritoryKind.CC, name="CC des Savoir-Faire")
    TerritoryFactory(name="Poinson-lès-Fays", code="52398", parents=[haute_marne, cc])
    TerritoryFactory(name="Champlitte", code="70122", parents=[haute_saone, cc])
    url = reverse("admin:territories_territory_change", args=[cc.pk])

    response = admin_client.post(url, territory_form(cc, [haute_marne]))

    assert response.status_code == 200
    assert (
        escape(
            f"« {cc} » n'est pas entièrement dans « Haute-Marne (52) » : il le chevauche "
            "seulement. Communes hors de « Haute-Marne (52) » : Champlitte (70122)."
        )
        in response.content.decode()
    )
    assert not cc.parents.exists()
    assert not Territory.objects.containing(cc).exists()


def test_a_territory_added_with_parents_is_inside_them_at_once(admin_client, haute_marne):
    departement, agglo, _ = haute_marne
    response = admin_client.post(
        reverse("admin:territories_territory_add"),
        {
            "kind": TerritoryKind.COMMUNE,
            "code": "52448",
            "name": "Semoutiers-Montsaon",
            "parents": [agglo.pk],
        },
    )

    assert response.status_code == 302
    assert Territory.objects.inside(departement).filter(name="Semoutiers-Montsaon").exists()


def test_a_territory_cannot_contain_itself(admin_client, haute_marne):
    _, agglo, _ = haute_marne
    url = reverse("admin:territories_territory_change", args=[agglo.pk])

    response = admin_client.post(url, territory_form(agglo, [agglo]))

    assert response.status_code == 200
    assert "Un territoire ne peut pas se contenir lui-même." in response.content.decode()


def test_a_territory_cannot_be_placed_inside_something_it_contains(admin_client, haute_marne):
    departement, agglo, commune = haute_marne
    url = reverse("admin:territories_territory_change", args=[departement.pk])

    response = admin_client.post(url, territory_form(departement, [commune]))

    assert response.status_code == 200
    assert (
        escape(
            "« Chaumont (52121) » est contenu dans « Haute-Marne (52) » : "
            "il ne peut pas aussi le contenir."
        )
        in response.content.decode()
    )
    assert not departement.parents.exists()
    assert set(Territory.objects.inside(departement)) == {agglo, commune}


def test_deleting_a_territory_updates_what_lay_inside_it(admin_client, haute_marne):
    departement, agglo, commune = haute_marne
    url = reverse("admin:territories_territory_delete", args=[agglo.pk])

    response = admin_client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not Territory.objects.inside(departement).exists()
    assert not Territory.objects.containing(commune).exists()


def test_the_change_page_lists_every_container_even_indirect_ones(admin_client, haute_marne):
    _, _, commune = haute_marne
    page = admin_client.get(reverse("admin:territories_territory_change", args=[commune.pk]))

    assert "Contenu dans (directement ou non)" in page.content.decode()
    assert "Haute-Marne (52)" in page.content.decode()


def test_territory_list_searches_name_and_code_and_filters_kind(admin_client, haute_marne):
    url = reverse("admin:territories_territory_changelist")

    by_code = admin_client.get(url, {"q": "52121"}).context["cl"].result_list
    by_name = admin_client.get(url, {"q": "haute marne"}).context["cl"].result_list
    by_kind = admin_client.get(url, {"kind__exact": "departement"}).context["cl"].result_list

    assert [t.name for t in by_code] == ["Chaumont"]
    assert [t.name for t in by_name] == ["Haute-Marne"]
    assert [t.name for t in by_kind] == ["Haute-Marne"]


def test_territory_autocomplete_for_parents_and_body_territory(admin_client, haute_marne):
    def search(model_name, field_name, term):
        response = admin_client.get(
            "/admin/autocomplete/",
            {
                "app_label": "territories",
                "model_name": model_name,
                "field_name": field_name,
                "term": term,
            },
        )
        return [row["text"] for row in response.json()["results"]]

    assert search("territory", "parents", "haute-marne") == ["Haute-Marne — Département · 52"]
    # The commune named exactly so comes before the agglomération that only contains the word.
    assert search("body", "territory", "chaumont") == [
        "Chaumont — Commune · 52121 · Haute-Marne (52)",
        f"CA de Chaumont — Communauté d'agglomération · {haute_marne[1].code} · Haute-Marne (52)",
    ]


def test_body_autocomplete_tells_homonyms_apart_by_kind_and_departement(admin_client):
    for code, name in (("15", "Cantal"), ("87", "Haute-Vienne")):
        departement = TerritoryFactory(kind=TerritoryKind.DEPARTEMENT, code=code, name=name)
        commune = TerritoryFactory(name="Beaulieu", code=f"{code}014", parents=[departement])
        BodyFactory(kind=BodyKind.COMMUNE, name="Commune de Beaulieu", siren="", territory=commune)

    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "people", "model_name": "mandate", "field_name": "body", "term": "beaulieu"},
    )

    assert sorted(r["text"] for r in response.json()["results"]) == [
        "Commune de Beaulieu — Commune · Cantal (15)",
        "Commune de Beaulieu — Commune · Haute-Vienne (87)",
    ]


def body_form(**fields) -> dict:
    return {"kind": BodyKind.EPCI, "name": "Communauté de communes Meuse Rognon"} | (
        NO_MANDATES | fields
    )


def test_a_siren_failing_the_luhn_check_is_refused_in_french(admin_client):
    response = admin_client.post(
        reverse("admin:territories_body_add"), body_form(siren="200000001")
    )

    assert response.status_code == 200
    assert (
        escape("Le SIREN « 200000001 » est invalide (clé de contrôle de Luhn incorrecte).")
        in response.content.decode()
    )
    assert not Body.objects.exists()


def test_a_siren_that_is_not_nine_digits_is_refused_in_french(admin_client):
    response = admin_client.post(reverse("admin:territories_body_add"), body_form(siren="2000 1"))

    assert response.status_code == 200
    assert "Un SIREN comporte exactement 9 chiffres" in response.content.decode()
    assert not Body.objects.exists()


def test_a_siren_already_used_is_refused_in_french(admin_client):
    taken = BodyFactory()

    response = admin_client.post(
        reverse("admin:territories_body_add"), body_form(siren=taken.siren)
    )

    assert response.status_code == 200
    assert "Un organisme porte déjà ce SIREN." in response.content.decode()
    assert Body.objects.count() == 1


def test_a_body_is_added_with_its_officials(admin_client):
    guy = PersonFactory(first_name="Bernard", last_name="Guy")
    data = body_form(
        siren=siren_with_key(24520001),
        **{
            "mandates-TOTAL_FORMS": "1",
            "mandates-0-person": guy.pk,
            "mandates-0-function": Function.PRESIDENT,
            "mandates-0-start_date": "01/04/2014",
            "mandates-0-elected": "on",
        },
    )

    response = admin_client.post(reverse("admin:territories_body_add"), data)

    assert response.status_code == 302
    body = Body.objects.get()
    assert body.mandates.get().person == guy
    assert body.slug == "communaute-de-communes-meuse-rognon"


def test_a_mandate_ending_before_it_starts_is_refused_on_the_body_page(admin_client):
    mandate = MandateFactory(start_date=datetime.date(2014, 4, 1))
    data = body_form(
        **{
            "mandates-TOTAL_FORMS": "1",
            "mandates-0-person": mandate.person.pk,
            "mandates-0-function": Function.MAYOR,
            "mandates-0-start_date": "01/04/2020",
            "mandates-0-end_date": "01/04/2014",
        },
    )

    response = admin_client.post(reverse("admin:territories_body_add"), data)

    assert response.status_code == 200
    assert "La fin du mandat ne peut pas précéder son début." in response.content.decode()
    assert Body.objects.count() == 1


def test_the_territory_autocomplete_understands_st_and_puts_the_best_match_first(admin_client):
    TerritoryFactory(name="Abbeville-Saint-Lucien", code="60001", population=500)
    TerritoryFactory(name="Saint-Dizier", code="52448", population=24000)
    TerritoryFactory(name="Érize-Saint-Dizier", code="55178", population=100)
    url = reverse("admin:autocomplete")
    params = {
        "app_label": "territories",
        "model_name": "territory",
        "field_name": "parents",
    }

    by_abbreviation = admin_client.get(url, {**params, "term": "st dizier"}).json()
    by_word = admin_client.get(url, {**params, "term": "saint"}).json()

    assert [r["text"] for r in by_abbreviation["results"]] == [
        "Saint-Dizier — Commune · 52448",
        "Érize-Saint-Dizier — Commune · 55178",
    ]
    assert by_word["results"][0]["text"] == "Saint-Dizier — Commune · 52448"


def test_the_body_autocomplete_understands_st_and_puts_the_shortest_name_first(admin_client):
    BodyFactory(kind=BodyKind.EPCI, name="Communauté de communes de Saint-Dizier, Der et Blaise")
    BodyFactory(kind=BodyKind.COMMUNE, name="Commune de Saint-Dizier", siren="")
    BodyFactory(kind=BodyKind.COMMUNE, name="Commune de Sainte-Marie", siren="")
    params = {"app_label": "people", "model_name": "mandate", "field_name": "body"}

    response = admin_client.get(reverse("admin:autocomplete"), {**params, "term": "st dizier"})

    assert [r["text"].split(" — ")[0] for r in response.json()["results"]] == [
        "Commune de Saint-Dizier",
        "Communauté de communes de Saint-Dizier, Der et Blaise",
    ]

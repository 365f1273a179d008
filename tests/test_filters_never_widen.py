"""A filter never widens: on every public list and its CSV, a well-formed value matching
nothing gives an empty list (and a header-only CSV) with a French sentence naming what was
asked; only a malformed value is ignored, reported on the page, and refused by the CSV (400).

The data: two published pacts in Haute-Marne (2019, signed; 2021 in Langres, completed),
a draft whose theme, body and person appear nowhere else, and Moselle, a département with
no pact. Every count below is what a visitor reads on the page or in the file.
"""

import datetime
import html as html_lib
import re

import pytest

from pacts.models import PactStatus
from territories.models import BodyKind, TerritoryKind
from tests import factories
from tests.conftest import build_haute_marne, make_signed_pact, read_csv_response, shared_rows

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Published pacts, a draft, a département without pacts, people with and without
    current mandates: built once for this module, whose every test reads it (what a test
    adds is rolled back after it)."""
    yield from shared_rows(django_db_blocker, build_world)


def build_world() -> dict:
    haute_marne = build_haute_marne()
    moselle = factories.TerritoryFactory(
        kind=TerritoryKind.DEPARTEMENT, code="57", name="Moselle", parents=[haute_marne.region]
    )
    emploi = factories.ThemeFactory(name="Emploi")
    agglo_body = factories.BodyFactory(name="CA de Chaumont", kind=BodyKind.EPCI)
    guillemy = factories.MandateFactory(
        person__first_name="Christine", person__last_name="Guillemy", body=agglo_body
    )
    chaumont_pact = make_signed_pact(
        title="POCE de Chaumont",
        territories=[haute_marne.epci],
        commune=haute_marne.chaumont,
        signatory=guillemy,
        themes=[emploi],
        date=datetime.date(2019, 1, 15),
    )
    langres_pact = make_signed_pact(
        title="POCE de Langres",
        territories=[haute_marne.langres],
        commune=haute_marne.langres,
        status=PactStatus.COMPLETED,
        date=datetime.date(2021, 6, 1),
    )
    secret_theme = factories.ThemeFactory(name="Thème secret")
    secret_mandate = factories.MandateFactory(
        person__first_name="Sidonie", person__last_name="Secret", body__name="Organisme discret"
    )
    make_signed_pact(
        title="Brouillon",
        territories=[moselle],
        signatory=secret_mandate,
        themes=[secret_theme],
        date=datetime.date(2017, 3, 3),
        published=False,
    )
    return {
        "moselle": moselle,
        "emploi": emploi,
        "agglo_body": agglo_body,
        "guillemy": guillemy.person,
        "chaumont_pact": chaumont_pact,
        "langres_pact": langres_pact,
        "secret_theme": secret_theme,
        "secret_body": secret_mandate.body,
        "secret_person": secret_mandate.person,
        **vars(haute_marne),
    }


def page_count(html: str) -> int:
    return int(re.search(r'<p class="result-count" role="status"><strong>(\d+)</strong>', html)[1])


def nothing_found_sentence(html: str) -> str:
    """The sentence saying what was asked and found nothing ('' when there is none)."""
    found = re.search(r'<p class="nothing-found">(.*?)</p>', html, re.S)
    return html_lib.unescape(found[1]) if found else ""


def notices(html: str) -> str:
    return html_lib.unescape(" ".join(re.findall(r"<li>(.*?)</li>", html, re.S)))


def csv_lines(response) -> list[str]:
    text = read_csv_response(response)
    assert text.startswith("\ufeff")
    return text[1:].split("\r\n")[:-1]


def value_of(world, value):
    """A value of the table below: text, or a callable reading the fixture."""
    return value(world) if callable(value) else value


# (list, parameter, well-formed value matching nothing, how the sentence names it)
WELL_FORMED_MATCHING_NOTHING = [
    ("/pactes/", "annee", "2017", "Année de signature « 2017 »"),
    ("/pactes/", "statut", PactStatus.PREPARATION, "Statut « En préparation »"),
    ("/pactes/", "departement", "57", "Département « Moselle (57) »"),
    ("/pactes/", "departement", "2a", "Département « 2A »"),
    ("/pactes/", "programme", "crte", "Programme « crte »"),
    ("/pactes/", "theme", lambda w: w["secret_theme"].slug, "Thème « theme-secret »"),
    (
        "/pactes/",
        "organisme",
        lambda w: w["secret_body"].slug,
        "Organisme signataire « organisme-discret »",
    ),
    (
        "/pactes/",
        "personne",
        lambda w: w["secret_person"].slug,
        "Personne (signataire ou présente) « sidonie-secret »",
    ),
    # Its label belongs to the territory resolution (« Territoire (nom…) »): checked apart.
    ("/pactes/", "territoire", "atlantide", ("Territoire", "« atlantide »")),
    ("/pactes/", "q", "introuvable", "Recherche « introuvable »"),
    ("/signatures/", "annee", "2017", "Année « 2017 »"),
    ("/signatures/", "departement", "57", "Département « Moselle (57) »"),
    ("/territoires/", "departement", "971", "Département « 971 »"),
    ("/territoires/", "type", TerritoryKind.PETR, "Type « Pôle d'équilibre"),
    ("/organismes/", "type", BodyKind.CHAMBER, "Type « Chambre consulaire »"),
    ("/personnes/", "statut", "termine", "Mandat « Plus de mandat en cours »"),
    ("/personnes/", "organisme", "inconnu", "Organisme « inconnu »"),
]

# What the page adds when the value names nothing known, not merely nothing matching.
UNKNOWN_EXPLAINED = {
    ("/pactes/", "departement", "2a"): "Aucun département n'a le code « 2A ».",
    ("/pactes/", "programme", "crte"): "Aucun programme de pacte publié n'a l'identifiant",
    ("/pactes/", "theme"): "Aucun thème de pacte publié n'a l'identifiant « theme-secret »",
    ("/pactes/", "organisme"): "Aucun organisme partie à un pacte publié",
    ("/pactes/", "personne"): "Aucune personne ayant signé un pacte publié",
    ("/pactes/", "territoire", "atlantide"): "Aucun territoire ne correspond à « atlantide ».",
    ("/territoires/", "departement", "971"): "Aucun département n'a le code « 971 ».",
    ("/personnes/", "organisme", "inconnu"): "Aucun organisme où une personne exerce",
}


@pytest.mark.parametrize(("url", "name", "value", "named"), WELL_FORMED_MATCHING_NOTHING)
def test_well_formed_value_matching_nothing_gives_an_empty_list_and_says_so(
    client, world, url, name, value, named
):
    value = value_of(world, value)
    html = client.get(url, {name: value}).content.decode()
    assert page_count(html) == 0
    sentence = nothing_found_sentence(html)
    assert sentence.startswith("Aucun") and "ne correspond à votre recherche" in sentence
    for fragment in [named] if isinstance(named, str) else named:
        assert fragment in sentence
    assert "Certains paramètres ont été ignorés" not in html
    explained = UNKNOWN_EXPLAINED.get((url, name, value)) or UNKNOWN_EXPLAINED.get((url, name))
    if explained:
        assert explained in notices(html)


@pytest.mark.parametrize(("url", "name", "value", "named"), WELL_FORMED_MATCHING_NOTHING)
def test_well_formed_value_matching_nothing_exports_a_header_only_csv(
    client, world, url, name, value, named
):
    unfiltered = csv_lines(client.get(f"{url}export.csv"))
    assert len(unfiltered) > 1, "the list is not empty without the filter"
    response = client.get(f"{url}export.csv", {name: value_of(world, value)})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert csv_lines(response) == unfiltered[:1]


def test_several_filters_matching_nothing_are_all_named(client, world):
    html = client.get("/pactes/", {"annee": "2017", "departement": "57"}).content.decode()
    assert nothing_found_sentence(html) == (
        "Aucun pacte publié ne correspond à votre recherche : "
        "Département « Moselle (57) », Année de signature « 2017 »."
    )


# (list, parameter, malformed value, what the reason says is expected)
MALFORMED = [
    ("/pactes/", "annee", "20x7", "une année à quatre chiffres"),
    ("/pactes/", "annee", "0000", "une année à quatre chiffres"),
    ("/pactes/", "statut", "brouillon", "preparation, signe, en_cours, acheve, resilie"),
    ("/pactes/", "departement", "999", "un code de département"),
    ("/pactes/", "programme", "../../etc", "un nom d'URL"),
    ("/pactes/", "theme", "thème", "un nom d'URL"),
    ("/pactes/", "organisme", "a b", "un nom d'URL"),
    ("/pactes/", "personne", "x/y", "un nom d'URL"),
    ("/signatures/", "annee", "abc", "une année à quatre chiffres"),
    ("/signatures/", "departement", "5", "un code de département"),
    ("/territoires/", "departement", "Haute-Marne", "un code de département"),
    ("/territoires/", "type", "village", "region, departement, commune"),
    ("/organismes/", "type", "x", "region, departement, commune, epci"),
    ("/personnes/", "statut", "ancien", "en_cours, termine"),
    ("/personnes/", "organisme", "région", "un nom d'URL"),
]


@pytest.mark.parametrize(("url", "name", "value", "expected"), MALFORMED)
def test_malformed_value_is_ignored_on_the_page_with_a_notice(
    client, world, url, name, value, expected
):
    unfiltered = page_count(client.get(url).content.decode())
    html = client.get(url, {name: value}).content.decode()
    assert page_count(html) == unfiltered > 0
    said = notices(html)
    assert "Certains paramètres ont été ignorés" in html
    assert f"ignoré : la valeur « {value} » n'est pas reconnue" in said
    assert expected in said
    assert not nothing_found_sentence(html)
    # The file behind the page's export link is the list on screen, without the ignored value.
    export = re.search(r'class="button button-secondary export-link" href="([^"]*)"', html)[1]
    assert name not in html_lib.unescape(export)


@pytest.mark.parametrize(("url", "name", "value", "expected"), MALFORMED)
def test_malformed_value_makes_the_csv_answer_400_with_the_reason(
    client, world, url, name, value, expected
):
    response = client.get(f"{url}export.csv", {name: value})
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("Export CSV refusé")
    assert f"la valeur « {value} » n'est pas reconnue" in text
    assert expected in text


def test_malformed_sort_and_page_keep_their_fallback_even_in_the_csv(client, world):
    html = client.get("/pactes/", {"tri": "drop table", "page": "abc"}).content.decode()
    assert page_count(html) == 2
    assert "Numéro de page « abc » invalide" in html
    response = client.get("/pactes/export.csv", {"tri": "drop table", "page": "abc"})
    assert response.status_code == 200
    assert len(csv_lines(response)) == 3


def test_unknown_parameter_makes_the_csv_answer_400(client, world):
    # « departemnt » misspelt: the page says it ignores it, the file must not pretend.
    html = client.get("/pactes/", {"departemnt": "57"}).content.decode()
    assert "Paramètre(s) inconnu(s) ignoré(s) : « departemnt »" in html
    response = client.get("/pactes/export.csv", {"departemnt": "57"})
    assert response.status_code == 400
    assert "« departemnt »" in response.content.decode()


def test_select_shows_the_chosen_value_it_does_not_offer(client, world):
    query = {"annee": "2017", "statut": "preparation", "departement": "57"}
    html = client.get("/pactes/", query).content.decode()
    assert '<option value="2017" selected>2017 (aucun résultat)</option>' in html
    assert '<option value="preparation" selected>En préparation (aucun résultat)</option>' in html
    assert '<option value="57" selected>Moselle (57) (aucun résultat)</option>' in html
    # A malformed value is not applied, so the select shows « Toutes ».
    html = client.get("/pactes/", {"annee": "abc"}).content.decode()
    assert "abc (aucun résultat)" not in html
    assert '<option value="" selected>Toutes</option>' in html


# --- Valid values that match still filter, page and file alike -----------------------------

MATCHING = [
    ("/pactes/", "annee", "2019", 1),
    ("/pactes/", "statut", PactStatus.COMPLETED, 1),
    ("/pactes/", "departement", "52", 2),
    ("/pactes/", "theme", lambda w: w["emploi"].slug, 1),
    ("/pactes/", "organisme", lambda w: w["agglo_body"].slug, 1),
    ("/pactes/", "personne", lambda w: w["guillemy"].slug, 1),
    ("/pactes/", "programme", lambda w: w["chaumont_pact"].programme.slug, 2),
    ("/pactes/", "territoire", "52121", 1),
    ("/signatures/", "annee", "2021", 1),
    ("/signatures/", "departement", "52", 2),
    ("/territoires/", "departement", "52", 4),
    ("/territoires/", "type", TerritoryKind.REGION, 1),
    # By default the bodies party to a published pact: the draft's body is left out.
    ("/organismes/", "type", BodyKind.EPCI, 2),
    ("/organismes/", "perimetre", "tous", 3),
    # By default the people involved in published pacts: the draft's signatory is left out.
    ("/personnes/", "statut", "en_cours", 2),
    ("/personnes/", "perimetre", "tous", 3),
    ("/personnes/", "organisme", lambda w: w["agglo_body"].slug, 1),
]


@pytest.mark.parametrize(("url", "name", "value", "count"), MATCHING)
def test_valid_matching_value_still_filters_page_and_csv(client, world, url, name, value, count):
    value = value_of(world, value)
    html = client.get(url, {name: value}).content.decode()
    assert page_count(html) == count
    assert "Filtres actifs" in html and not nothing_found_sentence(html)
    assert "Certains paramètres ont été ignorés" not in html
    response = client.get(f"{url}export.csv", {name: value})
    assert response.status_code == 200
    assert len(csv_lines(response)) == 1 + count


# --- An ambiguous territory ---------------------------------------------------------------


@pytest.fixture
def shared_code_52(world):
    """Code « 52 » is Haute-Marne's (département) and Pays de la Loire's (région)."""
    return factories.TerritoryFactory(kind=TerritoryKind.REGION, code="52", name="Pays de la Loire")


def test_ambiguous_territory_shows_no_pacts_and_the_candidates_to_choose_from(
    client, world, shared_code_52
):
    html = client.get("/pactes/", {"territoire": "52"}).content.decode()
    assert page_count(html) == 0
    assert "POCE de Chaumont" not in html
    text = html_lib.unescape(html)
    assert "« 52 » désigne plusieurs territoires" in text
    assert (
        f'<a href="?territoire={world["dep"].slug}">Haute-Marne — Département</a>, '
        "code 52, département : Haute-Marne (52)"
    ) in text
    assert (
        f'<a href="?territoire={shared_code_52.slug}">Pays de la Loire — Région</a>, '
        "code 52, département : —"
    ) in text
    # Nothing to export until a territory is chosen.
    assert "Exporter en CSV" not in html
    # The candidate's link gives its pacts.
    chosen = client.get("/pactes/", {"territoire": world["dep"].slug}).content.decode()
    assert page_count(chosen) == 2


def test_ambiguous_territory_candidates_name_the_departement_of_a_commune(client, world):
    factories.TerritoryFactory(code="52121", name="Chaumont-bis", kind=TerritoryKind.OTHER)
    html = html_lib.unescape(client.get("/pactes/", {"territoire": "52121"}).content.decode())
    assert "Chaumont — Commune</a>, code 52121, département : Haute-Marne (52)" in html


def test_ambiguous_territory_csv_answers_400_naming_the_candidates(client, world, shared_code_52):
    response = client.get("/pactes/export.csv", {"territoire": "52"})
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert "« 52 » désigne plusieurs territoires" in text
    assert f"territoire={world['dep'].slug} (Haute-Marne, Département, code 52)" in text
    assert f"territoire={shared_code_52.slug} (Pays de la Loire, Région, code 52)" in text

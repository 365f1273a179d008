"""A visitor's journey through the public site, in Chromium: once with the mouse on a desktop,
once on a phone with the keyboard only. Both end with the CSV export of what is on screen."""

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from territories.models import Territory, TerritoryKind
from tests.browser.helpers import (
    assert_focus_visible,
    card_titles,
    is_focused,
    read_csv_download,
    tab_to,
)
from tests.conftest import make_signed_pact

pytestmark = pytest.mark.browser

CHAUMONT_POCE = "Pacte Offensive Croissance Emploi de la Communauté d'agglomération de Chaumont"
LANGRES_POCE = "Pacte Offensive Croissance Emploi du PETR du Pays de Langres"
LATER_PACT = "Contrat de ruralité du Bassin de Joinville"


@pytest.fixture
def later_pact(demo):
    """A third published pact in Haute-Marne, signed in 2021, so that the year filter has
    something to take away."""
    haute_marne = Territory.objects.get(kind=TerritoryKind.DEPARTEMENT, code="52")
    return make_signed_pact(
        title=LATER_PACT, territories=[haute_marne], date=datetime.date(2021, 3, 10)
    )


def assert_export_matches_screen(page: Page, rows: list[dict[str, str]]) -> None:
    on_screen = card_titles(page)
    assert sorted(row["titre"] for row in rows) == sorted(on_screen)
    count = int(page.locator(".result-count strong").inner_text())
    assert len(rows) == count == len(on_screen)


def test_visitor_finds_the_haute_marne_pacts_of_2019_and_exports_them(desktop, demo, later_pact):
    page = desktop
    page.goto(demo.url + "/")
    expect(page.locator("h1")).to_contain_text("Les pactes de la Région Grand Est")

    by_departement = page.get_by_role("region", name="Par département")
    by_departement.get_by_role("link", name="Haute-Marne (52)", exact=True).click()
    expect(page).to_have_url(re.compile(r"/pactes/\?departement=52$"))
    expect(page.locator(".result-count")).to_contain_text("3 résultats")
    titles = card_titles(page)
    assert any(t.startswith(CHAUMONT_POCE) for t in titles)
    assert LANGRES_POCE in titles and LATER_PACT in titles

    page.get_by_label("Année de signature").select_option("2019")
    page.get_by_role("button", name="Filtrer").click()
    expect(page).to_have_url(re.compile(r"annee=2019"))
    expect(page).to_have_url(re.compile(r"departement=52"))
    expect(page.locator(".result-count")).to_contain_text("2 résultats")
    expect(page.locator(".active-filters")).to_contain_text("Année de signature : 2019")
    assert LATER_PACT not in card_titles(page)

    page.locator(".card-title a", has_text="PETR du Pays de Langres").click()
    expect(page.locator("h1")).to_have_text(LANGRES_POCE)
    parties = page.get_by_role("region", name="Parties et signataires")
    signatory = parties.locator("td[data-label='Signé par'] a").first
    name = signatory.inner_text()
    signatory.click()
    expect(page).to_have_url(re.compile(r"/personnes/[\w-]+/$"))
    expect(page.locator("h1")).to_contain_text(name)
    expect(page.locator("main")).to_contain_text(LANGRES_POCE)

    page.go_back()
    expect(page.locator("h1")).to_have_text(LANGRES_POCE)
    page.go_back()
    expect(page.locator(".result-count")).to_contain_text("2 résultats")

    with page.expect_download() as download:
        page.get_by_role("link", name="Exporter en CSV").click()
    assert download.value.suggested_filename.endswith(".csv")
    rows = read_csv_download(download.value)
    assert_export_matches_screen(page, rows)
    assert {row["date_signature"] for row in rows} == {"2019-01-15"}


def operate_with_keyboard(page: Page, control) -> None:
    """Change a focused filter with the keyboard, check it changed, and put it back."""
    tag = control.evaluate("el => el.tagName.toLowerCase()")
    before = control.input_value()
    if tag == "select":
        count = control.evaluate("el => el.options.length")
        if count < 2:
            return
        last = control.evaluate("el => el.selectedIndex") == count - 1
        forward, back = ("ArrowUp", "ArrowDown") if last else ("ArrowDown", "ArrowUp")
        page.keyboard.press(forward)
        assert control.input_value() != before, f"{control} ne change pas au clavier"
        page.keyboard.press(back)
    else:
        page.keyboard.type("x")
        assert control.input_value() == before + "x"
        page.keyboard.press("Backspace")
    assert control.input_value() == before


def choose_with_keyboard(page: Page, select, value: str) -> None:
    for _ in range(select.evaluate("el => el.options.length")):
        if select.input_value() == value:
            return
        page.keyboard.press("ArrowDown")
    assert select.input_value() == value


def test_phone_visitor_does_the_same_with_the_keyboard_only(phone, demo, later_pact):
    page = phone
    page.goto(demo.url + "/")
    # The first Tab reaches the skip link, which must show up on screen.
    page.keyboard.press("Tab")
    skip = assert_focus_visible(page)
    assert skip["text"] == "Aller au contenu"
    assert page.locator(".skip-link").bounding_box()["y"] >= 0

    haute_marne = page.get_by_role("region", name="Par département").get_by_role(
        "link", name="Haute-Marne (52)", exact=True
    )
    tab_to(page, haute_marne)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"departement=52"))
    expect(page.locator(".result-count")).to_contain_text("3 résultats")

    # On a phone the filters wait behind their button, which Enter opens.
    filters_button = page.locator("details.filters summary")
    tab_to(page, filters_button)
    page.keyboard.press("Enter")
    # Every filter is reached by Tab, in order, shows its focus, and works from the keyboard.
    controls = page.locator(".filter-form").locator("input, select, button, a")
    for index in range(controls.count()):
        control = controls.nth(index)
        # Each one the very next Tab stop, the first right after the button.
        tab_to(page, control, limit=1)
        if control.evaluate("el => ['input', 'select'].includes(el.tagName.toLowerCase())"):
            operate_with_keyboard(page, control)

    year = page.get_by_label("Année de signature")
    page.keyboard.press("Shift+Tab")  # back from « Réinitialiser » to « Filtrer »
    while not is_focused(year):
        page.keyboard.press("Shift+Tab")
        assert_focus_visible(page)
    choose_with_keyboard(page, year, "2019")
    tab_to(page, page.get_by_role("button", name="Filtrer"))
    page.keyboard.press("Space")
    expect(page).to_have_url(re.compile(r"annee=2019"))
    expect(page.locator(".result-count")).to_contain_text("2 résultats")

    tab_to(page, page.locator(".card-title a", has_text="PETR du Pays de Langres"))
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(LANGRES_POCE)
    signatory = page.locator("td[data-label='Signé par'] a").first
    name = signatory.inner_text()
    tab_to(page, signatory)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text(name)

    page.go_back()
    expect(page.locator("h1")).to_have_text(LANGRES_POCE)
    page.go_back()
    expect(page.locator(".result-count")).to_contain_text("2 résultats")

    tab_to(page, page.get_by_role("link", name="Exporter en CSV"))
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    rows = read_csv_download(download.value)
    assert_export_matches_screen(page, rows)

"""Long lists in Chromium: numbered pages on a desktop and on a phone, the filter panel
folded behind « Filtres (n) » on a phone so the results come first, and axe on both."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.helpers import axe_violations, card_titles, is_focused, tab_to
from tests.conftest import make_signed_pact

pytestmark = pytest.mark.browser

MANY = 125  # pacts added to the demo's two: 7 pages of 20


@pytest.fixture
def many_pacts(demo):
    for n in range(MANY):
        make_signed_pact(title=f"Pacte numéro {n:03d}")
    return demo


def open_list(new_context, server, viewport, url, **context_args) -> Page:
    mobile = {"is_mobile": True, "has_touch": True} if viewport == PHONE else {}
    page = new_context(viewport=viewport, **mobile, **context_args).new_page()
    page.set_default_timeout(10_000)
    page.goto(server.url + url)
    return page


def pagination(page: Page):
    return page.get_by_role("navigation", name="Pagination")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["bureau", "telephone"])
def test_page_five_is_one_click_away_and_keeps_the_sort(new_context, many_pacts, viewport):
    page = open_list(new_context, many_pacts, viewport, "/pactes/?tri=titre")
    nav = pagination(page)
    expect(nav.locator("[aria-current='page']")).to_have_text("Page 1")
    expect(nav.locator(".pagination-range")).to_have_text(f"1–20 sur {MANY + 2}")
    first_titles = set(card_titles(page))
    five = nav.get_by_role("link", name="Page 5", exact=True)
    expect(five).to_be_visible()
    five.click()
    expect(page).to_have_url(re.compile(r"/pactes/\?tri=titre&page=5$"))
    expect(pagination(page).locator("[aria-current='page']")).to_have_text("Page 5")
    expect(pagination(page).locator(".pagination-range")).to_have_text(f"81–100 sur {MANY + 2}")
    expect(page.locator(".result-count")).to_contain_text("page 5 sur 7")
    # Twenty other pacts than on page 1.
    expect(page.locator(".cards .card")).to_have_count(20)
    assert not set(card_titles(page)) & first_titles
    # Nothing wider than the screen, on the phone either.
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    # Back to the first page with its link: the address of the list itself, sort kept.
    pagination(page).get_by_role("link", name="Page 1", exact=True).click()
    expect(page).to_have_url(re.compile(r"/pactes/\?tri=titre$"))


def test_on_a_phone_results_come_first_and_the_button_opens_the_filters(new_context, many_pacts):
    page = open_list(new_context, many_pacts, PHONE, "/pactes/?tri=titre&annee=2019")
    panel = page.locator("details.filters")
    button = panel.locator("summary")
    # What is read: « Filtres (2 actifs) »; what is seen: « Filtres (2) ».
    expect(button).to_have_text(re.compile(r"^Filtres \(2\s+actifs\s*\)$"), use_inner_text=True)
    expect(button.locator(".filters-label-narrow .visually-hidden")).to_have_text(" actifs")
    assert panel.evaluate("el => !el.open")
    expect(page.get_by_label("Année de signature")).to_be_hidden()
    # The first result sits above the fold of a 390×844 screen.
    first = page.locator(".cards .card").first
    assert first.bounding_box()["y"] + 40 < PHONE["height"], first.bounding_box()
    # Removing a filter stays one tap away without opening the panel.
    expect(page.locator(".active-filters .tag")).to_have_count(2)

    button.click()
    year = page.get_by_label("Année de signature")
    expect(year).to_be_visible()
    expect(year).to_have_value("2019")
    year.select_option("")
    page.get_by_role("button", name="Filtrer").click()
    expect(page).to_have_url(re.compile(r"tri=titre"))
    expect(page.locator("details.filters summary")).to_have_text(
        re.compile(r"^Filtres \(1\s+actif\s*\)$"), use_inner_text=True
    )
    # Results first again after filtering.
    expect(page.get_by_label("Année de signature")).to_be_hidden()


def test_on_a_phone_the_button_works_from_the_keyboard(new_context, many_pacts):
    page = open_list(new_context, many_pacts, PHONE, "/pactes/")
    button = page.locator("details.filters summary")
    expect(button).to_have_text("Filtres", use_inner_text=True)
    tab_to(page, button)
    page.keyboard.press("Enter")
    expect(page.locator("details.filters")).to_have_attribute("open", "")
    search = page.get_by_label("Recherche", exact=True)
    tab_to(page, search, limit=1)  # the very next stop after the button
    page.keyboard.type("numéro 12")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"q=num%C3%A9ro\+12"))
    expect(page.locator(".result-count")).to_contain_text("résultat")
    # Space on the button folds the panel again.
    button = page.locator("details.filters summary")
    button.focus()
    page.keyboard.press("Space")
    expect(page.locator("details.filters")).to_have_attribute("open", "")
    page.keyboard.press("Space")
    assert page.locator("details.filters").evaluate("el => !el.open")
    assert is_focused(button)


def test_on_a_desktop_the_filters_stay_open(new_context, many_pacts):
    page = open_list(new_context, many_pacts, DESKTOP, "/pactes/?annee=2019")
    expect(page.locator("details.filters")).to_have_attribute("open", "")
    expect(page.locator("details.filters summary")).to_have_text(
        "Filtrer la liste (1 filtre actif)", use_inner_text=True
    )
    expect(page.get_by_label("Année de signature")).to_be_visible()
    # Narrowing the window to a phone's width folds the panel, widening it opens it again.
    page.set_viewport_size(PHONE)
    expect(page.get_by_label("Année de signature")).to_be_hidden()
    page.set_viewport_size(DESKTOP)
    expect(page.get_by_label("Année de signature")).to_be_visible()


def test_without_javascript_a_phone_gets_the_filters_open(new_context, many_pacts):
    page = open_list(new_context, many_pacts, PHONE, "/pactes/", java_script_enabled=False)
    expect(page.get_by_label("Année de signature")).to_be_visible()
    page.get_by_label("Année de signature").select_option("2019")
    page.get_by_role("button", name="Filtrer").click()
    expect(page).to_have_url(re.compile(r"annee=2019"))
    pagination(page).get_by_role("link", name="Page 5", exact=True).click()
    expect(page).to_have_url(re.compile(r"annee=2019&.*page=5$"))


LISTS = ["/pactes/?tri=titre&page=4", "/signatures/?page=2", "/personnes/?page=2"]
LISTS += ["/territoires/", "/organismes/"]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["bureau", "telephone"])
def test_paginated_lists_have_no_serious_accessibility_violation(
    new_context, many_pacts, axe_source, viewport
):
    page = open_list(new_context, many_pacts, viewport, "/pactes/")
    violations = []
    for url in LISTS:
        page.goto(many_pacts.url + url)
        if url != "/territoires/" and url != "/organismes/":
            expect(pagination(page)).to_be_visible()
        violations += axe_violations(page, axe_source)
        if viewport == PHONE:  # and once more with the panel open
            page.locator("details.filters summary").click()
            expect(page.locator(".filter-form")).to_be_visible()
            violations += axe_violations(page, axe_source)
    assert not violations, "\n".join(str(v) for v in violations)

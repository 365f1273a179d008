"""The map of départements with the keyboard (docs/architecture.md, « Carte »): each
département is a link reached by Tab, named with its number of published pacts, leading to
its territory page; the same figures are in the table under it."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import tab_to

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_a_keyboard_user_reaches_haute_marne_on_the_map_and_opens_it(request, screen, demo):
    page = request.getfixturevalue(screen)
    page.goto(demo.url + "/")
    haute_marne = page.get_by_role("link", name="Haute-Marne (52) : 2 pactes publiés")
    expect(haute_marne).to_have_count(1)

    tab_to(page, haute_marne, limit=200)
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/territoires/haute-marne-52/$"))
    expect(page.locator("h1")).to_have_text("Haute-Marne")
    # Its own page shows it in colour among the others, and the same count in the table.
    page.locator(".map-table summary").click()
    row = page.locator(".map-table tbody tr", has_text="Haute-Marne (52)")
    expect(row.locator("td")).to_have_text("2")


def test_on_a_phone_the_map_fits_the_screen(phone, demo):
    phone.goto(demo.url + "/")
    box = phone.locator("svg.map-france").bounding_box()
    assert box is not None and box["width"] <= 390

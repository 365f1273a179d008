"""Past a few hundred bodies, the « organisme » field of the pact list suggests them as one
types (the limit is lowered here so that the demo's bodies exceed it)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import card_titles

pytestmark = pytest.mark.browser


def test_a_visitor_types_a_body_picks_the_suggestion_and_sees_its_pacts(desktop, demo, monkeypatch):
    monkeypatch.setattr("public.filters.fields.MAX_SELECT_OPTIONS", 3)
    page = desktop
    page.goto(demo.url + "/pactes/")

    field = page.get_by_role("combobox", name="Organisme signataire")
    field.press_sequentially("chaumont", delay=30)
    options = page.get_by_role("listbox", name="Organismes suggérés").get_by_role("option")
    expect(options.first).to_contain_text("Chaumont")
    options.first.click()

    expect(page).to_have_url(re.compile(r"organisme=[-a-z0-9]*chaumont"))
    expect(page.locator(".active-filters")).to_contain_text("Chaumont")
    titles = card_titles(page)
    assert titles and all("Chaumont" in title for title in titles)

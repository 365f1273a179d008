"""Facet counts in the browser: the number beside a choice is the number of pacts the page
shows once it is chosen (docs/architecture.md, « Facet counts »)."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_the_count_beside_each_theme_is_the_number_of_results_after_choosing_it(
    request, screen, demo
):
    page = request.getfixturevalue(screen)
    page.goto(demo.url + "/pactes/?annee=2019")
    themes = page.locator("select#id_theme option")
    labels = [
        text.strip() for text in themes.all_text_contents() if re.search(r"\(\d+\)\s*$", text)
    ]
    assert labels, "aucun thème compté"
    for label in labels:
        expected = int(re.search(r"\((\d+)\)$", label).group(1))
        page.goto(demo.url + "/pactes/?annee=2019")
        if screen == "phone":  # the filters wait behind their button
            page.locator("details.filters summary").click()
        page.get_by_label("Thème").select_option(label=label)
        page.get_by_role("button", name="Filtrer").click()
        expect(page.locator(".result-count")).to_contain_text(
            f"{expected} résultat" if expected else "0 résultat"
        )

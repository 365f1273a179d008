"""A signing's page in the browser: reached from the list of signings, readable and accessible
on a desktop window and on a phone screen."""

import os
from pathlib import Path

import pytest

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.helpers import axe_violations

pytestmark = pytest.mark.browser

URL = "/signatures/chaumont-2019-01-15/"


def test_visitor_opens_a_signing_from_the_list(desktop, demo):
    desktop.goto(demo.url + "/signatures/")
    desktop.get_by_role(
        "link",
        name="Pacte Offensive Croissance Emploi de la Communauté d'agglomération de Chaumont",
        exact=False,
    ).first.click()
    desktop.wait_for_url(demo.url + URL)
    heading = desktop.get_by_role("heading", level=1)
    assert heading.inner_text() == "Signature du 15 janvier 2019 à Chaumont"
    assert desktop.get_by_role("heading", name="En présence de").is_visible()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["bureau", "telephone"])
def test_signing_page_has_no_serious_accessibility_violation(
    new_context, demo, axe_source, viewport
):
    page = new_context(viewport=viewport).new_page()
    response = page.goto(demo.url + URL)
    assert response.status == 200
    assert page.locator("h1").count() == 1
    violations = axe_violations(page, axe_source)
    # WCAG 1.4.10 (reflow): nothing forces a sideways scroll on a 390 px wide screen.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, overflow
    assert not violations, "\n".join(str(v) for v in violations)
    if shots := os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=Path(shots) / f"signature-{viewport['width']}.png", full_page=True)

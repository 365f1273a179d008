"""Every kind of public page passes axe-core with no serious or critical violation, on a
desktop window and on a phone screen."""

import pytest

from pacts.models import Pact
from people.models import Person
from territories.models import Body, Territory, TerritoryKind
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.helpers import axe_violations

pytestmark = pytest.mark.browser


def public_pages() -> dict[str, str]:
    """One URL per kind of public page, on the demo data."""
    pact = Pact.objects.published().order_by("title").first()
    territory = Territory.objects.get(kind=TerritoryKind.DEPARTEMENT, code="52")
    body = Body.objects.get(name="Région Grand Est")
    person = Person.objects.get(last_name="Rottner")
    return {
        "accueil": "/",
        "pactes": "/pactes/",
        "pactes filtrés": "/pactes/?departement=52&annee=2019&tri=titre",
        "pactes sans résultat": "/pactes/?q=aucun-pacte-de-ce-nom",
        "pactes, code ambigu et paramètre inconnu": "/pactes/?territoire=44&inconnu=1",
        "pacte": pact.get_absolute_url(),
        "territoires": "/territoires/",
        "territoires filtrés": "/territoires/?q=chaumont",
        "territoire": territory.get_absolute_url(),
        "organismes": "/organismes/",
        "organismes filtrés": "/organismes/?q=region",
        "organisme": body.get_absolute_url(),
        "personnes": "/personnes/",
        "personnes filtrées": "/personnes/?q=rottner",
        "personne": person.get_absolute_url(),
        "signatures": "/signatures/",
        "signatures filtrées": "/signatures/?annee=2019",
        "recherche": "/recherche/?q=chaumont",
        "recherche sans mot": "/recherche/",
        "page introuvable": "/pactes/ce-pacte-n-existe-pas/",
        "mentions légales": "/mentions-legales/",
        "accessibilité": "/accessibilite/",
        "données personnelles": "/donnees-personnelles/",
        "données ouvertes": "/donnees/",
    }


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["bureau", "telephone"])
def test_public_pages_have_no_serious_accessibility_violation(
    new_context, demo, axe_source, viewport
):
    page = new_context(viewport=viewport).new_page()
    violations = []
    for label, url in public_pages().items():
        response = page.goto(demo.url + url)
        expected = 404 if label == "page introuvable" else 200
        assert response.status == expected, (label, url, response.status)
        assert page.locator("h1").count() == 1, (label, url)
        violations += axe_violations(page, axe_source)
        # WCAG 1.4.10 (reflow): nothing forces a sideways scroll on a 390 px wide screen.
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            violations.append({"page": url, "rule": "reflow", "overflow_px": overflow})
    assert not violations, "\n".join(str(v) for v in violations)

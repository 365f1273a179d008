"""Pacts imported from a spreadsheet in Chromium (docs/architecture.md, « Tableurs de
l'équipe »): a member of « Rédaction » uploads a file, reads the preview and its error, fixes
the file, confirms, and finds the new draft in the pact list."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from pacts.models import Pact
from staff.pact_import import HEADERS
from tests import factories
from tests.browser.helpers import axe_violations
from tests.browser.test_review import log_in, staff_member
from tests.factories import siren_with_key

pytestmark = pytest.mark.browser

TITLE = "Pacte de l'agglomération de Chaumont"


def csv_file(path, siren: str):
    row = {
        "titre": TITLE,
        "programme": "POCE",
        "territoires": "52121",
        "organismes_signataires": siren,
        "date_signature": "2019-01-15",
        "commune_signature": "Chaumont",
        "lieu_signature": "Pépinière d'entreprises Plein'Est",
        "signataires": "Christine Guillemy",
    }
    lines = [";".join(HEADERS), ";".join(row.get(h, "") for h in HEADERS)]
    path.write_text("\ufeff" + "\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def test_a_spreadsheet_is_previewed_then_imported_as_a_draft(
    live_server, new_context, tmp_path, axe_source
):
    factories.ProgrammeFactory()
    factories.TerritoryFactory(code="52121", name="Chaumont")
    mandate = factories.MandateFactory(
        person=factories.PersonFactory(first_name="Christine", last_name="Guillemy"),
        body=factories.BodyFactory(name="CA de Chaumont"),
    )
    staff_member("claire.redaction", "Rédaction")
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(10_000)
    log_in(page, live_server.url + reverse("admin:pacts_pact_changelist"), "claire.redaction")

    page.get_by_role("link", name="Importer", exact=True).click()
    expect(page.get_by_role("link", name="modèle Excel (.xlsx)")).to_be_visible()
    wrong = csv_file(tmp_path / "saison.csv", siren_with_key(99999999))
    page.get_by_label("Fichier (CSV ou Excel .xlsx)").set_input_files(wrong)
    page.get_by_role("button", name="Voir l'aperçu").click()

    expect(page.locator("#import-summary")).to_have_text(
        "1 ligne : 0 à créer, 0 à modifier, 0 inchangée, 1 en erreur."
    )
    expect(page.locator("#import-errors tbody tr")).to_contain_text("SIREN inconnu")
    expect(page.get_by_role("button", name="Confirmer l'import")).to_have_count(0)
    # Django's own breadcrumbs (links told apart by colour only) are on every admin page.
    ours = [
        v
        for v in axe_violations(page, axe_source)
        if not all(target[0].startswith(".breadcrumbs") for target in v["targets"])
    ]
    assert ours == []

    fixed = csv_file(tmp_path / "saison-corrigee.csv", mandate.body.siren)
    page.get_by_label("Fichier (CSV ou Excel .xlsx)").set_input_files(fixed)
    page.get_by_role("button", name="Voir l'aperçu").click()
    expect(page.locator("#import-summary")).to_have_text(
        "1 ligne : 1 à créer, 0 à modifier, 0 inchangée, 0 en erreur."
    )
    row = page.locator("#import-rows tbody tr")
    expect(row).to_contain_text(TITLE)
    expect(row).to_contain_text("signature : 15/01/2019, Chaumont (52121), Pépinière")
    expect(row).to_contain_text("signé par : Christine Guillemy")
    assert not Pact.objects.exists()
    page.get_by_role("button", name="Confirmer l'import").click()

    expect(page.locator(".messagelist .success")).to_contain_text(
        "1 pacte créé, 0 modifié, 0 inchangé. Les pactes créés sont des brouillons"
    )
    expect(page.locator("#result_list")).to_contain_text(TITLE)
    pact = Pact.objects.get()
    assert not pact.published
    assert pact.parties.get().mandate == mandate

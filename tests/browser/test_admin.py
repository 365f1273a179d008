"""A member of staff enters a whole pact in the admin, in Chromium, through the autocompletes:
the pact, its signing event with two people present and two parties signing at it, in one
save; meets the French error of a mandate that does not fit, fixes it, publishes, and finds
the pact on the public site."""

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import STAFF_PASSWORD, STAFF_USERNAME

pytestmark = pytest.mark.browser

TITLE = "Pacte Offensive Croissance Emploi de la Communauté de communes Meuse-Rognon"
STATEMENT = "Ce pacte engage la Région aux côtés de Meuse-Rognon pour l'emploi industriel."


def autocomplete(page: Page, select_id: str, search: str, option: str | None = None) -> None:
    """Pick `option` (default: `search`) in the select2 autocomplete of `<select id=...>`."""
    page.locator(f"select#{select_id} + .select2").click()
    page.locator(".select2-container--open .select2-search__field").press_sequentially(search)
    choice = page.locator(
        ".select2-container--open .select2-results__option:not(.loading-results)",
        has_text=option or search,
    ).first
    choice.click()
    expect(page.locator(f"select#{select_id}")).to_contain_text(option or search)


def offered(page: Page, select_id: str, search: str) -> list[str]:
    """The options the autocomplete of `<select id=...>` offers for `search`, then closed."""
    page.locator(f"select#{select_id} + .select2").click()
    page.locator(".select2-container--open .select2-search__field").press_sequentially(search)
    options = page.locator(".select2-container--open .select2-results__option")
    expect(options.first).not_to_have_class(re.compile("loading-results"))
    texts = options.all_inner_texts()
    page.keyboard.press("Escape")
    return texts


def add_inline_row(page: Page, prefix: str) -> str:
    """Click « Ajouter un objet … supplémentaire » under inline `prefix`; the new row's prefix."""
    group = page.locator(f"#{prefix}-group")
    index = group.locator(f"tr.form-row.dynamic-{prefix}, tr.form-row.has_original").count()
    group.locator(".add-row a").click()
    row = f"{prefix}-{index}"
    expect(page.locator(f"#{row}")).to_be_visible()
    return row


def save(page: Page, button: str = "_continue") -> None:
    page.locator(f"input[name='{button}']").click()
    page.wait_for_load_state()


def success_message(page: Page) -> Locator:
    return page.locator(".messagelist .success")


def test_staff_enters_a_pact_fixes_a_mandate_publishes_and_finds_it_online(
    desktop, demo, staff_user
):
    page = desktop
    page.goto(demo.url + "/admin/")
    expect(page).to_have_url(re.compile(r"/admin/login/"))
    page.get_by_label("Nom d’utilisateur").fill(STAFF_USERNAME)
    page.get_by_label("Mot de passe").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    expect(page.locator("#content h1")).to_have_text("Saisie et suivi des pactes")

    # The pact, its signing event with the people present, and the two parties signing at
    # that event: one page, one save. The Région's signatory is first given a mandate held
    # elsewhere.
    page.locator("#pacts-pact").get_by_role("link", name="Pactes").click()
    page.locator(".object-tools a.addlink").click()
    expect(page.locator("#content h1")).to_contain_text("Ajout")
    page.select_option("#id_programme", index=1)
    page.fill("#id_title", TITLE)
    page.select_option("#id_status", label="Signé")
    autocomplete(page, "id_territories", "Meuse", "CC Meuse Rognon")
    autocomplete(page, "id_themes", "Emploi")
    event = add_inline_row(page, "signing_events")
    page.fill(f"#id_{event}-date", "20/06/2019")
    autocomplete(page, f"id_{event}-commune", "Langres")
    page.fill(f"#id_{event}-venue", "Hôtel de ville de Langres")
    for search, option in (("Fabre", "Frédéric Fabre"), ("Merabet", "Lilla Merabet")):
        autocomplete(page, f"id_{event}-attendees", search, option)
    new_event = "1re signature ajoutée sur cette page"
    region = add_inline_row(page, "parties")
    page.select_option(f"#id_{region}-role", label="Signataire")
    page.select_option(f"#id_{region}-signing_event_choice", label=new_event)
    # Chosen before the body, the mandate autocomplete cannot narrow its choices yet.
    autocomplete(page, f"id_{region}-mandate", "Guillemy", "CA de Chaumont")
    autocomplete(page, f"id_{region}-body", "Région Grand Est")
    local = add_inline_row(page, "parties")
    autocomplete(page, f"id_{local}-body", "Meuse-Rognon")
    page.select_option(f"#id_{local}-role", label="Signataire")
    page.select_option(f"#id_{local}-signing_event_choice", label=new_event)
    autocomplete(page, f"id_{local}-mandate", "Guy", "Meuse-Rognon")
    save(page)
    expect(page.locator(".errornote")).to_contain_text("Corrigez")
    expect(page.locator(".errorlist")).to_have_count(1)
    error = page.locator(f"#id_{region}-mandate_error")
    expect(error).to_contain_text(
        "Ce mandat est exercé au sein de « CA de Chaumont », pas de « Région Grand Est »."
    )

    # Nothing was saved; the page kept everything typed. With the body chosen, the mandate
    # autocomplete offers the Région's mandates held on the day only.
    assert not any("CA de Chaumont" in o for o in offered(page, f"id_{region}-mandate", "Guillemy"))
    autocomplete(page, f"id_{region}-mandate", "Rottner", "Région Grand Est")
    save(page)
    expect(success_message(page)).to_contain_text("a été ajouté avec succès")
    expect(page.locator(".errorlist")).to_have_count(0)
    expect(page.locator(f"#id_{region}-signing_event_choice")).to_contain_text("20/06/2019")

    # The declaration, on the signing event's own page, with the attendees entered above.
    page.locator("#signing_events-0 a.inlinechangelink").click()
    expect(page.locator("#content h1")).to_contain_text("Modification")
    expect(page.locator("#attendances-group")).to_contain_text("Frédéric Fabre")
    expect(page.locator("#attendances-group")).to_contain_text("Lilla Merabet")
    statement = add_inline_row(page, "statements")
    autocomplete(page, f"id_{statement}-person", "Rottner", "Jean Rottner")
    page.fill(f"#id_{statement}-text", STATEMENT)
    save(page, "_save")
    expect(success_message(page)).to_contain_text("a été modifié avec succès")

    # Not public yet; published from the list of pacts.
    response = page.goto(demo.url + "/pactes/?q=meuse-rognon+langres")
    assert response.status == 200
    expect(page.locator(".result-count")).to_contain_text("0 résultat")
    page.goto(demo.url + "/admin/pacts/pact/")
    page.locator("#result_list tr", has_text=TITLE).locator("input.action-select").check()
    page.select_option("select[name='action']", "publish")
    page.locator("button[name='index']").click()
    expect(success_message(page)).to_contain_text("1 pacte publié.")

    page.goto(demo.url + "/")
    # The home page's own box (the header has the site-wide one too); it opens /recherche/.
    search = page.locator("main").get_by_role("search")
    search.get_by_label(re.compile("Rechercher")).fill("Meuse-Rognon")
    search.get_by_role("button", name="Rechercher").click()
    page.locator(".card-title a", has_text=TITLE).click()
    expect(page.locator("h1")).to_have_text(TITLE)
    main = page.locator("main")
    expect(main).to_contain_text("Jean Rottner")
    expect(main).to_contain_text("Bernard Guy")
    expect(main).to_contain_text("20 juin 2019")
    expect(main).to_contain_text("Hôtel de ville de Langres")
    expect(main.locator(".people")).to_contain_text("Frédéric Fabre")
    expect(main.locator(".people")).to_contain_text("Lilla Merabet")
    expect(main.locator(".quote")).to_contain_text(STATEMENT)

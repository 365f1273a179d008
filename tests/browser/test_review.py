"""Publication review in Chromium (docs/architecture.md, « Relecture »): a member of
« Rédaction » changes a published pact's title and its signing's venue; visitors keep reading
the public version until a member of « Publication » has seen each difference and approved it.
"""

import os
from importlib import import_module

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse
from playwright.sync_api import Locator, Page, expect

from tests.conftest import make_signed_pact

pytestmark = pytest.mark.browser

OLD_TITLE = "Pacte Offensive Croissance Emploi du Pays de Langres"
NEW_TITLE = "Pacte Offensive Croissance Emploi du PETR du Pays de Langres"
OLD_VENUE = "Salle des fêtes de Langres"
NEW_VENUE = "Pépinière d'entreprises Plein'Est"
PASSWORD = "motdepasse-de-test-2019"
# Set (e.g. to /tmp/review.png) to keep a full-page picture of a proposal as a publisher sees it.
SCREENSHOT = os.environ.get("REVIEW_SCREENSHOT")


def staff_group(name: str) -> Group:
    """The group `name` with the permissions its migrations give it (pacts 0004 and 0006).

    Every live-server test empties the tables after it; Django then recreates content types
    and permissions but not the groups a data migration made, so a group missing here is
    rebuilt from those migrations' own lists.
    """
    group, created = Group.objects.get_or_create(name=name)
    if created:
        roles = import_module("pacts.migrations.0004_staff_groups").ROLES[name]
        review = import_module("pacts.migrations.0006_proposed_change").ROLES[name]
        codenames = [*roles, *(("pacts", codename) for codename in review)]
        group.permissions.set(
            [
                Permission.objects.get(content_type__app_label=app, codename=codename)
                for app, codename in codenames
            ]
        )
    return group


def staff_member(username: str, group: str) -> User:
    user = User.objects.create_user(username, f"{username}@example.fr", PASSWORD, is_staff=True)
    user.groups.add(staff_group(group))
    return user


def log_in(page: Page, url: str, username: str) -> None:
    """Open the admin page `url` through the admin's login form."""
    page.goto(url)
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    expect(page.locator("#user-tools")).to_contain_text(username, ignore_case=True)


def difference(page: Page, field: str) -> Locator:
    """The row of the differences table for the field labelled `field`."""
    return page.locator("#differences tbody tr").filter(
        has=page.get_by_role("cell", name=field, exact=True)
    )


def expect_public_page(open_page, url: str, title: str, venue: str) -> Page:
    """What a visitor reads on `url` in a new window: the browser keeps public pages for
    60 s (`Cache-Control: max-age=60`), so only a new one shows what the site serves now."""
    page = open_page()
    page.goto(url)
    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator("article.event")).to_contain_text(f"Lieu : {venue}")
    return page


@pytest.fixture
def pages(live_server, new_context):
    """A fresh window (own cookies) on the live server for each person, at desktop size."""

    def open_page() -> Page:
        page = new_context(viewport={"width": 1280, "height": 900}).new_page()
        page.set_default_timeout(10_000)
        return page

    return open_page


def test_a_redaction_change_reaches_the_public_page_only_once_a_publisher_approved_it(
    live_server, pages
):
    pact = make_signed_pact(title=OLD_TITLE)
    event = pact.signing_events.get()
    event.venue = OLD_VENUE
    event.save()
    staff_member("claire.redaction", "Rédaction")
    staff_member("paul.publication", "Publication")
    public_url = live_server.url + pact.get_absolute_url()

    expect_public_page(pages, public_url, OLD_TITLE, OLD_VENUE)

    # Rédaction: both changes pass the forms' checks and are kept as proposals.
    writer = pages()
    log_in(
        writer,
        live_server.url + reverse("admin:pacts_pact_change", args=[pact.pk]),
        "claire.redaction",
    )
    expect(writer.locator("#id_title")).to_have_value(OLD_TITLE)
    writer.locator("#id_title").fill(NEW_TITLE)
    writer.locator("input[name='_save']").click()
    expect(writer.locator("#content h1")).to_have_text(f"Modification proposée : {OLD_TITLE}")
    expect(writer.locator(".messagelist .success")).to_contain_text(
        f"Votre modification de « {OLD_TITLE} » attend la validation d'un membre de "
        f"Publication : la page publique de « {OLD_TITLE} » reste inchangée d'ici là."
    )
    expect(difference(writer, "Titre").locator("ins")).to_have_text(NEW_TITLE)
    expect(writer.get_by_role("button", name="Approuver et publier")).to_have_count(0)

    writer.goto(live_server.url + reverse("admin:pacts_signingevent_change", args=[event.pk]))
    expect(writer.locator("#id_venue")).to_have_value(OLD_VENUE)
    writer.locator("#id_venue").fill(NEW_VENUE)
    writer.locator("input[name='_save']").click()
    expect(writer.locator("#content h1")).to_have_text(f"Modification proposée : {event}")
    expect(writer.locator(".messagelist .success")).to_contain_text(
        "attend la validation d'un membre de Publication"
    )

    visitor = expect_public_page(pages, public_url, OLD_TITLE, OLD_VENUE)
    expect(visitor.locator("main")).not_to_contain_text(NEW_TITLE)
    expect(visitor.locator("main")).not_to_contain_text(NEW_VENUE)

    # Publication: the list opens on what awaits, each proposal shows its difference.
    publisher = pages()
    log_in(
        publisher,
        live_server.url + reverse("admin:pacts_proposedchange_changelist"),
        "paul.publication",
    )
    expect(publisher.locator("#content h1")).to_have_text("Modifications proposées")
    listing = publisher.locator("#result_list tbody")
    expect(listing.locator("tr")).to_have_count(2)
    expect(listing.locator("tr", has_text=str(event))).to_contain_text("En attente")
    expect(listing.get_by_role("link", name=OLD_TITLE, exact=True)).to_be_visible()

    # In the list's order, newest first: the venue, then the title. The pact's form also
    # carried the signing, unchanged: approving the venue first does not make it stale.
    listing.get_by_role("link", name=str(event), exact=True).click()
    expect(publisher.locator("#differences tbody tr")).to_have_count(1)
    venue = difference(publisher, "Lieu")
    expect(venue.locator("del")).to_have_text(OLD_VENUE)
    expect(venue.locator("ins")).to_have_text(NEW_VENUE)
    publisher.get_by_role("button", name="Approuver et publier").click()
    expect(publisher.locator(".messagelist")).to_have_text(f"Modification de « {event} » publiée.")
    expect(listing.locator("tr")).to_have_count(1)

    listing.get_by_role("link", name=OLD_TITLE, exact=True).click()
    expect(publisher.locator("#content h1")).to_have_text(f"Modification proposée : {OLD_TITLE}")
    expect(publisher.locator("#content-main")).to_contain_text("Proposée par claire.redaction")
    expect(publisher.locator("#differences tbody tr")).to_have_count(1)
    title = difference(publisher, "Titre")
    expect(title.locator("th")).to_contain_text("(modification)")
    expect(title.locator("del")).to_have_text(OLD_TITLE)
    expect(title.locator("ins")).to_have_text(NEW_TITLE)
    if SCREENSHOT:
        publisher.screenshot(path=SCREENSHOT, full_page=True)
    publisher.get_by_role("button", name="Approuver et publier").click()
    expect(publisher.locator(".messagelist")).to_have_text(
        f"Modification de « {OLD_TITLE} » publiée."
    )
    expect(listing.get_by_role("link")).to_have_count(0)

    # The same address, opened now, shows the approved version.
    visitor = expect_public_page(pages, public_url, NEW_TITLE, NEW_VENUE)
    expect(visitor.locator("main")).not_to_contain_text(OLD_VENUE)

"""Staff roles, proved through the admin itself.

« Rédaction » enters and edits but cannot delete nor publish; « Publication » also publishes,
unpublishes and deletes. Neither manages users: that, and reference-data imports, belong to
superusers. The groups are created by a data migration (pacts/migrations/0004_staff_groups).
"""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse

from pacts.models import Pact, PactStatus
from tests.factories import PactFactory, ProgrammeFactory, TerritoryFactory
from tests.pacts.test_admin import AdminPage, admin_url
from tests.test_history import history_form_data

pytestmark = pytest.mark.django_db

PUBLISH_ACTION = "Publier les pactes sélectionnés"


def staff_client(client, group_name: str):
    user = User.objects.create_user(f"agent-{group_name}", is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    client.force_login(user)
    return client


@pytest.fixture
def redaction(client):
    return staff_client(client, "Rédaction")


@pytest.fixture
def publication(client):
    return staff_client(client, "Publication")


def run_action(client, action, pacts):
    return client.post(
        admin_url(Pact, "changelist"),
        {"action": action, "_selected_action": [p.pk for p in pacts]},
        follow=True,
    )


def test_both_groups_exist_and_neither_holds_any_user_management_right():
    for name in ("Rédaction", "Publication"):
        group = Group.objects.get(name=name)
        assert not group.permissions.filter(content_type__app_label="auth").exists()
    publish = Permission.objects.get(codename="publish_pact")
    assert publish.name == "Peut publier un pacte"
    assert not Group.objects.get(name="Rédaction").permissions.filter(pk=publish.pk).exists()
    assert Group.objects.get(name="Publication").permissions.filter(pk=publish.pk).exists()


def test_redaction_adds_a_pact_which_stays_unpublished(redaction):
    programme = ProgrammeFactory()
    commune = TerritoryFactory(name="Chaumont", code="52121")
    page = AdminPage(redaction.get(admin_url(Pact, "add")))
    page.data.update(
        programme=programme.pk,
        title="POCE saisi par la rédaction",
        status=PactStatus.SIGNED,
        territories=[commune.pk],
        published="on",  # forged: the form has no such field for them
    )

    response = redaction.post(admin_url(Pact, "add"), page.data)

    assert response.status_code == 302, response.context["errors"]
    pact = Pact.objects.get(title="POCE saisi par la rédaction")
    assert pact.published is False
    assert list(pact.territories.all()) == [commune]


def test_redaction_changes_a_pact_but_cannot_set_published(redaction):
    pact = PactFactory(title="POCE brouillon", published=False)
    url = admin_url(Pact, "change", pact.pk)
    response = redaction.get(url)
    assert "published" not in response.context["adminform"].form.fields
    page = AdminPage(response)
    page.data.update(title="POCE relu", published="on")

    assert redaction.post(url, page.data).status_code == 302

    pact.refresh_from_db()
    assert (pact.title, pact.published) == ("POCE relu", False)


def test_redaction_cannot_republish_by_restoring_a_published_version(redaction):
    pact = PactFactory(published=True)
    published_version = pact.history.latest()
    pact.published = False
    pact.save()

    url = reverse("admin:pacts_pact_simple_history", args=[pact.pk, published_version.history_id])
    response = redaction.post(url, history_form_data(redaction.get(url)))

    assert response.status_code == 302
    pact.refresh_from_db()
    assert pact.published is False


def test_redaction_is_refused_deletion(redaction):
    pact = PactFactory()

    assert redaction.get(admin_url(Pact, "delete", pact.pk)).status_code == 403
    assert redaction.post(admin_url(Pact, "delete", pact.pk), {"post": "yes"}).status_code == 403
    assert Pact.objects.filter(pk=pact.pk).exists()


def test_redaction_is_not_offered_publishing_and_a_forged_action_does_nothing(redaction):
    draft = PactFactory(published=False)

    changelist = redaction.get(admin_url(Pact, "changelist")).content.decode()
    assert PUBLISH_ACTION not in changelist
    run_action(redaction, "publish", [draft])

    draft.refresh_from_db()
    assert draft.published is False


def test_publication_publishes_and_unpublishes(publication):
    draft, live = PactFactory(published=False), PactFactory(published=True)

    assert PUBLISH_ACTION in publication.get(admin_url(Pact, "changelist")).content.decode()
    assert "1 pacte publié." in run_action(publication, "publish", [draft]).content.decode()
    assert "1 pacte dépublié." in run_action(publication, "unpublish", [live]).content.decode()

    draft.refresh_from_db()
    live.refresh_from_db()
    assert (draft.published, live.published) == (True, False)


def test_publication_sets_published_in_the_form(publication):
    pact = PactFactory(published=False)
    url = admin_url(Pact, "change", pact.pk)
    page = AdminPage(publication.get(url))
    page.data["published"] = "on"

    assert publication.post(url, page.data).status_code == 302

    pact.refresh_from_db()
    assert pact.published is True


def test_publication_deletes_a_pact(publication):
    pact = PactFactory()

    response = publication.post(admin_url(Pact, "delete", pact.pk), {"post": "yes"})

    assert response.status_code == 302
    assert not Pact.objects.filter(pk=pact.pk).exists()


@pytest.mark.parametrize("group_name", ["Rédaction", "Publication"])
def test_neither_role_manages_users_or_groups(client, group_name):
    staff = staff_client(client, group_name)

    assert staff.get("/admin/auth/user/").status_code == 403
    assert staff.get("/admin/auth/group/").status_code == 403
    assert "/admin/auth/" not in staff.get("/admin/").content.decode()


@pytest.mark.parametrize("group_name", ["Rédaction", "Publication"])
def test_reference_territories_are_read_only_for_both_roles(client, group_name):
    staff = staff_client(client, group_name)
    territory = TerritoryFactory()

    assert staff.get(admin_url(territory, "changelist")).status_code == 200
    assert staff.get(admin_url(territory, "add")).status_code == 403
    response = staff.post(admin_url(territory, "change", territory.pk), {"name": "Renommé"})
    assert response.status_code == 403


def test_redaction_uses_the_autocompletes_of_the_pact_page(redaction):
    TerritoryFactory(name="Chaumont", code="52121")

    response = redaction.get(
        "/admin/autocomplete/",
        {"app_label": "pacts", "model_name": "pact", "field_name": "territories", "term": "chau"},
    )

    assert response.status_code == 200
    assert [row["text"] for row in response.json()["results"]] == ["Chaumont — Commune · 52121"]

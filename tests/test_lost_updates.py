"""Two members of staff with forms open on the same rows: the second save must not silently
undo the first (a lost update). Forms opened before a change are refused in French."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from pacts.models import Pact, SigningEvent
from tests import factories
from tests.conftest import make_signed_pact

pytestmark = pytest.mark.django_db


def page_data(response) -> dict:
    """What the browser would send back from the admin page, unchanged."""
    data = {}

    def add(form):
        for bound in form:
            value = bound.value()
            if value is None or value is False:
                continue
            if value is True:
                value = "on"
            elif isinstance(value, list | tuple):
                value = [str(v) for v in value]
            elif isinstance(value, datetime.date):
                value = value.isoformat()
            data[bound.html_name] = value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form)
        for form in formset.forms:
            add(form)
    return data


@pytest.fixture
def two_editors():
    users = [
        get_user_model().objects.create_superuser(name, f"{name}@example.fr", "pw-long-enough-1")
        for name in ("alice", "bruno")
    ]
    clients = []
    for user in users:
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


def test_a_pact_form_opened_before_another_save_is_refused_and_keeps_both(two_editors):
    alice, bruno = two_editors
    pact = make_signed_pact(title="Pacte de Chaumont", summary="Résumé d'origine")
    url = reverse("admin:pacts_pact_change", args=[pact.pk])
    alice_form = page_data(alice.get(url))
    bruno_form = page_data(bruno.get(url))

    alice_form["summary"] = "Résumé d'Alice"
    assert alice.post(url, alice_form).status_code == 302
    bruno_form["title"] = "Pacte de Chaumont (titre de Bruno)"
    response = bruno.post(url, bruno_form)

    assert response.status_code == 200
    page = response.content.decode()
    assert "a été modifié par alice le" in page
    # What Bruno typed is still in the form for him to carry over.
    assert "Pacte de Chaumont (titre de Bruno)" in page
    pact.refresh_from_db()
    assert (pact.title, pact.summary) == ("Pacte de Chaumont", "Résumé d'Alice")


def test_a_stale_event_inline_does_not_move_the_date_back(two_editors):
    alice, bruno = two_editors
    pact = make_signed_pact(title="Pacte de Langres", date=datetime.date(2019, 1, 15))
    event = pact.signing_events.get()
    pact_url = reverse("admin:pacts_pact_change", args=[pact.pk])
    event_url = reverse("admin:pacts_signingevent_change", args=[event.pk])
    bruno_form = page_data(bruno.get(pact_url))
    alice_form = page_data(alice.get(event_url))

    alice_form["date"] = "2019-02-01"
    assert alice.post(event_url, alice_form).status_code == 302
    bruno_form["summary"] = "Un autre changement, sans rapport"
    response = bruno.post(pact_url, bruno_form)

    assert response.status_code == 200
    assert "a été modifié par alice" in response.content.decode()
    assert SigningEvent.objects.get(pk=event.pk).date == datetime.date(2019, 2, 1)
    assert Pact.objects.get(pk=pact.pk).summary != "Un autre changement, sans rapport"


def test_a_form_saved_twice_by_the_same_person_in_turn_is_accepted(two_editors):
    alice, _ = two_editors
    pact = make_signed_pact(title="Pacte de Joinville")
    url = reverse("admin:pacts_pact_change", args=[pact.pk])

    first = page_data(alice.get(url))
    first["summary"] = "Premier"
    assert alice.post(url, first).status_code == 302
    second = page_data(alice.get(url))
    second["summary"] = "Second"

    assert alice.post(url, second).status_code == 302
    assert Pact.objects.get(pk=pact.pk).summary == "Second"


def test_a_stale_source_form_is_refused(two_editors):
    alice, bruno = two_editors
    source = factories.SourceFactory(title="Communiqué du 15 janvier 2019")
    url = reverse("admin:pacts_source_change", args=[source.pk])
    alice_form, bruno_form = page_data(alice.get(url)), page_data(bruno.get(url))

    alice_form["title"] = "Communiqué de presse du 15 janvier 2019"
    assert alice.post(url, alice_form).status_code == 302
    bruno_form["url"] = "https://www.grandest.fr/communique"
    response = bruno.post(url, bruno_form)

    assert response.status_code == 200
    assert "a été modifié par alice" in response.content.decode()
    source.refresh_from_db()
    assert (source.title, source.url) == ("Communiqué de presse du 15 janvier 2019", "")

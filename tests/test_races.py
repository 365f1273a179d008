"""Two members of staff posting at the same instant, each on their own PostgreSQL connection:
the rules that span several rows (a signatory's or attendee's mandate held on the event's
date) and the refusal of stale forms hold, whoever's transaction runs first
(docs/architecture.md, « Admin », « No lost update »)."""

import datetime
import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse

from pacts.models import Attendance, PactParty, SigningEvent
from tests import factories
from tests.conftest import make_signed_pact
from tests.test_lost_updates import page_data

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="connexions concurrentes : PostgreSQL"
    ),
]

TRIALS = 4
SIGNED_ON = datetime.date(2019, 1, 15)
MOVED_TO = "2019-06-01"
# Held on the signing date, ended before the date the event is moved to.
MANDATE_END = datetime.date(2019, 3, 1)


def editors(trial: int) -> list[Client]:
    clients = []
    for name in ("alice", "bruno"):
        user = get_user_model().objects.create_superuser(
            f"{name}{trial}", f"{name}{trial}@example.fr", "pw-long-enough-1"
        )
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


def at_once(*posts) -> list[int]:
    """Run each `(client, url, data)` POST in its own thread (its own connection), all
    released together; their status codes."""
    start = threading.Barrier(len(posts))
    statuses = [None] * len(posts)

    def run(index, client, url, data):
        try:
            start.wait()
            statuses[index] = client.post(url, data).status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, *post)) for i, post in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses


def moved_event_and_ended_mandate(trial: int):
    pact = make_signed_pact(title=f"Pacte {trial}", date=SIGNED_ON)
    event = pact.signing_events.get()
    mandate = factories.MandateFactory(start_date=datetime.date(2014, 1, 1), end_date=MANDATE_END)
    return pact, event, mandate


def add_row(data: dict, prefix: str, **fields) -> None:
    """Append a row to the inline `prefix` of a page's data, as « Ajouter » does."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    data.update({f"{prefix}-{index}-{name}": value for name, value in fields.items()})


def no_mandate_out_of_its_event_date() -> None:
    for party in PactParty.objects.filter(signing_event__isnull=False, mandate__isnull=False):
        assert party.mandate.is_active_on(party.signing_event.date), party
    for attendance in Attendance.objects.filter(mandate__isnull=False):
        assert attendance.mandate.is_active_on(attendance.event.date), attendance


@pytest.mark.parametrize("trial", range(TRIALS))
def test_moving_an_event_and_adding_a_signatory_at_once_never_both_pass(trial):
    alice, bruno = editors(trial)
    pact, event, mandate = moved_event_and_ended_mandate(trial)
    event_url = reverse("admin:pacts_signingevent_change", args=[event.pk])
    pact_url = reverse("admin:pacts_pact_change", args=[pact.pk])
    move = page_data(alice.get(event_url))
    move["date"] = MOVED_TO
    sign = page_data(bruno.get(pact_url))
    add_row(
        sign,
        "parties",
        body=mandate.body_id,
        role="signataire",
        mandate=mandate.pk,
        signing_event_choice=event.pk,
        order=0,
    )

    statuses = at_once((alice, event_url, move), (bruno, pact_url, sign))

    assert sorted(statuses) == [200, 302]  # one saved, the other refused with its form
    no_mandate_out_of_its_event_date()


@pytest.mark.parametrize("trial", range(TRIALS))
def test_moving_an_event_and_adding_an_attendee_at_once_never_both_pass(trial):
    alice, bruno = editors(trial)
    pact, event, mandate = moved_event_and_ended_mandate(trial)
    pact_url = reverse("admin:pacts_pact_change", args=[pact.pk])
    event_url = reverse("admin:pacts_signingevent_change", args=[event.pk])
    move = page_data(alice.get(pact_url))
    move["signing_events-0-date"] = MOVED_TO
    attend = page_data(bruno.get(event_url))
    add_row(attend, "attendances", person=mandate.person_id, mandate=mandate.pk)

    statuses = at_once((alice, pact_url, move), (bruno, event_url, attend))

    assert sorted(statuses) == [200, 302]
    no_mandate_out_of_its_event_date()


@pytest.mark.parametrize("trial", range(TRIALS))
def test_two_saves_of_the_same_pact_at_once_keep_one_and_refuse_the_other(trial):
    alice, bruno = editors(trial)
    pact = make_signed_pact(title="Pacte", summary="Résumé d'origine")
    url = reverse("admin:pacts_pact_change", args=[pact.pk])
    alice_form, bruno_form = page_data(alice.get(url)), page_data(bruno.get(url))
    alice_form["summary"] = "Résumé d'Alice"
    bruno_form["title"] = "Titre de Bruno"

    statuses = at_once((alice, url, alice_form), (bruno, url, bruno_form))

    assert sorted(statuses) == [200, 302]
    pact.refresh_from_db()
    assert (pact.title, pact.summary) in {
        ("Pacte", "Résumé d'Alice"),
        ("Titre de Bruno", "Résumé d'origine"),
    }
    assert SigningEvent.objects.filter(pact=pact).count() == 1

"""One-pass entry: a pact, its signing event, the parties signing at it and the people present
saved by one submission of the pact's admin page; mandate choices that fit the row."""

import datetime

import pytest
from django.urls import reverse

from pacts.models import Attendance, Pact, PactParty, PactStatus, SigningEvent
from tests.factories import MandateFactory, PersonFactory, SigningEventFactory
from tests.pacts.test_admin import AdminPage, admin_url, chaumont  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def new_pact_page(client, chaumont):  # noqa: F811
    page = AdminPage(client.get(admin_url(Pact, "add")))
    page.data.update(
        programme=chaumont.programme.pk, title="POCE du Pays chaumontais", status=PactStatus.SIGNED
    )
    return page


def test_a_pact_with_its_event_two_signatories_and_two_attendees_is_saved_at_once(
    admin_client,
    chaumont,  # noqa: F811
):
    fabre, merabet = PersonFactory(last_name="Fabre"), PersonFactory(last_name="Merabet")
    page = new_pact_page(admin_client, chaumont)
    page.add_row(
        "signing_events",
        date="15/01/2019",
        commune=chaumont.commune.pk,
        venue="Pépinière Plein'Est",
        attendees=[fabre.pk, merabet.pk],
    )
    for body, mandate in ((chaumont.region, chaumont.rottner), (chaumont.agglo, chaumont.guillemy)):
        page.add_row(
            "parties",
            body=body.pk,
            role="signataire",
            mandate=mandate.pk,
            signing_event_choice="nouvelle-1",
        )

    response = admin_client.post(admin_url(Pact, "add"), page.data)

    assert response.status_code == 302, response.context and response.context["errors"]
    pact = Pact.objects.get()
    event = SigningEvent.objects.get(pact=pact)
    assert (event.date, event.venue) == (datetime.date(2019, 1, 15), "Pépinière Plein'Est")
    parties = PactParty.objects.filter(pact=pact).order_by("pk")
    assert [(p.body, p.mandate, p.signing_event) for p in parties] == [
        (chaumont.region, chaumont.rottner, event),
        (chaumont.agglo, chaumont.guillemy, event),
    ]
    assert set(Attendance.objects.filter(event=event).values_list("person", flat=True)) == {
        fabre.pk,
        merabet.pk,
    }


def test_a_mandate_not_held_on_the_date_typed_for_a_new_event_is_refused(
    admin_client,
    chaumont,  # noqa: F811
):
    later = MandateFactory(body=chaumont.agglo, start_date=datetime.date(2020, 7, 15))
    page = new_pact_page(admin_client, chaumont)
    page.add_row("signing_events", date="15/01/2019", commune=chaumont.commune.pk)
    page.add_row(
        "parties",
        body=chaumont.agglo.pk,
        role="signataire",
        mandate=later.pk,
        signing_event_choice="nouvelle-1",
    )

    response = admin_client.post(admin_url(Pact, "add"), page.data)

    assert response.status_code == 200
    assert "Ce mandat n&#x27;était pas en cours le 15/01/2019" in response.content.decode()
    assert not Pact.objects.exists() and not SigningEvent.objects.exists()


def test_a_party_citing_an_event_not_added_is_refused(admin_client, chaumont):  # noqa: F811
    page = new_pact_page(admin_client, chaumont)
    page.add_row("signing_events", date="15/01/2019", commune=chaumont.commune.pk)
    page.add_row(
        "parties", body=chaumont.region.pk, role="signataire", signing_event_choice="nouvelle-2"
    )

    response = admin_client.post(admin_url(Pact, "add"), page.data)

    assert response.status_code == 200
    assert "Aucune signature n&#x27;a été ajoutée à ce rang ci-dessus." in response.content.decode()
    assert not Pact.objects.exists()


def test_attendees_added_on_the_pact_page_join_those_already_present(
    admin_client,
    chaumont,  # noqa: F811
):
    event = SigningEventFactory(commune=chaumont.commune)
    present = Attendance.objects.create(event=event, person=PersonFactory()).person
    newcomer = PersonFactory()
    url = admin_url(Pact, "change", event.pact.pk)
    page = AdminPage(admin_client.get(url))
    page.data["signing_events-0-attendees"] = [present.pk, newcomer.pk]

    assert admin_client.post(url, page.data).status_code == 302

    assert set(event.attendances.values_list("person", flat=True)) == {present.pk, newcomer.pk}


def mandate_choices(client, **context) -> list[str]:
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "pacts", "model_name": "pactparty", "field_name": "mandate", **context},
    )
    assert response.status_code == 200
    return [result["id"] for result in response.json()["results"]]


def test_mandate_choices_follow_the_chosen_body_and_the_signing_date(
    admin_client,
    chaumont,  # noqa: F811
):
    mulhouse = MandateFactory(body__name="Mulhouse", function="maire")
    former = MandateFactory(
        body=chaumont.region,
        start_date=datetime.date(2010, 1, 1),
        end_date=datetime.date(2015, 12, 31),
    )
    everything = mandate_choices(admin_client)
    assert {str(m.pk) for m in (mulhouse, former, chaumont.rottner)} <= set(everything)

    region = mandate_choices(admin_client, body=chaumont.region.pk)
    assert str(mulhouse.pk) not in region
    assert {str(chaumont.rottner.pk), str(former.pk)} <= set(region)

    on_the_day = mandate_choices(admin_client, body=chaumont.region.pk, date="15/01/2019")
    assert on_the_day == [str(chaumont.rottner.pk)]
    # A date still being typed narrows nothing.
    assert set(mandate_choices(admin_client, body=chaumont.region.pk, date="15/01")) == set(region)

"""Publication review: what a published pact's page shows changes only once a publisher
approved it (docs/architecture.md, « Relecture »)."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from pacts.models import Pact, ProposalStatus, ProposedChange, SigningEvent
from tests import factories
from tests.conftest import make_signed_pact
from tests.pacts.test_admin import AdminPage, admin_url
from tests.test_history import history_form_data

pytestmark = pytest.mark.django_db


def staff(name: str, group: str) -> Client:
    user = User.objects.create_user(name, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def redaction():
    return staff("redactrice", "Rédaction")


@pytest.fixture
def publication():
    return staff("publieur", "Publication")


def public_page(client, pact) -> str:
    return client.get(pact.get_absolute_url()).content.decode()


def propose(client, model, obj, **changes) -> ProposedChange:
    url = admin_url(model, "change", obj.pk)
    page = AdminPage(client.get(url))
    page.data.update(changes)
    response = client.post(url, page.data)
    assert response.status_code == 302, response.context and response.context["errors"]
    change = ProposedChange.objects.get()
    assert response.url == admin_url(ProposedChange, "change", change.pk)
    return change


def test_a_redaction_edit_of_a_published_pact_waits_then_shows_once_approved(
    redaction, publication
):
    pact = make_signed_pact(title="POCE de Chaumont")
    change = propose(redaction, Pact, pact, title="POCE de Chaumont et Nogent")

    assert "POCE de Chaumont et Nogent" not in public_page(Client(), pact)
    pact.refresh_from_db()
    assert (pact.title, pact.published) == ("POCE de Chaumont", True)
    assert change.status == ProposalStatus.PENDING and change.author.username == "redactrice"

    review = publication.get(admin_url(ProposedChange, "change", change.pk))
    rows = review.context["rows"]
    [row] = rows
    assert ("Titre", "POCE de Chaumont", "POCE de Chaumont et Nogent") in row.fields
    assert "Approuver et publier" in review.content.decode()

    response = publication.post(admin_url(ProposedChange, "change", change.pk), {"_approve": "1"})
    assert response.status_code == 302
    pact.refresh_from_db()
    assert (pact.title, pact.published) == ("POCE de Chaumont et Nogent", True)
    assert "POCE de Chaumont et Nogent" in public_page(Client(), pact)
    change.refresh_from_db()
    assert change.status == ProposalStatus.APPROVED and change.decided_by.username == "publieur"
    assert pact.history.latest().history_user.username == "publieur"


def test_an_event_edit_waits_for_approval_and_the_event_cannot_change_pact(redaction, publication):
    pact = make_signed_pact()
    other = make_signed_pact(title="Autre pacte")
    event = pact.signing_events.get()
    change = propose(
        redaction, SigningEvent, event, venue="Pépinière Plein'Est", pact=str(other.pk)
    )
    event.refresh_from_db()
    assert event.venue == "Salle des fêtes"
    assert "Pépinière Plein'Est" not in public_page(Client(), pact)

    publication.post(admin_url(ProposedChange, "change", change.pk), {"_approve": "1"})
    event.refresh_from_db()
    assert (event.venue, event.pact_id) == ("Pépinière Plein'Est", pact.pk)
    assert "Pépinière Plein&#x27;Est" in public_page(Client(), pact)


def test_an_event_added_to_a_published_pact_waits_for_approval(redaction, publication):
    pact = make_signed_pact()
    commune = factories.TerritoryFactory(name="Langres", code="52269")
    page = AdminPage(redaction.get(admin_url(SigningEvent, "add")))
    page.data.update(pact=str(pact.pk), date="2019-02-01", commune=str(commune.pk), venue="Mairie")
    response = redaction.post(admin_url(SigningEvent, "add"), page.data)
    assert response.status_code == 302
    assert pact.signing_events.count() == 1
    change = ProposedChange.objects.get()
    assert change.object_id is None

    publication.post(admin_url(ProposedChange, "change", change.pk), {"_approve": "1"})
    assert pact.signing_events.filter(commune=commune, venue="Mairie").exists()


def test_drafts_are_saved_at_once(redaction):
    pact = factories.PactFactory(title="Brouillon", published=False)
    url = admin_url(Pact, "change", pact.pk)
    page = AdminPage(redaction.get(url))
    page.data.update(title="Brouillon relu")
    assert redaction.post(url, page.data).status_code == 302
    pact.refresh_from_db()
    assert pact.title == "Brouillon relu"
    assert not ProposedChange.objects.exists()


def test_publishers_save_at_once(publication):
    pact = make_signed_pact(title="POCE")
    url = admin_url(Pact, "change", pact.pk)
    page = AdminPage(publication.get(url))
    page.data.update(title="POCE corrigé")
    assert publication.post(url, page.data).status_code == 302
    pact.refresh_from_db()
    assert pact.title == "POCE corrigé"
    assert not ProposedChange.objects.exists()


def test_an_invalid_proposal_comes_back_with_its_errors_and_is_not_kept(redaction):
    pact = make_signed_pact(title="POCE")
    url = admin_url(Pact, "change", pact.pk)
    page = AdminPage(redaction.get(url))
    page.data.update(title="", start_date="2020-01-01", end_date="2019-01-01")
    response = redaction.post(url, page.data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not ProposedChange.objects.exists()


def test_a_rejected_proposal_changes_nothing_and_keeps_its_reason(redaction, publication):
    pact = make_signed_pact(title="POCE")
    change = propose(redaction, Pact, pact, title="Titre refusé")
    publication.post(
        admin_url(ProposedChange, "change", change.pk),
        {"_reject": "1", "decision_note": "Titre non validé par le cabinet"},
    )
    change.refresh_from_db()
    pact.refresh_from_db()
    assert change.status == ProposalStatus.REJECTED
    assert change.decision_note == "Titre non validé par le cabinet"
    assert pact.title == "POCE"


def test_a_proposal_on_a_row_changed_since_is_refused_not_applied(redaction, publication):
    pact = make_signed_pact(title="POCE", summary="Résumé initial")
    change = propose(redaction, Pact, pact, summary="Résumé proposé")
    url = admin_url(Pact, "change", pact.pk)
    page = AdminPage(publication.get(url))
    page.data.update(title="POCE retitré")
    assert publication.post(url, page.data).status_code == 302

    review = publication.get(admin_url(ProposedChange, "change", change.pk))
    assert any("a été modifié par publieur" in e for e in review.context["errors"])
    response = publication.post(
        admin_url(ProposedChange, "change", change.pk), {"_approve": "1"}, follow=True
    )
    assert "a été modifié par publieur" in response.content.decode()
    pact.refresh_from_db()
    change.refresh_from_db()
    assert (pact.title, pact.summary) == ("POCE retitré", "Résumé initial")
    assert change.status == ProposalStatus.PENDING


def test_redaction_sees_proposals_but_cannot_decide_them(redaction):
    pact = make_signed_pact(title="POCE")
    change = propose(redaction, Pact, pact, title="POCE bis")
    url = admin_url(ProposedChange, "change", change.pk)
    page = redaction.get(url)
    assert page.status_code == 200 and "Approuver" not in page.content.decode()
    assert redaction.post(url, {"_approve": "1"}).status_code == 403
    pact.refresh_from_db()
    assert pact.title == "POCE"


def test_publishers_see_the_pending_proposals_first(redaction, publication):
    pact = make_signed_pact(title="POCE")
    propose(redaction, Pact, pact, title="POCE bis")
    listing = publication.get(admin_url(ProposedChange, "changelist"), follow=True)
    assert "POCE" in listing.content.decode()
    assert listing.context["cl"].result_count == 1
    notice = publication.get(admin_url(Pact, "change", pact.pk))
    assert "1 modification proposée de ce pacte attend une validation." in [
        str(m) for m in notice.context["messages"]
    ]


def test_redaction_cannot_restore_an_old_version_of_a_published_pact(redaction):
    pact = make_signed_pact(title="Ancien titre")
    pact.title = "Titre publié"
    pact.save()
    old = pact.history.earliest()
    url = admin_url(Pact, "simple_history", pact.pk, old.history_id)
    response = redaction.post(url, history_form_data(redaction.get(url)), follow=True)
    pact.refresh_from_db()
    assert pact.title == "Titre publié"
    assert "demande le droit de publier" in response.content.decode()


def test_proposals_are_listed_and_read_but_never_added_nor_deleted_by_hand(admin_client, redaction):
    change = propose(redaction, Pact, make_signed_pact(title="POCE"), title="POCE bis")
    assert admin_client.get(admin_url(ProposedChange, "changelist"), follow=True).status_code == 200
    review = admin_client.get(admin_url(ProposedChange, "change", change.pk))
    assert review.status_code == 200 and "Différences avec la version publique" in (
        review.content.decode()
    )
    assert admin_client.get(admin_url(ProposedChange, "add")).status_code == 403
    assert admin_client.get(admin_url(ProposedChange, "delete", change.pk)).status_code == 403


def test_proposals_on_different_rows_of_a_page_are_approved_in_any_order(redaction, publication):
    pact = make_signed_pact(title="POCE")
    event = pact.signing_events.get()
    title = propose(redaction, Pact, pact, title="POCE renommé")
    ProposedChange.objects.all().delete()  # so that `propose` finds the next one alone
    venue = propose(redaction, SigningEvent, event, venue="Pépinière Plein'Est")
    title.pk = None
    title.save()  # back in the list

    # The venue first: the pact page's proposal also carried the signing, unchanged.
    for change in (venue, title):
        response = publication.post(
            admin_url(ProposedChange, "change", change.pk), {"_approve": "1"}, follow=True
        )
        messages = [str(m) for m in response.context["messages"]]
        assert messages == [f"Modification de « {change.object_label} » publiée."]

    pact.refresh_from_db()
    event.refresh_from_db()
    assert (pact.title, event.venue) == ("POCE renommé", "Pépinière Plein'Est")


def test_a_publisher_reads_who_changed_the_row_since_the_proposal(redaction, publication):
    pact = make_signed_pact(title="POCE")
    change = propose(redaction, Pact, pact, title="POCE proposé")
    url = admin_url(Pact, "change", pact.pk)
    page = AdminPage(publication.get(url))
    page.data.update(title="POCE corrigé par Publication")
    publication.post(url, page.data)

    [error] = publication.get(admin_url(ProposedChange, "change", change.pk)).context["errors"]
    assert error.startswith("« POCE corrigé par Publication » a été modifié par publieur le ")
    assert error.endswith(", après cette proposition.")

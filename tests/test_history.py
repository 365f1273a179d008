"""History: every create, change and delete of what staff enter is kept, shown and restorable.

django-simple-history writes one historical row per save or delete, with the user taken from
the request; the admin's « Historique » button lists the versions with their differences, and
a past version can be restored from there.
"""

import pytest
from django.urls import reverse
from django.utils.html import escape

from pacts.models import Action, Attendance, Pact, PactParty, SigningEvent, Source, Statement
from people.models import Mandate, Person
from territories.models import Body
from tests.factories import (
    ActionFactory,
    AttendanceFactory,
    BodyFactory,
    MandateFactory,
    PactFactory,
    PactPartyFactory,
    PersonFactory,
    ProgrammeFactory,
    SigningEventFactory,
    SourceFactory,
    StatementFactory,
    TerritoryFactory,
)
from tests.pacts.test_admin import AdminPage, admin_url

pytestmark = pytest.mark.django_db

TRACKED = {
    Pact: PactFactory,
    PactParty: PactPartyFactory,
    SigningEvent: SigningEventFactory,
    Attendance: AttendanceFactory,
    Statement: StatementFactory,
    Action: ActionFactory,
    Source: SourceFactory,
    Body: BodyFactory,
    Person: PersonFactory,
    Mandate: MandateFactory,
}


@pytest.mark.parametrize("model", TRACKED, ids=lambda m: m._meta.label_lower)
def test_creation_change_and_deletion_are_each_recorded(model):
    obj = TRACKED[model]()
    obj.save()
    pk = obj.pk
    if model is Pact:
        obj.delete()
    else:
        # The model's own deletion, not a cascade from its pact or event.
        model.objects.filter(pk=pk).delete()

    types = list(
        model.history.filter(**{model._meta.pk.attname: pk}).values_list("history_type", flat=True)
    )
    assert types == ["-", "~", "+"]


@pytest.mark.parametrize("model", TRACKED, ids=lambda m: m._meta.label_lower)
def test_historical_tables_are_named_in_french(model):
    assert str(model.history.model._meta.verbose_name).startswith("historique d")


def test_derived_and_private_fields_are_left_out_of_the_history():
    assert "search_text" not in {f.name for f in Pact.history.model._meta.fields}
    assert "updated_at" not in {f.name for f in Pact.history.model._meta.fields}
    assert "search_text" not in {f.name for f in Body.history.model._meta.fields}
    # A person's birth date is never shown, so staff do not browse it in the history either.
    assert "birth_date" not in {f.name for f in Person.history.model._meta.fields}


def test_an_admin_change_records_who_changed_what(admin_client, admin_user):
    pact = PactFactory(title="POCE du Pays chaumontais", published=False)
    url = admin_url(Pact, "change", pact.pk)
    page = AdminPage(admin_client.get(url))
    page.data["title"] = "POCE du Pays de Chaumont"

    assert admin_client.post(url, page.data).status_code == 302

    latest = pact.history.latest()
    assert (latest.history_type, latest.history_user) == ("~", admin_user)
    delta = latest.diff_against(latest.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [
        ("title", "POCE du Pays chaumontais", "POCE du Pays de Chaumont")
    ]


def test_the_history_page_lists_versions_with_their_differences_in_french(admin_client, admin_user):
    pact = PactFactory(title="POCE version 1")
    url = admin_url(Pact, "change", pact.pk)
    page = AdminPage(admin_client.get(url))
    page.data["title"] = "POCE version 2"
    admin_client.post(url, page.data)

    change_page = admin_client.get(url).content.decode()
    assert admin_url(Pact, "history", pact.pk) in change_page
    assert "Historique" in change_page

    response = admin_client.get(admin_url(Pact, "history", pact.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Modifié par" in html
    assert admin_user.username in html
    # The difference names the field as staff know it, with the old and new values.
    assert "Titre" in html
    assert "POCE version 1" in html
    assert "POCE version 2" in html


def test_changing_covered_territories_is_recorded():
    pact = PactFactory()
    chaumont = TerritoryFactory(name="Chaumont", code="52121")

    pact.territories.add(chaumont)

    latest = pact.history.latest()
    delta = latest.diff_against(latest.prev_record)
    assert [c.field for c in delta.changes] == ["territories"]
    assert [row.territory for row in latest.territories.all()] == [chaumont]


def test_an_inline_row_entered_on_the_pact_page_records_its_author(admin_client, admin_user):
    pact = PactFactory()
    url = admin_url(Pact, "change", pact.pk)
    page = AdminPage(admin_client.get(url))
    page.add_row("actions", title="Filière agroalimentaire", status="prevue")

    assert admin_client.post(url, page.data).status_code == 302

    record = Action.history.get(title="Filière agroalimentaire")
    assert (record.history_type, record.history_user) == ("+", admin_user)


def test_deleting_a_pact_in_the_admin_records_it_and_what_went_with_it(admin_client, admin_user):
    pact = PactFactory(title="POCE supprimé")
    event = SigningEventFactory(pact=pact)
    ActionFactory(pact=pact)

    admin_client.post(admin_url(Pact, "delete", pact.pk), {"post": "yes"})

    assert not Pact.objects.exists()
    deleted = Pact.history.filter(id=pact.pk).latest()
    assert (deleted.history_type, deleted.history_user, deleted.title) == (
        "-",
        admin_user,
        "POCE supprimé",
    )
    assert SigningEvent.history.filter(id=event.pk, history_type="-").exists()
    assert Action.history.filter(pact_id=pact.pk, history_type="-").exists()


def test_publishing_from_the_list_is_recorded_with_its_author(admin_client, admin_user):
    draft = PactFactory(published=False)

    admin_client.post(
        admin_url(Pact, "changelist"), {"action": "publish", "_selected_action": [draft.pk]}
    )

    latest = draft.history.latest()
    assert (latest.published, latest.history_user, latest.history_change_reason) == (
        True,
        admin_user,
        "Publication",
    )


def history_form_data(response) -> dict:
    """What the « Rétablir » page posts back: the old version's values, as a browser would."""
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else value
    return data


def test_a_past_version_can_be_restored(admin_client, admin_user):
    pact = PactFactory(
        title="POCE d'origine", summary="Résumé d'origine", programme=ProgrammeFactory()
    )
    first = pact.history.earliest()
    pact.title = "POCE modifié par erreur"
    pact.summary = "Résumé faux"
    pact.save()

    url = reverse("admin:pacts_pact_simple_history", args=[pact.pk, first.history_id])
    response = admin_client.get(url)
    assert "Rétablir" in response.content.decode()
    response = admin_client.post(url, history_form_data(response))

    assert response.status_code == 302
    pact.refresh_from_db()
    assert (pact.title, pact.summary) == ("POCE d'origine", "Résumé d'origine")
    restored = pact.history.latest()
    assert (restored.history_type, restored.history_user) == ("~", admin_user)


@pytest.mark.parametrize(
    ("model", "factory"),
    [
        (Pact, PactFactory),
        (SigningEvent, SigningEventFactory),
        (Action, ActionFactory),
        (Source, SourceFactory),
        (Body, BodyFactory),
        (Person, PersonFactory),
        (Mandate, MandateFactory),
    ],
    ids=lambda m: getattr(getattr(m, "_meta", None), "label_lower", ""),
)
def test_every_history_page_opens(admin_client, model, factory):
    obj = factory()
    obj.save()

    response = admin_client.get(admin_url(model, "history", obj.pk))
    assert response.status_code == 200
    assert escape(str(obj)) in response.content.decode()
    record = model.history.filter(**{model._meta.pk.attname: obj.pk}).earliest()
    url = reverse(
        f"admin:{model._meta.app_label}_{model._meta.model_name}_simple_history",
        args=[obj.pk, record.history_id],
    )
    assert admin_client.get(url).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_restore_outside_any_test_transaction_is_one_transaction(admin_client, admin_user):
    """As in production, where no test transaction wraps the request: the restore locks the row
    (no lost update) inside its own transaction, on PostgreSQL as on SQLite."""
    pact = PactFactory(title="POCE d'origine", programme=ProgrammeFactory())
    first = pact.history.earliest()
    pact.title = "POCE modifié par erreur"
    pact.save()
    url = reverse("admin:pacts_pact_simple_history", args=[pact.pk, first.history_id])
    response = admin_client.post(url, history_form_data(admin_client.get(url)))
    assert response.status_code == 302
    pact.refresh_from_db()
    assert pact.title == "POCE d'origine"
    assert pact.history.latest().history_user == admin_user

"""The pact admin, as regional staff use it: pages open, rules show as French form errors."""

import datetime
from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils.html import escape

from pacts.models import Action, Pact, PactParty, PactStatus, ProposedChange, SigningEvent
from people.models import Function, Gender
from territories.models import BodyKind, TerritoryKind
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
    StrategyFactory,
    TerritoryFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

SIGNING_DAY = datetime.date(2019, 1, 15)


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


class AdminPage:
    """An admin add or change page, and what a browser would post back from it."""

    def __init__(self, response):
        assert response.status_code == 200
        self.data = {}
        self.empty_rows = {}
        forms = [response.context["adminform"].form]
        for inline in response.context["inline_admin_formsets"]:
            formset = inline.formset
            management = formset.management_form
            for name in management.fields:
                self.data[management.add_prefix(name)] = management[name].value()
            forms.extend(formset.forms)
            self.empty_rows[formset.prefix] = self._values(formset.empty_form)
        for form in forms:
            self.data.update({form.add_prefix(k): v for k, v in self._values(form).items()})

    @staticmethod
    def _values(form) -> dict:
        values = {}
        for name in form.fields:
            value = form[name].value()
            if value is not None and value is not False:
                values[name] = "on" if value is True else value
        return values

    def add_row(self, prefix: str, **fields) -> None:
        """Append one row to the inline `prefix`, as the « Ajouter » link does."""
        index = int(self.data[f"{prefix}-TOTAL_FORMS"])
        self.data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
        for name, value in {**self.empty_rows[prefix], **fields}.items():
            self.data[f"{prefix}-{index}-{name}"] = value


@pytest.fixture
def chaumont():
    """The first POCE of the press release: Région and CA de Chaumont, signed at Chaumont."""
    region = BodyFactory(kind=BodyKind.REGION, name="Région Grand Est")
    agglo = BodyFactory(name="Communauté d'agglomération de Chaumont", short_name="CA de Chaumont")
    return SimpleNamespace(
        programme=ProgrammeFactory(),
        region=region,
        agglo=agglo,
        rottner=MandateFactory(
            person=PersonFactory(first_name="Jean", last_name="Rottner", gender=Gender.MALE),
            body=region,
            start_date=datetime.date(2017, 10, 20),
        ),
        guillemy=MandateFactory(
            person=PersonFactory(first_name="Christine", last_name="Guillemy"),
            body=agglo,
            start_date=datetime.date(2014, 4, 14),
        ),
        commune=TerritoryFactory(name="Chaumont", code="52121"),
    )


def build_one(model, admin_user):
    """One saved instance of each registered model, built with the project factories."""
    builders = {
        "auth.user": lambda: admin_user,
        "auth.group": lambda: Group.objects.create(name="Saisie des pactes"),
        "territories.territory": lambda: TerritoryFactory(parents=[TerritoryFactory()]),
        "territories.body": lambda: MandateFactory().body,
        "people.person": lambda: MandateFactory().person,
        "people.mandate": MandateFactory,
        "pacts.programme": lambda: ProgrammeFactory(owner=BodyFactory()),
        "pacts.theme": ThemeFactory,
        "pacts.strategy": StrategyFactory,
        "pacts.pact": _pact_with_everything,
        "pacts.signingevent": lambda: StatementFactory(event=AttendanceFactory().event).event,
        "pacts.action": ActionFactory,
        "pacts.source": _source_with_pact,
    }
    return builders[model._meta.label_lower]()


def _pact_with_everything():
    pact = PactFactory(territories=[TerritoryFactory()], themes=[ThemeFactory()])
    event = SigningEventFactory(pact=pact)
    body = BodyFactory()
    PactPartyFactory(pact=pact, body=body, mandate=MandateFactory(body=body), signing_event=event)
    ActionFactory(pact=pact, lead_body=BodyFactory())
    SourceFactory().pacts.add(pact)
    return pact


def _source_with_pact():
    source = SourceFactory(publisher=BodyFactory(), contact=PersonFactory())
    source.pacts.add(PactFactory())
    return source


# Proposals have no add, change form nor deletion: tests/pacts/test_review.py opens theirs.
EDITED_MODELS = [m for m in admin.site._registry if m is not ProposedChange]


@pytest.mark.parametrize("model", EDITED_MODELS, ids=lambda m: m._meta.label_lower)
def test_every_admin_page_opens_for_a_superuser(admin_client, admin_user, model):
    obj = build_one(model, admin_user)

    assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    assert admin_client.get(admin_url(model, "add")).status_code == 200
    response = admin_client.get(admin_url(model, "change", obj.pk))
    assert response.status_code == 200
    # The admin speaks French.
    assert "Enregistrer" in response.content.decode()
    assert admin_client.get(admin_url(model, "delete", obj.pk)).status_code == 200


def test_a_whole_pact_is_entered_in_one_sitting(admin_client, chaumont):
    page = AdminPage(admin_client.get(admin_url(Pact, "add")))
    page.data.update(
        programme=chaumont.programme.pk,
        title="POCE du Pays chaumontais",
        status=PactStatus.SIGNED,
        territories=[chaumont.commune.pk],
    )
    page.add_row(
        "signing_events",
        date="15/01/2019",
        commune=chaumont.commune.pk,
        venue="Pépinière d'entreprises Plein'Est",
    )
    page.add_row("parties", body=chaumont.region.pk, role="signataire", mandate=chaumont.rottner.pk)
    page.add_row("parties", body=chaumont.agglo.pk, role="signataire", mandate=chaumont.guillemy.pk)
    page.add_row("actions", title="Filière agroalimentaire", status="prevue")
    source = SourceFactory(title="Communiqué de presse du 15 janvier 2019")
    page.add_row("Source_pacts", source=source.pk)

    response = admin_client.post(admin_url(Pact, "add"), page.data)

    assert response.status_code == 302, response.context["errors"]
    pact = Pact.objects.get(title="POCE du Pays chaumontais")
    assert pact.signing_events.get().date == SIGNING_DAY
    assert set(pact.parties.values_list("body__name", flat=True)) == {
        "Région Grand Est",
        "Communauté d'agglomération de Chaumont",
    }
    assert pact.actions.get().title == "Filière agroalimentaire"
    assert list(pact.sources.all()) == [source]
    assert list(pact.territories.all()) == [chaumont.commune]


def test_a_mandate_from_another_body_is_refused_in_french_and_nothing_is_created(
    admin_client, chaumont
):
    page = AdminPage(admin_client.get(admin_url(Pact, "add")))
    page.data.update(programme=chaumont.programme.pk, title="POCE refusé", status=PactStatus.SIGNED)
    # Jean Rottner's mandate is at the Région, not at the CA de Chaumont.
    page.add_row("parties", body=chaumont.agglo.pk, role="signataire", mandate=chaumont.rottner.pk)

    response = admin_client.post(admin_url(Pact, "add"), page.data)

    assert response.status_code == 200
    assert (
        escape("Ce mandat est exercé au sein de « Région Grand Est », pas de « CA de Chaumont ».")
        in response.content.decode()
    )
    assert not Pact.objects.exists()
    assert not PactParty.objects.exists()


def test_a_mandate_not_held_on_the_signing_date_is_refused_in_french(admin_client, chaumont):
    pact = PactFactory(programme=chaumont.programme)
    event = SigningEventFactory(pact=pact, date=SIGNING_DAY, commune=chaumont.commune)
    later = MandateFactory(body=chaumont.agglo, start_date=datetime.date(2020, 7, 15))
    url = admin_url(Pact, "change", pact.pk)
    page = AdminPage(admin_client.get(url))
    page.add_row(
        "parties",
        body=chaumont.agglo.pk,
        role="signataire",
        mandate=later.pk,
        signing_event_choice=event.pk,
    )

    response = admin_client.post(url, page.data)

    assert response.status_code == 200
    assert (
        escape("Ce mandat n'était pas en cours le 15/01/2019, date de la signature.")
        in response.content.decode()
    )
    assert not PactParty.objects.exists()


def test_a_mandate_held_on_the_signing_date_is_accepted(admin_client, chaumont):
    pact = PactFactory(programme=chaumont.programme)
    event = SigningEventFactory(pact=pact, date=SIGNING_DAY, commune=chaumont.commune)
    url = admin_url(Pact, "change", pact.pk)
    page = AdminPage(admin_client.get(url))
    page.add_row(
        "parties",
        body=chaumont.agglo.pk,
        role="signataire",
        mandate=chaumont.guillemy.pk,
        signing_event_choice=event.pk,
    )

    response = admin_client.post(url, page.data)

    assert response.status_code == 302
    party = PactParty.objects.get()
    assert (party.pact, party.mandate, party.signing_event) == (pact, chaumont.guillemy, event)


def test_a_party_can_only_point_to_an_event_of_its_own_pact(admin_client, chaumont):
    pact = PactFactory(programme=chaumont.programme)
    own = SigningEventFactory(pact=pact, commune=chaumont.commune)
    elsewhere = SigningEventFactory(commune=TerritoryFactory(name="Langres"))
    url = admin_url(Pact, "change", pact.pk)
    response = admin_client.get(url)
    parties = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is PactParty
    )

    offered = [value for value, _label in parties.empty_form.fields["signing_event_choice"].choices]
    assert str(own.pk) in offered and str(elsewhere.pk) not in offered
    assert "15/01/2019, Chaumont" in response.content.decode()

    page = AdminPage(response)
    page.add_row(
        "parties", body=chaumont.agglo.pk, role="signataire", signing_event_choice=elsewhere.pk
    )
    response = admin_client.post(url, page.data)
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not PactParty.objects.exists()


def test_the_same_body_twice_in_a_pact_is_refused(admin_client, chaumont):
    pact = PactFactory(programme=chaumont.programme)
    PactPartyFactory(pact=pact, body=chaumont.agglo)
    url = admin_url(Pact, "change", pact.pk)
    page = AdminPage(admin_client.get(url))
    page.add_row("parties", body=chaumont.agglo.pk, role="partenaire")

    response = admin_client.post(url, page.data)

    assert response.status_code == 200
    assert "Corrigez les données en double" in response.content.decode()
    assert PactParty.objects.count() == 1


def test_validity_dates_in_the_wrong_order_are_refused_in_french(admin_client, chaumont):
    page = AdminPage(admin_client.get(admin_url(Pact, "add")))
    page.data.update(
        programme=chaumont.programme.pk,
        title="POCE à l'envers",
        status=PactStatus.SIGNED,
        start_date="01/01/2020",
        end_date="31/12/2019",
    )

    response = admin_client.post(admin_url(Pact, "add"), page.data)

    assert response.status_code == 200
    assert "La fin de validité ne peut pas précéder son début." in response.content.decode()
    assert not Pact.objects.exists()


def test_an_attendee_cited_under_someone_elses_mandate_is_refused(admin_client, chaumont):
    event = SigningEventFactory(date=SIGNING_DAY, commune=chaumont.commune)
    fabre = PersonFactory(first_name="Frédéric", last_name="Fabre", gender=Gender.MALE)
    url = admin_url(SigningEvent, "change", event.pk)
    page = AdminPage(admin_client.get(url))
    page.add_row("attendances", person=fabre.pk, mandate=chaumont.rottner.pk)

    response = admin_client.post(url, page.data)

    assert response.status_code == 200
    assert "Ce mandat est celui de Jean Rottner, pas de Frédéric Fabre." in (
        response.content.decode()
    )
    assert not event.attendances.exists()


def test_attendees_and_statements_are_entered_on_the_signing_event_page(admin_client, chaumont):
    event = SigningEventFactory(date=SIGNING_DAY, commune=chaumont.commune)
    url = admin_url(SigningEvent, "change", event.pk)
    page = AdminPage(admin_client.get(url))
    page.add_row("attendances", person=chaumont.guillemy.person.pk, mandate=chaumont.guillemy.pk)
    page.add_row("statements", person=chaumont.rottner.person.pk, text="Je suis heureux…")

    response = admin_client.post(url, page.data)

    assert response.status_code == 302
    assert event.attendances.get().mandate == chaumont.guillemy
    assert event.statements.get().person == chaumont.rottner.person


def test_deleting_a_pact_removes_its_events_and_parties(admin_client, chaumont):
    pact = PactFactory(programme=chaumont.programme)
    event = SigningEventFactory(pact=pact, commune=chaumont.commune)
    PactPartyFactory(pact=pact, body=chaumont.agglo, signing_event=event)
    ActionFactory(pact=pact)
    url = admin_url(Pact, "delete", pact.pk)

    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not Pact.objects.exists()
    assert not SigningEvent.objects.exists()
    assert not Action.objects.exists()


def test_deleting_an_event_that_a_signature_cites_is_refused(admin_client, chaumont):
    event = SigningEventFactory(date=SIGNING_DAY, commune=chaumont.commune)
    PactPartyFactory(pact=event.pact, body=chaumont.agglo, signing_event=event)
    url = admin_url(SigningEvent, "delete", event.pk)

    response = admin_client.post(url, {"post": "yes"})

    assert response.status_code == 200
    assert "Impossible de supprimer signature" in response.content.decode()
    assert SigningEvent.objects.filter(pk=event.pk).exists()


def run_action(client, action, pacts):
    return client.post(
        admin_url(Pact, "changelist"),
        {"action": action, "_selected_action": [p.pk for p in pacts]},
        follow=True,
    )


def test_publish_action_publishes_and_says_so_in_french(admin_client):
    drafts = PactFactory.create_batch(2, published=False)

    response = run_action(admin_client, "publish", drafts)

    assert "2 pactes publiés." in response.content.decode()
    assert Pact.objects.filter(published=True).count() == 2


def test_unpublish_action_hides_pacts_and_says_so_in_french(admin_client):
    live, other = PactFactory.create_batch(2, published=True)

    response = run_action(admin_client, "unpublish", [live])

    assert "1 pacte dépublié." in response.content.decode()
    live.refresh_from_db()
    other.refresh_from_db()
    assert (live.published, other.published) == (False, True)


def changelist_titles(client, **params):
    response = client.get(admin_url(Pact, "changelist"), params)
    assert response.status_code == 200
    return sorted(p.title for p in response.context["cl"].result_list)


def test_year_filter_lists_pacts_signed_that_year(admin_client):
    SigningEventFactory(pact__title="Signé en 2019", date=SIGNING_DAY)
    SigningEventFactory(pact__title="Signé en 2021", date=datetime.date(2021, 6, 1))
    PactFactory(title="Pas encore signé")

    assert changelist_titles(admin_client, annee="2019") == ["Signé en 2019"]
    page = admin_client.get(admin_url(Pact, "changelist")).content.decode()
    assert "année de signature" in page
    assert "?annee=2021" in page


def test_departement_filter_lists_pacts_concerning_that_departement(admin_client):
    haute_marne = TerritoryFactory(kind=TerritoryKind.DEPARTEMENT, code="52", name="Haute-Marne")
    meuse = TerritoryFactory(kind=TerritoryKind.DEPARTEMENT, code="55", name="Meuse")
    TerritoryFactory(kind=TerritoryKind.DEPARTEMENT, code="88", name="Vosges")
    chaumont = TerritoryFactory(name="Chaumont", code="52121", parents=[haute_marne])
    PactFactory(title="POCE de Chaumont", territories=[chaumont])
    PactFactory(title="POCE de Verdun", territories=[TerritoryFactory(parents=[meuse])])

    assert changelist_titles(admin_client, departement=haute_marne.pk) == ["POCE de Chaumont"]
    page = admin_client.get(admin_url(Pact, "changelist")).content.decode()
    assert "Haute-Marne (52)" in page
    assert "Meuse (55)" in page
    # No pact concerns the Vosges: offering it would only lead to an empty list.
    assert "Vosges" not in page


def test_malformed_filter_values_do_not_break_the_list(admin_client):
    for params in ({"annee": "deux-mille"}, {"departement": "52x"}, {"departement": "999"}):
        response = admin_client.get(admin_url(Pact, "changelist"), params, follow=True)
        assert response.status_code == 200


def test_date_hierarchy_does_not_repeat_a_pact_signed_twice_that_year(admin_client):
    pact = PactFactory(title="POCE signé en deux temps")
    SigningEventFactory(pact=pact, date=datetime.date(2019, 1, 15))
    SigningEventFactory(pact=pact, date=datetime.date(2019, 3, 1))

    response = admin_client.get(
        admin_url(Pact, "changelist"), {"signing_events__date__year": "2019"}
    )

    assert [p.pk for p in response.context["cl"].result_list] == [pact.pk]
    assert "1 pacte" in response.content.decode()


def test_changelist_shows_the_signing_date_without_a_query_per_pact(
    admin_client, django_assert_max_num_queries
):
    for n in range(5):
        SigningEventFactory(pact__title=f"POCE {n}", date=SIGNING_DAY)
    with django_assert_max_num_queries(12):
        response = admin_client.get(admin_url(Pact, "changelist"))
    assert "15 janvier 2019" in response.content.decode()


def test_search_ignores_accents_and_case(admin_client):
    PactFactory(title="POCE du Pays de Langres et Freudenberg Élastomères")
    PactFactory(title="POCE de Chaumont")

    assert changelist_titles(admin_client, q="elastomeres") == [
        "POCE du Pays de Langres et Freudenberg Élastomères"
    ]
    assert changelist_titles(admin_client, q="ÉLASTOMÈRES") == [
        "POCE du Pays de Langres et Freudenberg Élastomères"
    ]


def test_view_on_site_is_offered_for_published_pacts_only(admin_client):
    live = PactFactory(published=True)
    draft = PactFactory(published=False)

    live_page = admin_client.get(admin_url(Pact, "change", live.pk)).content.decode()
    draft_page = admin_client.get(admin_url(Pact, "change", draft.pk)).content.decode()

    assert live.get_absolute_url() in live_page
    assert "Voir sur le site" in live_page
    assert "Voir sur le site" not in draft_page


def autocomplete(client, model_name, field_name, term, app_label="pacts"):
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": term},
    )
    assert response.status_code == 200
    return [row["text"] for row in response.json()["results"]]


def test_autocomplete_finds_bodies_people_mandates_and_communes(admin_client, chaumont):
    heliot = PersonFactory(first_name="Isabelle", last_name="Héliot Couronne")
    MandateFactory(
        person=heliot,
        body=chaumont.region,
        function=Function.COMMITTEE_CHAIR,
        label="Présidente de la Commission Développement économique",
    )
    TerritoryFactory(kind=TerritoryKind.DEPARTEMENT, name="Chaumont-sur-Loire bis", code="99")

    (body,) = autocomplete(admin_client, "pactparty", "body", "chaumont")
    assert body.startswith("CA de Chaumont — Intercommunalité (EPCI) · SIREN ")
    assert autocomplete(admin_client, "attendance", "person", "heliot") == [
        "Isabelle Héliot Couronne"
    ]
    assert autocomplete(admin_client, "pactparty", "mandate", "rottner") == [
        "Jean Rottner — Président, Région Grand Est"
    ]
    assert autocomplete(admin_client, "pactparty", "mandate", "développement") == [
        "Isabelle Héliot Couronne — Présidente de la Commission Développement économique, "
        "Région Grand Est"
    ]
    # A signing takes place in a commune: the département of the same name is not offered.
    assert autocomplete(admin_client, "signingevent", "commune", "chaumont") == [
        "Chaumont — Commune · 52121"
    ]
    assert autocomplete(admin_client, "pact", "territories", "52121") == [
        "Chaumont — Commune · 52121"
    ]
    PactFactory(title="POCE du Pays de Langres")
    assert autocomplete(admin_client, "source", "pacts", "langres") == ["POCE du Pays de Langres"]

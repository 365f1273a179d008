"""Pacts and their parts: database rules, French validation messages, QuerySet vocabulary."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from pacts.models import Action, Pact, PactParty
from territories.models import TerritoryKind
from tests.factories import (
    ActionFactory,
    AttendanceFactory,
    BodyFactory,
    EpciFactory,
    MandateFactory,
    PactFactory,
    PactPartyFactory,
    PersonFactory,
    ProgrammeFactory,
    SigningEventFactory,
    StatementFactory,
    TerritoryFactory,
)

pytestmark = pytest.mark.django_db

SIGNING_DAY = datetime.date(2019, 1, 15)


@pytest.fixture
def event():
    return SigningEventFactory(date=SIGNING_DAY)


def test_published_keeps_only_published_pacts():
    shown = PactFactory(published=True)
    PactFactory(published=False)
    assert list(Pact.objects.published()) == [shown]


def test_signed_in_keeps_pacts_with_a_signing_that_year():
    in_2019 = SigningEventFactory(date=SIGNING_DAY).pact
    SigningEventFactory(date=datetime.date(2018, 6, 1))
    SigningEventFactory(pact=in_2019, date=datetime.date(2019, 3, 1))
    assert list(Pact.objects.signed_in(2019)) == [in_2019]


def test_in_territory_finds_pacts_covering_inside_or_containing_it():
    dept = TerritoryFactory(kind=TerritoryKind.DEPARTEMENT, code="52", name="Haute-Marne")
    epci = EpciFactory(parents=[dept])
    commune = TerritoryFactory(parents=[dept, epci])
    elsewhere = TerritoryFactory(kind=TerritoryKind.DEPARTEMENT, code="55", name="Meuse")
    epci_pact = PactFactory(territories=[epci])
    commune_pact = PactFactory(territories=[commune])
    PactFactory(territories=[elsewhere])

    assert set(Pact.objects.in_territory(dept)) == {epci_pact, commune_pact}
    assert set(Pact.objects.in_territory(commune)) == {epci_pact, commune_pact}
    assert set(Pact.objects.in_territory(epci)) == {epci_pact, commune_pact}


def test_in_territory_lists_a_pact_once_even_when_it_covers_several_matches():
    dept = TerritoryFactory(kind=TerritoryKind.DEPARTEMENT, code="52")
    a, b = TerritoryFactory(parents=[dept]), TerritoryFactory(parents=[dept])
    PactFactory(territories=[a, b])
    assert Pact.objects.in_territory(dept).count() == 1


def test_a_pact_cannot_end_before_it_starts():
    pact = PactFactory.build(
        programme=ProgrammeFactory(),
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2019, 1, 1),
    )
    with pytest.raises(ValidationError) as error:
        pact.full_clean()
    assert "La fin de validité ne peut pas précéder son début." in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        pact.save()


def test_a_body_is_party_to_a_pact_only_once():
    party = PactPartyFactory()
    duplicate = PactParty(pact=party.pact, body=party.body, role="partenaire")
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "Cet organisme est déjà partie à ce pacte." in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_a_signatory_mandate_must_belong_to_the_partys_body(event):
    mandate = MandateFactory(start_date=None)
    party = PactPartyFactory.build(
        pact=event.pact, body=BodyFactory(), mandate=mandate, signing_event=event
    )
    with pytest.raises(ValidationError) as error:
        party.full_clean()
    assert "Ce mandat est exercé au sein de" in str(error.value.message_dict["mandate"])


def test_a_signatory_mandate_must_be_valid_on_the_signing_date(event):
    mandate = MandateFactory(
        start_date=datetime.date(2008, 3, 1), end_date=datetime.date(2014, 3, 30)
    )
    party = PactPartyFactory.build(
        pact=event.pact, body=mandate.body, mandate=mandate, signing_event=event
    )
    with pytest.raises(ValidationError) as error:
        party.full_clean()
    assert "n'était pas en cours le 15/01/2019" in str(error.value.message_dict["mandate"])


def test_a_fitting_signatory_mandate_is_accepted(event):
    mandate = MandateFactory(start_date=datetime.date(2016, 1, 4))
    party = PactPartyFactory.build(
        pact=event.pact, body=mandate.body, mandate=mandate, signing_event=event
    )
    party.full_clean()


def test_a_party_cannot_sign_at_another_pacts_event(event):
    other_event = SigningEventFactory()
    party = PactPartyFactory.build(pact=event.pact, signing_event=other_event)
    with pytest.raises(ValidationError) as error:
        party.full_clean()
    assert "Cette signature concerne un autre pacte." in str(error.value)


def test_an_attendance_mandate_must_be_the_persons_and_valid_that_day(event):
    person = PersonFactory()
    someone_elses = MandateFactory(start_date=None)
    attendance = AttendanceFactory.build(event=event, person=person, mandate=someone_elses)
    with pytest.raises(ValidationError) as error:
        attendance.full_clean()
    assert "Ce mandat est celui de" in str(error.value)

    later = MandateFactory(person=person, start_date=datetime.date(2021, 7, 2))
    attendance.mandate = later
    with pytest.raises(ValidationError) as error:
        attendance.full_clean()
    assert "n'était pas en cours" in str(error.value)


def test_a_person_attends_an_event_once(event):
    attendance = AttendanceFactory(event=event)
    with pytest.raises(IntegrityError), transaction.atomic():
        AttendanceFactory(event=event, person=attendance.person)


def test_a_signing_must_take_place_in_a_commune():
    epci = EpciFactory()
    signing = SigningEventFactory.build(pact=PactFactory(), commune=epci)
    with pytest.raises(ValidationError) as error:
        signing.full_clean()
    assert "commune" in error.value.message_dict


def test_an_action_budget_cannot_be_negative():
    action = ActionFactory.build(pact=PactFactory(), budget=-1)
    with pytest.raises(ValidationError) as error:
        action.full_clean()
    assert "Le budget ne peut pas être négatif." in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        action.save()


def test_deleting_a_pact_removes_its_own_parts_but_not_people_or_bodies(event):
    mandate = MandateFactory(start_date=None)
    PactPartyFactory(pact=event.pact, body=mandate.body, mandate=mandate, signing_event=event)
    StatementFactory(event=event)
    ActionFactory(pact=event.pact)
    event.pact.delete()
    assert not PactParty.objects.exists()
    assert not Action.objects.exists()
    mandate.refresh_from_db()


def test_a_programme_with_pacts_cannot_be_deleted():
    programme = ProgrammeFactory()
    PactFactory(programme=programme)
    with pytest.raises(ProtectedError):
        programme.delete()


def test_a_body_party_to_a_pact_cannot_be_deleted():
    party = PactPartyFactory()
    with pytest.raises(ProtectedError):
        party.body.delete()


def test_a_person_quoted_in_a_statement_cannot_be_deleted():
    statement = StatementFactory()
    with pytest.raises(ProtectedError):
        statement.person.delete()


def test_a_commune_hosting_a_signing_cannot_be_deleted(event):
    with pytest.raises(ProtectedError):
        event.commune.delete()


def test_moving_an_event_outside_a_cited_mandate_is_refused(event):
    mandate = MandateFactory(start_date=datetime.date(2016, 1, 4), end_date=None)
    PactPartyFactory(pact=event.pact, body=mandate.body, mandate=mandate, signing_event=event)
    event.date = datetime.date(2015, 6, 1)
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert str(mandate.person) in str(error.value.message_dict["date"])
    event.date = datetime.date(2020, 6, 1)
    event.full_clean()

"""factory_boy factories: each test builds exactly the rows it needs."""

import datetime

import factory

from core.text import luhn_valid
from pacts.models import (
    Action,
    Attendance,
    Pact,
    PactParty,
    PactStatus,
    PartyRole,
    Programme,
    SigningEvent,
    Source,
    Statement,
    Strategy,
    Theme,
)
from people.models import Function, Gender, Mandate, Person
from territories.models import Body, BodyKind, Territory, TerritoryKind
from territories.services import territory_set_parents


def siren_with_key(prefix: int) -> str:
    """A valid SIREN: 8 digits from `prefix` plus the Luhn key."""
    base = f"{prefix:08d}"[-8:]
    return next(f"{base}{key}" for key in range(10) if luhn_valid(f"{base}{key}"))


class TerritoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory
        skip_postgeneration_save = True

    kind = TerritoryKind.COMMUNE
    code = factory.Sequence(lambda n: f"{10000 + n:05d}")
    name = factory.Sequence(lambda n: f"Commune {n}")

    @factory.post_generation
    def parents(self, create, extracted, **kwargs):
        if create and extracted:
            territory_set_parents(territory=self, parents=extracted)


class EpciFactory(TerritoryFactory):
    kind = TerritoryKind.CC
    code = factory.Sequence(lambda n: siren_with_key(20000000 + n))
    name = factory.Sequence(lambda n: f"CC numéro {n}")


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body

    kind = BodyKind.EPCI
    name = factory.Sequence(lambda n: f"Communauté de communes {n}")
    siren = factory.Sequence(lambda n: siren_with_key(30000000 + n))


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Sequence(lambda n: f"Prénom{n}")
    last_name = factory.Sequence(lambda n: f"Nom{n}")
    gender = Gender.FEMALE


class MandateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mandate

    person = factory.SubFactory(PersonFactory)
    body = factory.SubFactory(BodyFactory)
    function = Function.PRESIDENT
    start_date = datetime.date(2017, 1, 1)
    end_date = None


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ("name",)

    name = "Pacte Offensive Croissance Emploi"
    acronym = "POCE"


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    name = factory.Sequence(lambda n: f"Thème {n}")


class StrategyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Strategy

    acronym = factory.Sequence(lambda n: f"STRAT{n}")
    name = factory.Sequence(lambda n: f"Stratégie {n}")


class PactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pact
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Pacte numéro {n}")
    status = PactStatus.SIGNED
    summary = "Actions structurantes pour l'emploi."
    published = True

    @factory.post_generation
    def territories(self, create, extracted, **kwargs):
        if create and extracted:
            self.territories.set(extracted)

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)


class SigningEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SigningEvent

    pact = factory.SubFactory(PactFactory)
    date = datetime.date(2019, 1, 15)
    commune = factory.SubFactory(TerritoryFactory)
    venue = "Salle des fêtes"


class PactPartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PactParty

    pact = factory.SubFactory(PactFactory)
    body = factory.SubFactory(BodyFactory)
    role = PartyRole.SIGNATORY


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    event = factory.SubFactory(SigningEventFactory)
    person = factory.SubFactory(PersonFactory)


class StatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Statement

    event = factory.SubFactory(SigningEventFactory)
    person = factory.SubFactory(PersonFactory)
    text = "Je suis heureux de signer ce pacte."


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    pact = factory.SubFactory(PactFactory)
    title = factory.Sequence(lambda n: f"Action {n}")


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    title = factory.Sequence(lambda n: f"Communiqué {n}")
    date = datetime.date(2019, 1, 15)

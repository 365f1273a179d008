"""People and mandates: dated functions, gendered titles, active_on."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from people.models import Function, Gender, Mandate, Person
from tests.factories import BodyFactory, MandateFactory, PactPartyFactory, PersonFactory

pytestmark = pytest.mark.django_db

JAN_15_2019 = datetime.date(2019, 1, 15)


def test_active_on_keeps_mandates_held_that_day():
    current = MandateFactory(start_date=datetime.date(2016, 1, 4), end_date=None)
    MandateFactory(start_date=datetime.date(2008, 3, 1), end_date=datetime.date(2014, 3, 30))
    MandateFactory(start_date=datetime.date(2021, 7, 2), end_date=None)
    assert list(Mandate.objects.active_on(JAN_15_2019)) == [current]


def test_active_on_keeps_mandates_with_unknown_dates():
    unknown = MandateFactory(start_date=None, end_date=None)
    started_unknown = MandateFactory(start_date=None, end_date=datetime.date(2020, 1, 1))
    assert set(Mandate.objects.active_on(JAN_15_2019)) == {unknown, started_unknown}


def test_active_on_includes_first_and_last_day():
    mandate = MandateFactory(start_date=JAN_15_2019, end_date=JAN_15_2019)
    assert list(Mandate.objects.active_on(JAN_15_2019)) == [mandate]
    assert not Mandate.objects.active_on(JAN_15_2019 + datetime.timedelta(days=1)).exists()


def test_a_person_may_hold_several_mandates_at_once():
    fabre = PersonFactory(first_name="Frédéric", last_name="Fabre", gender=Gender.MALE)
    MandateFactory(person=fabre, function=Function.COUNCILLOR, start_date=None)
    MandateFactory(person=fabre, function=Function.MAYOR, start_date=None)
    assert fabre.mandates.active_on(JAN_15_2019).count() == 2


def test_a_mandate_cannot_end_before_it_starts():
    mandate = MandateFactory.build(
        start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2019, 1, 1)
    )
    with pytest.raises(ValidationError) as error:
        mandate.full_clean()
    assert "La fin du mandat ne peut pas précéder son début." in str(error.value)


def test_the_database_refuses_a_mandate_ending_before_it_starts():
    mandate = MandateFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Mandate.objects.filter(pk=mandate.pk).update(end_date=datetime.date(2000, 1, 1))


def test_titles_agree_with_the_persons_gender():
    body = BodyFactory(short_name="CA de Chaumont")
    her = MandateFactory(person__gender=Gender.FEMALE, body=body, function=Function.PRESIDENT)
    him = MandateFactory(person__gender=Gender.MALE, body=body, function=Function.PRESIDENT)
    assert her.title_with_body == "Présidente, CA de Chaumont"
    assert him.title_with_body == "Président, CA de Chaumont"


@pytest.mark.parametrize(
    ("kind", "gender", "expected"),
    [
        ("region", Gender.MALE, "Conseiller régional"),
        ("region", Gender.FEMALE, "Conseillère régionale"),
        ("commune", Gender.FEMALE, "Conseillère municipale"),
        ("epci", Gender.MALE, "Conseiller communautaire"),
        ("entreprise", Gender.MALE, "Conseiller"),
    ],
)
def test_a_councillors_title_names_the_council(kind, gender, expected):
    mandate = MandateFactory(person__gender=gender, body__kind=kind, function=Function.COUNCILLOR)
    assert mandate.title == expected


def test_a_written_label_wins_over_the_usual_title():
    mandate = MandateFactory(
        function=Function.VICE_PRESIDENT,
        label="Vice-Présidente en charge de la Compétitivité, de l'Innovation et du Numérique",
    )
    assert mandate.title.startswith("Vice-Présidente en charge de la Compétitivité")


def test_person_search_ignores_case_accents_and_hyphens():
    PersonFactory(first_name="Isabelle", last_name="Heliot Couronne")
    PersonFactory(first_name="Guillaume", last_name="Maréchal")
    assert [p.last_name for p in Person.objects.search("heliot")] == ["Heliot Couronne"]
    assert [p.last_name for p in Person.objects.search("MARECHAL")] == ["Maréchal"]
    assert [p.last_name for p in Person.objects.search("maréchal guillaume")] == ["Maréchal"]


def test_homonyms_get_distinct_slugs():
    a = PersonFactory(first_name="Jean", last_name="Martin")
    b = PersonFactory(first_name="Jean", last_name="Martin")
    assert a.slug == "jean-martin"
    assert b.slug == "jean-martin-2"


def test_a_mandate_cited_by_a_signature_cannot_be_deleted():
    mandate = MandateFactory()
    PactPartyFactory(body=mandate.body, mandate=mandate)
    with pytest.raises(ProtectedError):
        mandate.delete()
    with pytest.raises(ProtectedError):
        mandate.person.delete()


# --- « En cours »: only what a source dates ----------------------------------------------


def test_current_needs_a_known_start_and_no_past_end():
    today = datetime.date.today()
    open_ended = MandateFactory(start_date=datetime.date(2020, 1, 1), end_date=None)
    ends_ahead = MandateFactory(
        start_date=datetime.date(2020, 1, 1), end_date=today + datetime.timedelta(days=30)
    )
    ends_today = MandateFactory(start_date=datetime.date(2020, 1, 1), end_date=today)
    MandateFactory(start_date=None, end_date=None)  # undated
    MandateFactory(start_date=None, end_date=today + datetime.timedelta(days=30))
    MandateFactory(start_date=datetime.date(2008, 3, 1), end_date=datetime.date(2014, 3, 30))
    MandateFactory(start_date=today + datetime.timedelta(days=1))  # not begun
    MandateFactory(start_date=datetime.date(2020, 1, 1), is_obsolete=True)  # source dropped it
    assert set(Mandate.objects.current()) == {open_ended, ends_ahead, ends_today}


def test_is_current_annotation_follows_the_same_rule():
    dated = MandateFactory(start_date=datetime.date(2020, 1, 1))
    undated = MandateFactory(start_date=None)
    flags = dict(Mandate.objects.with_is_current().values_list("pk", "is_current"))
    assert flags == {dated.pk: True, undated.pk: False}


def test_undated_mandates_are_apart_but_still_valid_for_a_signature():
    undated = MandateFactory(start_date=None, end_date=None)
    MandateFactory(start_date=None, end_date=datetime.date(2010, 1, 1))  # known to be over
    MandateFactory(start_date=datetime.date(2020, 1, 1))
    assert list(Mandate.objects.undated()) == [undated]
    assert not Mandate.objects.current().filter(pk=undated.pk).exists()
    # Validating a signature still gives the unknown dates the benefit of the doubt.
    assert undated.is_active_on(JAN_15_2019)
    assert Mandate.objects.active_on(JAN_15_2019).filter(pk=undated.pk).exists()


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (None, None, "dates inconnues"),
        (datetime.date(2020, 7, 2), None, "depuis le 2 juillet 2020"),
        (
            datetime.date(2014, 3, 30),
            datetime.date(2020, 7, 2),
            "du 30 mars 2014 au 2 juillet 2020",
        ),
        (None, datetime.date(2020, 7, 2), "début inconnu, jusqu'au 2 juillet 2020"),
    ],
)
def test_period_never_implies_a_mandate_is_still_held(start, end, expected):
    assert MandateFactory.build(start_date=start, end_date=end).period == expected

"""The public FilterSets cost nothing until used, and look each value up once, before filtering.

Building a FilterSet and its filtered queryset runs no query (choice lists are lazy, values are
checked on their shape); a value that names something (a body's slug, a territory, a
département) is looked up once, and the page's messages come from that lookup.
"""

import pytest

from core.cache import read_once
from pacts.models import Pact, SigningEvent
from people.models import Person
from public.filters.pacts import PactFilter
from public.filters.people import PersonFilter
from public.filters.signings import SigningEventFilter
from public.filters.territories import BodyFilter, TerritoryFilter
from territories.models import Body, Territory
from tests import factories

pytestmark = pytest.mark.django_db

EVERY_LIST = [
    (PactFilter, Pact, {"q": "emploi", "annee": "2019", "statut": "signe", "tri": "titre"}),
    (SigningEventFilter, SigningEvent, {"annee": "2019"}),
    (TerritoryFilter, Territory, {"q": "chaumont", "type": "commune"}),
    (BodyFilter, Body, {"q": "region", "type": "region"}),
    (PersonFilter, Person, {"q": "dupont", "statut": "en_cours"}),
]


@pytest.mark.parametrize(("filterset_class", "model", "data"), EVERY_LIST)
def test_building_a_filterset_and_its_queryset_runs_no_query(
    filterset_class, model, data, django_assert_num_queries
):
    with django_assert_num_queries(0):
        filterset = filterset_class(data=data, queryset=model.objects.all())
        queryset = filterset.qs
    # The filters were applied, all the same: the queryset is not the unfiltered one.
    assert str(queryset.query) != str(model.objects.all().query)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("field", ["organisme", "personne"])
def test_a_named_body_or_person_is_looked_up_once_and_named_on_the_page(
    field, django_assert_num_queries
):
    """Once the involved bodies' and people's ids are held for the data version (the first
    page after a change reads them), a named one costs a single indexed read of its own table,
    whatever the number of published pacts."""
    body = factories.BodyFactory(name="Région Grand Est")
    person = factories.PersonFactory(first_name="Jean", last_name="Rottner")
    pact = factories.PactFactory(published=True)
    factories.PactPartyFactory(
        pact=pact, body=body, mandate=factories.MandateFactory(person=person, body=body)
    )
    factories.PactFactory(published=True)  # another pact, which neither of them signed
    slug, name = {
        "organisme": (body.slug, "Région Grand Est"),
        "personne": (person.slug, "Jean Rottner"),
    }[field]
    with read_once():
        PactFilter(data={field: slug}, queryset=Pact.objects.published()).qs.count()
    with read_once():
        filterset = PactFilter(data={field: slug}, queryset=Pact.objects.published())
        with django_assert_num_queries(2) as queries:  # the data version, then the lookup
            queryset = filterset.qs
            assert filterset.shown_values == {field: name}
            assert filterset.findings == []
        lookup = queries.captured_queries[1]["sql"]
        assert "pacts_" not in lookup, "the lookup gathers the published pacts' parties again"
        assert list(queryset) == [pact]


def test_an_unknown_departement_says_why_the_list_is_empty(haute_marne):
    filterset = PactFilter(data={"departement": "95"}, queryset=Pact.objects.published())
    assert list(filterset.qs) == []
    assert filterset.findings == ["Aucun département n'a le code « 95 »."]
    assert filterset.refusals == []


def test_an_ambiguous_territory_lists_its_candidates_and_refuses_the_export(haute_marne):
    filterset = PactFilter(data={"territoire": "44"}, queryset=Pact.objects.published())
    assert list(filterset.qs) == []
    value, candidates = filterset.ambiguous
    assert value == "44"
    assert {c.name for c in candidates} == {"Grand Est", "Loire-Atlantique"}
    assert len(filterset.refusals) == 1
    assert "désigne plusieurs territoires" in filterset.refusals[0]

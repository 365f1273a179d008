"""`AmongIds`: the rows whose id a subquery returns, as `pk__in`, read by id on PostgreSQL."""

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from public.choices import involved_people
from territories.models import AmongIds, Territory, TerritoryAncestor, TerritoryKind
from territories.services import containment_rebuild
from tests.conftest import make_signed_pact
from tests.factories import EpciFactory, MandateFactory, PersonFactory, TerritoryFactory

pytestmark = pytest.mark.django_db


def test_same_rows_as_in_over_a_union_with_nulls_and_duplicates():
    dep = TerritoryFactory(kind=TerritoryKind.DEPARTEMENT, code="52", name="Haute-Marne")
    epci = EpciFactory(name="CA de Chaumont")
    commune = TerritoryFactory(name="Chaumont", code="52121", parents=[dep, epci])
    TerritoryFactory(name="Langres", code="52269", parents=[dep])
    containment_rebuild()
    itself = Territory.objects.filter(pk=commune.pk).order_by().values("pk")
    containers = TerritoryAncestor.objects.filter(territory=commune).order_by()
    ids = itself.union(containers.values("ancestor_id"), containers.values("ancestor_id"))

    among = Territory.objects.filter(AmongIds(F("pk"), ids))

    assert set(among) == set(Territory.objects.filter(pk__in=ids)) == {commune, dep, epci}


def test_involved_people_read_by_id():
    signatory = MandateFactory()
    attendee = PersonFactory()
    make_signed_pact(signatory=signatory, attendees=[attendee])
    make_signed_pact(published=False, attendees=[PersonFactory()])
    PersonFactory()  # an official with no pact

    with CaptureQueriesContext(connection) as queries:
        people = set(involved_people())

    assert people == {signatory.person, attendee}
    if connection.vendor == "postgresql":
        # The shape that keeps PostgreSQL from scanning half a million people.
        assert "= ANY(ARRAY(" in queries[0]["sql"]

"""Demo data from an empty database: what the first run reports, what a rerun keeps, and
reference territories already there. (The demo's content, loaded once, is in test_demo.py.)"""

import pytest

from pacts import demo
from territories.models import Body, Territory, TerritoryKind
from territories.services import territory_set_parents
from tests.factories import TerritoryFactory, siren_with_key
from tests.pacts.test_demo import load_demo, territory

pytestmark = pytest.mark.django_db


def test_the_first_run_reports_what_it_created():
    counts = demo.demo_load()
    assert (counts["created"], counts["updated"], counts["unchanged"]) == (73, 0, 0)
    assert counts["by_model"]["mandats"] == {"created": 13, "updated": 0, "kept": 0, "unchanged": 0}
    assert counts["by_model"]["présences"]["created"] == 12


def test_a_rerun_keeps_values_the_release_does_not_give():
    """A SIREN or a container filled in later (by an import or by staff) is not erased."""
    load_demo()
    petr = Body.objects.get(name="PETR du Pays de Langres")
    later_siren = siren_with_key(13000959)
    petr.siren = later_siren
    petr.save()
    doulaincourt = territory(TerritoryKind.COMMUNE, "52177")
    cc_meuse_rognon = territory(TerritoryKind.CC, "200069664")
    territory_set_parents(
        territory=doulaincourt, parents=[*doulaincourt.parents.all(), cc_meuse_rognon]
    )

    load_demo()

    assert Body.objects.get(name="PETR du Pays de Langres").siren == later_siren
    assert Body.objects.count() == 6
    assert cc_meuse_rognon in doulaincourt.parents.all()


def test_existing_reference_territories_are_reused_not_duplicated():
    TerritoryFactory(kind=TerritoryKind.COMMUNE, code="52121", name="Chaumont")
    load_demo()
    assert Territory.objects.filter(code="52121").count() == 1

"""The shipped Grand Est extract, imported as `make run` does: containment is true inclusion."""

import pytest
from django.core.management import call_command
from django.db.models import Count

from territories.models import Territory, TerritoryKind

pytestmark = pytest.mark.django_db

EXTRACT = "data/decoupage-administratif-6.0.0-grand-est"
CC_SAVOIR_FAIRE = "200070332"


def test_the_extract_puts_every_commune_in_one_departement_and_one_region():
    call_command("import_territories", EXTRACT, verbosity=0)
    communes = Territory.objects.filter(kind=TerritoryKind.COMMUNE)

    for kind in (TerritoryKind.DEPARTEMENT, TerritoryKind.REGION):
        counts = communes.filter(ancestor_links__ancestor__kind=kind).annotate(
            n=Count("ancestor_links")
        )
        assert counts.count() == communes.count() == 5115
        assert not counts.exclude(n=1).exists(), kind

    haute_marne = Territory.objects.get(kind=TerritoryKind.DEPARTEMENT, code="52")
    grand_est = Territory.objects.get(kind=TerritoryKind.REGION, code="44")
    assert Territory.objects.inside(haute_marne).filter(kind=TerritoryKind.COMMUNE).count() == 426
    assert Territory.objects.inside(grand_est).filter(kind=TerritoryKind.COMMUNE).count() == 5115

    savoir_faire = Territory.objects.get(code=CC_SAVOIR_FAIRE)
    overlapped = Territory.objects.overlapping(savoir_faire).filter(kind=TerritoryKind.DEPARTEMENT)
    assert set(overlapped.values_list("code", flat=True)) == {"52", "70"}
    assert not Territory.objects.containing(savoir_faire).exists()

    chaumont = Territory.objects.get(kind=TerritoryKind.COMMUNE, code="52121")
    assert chaumont.postal_codes == "52000"
    assert chaumont.population > 20000
    assert haute_marne.population == sum(
        Territory.objects.inside(haute_marne)
        .filter(kind=TerritoryKind.COMMUNE)
        .values_list("population", flat=True)
    )

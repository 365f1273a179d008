"""All of France, imported from the npm package as `make import-france` does.

The package is fetched with `npm pack`; the test runs only with `REQUIRE_NATIONAL=1` (CI sets it
for the PostgreSQL run) and then fails without npm. One import, then the checks a citizen would
make on the national data.
"""

import collections
import json
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Count

from public.territory_lookup import resolve_territory
from territories.models import Territory, TerritoryAncestor, TerritoryKind

pytestmark = [pytest.mark.django_db, pytest.mark.national]

# The version `make import-france` loads (Makefile, DECOUPAGE_VERSION).
VERSION = "6.0.0"


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    """The package's `data/` folder."""
    if os.environ.get("REQUIRE_NATIONAL") != "1":
        # A minute and a download: CI runs it on PostgreSQL, the production database.
        pytest.skip("import national : REQUIRE_NATIONAL=1 pour le lancer (npm requis)")
    if shutil.which("npm") is None:
        pytest.fail("REQUIRE_NATIONAL=1 mais npm est absent", pytrace=False)
    folder = tmp_path_factory.mktemp("decoupage")
    subprocess.run(
        ["npm", "pack", "--silent", f"@etalab/decoupage-administratif@{VERSION}"],
        cwd=folder,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    with tarfile.open(next(folder.glob("*.tgz"))) as tar:
        tar.extractall(folder, filter="data")
    return folder / "package" / "data"


def test_france_containment_matches_the_package(package, client):
    call_command("import_territories", str(package), verbosity=0)
    communes = json.loads((package / "communes.json").read_text("utf-8"))
    expected = collections.Counter(
        c["departement"] for c in communes if c["type"] == "commune-actuelle"
    )

    counted = dict(
        TerritoryAncestor.objects.filter(
            ancestor__kind=TerritoryKind.DEPARTEMENT, territory__kind=TerritoryKind.COMMUNE
        )
        .values_list("ancestor__code")
        .annotate(n=Count("pk"))
        .values_list("ancestor__code", "n")
    )
    assert len(expected) == 109
    assert counted == dict(expected)
    by_region = dict(
        TerritoryAncestor.objects.filter(
            ancestor__kind=TerritoryKind.REGION, territory__kind=TerritoryKind.COMMUNE
        )
        .values_list("ancestor__code")
        .annotate(n=Count("pk"))
        .values_list("ancestor__code", "n")
    )
    assert by_region == dict(
        collections.Counter(c["region"] for c in communes if c["type"] == "commune-actuelle")
    )
    assert by_region["44"] == 5115

    # Every commune lies in exactly one département and one région.
    for kind in (TerritoryKind.DEPARTEMENT, TerritoryKind.REGION):
        several = (
            Territory.objects.filter(kind=TerritoryKind.COMMUNE)
            .filter(ancestor_links__ancestor__kind=kind)
            .annotate(n=Count("ancestor_links"))
            .filter(n__gt=1)
        )
        assert not several.exists(), kind

    paris = Territory.objects.get(kind=TerritoryKind.COMMUNE, code="75056")
    response = client.get(paris.get_absolute_url())
    named = {
        t.name
        for t in response.context["containers"] + response.context["overlapping"]
        if t.kind in (TerritoryKind.DEPARTEMENT, TerritoryKind.REGION)
    }
    assert named == {"Paris", "Île-de-France"}

    marseille = Territory.objects.get(kind=TerritoryKind.COMMUNE, code="13055")
    assert set(
        Territory.objects.containing(marseille)
        .filter(kind__in=[TerritoryKind.DEPARTEMENT, TerritoryKind.REGION])
        .values_list("code", flat=True)
    ) == {"13", "93"}

    for code, commune in (("13201", "13055"), ("69381", "69123"), ("75101", "75056")):
        arrondissement, candidates = resolve_territory(code)
        assert candidates == []
        assert arrondissement.kind == TerritoryKind.ARRONDISSEMENT
        assert arrondissement.parents.get().code == commune

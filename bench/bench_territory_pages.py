"""Territory pages and filters with all of France loaded, on the database of `DATABASE_URL`.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pactes_france \\
        .venv/bin/python bench/bench_territory_pages.py /path/to/decoupage/package/data

The database must exist (it is migrated here). With a package folder, all of France is imported
first (`make import-france` does the same); then, if it holds no published pact, one published
pact per EPCI is generated, signed in one of its communes. It prints, for each URL, the median
time of 3 requests through the Django test client (DEBUG off) and the number of SQL queries.
"""

import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["DJANGO_DEBUG"] = "0"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from pacts.models import Pact, Programme, SigningEvent  # noqa: E402
from territories.models import EPCI_KINDS, Territory, TerritoryKind  # noqa: E402

RUNS = 3
URLS = [
    "/",
    "/pactes/",
    "/pactes/?territoire=haute-marne-52",
    "/pactes/?departement=52",
    "/pactes/?territoire=grand-est-44",
    "/pactes/?territoire=chaumont",
    "/pactes/?territoire=52000",
    "/pactes/?territoire=paris-75056",
    "/territoires/haute-marne-52/",
    "/territoires/grand-est-44/",
    "/territoires/cc-des-savoir-faire-200070332/",
    "/territoires/suggestions.json?q=saint",
    "/territoires/suggestions.json?q=st+diz",
    "/territoires/?departement=52&q=neufch",
    "/pactes/export.csv?departement=52",
    "/signatures/?departement=55",
    "/recherche/?q=chaumont",
]


def one_pact_per_epci() -> int:
    """A published pact on each EPCI, signed in one of its member communes."""
    programme, _ = Programme.objects.get_or_create(
        name="Pacte Offensive Croissance Emploi", defaults={"acronym": "POCE"}
    )
    epcis = list(Territory.objects.filter(kind__in=EPCI_KINDS, is_obsolete=False))
    commune_of = {}
    for commune, epci in Territory.parents.through.objects.filter(
        from_territory__kind=TerritoryKind.COMMUNE, to_territory__kind__in=EPCI_KINDS
    ).values_list("from_territory_id", "to_territory_id"):
        commune_of.setdefault(epci, commune)
    pacts = Pact.objects.bulk_create(
        Pact(
            programme=programme,
            title=f"Pacte {epci.name}",
            slug=f"pacte-bench-{epci.pk}",
            status="signe",
            published=True,
        ).with_search_text()
        for epci in epcis
    )
    Pact.territories.through.objects.bulk_create(
        Pact.territories.through(pact_id=p.pk, territory_id=e.pk)
        for p, e in zip(pacts, epcis, strict=True)
    )
    rnd = random.Random(1)
    SigningEvent.objects.bulk_create(
        SigningEvent(
            pact=p,
            date=datetime.date(2019, 1, 1) + datetime.timedelta(days=rnd.randrange(1500)),
            commune_id=commune_of[e.pk],
        ).with_search_text()
        for p, e in zip(pacts, epcis, strict=True)
        if e.pk in commune_of
    )
    return len(pacts)


def main() -> None:
    call_command("migrate", verbosity=0)
    if len(sys.argv) > 1:
        call_command("import_territories", sys.argv[1], verbosity=0)
    if not Pact.objects.published().exists():
        print(f"{one_pact_per_epci()} pactes publiés générés (un par EPCI)")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    setup_test_environment()
    client = Client()
    print(f"{Territory.objects.count()} territoires, {Pact.objects.published().count()} pactes")
    for url in URLS:
        times = []
        for _ in range(RUNS):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url)
                if response.streaming:
                    b"".join(response.streaming_content)
                times.append(time.perf_counter() - start)
        median = statistics.median(times) * 1000
        print(f"{median:8.0f} ms {len(queries):4d} requêtes  {response.status_code}  {url}")


if __name__ == "__main__":
    main()

"""Benchmark of the public pact list and its CSV export on a throwaway SQLite database.

Run with `.venv/bin/python bench/bench_public.py`. It migrates a temporary database,
bulk-generates published pacts (territories, parties, signatories with several mandates,
events, attendees), then prints the median time of the list page and of the full export,
and the export's peak Python memory for 500 and for 2,000 pacts: with a streamed export
the peak should stay about the same when the number of rows quadruples.
"""

import datetime
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
_tmp = tempfile.TemporaryDirectory()
# Set before django.setup(): the settings read DATABASE_URL once, at import.
os.environ["DATABASE_URL"] = f"sqlite:///{_tmp.name}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from pacts.models import Attendance, Pact, PactParty, Programme, SigningEvent  # noqa: E402
from people.models import Mandate, Person  # noqa: E402
from territories.models import (  # noqa: E402
    Body,
    BodyKind,
    Territory,
    TerritoryAncestor,
    TerritoryKind,
)
from territories.text import search_key  # noqa: E402

RUNS = 5


def generate(start: int, stop: int, *, dep: Territory, region: Body, programme: Programme):
    """Pacts number start..stop-1, each on its own EPCI and commune, with three parties."""
    n_range = range(start, stop)
    epcis = Territory.objects.bulk_create(
        Territory(
            kind=TerritoryKind.CC,
            code="",
            name=f"CC {n}",
            slug=f"cc-{n}",
            search_text=search_key(f"CC {n}"),
        )
        for n in n_range
    )
    communes = Territory.objects.bulk_create(
        Territory(
            kind=TerritoryKind.COMMUNE,
            code=str(52000 + n),
            name=f"Commune {n}",
            slug=f"commune-{n}",
            search_text=search_key(f"Commune {n}"),
        )
        for n in n_range
    )
    links = []
    for epci, commune in zip(epcis, communes, strict=True):
        links += [
            TerritoryAncestor(territory=epci, ancestor=dep),
            TerritoryAncestor(territory=commune, ancestor=dep),
            TerritoryAncestor(territory=commune, ancestor=epci),
        ]
    TerritoryAncestor.objects.bulk_create(links)
    bodies = Body.objects.bulk_create(
        Body(
            kind=BodyKind.EPCI,
            name=f"Communauté {n}",
            slug=f"communaute-{n}",
            search_text=search_key(f"Communauté {n}"),
        )
        for n in n_range
    )
    people = Person.objects.bulk_create(
        Person(
            first_name=f"Prénom{n}",
            last_name=f"Nom{n}",
            slug=f"personne-{n}",
            gender="F",
            search_text=search_key(f"Prénom{n} Nom{n}"),
        )
        for n in n_range
    )
    start_date = datetime.date(2017, 1, 1)
    mandates = Mandate.objects.bulk_create(
        Mandate(person=p, body=b, function="president", start_date=start_date)
        for p, b in zip(people, bodies, strict=True)
    )
    Mandate.objects.bulk_create(
        Mandate(person=p, body=region, function="conseiller", start_date=start_date) for p in people
    )
    pacts = Pact.objects.bulk_create(
        Pact(
            programme=programme,
            title=f"Pacte {n:05d}",
            slug=f"pacte-{n}",
            status="signe",
            summary="Actions structurantes pour l'emploi.",
            published=True,
            search_text=search_key(f"Pacte {n:05d}"),
        )
        for n in n_range
    )
    Pact.territories.through.objects.bulk_create(
        Pact.territories.through(pact=p, territory=t) for p, t in zip(pacts, epcis, strict=True)
    )
    events = SigningEvent.objects.bulk_create(
        SigningEvent(
            pact=p,
            date=datetime.date(2019, 1, 1) + datetime.timedelta(days=i % 700),
            commune=c,
            venue="Salle des fêtes",
        )
        for i, (p, c) in enumerate(zip(pacts, communes, strict=True))
    )
    president = Mandate.objects.get(body=region, function="president")
    parties = []
    for pact, event, body, mandate in zip(pacts, events, bodies, mandates, strict=True):
        parties += [
            PactParty(
                pact=pact,
                body=region,
                role="signataire",
                mandate=president,
                signing_event=event,
                order=0,
            ),
            PactParty(
                pact=pact,
                body=body,
                role="signataire",
                mandate=mandate,
                signing_event=event,
                order=1,
            ),
        ]
    PactParty.objects.bulk_create(parties)
    Attendance.objects.bulk_create(
        Attendance(event=e, person=p) for e, p in zip(events, people, strict=True)
    )


def timed(client: Client, url: str) -> float:
    times = []
    for _ in range(RUNS):
        begin = time.perf_counter()
        response = client.get(url)
        if response.streaming:
            for _chunk in response.streaming_content:
                pass
        assert response.status_code == 200, (url, response.status_code)
        times.append(time.perf_counter() - begin)
    return statistics.median(times)


def export_peak(client: Client) -> tuple[float, int]:
    """Peak traced memory (MiB) while streaming the whole pact export, and its size."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    response = client.get("/pactes/export.csv")
    size = sum(len(chunk) for chunk in response.streaming_content)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20, size


def main():
    # DEBUG would keep every SQL string in memory and distort the memory figures.
    setup_test_environment(debug=False)
    call_command("migrate", verbosity=0)
    dep = Territory.objects.create(kind=TerritoryKind.DEPARTEMENT, code="52", name="Haute-Marne")
    region = Body.objects.create(kind=BodyKind.REGION, name="Région Grand Est")
    Mandate.objects.create(
        person=Person.objects.create(first_name="Jean", last_name="Rottner", gender="M"),
        body=region,
        function="president",
        start_date=datetime.date(2016, 1, 4),
    )
    programme = Programme.objects.create(name="Pacte Offensive Croissance Emploi", acronym="POCE")
    client = Client()
    results = {}
    previous = 0
    for total in (500, 2000):
        begin = time.perf_counter()
        generate(previous, total, dep=dep, region=region, programme=programme)
        previous = total
        print(f"{total} pactes générés en {time.perf_counter() - begin:.1f} s")
        client.get("/pactes/")  # warm-up: templates, URL resolver
        peak, size = export_peak(client)
        results[total] = {
            "list": timed(client, "/pactes/"),
            "list_filtered": timed(client, "/pactes/?departement=52&q=pacte&tri=titre&page=3"),
            "detail": timed(client, "/pactes/pacte-1/"),
            "export": timed(client, "/pactes/export.csv"),
            "peak": peak,
            "size": size,
        }
    print()
    print(f"Médiane sur {RUNS} requêtes (client de test Django, SQLite temporaire) :")
    for total, r in results.items():
        print(
            f"  {total:>5} pactes : liste {r['list'] * 1000:7.1f} ms | "
            f"liste filtrée {r['list_filtered'] * 1000:7.1f} ms | "
            f"fiche {r['detail'] * 1000:6.1f} ms | "
            f"export CSV complet {r['export'] * 1000:8.1f} ms "
            f"({r['size'] / 2**20:.2f} Mio) | pic mémoire export {r['peak']:.2f} Mio"
        )
    ratio = results[2000]["peak"] / results[500]["peak"]
    print(f"  Rapport des pics mémoire 2 000 / 500 : {ratio:.2f} (lignes × 4)")


if __name__ == "__main__":
    main()

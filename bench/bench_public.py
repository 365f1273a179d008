"""Benchmark of the public pact list and its CSV export on a throwaway SQLite database.

Run with `.venv/bin/python bench/bench_public.py`. It migrates a temporary database,
bulk-generates published pacts (territories, parties, signatories with several mandates,
events, attendees), then prints the median time of the list page and of the full export,
and the export's peak Python memory for 500 and for 2,000 pacts: with a streamed export
the peak should stay about the same when the number of rows quadruples.
"""

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

from bench.datagen import generate, seed  # noqa: E402

RUNS = 5


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
    shared = seed()
    client = Client()
    results = {}
    previous = 0
    for total in (500, 2000):
        begin = time.perf_counter()
        generate(previous, total, **shared)
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

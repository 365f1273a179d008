"""National benchmark: every public page and export at demo scale and at national scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pactes_bench \\
        .venv/bin/python bench/bench_national.py [--rne-rows 500000] [--runs 5]

Two throwaway databases are built beside the one `DATABASE_URL` names (`<name>_demo` and
`<name>_national`, dropped and created again; SQLite files in a temporary folder without a
PostgreSQL URL):

- **demo**: the Grand Est extract and `load_demo`, what `make run` serves;
- **national**: all of France (`npm pack @etalab/decoupage-administratif`), a synthetic
  Répertoire national des élus of `--rne-rows` conseillers municipaux loaded by `import_elus`,
  and one published pact per EPCI, signed by a president chosen among the maires of its
  communes, with the maire of the signing commune attending.

Each URL is requested through the Django test client with DEBUG off and the page cache
disabled (what a first visitor of a URL pays once the data's derived values and rows are
held, docs/architecture.md « Cache »; a second table gives the first request after a change
of data, which computes and renders them). The two scales are built and read in turn,
`--rounds` times (each URL's answer, the first request after a change, the `COPY`s and the
open-data build); then each URL is requested `--runs × --rounds` times per scale, the two
scales alternating request after request so that the machine's drifting speed weighs on both
alike. It prints each URL's median and number of SQL queries at both scales, and the ratio
national / demo. The sample pact, body, person and territory of each scale are its own (a
published pact's).

On PostgreSQL it then prints each full export against a plain `COPY (<the export's query>) TO
STDOUT` of the same rows (median of `--runs`), the database's own speed. `--reuse` measures
the databases of a previous run again without rebuilding them.
"""

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

GRAND_EST_EXTRACT = BASE_DIR / "data" / "decoupage-administratif-6.0.0-grand-est"

# (label, URL template): filled with the sample objects of each scale.
PAGES = [
    ("accueil", "/"),
    ("pactes", "/pactes/"),
    ("pactes ?q=", "/pactes/?q={word}"),
    ("pactes ?annee=", "/pactes/?annee={year}"),
    ("pactes ?departement=", "/pactes/?departement={departement}"),
    ("pactes ?territoire=", "/pactes/?territoire={territory}"),
    ("pactes ?organisme=", "/pactes/?organisme={body}"),
    ("pactes ?personne=", "/pactes/?personne={person}"),
    ("pactes ?tri=titre&page=2", "/pactes/?tri=titre&page=2"),
    ("pacte", "/pactes/{pact}/"),
    ("signatures", "/signatures/"),
    ("signatures ?departement=", "/signatures/?departement={departement}"),
    ("territoires", "/territoires/"),
    ("territoires ?q=saint", "/territoires/?q=saint"),
    ("territoires ?departement=", "/territoires/?departement={departement}"),
    ("territoire (département)", "/territoires/{departement_slug}/"),
    ("territoire (intercommunalité)", "/territoires/{territory}/"),
    ("suggestions ?q=saint", "/territoires/suggestions.json?q=saint"),
    ("organismes", "/organismes/"),
    ("organismes ?q=", "/organismes/?q={word}"),
    ("organisme", "/organismes/{body}/"),
    ("personnes", "/personnes/"),
    ("personnes ?statut=termine", "/personnes/?statut=termine"),
    ("personnes ?organisme=", "/personnes/?organisme={body}"),
    ("personne", "/personnes/{person}/"),
    ("recherche ?q=saint", "/recherche/?q=saint"),
    # The JSON API (docs/architecture.md, « API »): the same selectors as the lists above.
    ("api pactes", "/api/v1/pactes/"),
    ("api pactes ?departement=", "/api/v1/pactes/?departement={departement}"),
    ("api territoires ?departement=", "/api/v1/territoires/?departement={departement}"),
    ("api personnes", "/api/v1/personnes/"),
    ("api pacte", "/api/v1/pactes/{pact}/"),
    ("export pactes ?departement=", "/pactes/export.csv?departement={departement}"),
    ("export signatures ?departement=", "/signatures/export.csv?departement={departement}"),
]
# Timed again as the first request after a change of published data (`per_data_version`).
AFTER_CHANGE = [
    ("accueil", "/"),
    ("pactes", "/pactes/"),
    ("signatures", "/signatures/"),
    ("personnes", "/personnes/"),
    ("territoire (département)", "/territoires/{departement_slug}/"),
    ("recherche ?q=saint", "/recherche/?q=saint"),
    ("api pactes", "/api/v1/pactes/"),
]
# Whole lists: their size grows with the data, so their time is reported with rows/s.
FULL_EXPORTS = [
    ("export pactes (complet)", "/pactes/export.csv"),
    ("export signatures (complet)", "/signatures/export.csv"),
    ("export territoires (complet)", "/territoires/export.csv"),
    ("export organismes (complet)", "/organismes/export.csv"),
]


# --- Child: build one scale and measure it (runs with its own DATABASE_URL) -----------------


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DJANGO_DEBUG"] = "0"
    import django

    django.setup()


def child(scale: str, data: str, rne: str, runs: int, reuse: bool) -> None:
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    if not reuse:
        build(scale, data, rne)
    built = time.perf_counter() - started
    print(json.dumps({"scale": scale, "built": built, **measure(runs)}))


def serve() -> None:
    """Answer the parent line by line: each URL read on stdin is requested once (page cache
    off, as in `measure`) and its time and query count written back as one JSON line."""
    setup_django()
    from django.test import Client, override_settings
    from django.test.utils import setup_test_environment

    setup_test_environment()
    client = Client()
    with override_settings(PUBLIC_PAGE_CACHE=False):
        for line in sys.stdin:
            ms, _response, _body, queries = requested(client, line.strip())
            print(json.dumps({"ms": ms, "queries": queries}), flush=True)


def requested(client, url: str) -> tuple[float, object, bytes, int]:
    """One GET of `url`, an export read to its last byte: milliseconds, the response, its
    body and the number of SQL queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        elapsed = time.perf_counter() - start
    return elapsed * 1000, response, body, len(queries)


def build(scale: str, data: str, rne: str) -> None:
    from django.core.management import call_command
    from django.db import connection

    if scale == "demo":
        call_command("import_territories", str(GRAND_EST_EXTRACT), verbosity=0)
        call_command("load_demo", verbosity=0)
    else:
        call_command("import_territories", data, verbosity=0)
        call_command("import_elus", rne, verbosity=0)
        national_pacts()
    if connection.vendor == "postgresql":
        # What autovacuum leaves a loaded database in: statistics, and the visibility map
        # that lets an index-only scan skip the table (right after a bulk load it cannot).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def national_pacts() -> None:
    """One published pact per EPCI, signed in one of its communes by a president taken among
    their maires, with that commune's maire attending."""
    from imports.bulk import SlugPool
    from pacts.models import (
        SIGNING_SLUG_LENGTH,
        Attendance,
        Pact,
        PactParty,
        PartyRole,
        Programme,
        SigningEvent,
        signing_slug_base,
    )
    from people.models import Function, Mandate
    from territories.models import EPCI_KINDS, Body, Territory, TerritoryKind

    programme, _ = Programme.objects.get_or_create(
        name="Pacte Offensive Croissance Emploi", defaults={"acronym": "POCE"}
    )
    maires = {
        commune_id: (person_id, mandate_id)
        for commune_id, person_id, mandate_id in Mandate.objects.filter(
            function=Function.MAYOR, body__territory__kind=TerritoryKind.COMMUNE
        ).values_list("body__territory_id", "person_id", "pk")
    }
    commune_of: dict[int, int] = {}
    for commune, epci in Territory.parents.through.objects.filter(
        from_territory__kind=TerritoryKind.COMMUNE, to_territory__kind__in=EPCI_KINDS
    ).values_list("from_territory_id", "to_territory_id"):
        if commune in maires:
            commune_of.setdefault(epci, commune)
    bodies = {
        b.territory_id: b
        for b in Body.objects.filter(territory__kind__in=EPCI_KINDS, territory__is_obsolete=False)
    }
    epcis = [epci_id for epci_id in bodies if epci_id in commune_of]
    names = dict(Territory.objects.filter(pk__in=epcis).values_list("pk", "name"))
    presidents = Mandate.objects.bulk_create(
        Mandate(
            person_id=maires[commune_of[epci]][0],
            body=bodies[epci],
            function=Function.PRESIDENT,
            start_date=datetime.date(2020, 7, 15),
        )
        for epci in epcis
    )
    pacts = Pact.objects.bulk_create(
        Pact(
            programme=programme,
            title=f"Pacte Offensive Croissance Emploi {names[epci]}",
            slug=f"poce-{epci}",
            status="signe",
            published=True,
        ).with_search_text()
        for epci in epcis
    )
    Pact.territories.through.objects.bulk_create(
        Pact.territories.through(pact_id=pact.pk, territory_id=epci)
        for pact, epci in zip(pacts, epcis, strict=True)
    )
    # bulk_create bypasses save(): the slugs `SigningEvent.save` would give, computed here.
    commune_names = dict(
        Territory.objects.filter(pk__in=commune_of.values()).values_list("pk", "name")
    )
    slugs = SlugPool(SigningEvent.objects.values_list("slug", flat=True), SIGNING_SLUG_LENGTH)
    dates = [
        datetime.date(2021, 1, 4) + datetime.timedelta(days=i % 700) for i in range(len(epcis))
    ]
    events = SigningEvent.objects.bulk_create(
        SigningEvent(
            pact=pact,
            date=date,
            commune_id=commune_of[epci],
            venue="Hôtel communautaire",
            slug=slugs.take(signing_slug_base(commune_names[commune_of[epci]], date)),
        ).with_search_text()
        for pact, epci, date in zip(pacts, epcis, dates, strict=True)
    )
    PactParty.objects.bulk_create(
        PactParty(
            pact=pact,
            body=bodies[epci],
            role=PartyRole.SIGNATORY,
            mandate=president,
            signing_event=event,
        )
        for pact, epci, president, event in zip(pacts, epcis, presidents, events, strict=True)
    )
    Attendance.objects.bulk_create(
        Attendance(
            event=event,
            person_id=maires[commune_of[epci]][0],
            mandate_id=maires[commune_of[epci]][1],
        )
        for event, epci in zip(events, epcis, strict=True)
    )


def samples() -> dict[str, str]:
    """The objects the URLs name: a published pact with a signatory, and what it involves."""
    from pacts.models import Pact, PactParty
    from territories.models import TerritoryAncestor, TerritoryKind

    party = (
        PactParty.objects.filter(pact__published=True, mandate__isnull=False)
        .exclude(body__territory=None)
        .select_related("pact", "body", "mandate__person", "signing_event")
        .order_by("pact__slug", "pk")
        .first()
    )
    pact: Pact = party.pact
    territory = pact.territories.order_by("pk").first()
    departement = (
        TerritoryAncestor.objects.filter(
            territory__in=[territory, party.body.territory],
            ancestor__kind=TerritoryKind.DEPARTEMENT,
        )
        .select_related("ancestor")
        .first()
        .ancestor
    )
    return {
        "pact": pact.slug,
        "word": pact.title.split()[-1].lower(),
        "year": str(party.signing_event.date.year),
        "territory": territory.slug,
        "departement": departement.code,
        "departement_slug": departement.slug,
        "body": party.body.slug,
        "person": party.mandate.person.slug,
    }


def measure(runs: int) -> dict:
    """Each URL's answer (status, size, CSV rows), the first request after a change, the
    `COPY`s and the open-data build. The pages' times and query counts come from `paired`."""
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import setup_test_environment

    setup_test_environment()
    values = samples()
    client = Client()
    results = {}
    with override_settings(PUBLIC_PAGE_CACHE=False):
        for label, template in PAGES + FULL_EXPORTS:
            url = template.format(**values)
            _ms, response, body, _queries = requested(client, url)
            is_csv = response.get("Content-Type", "").startswith("text/csv")
            results[label] = {
                "url": url,
                "status": response.status_code,
                "bytes": len(body),
                "rows": body.count(b"\r\n") - 1 if is_csv else 0,
            }
        # The first request after a change of data also computes what pages derive alike.
        from core.cache import data_changed

        for label, template in AFTER_CHANGE:
            data_changed()
            start = time.perf_counter()
            client.get(template.format(**values))
            results[label]["after_change_ms"] = (time.perf_counter() - start) * 1000
    copies = {}
    if connection.vendor == "postgresql":
        copies = {label: copy_seconds(url, runs) for label, url in FULL_EXPORTS}
    return {
        "samples": values,
        "pages": results,
        "copies": copies,
        "open_data": open_data_build(),
    }


# --- Open-data package (docs/architecture.md, « Données ouvertes ») -------------------------
def open_data_build() -> dict:
    """One build of the open-data ZIP (every full CSV, schemas, datapackage.json), as the
    first download after a change, or `build_open_data`, pays it."""
    from django.test import Client, override_settings

    from public.opendata import SiteAddress, build_package

    with tempfile.TemporaryDirectory() as folder, override_settings(OPEN_DATA_ROOT=folder):
        package = build_package(SiteAddress("https://pactes.example.fr"))
    # The largest spreadsheet: every territory, as `/territoires/export.xlsx` sends it.
    dummy = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    with override_settings(CACHES=dummy):
        started = time.perf_counter()
        response = Client().get("/territoires/export.xlsx")
        xlsx_bytes = len(b"".join(response.streaming_content))
        xlsx_seconds = time.perf_counter() - started
    return {
        "seconds": package.seconds,
        "bytes": package.size,
        "rows": package.rows,
        "xlsx_seconds": xlsx_seconds,
        "xlsx_bytes": xlsx_bytes,
    }


def open_data_lines(results: dict) -> str:
    lines = []
    for scale, result in results.items():
        built = result["open_data"]
        rows = sum(built["rows"].values())
        lines.append(
            f"ZIP des données ouvertes ({scale}) : construit en {built['seconds']:.1f} s, "
            f"{built['bytes'] / 1e6:.1f} Mo, {rows:,} lignes ; territoires en .xlsx : "
            f"{built['xlsx_seconds']:.1f} s, {built['xlsx_bytes'] / 1e6:.1f} Mo."
        )
    return "\n".join(lines)


# --- end of the open-data package -------------------------------------------------------------


def copy_seconds(url: str, runs: int) -> float:
    """Median time PostgreSQL takes to `COPY … TO STDOUT` the rows of the export at `url`:
    the export's own query (the same joined rows), serialised as CSV by the server alone."""
    import psycopg
    from django.db import connection
    from django.urls import resolve

    spec = resolve(url).func.view_initkwargs["spec"]
    rows = spec.exporter.rows(spec.selector(filters={}).queryset)
    sql, params = rows.query.sql_with_params()
    connection.ensure_connection()
    raw = connection.connection
    statement = f"COPY ({psycopg.ClientCursor(raw).mogrify(sql, params)}) TO STDOUT (FORMAT csv)"
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            for _block in copy:
                pass
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# --- Parent: data files, databases, the table ----------------------------------------------


def database_url_for(base: str, scale: str, tmp: Path, reuse: bool) -> str:
    if base.startswith(("postgres://", "postgresql://")):
        from bench.load import recreate_database

        url = urlsplit(base)
        scaled = url._replace(path=f"{url.path.rstrip('/')}_{scale}").geturl()
        if not reuse:
            recreate_database(scaled)
        return scaled
    return f"sqlite:///{tmp / f'{scale}.sqlite3'}"


def run_scale(scale: str, base: str, data: Path, rne: Path, runs: int, tmp: Path, reuse: bool):
    env = {**os.environ, "DATABASE_URL": database_url_for(base, scale, tmp, reuse)}
    command = [sys.executable, __file__, "--child", scale, str(data), str(rne), str(runs)]
    command += ["--reuse"] if reuse else []
    output = subprocess.run(command, env=env, capture_output=True, text=True)
    if output.returncode:
        sys.exit(f"Échec de la mesure « {scale} » :\n{output.stderr}")
    return json.loads(output.stdout.strip().splitlines()[-1])


def paired(base: str, tmp: Path, results: dict, requests: int) -> None:
    """Each URL timed `requests` times per scale, the two scales in turn request after request
    (each once first, unmeasured: it computes what the page derives from all published data):
    the speed of this machine drifts by a third within a minute, and even rounds of a minute
    let a slow spell fall on one scale only. Sets each page's median time and query count in
    `results`."""
    children = {}
    for scale in ("demo", "national"):
        url = database_url_for(base, scale, tmp, reuse=True)
        children[scale] = subprocess.Popen(
            [sys.executable, __file__, "--serve"],
            env={**os.environ, "DATABASE_URL": url},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def timed(scale: str, url: str) -> dict:
        child = children[scale]
        child.stdin.write(url + "\n")
        child.stdin.flush()
        return json.loads(child.stdout.readline())

    try:
        for label, _ in PAGES + FULL_EXPORTS:
            urls = {scale: results[scale]["pages"][label]["url"] for scale in children}
            times = {scale: [] for scale in children}
            for scale in children:
                timed(scale, urls[scale])
            for number in range(requests):
                order = list(children) if number % 2 else list(children)[::-1]
                for scale in order:
                    answer = timed(scale, urls[scale])
                    times[scale].append(answer["ms"])
                    results[scale]["pages"][label]["queries"] = answer["queries"]
            for scale in children:
                results[scale]["pages"][label]["ms"] = statistics.median(times[scale])
    finally:
        for child in children.values():
            child.stdin.close()
            child.wait()


def merged(measures: list[dict]) -> dict:
    """The rounds of one scale as one measure: the first round's answers and package build,
    the copies' and first-after-a-change medians."""
    result = {**measures[0], "pages": {}}
    for label, page in measures[0]["pages"].items():
        result["pages"][label] = dict(page)
        if "after_change_ms" in page:
            result["pages"][label]["after_change_ms"] = statistics.median(
                m["pages"][label]["after_change_ms"] for m in measures
            )
    result["copies"] = {
        label: statistics.median(m["copies"][label] for m in measures)
        for label in measures[0]["copies"]
    }
    return result


def table(demo: dict, national: dict) -> str:
    lines = [
        "| page | démo | requêtes | national | requêtes | national / démo |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, _ in PAGES + FULL_EXPORTS:
        d, n = demo["pages"][label], national["pages"][label]
        ratio = n["ms"] / d["ms"] if d["ms"] else float("nan")
        national_cell = f"{n['ms']:.0f} ms"
        if n["rows"]:
            national_cell += f" ({n['rows']:,} lignes, {n['rows'] / (n['ms'] / 1000):,.0f}/s)"
        flag = "" if n["status"] == d["status"] == 200 else f" ⚠ {d['status']}/{n['status']}"
        lines.append(
            f"| {label}{flag} | {d['ms']:.0f} ms | {d['queries']} | {national_cell} | "
            f"{n['queries']} | {ratio:.1f}× |"
        )
    return "\n".join(lines)


def copy_table(national: dict) -> str:
    """Each full export at national scale against a plain `COPY` of its rows."""
    lines = [
        "| export complet | lignes | export | COPY | export / COPY (lignes/s) |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for label, _url in FULL_EXPORTS:
        page, copy = national["pages"][label], national["copies"][label]
        rows, seconds = page["rows"], page["ms"] / 1000
        lines.append(
            f"| {label} | {rows:,} | {seconds * 1000:.0f} ms ({rows / seconds:,.0f}/s) | "
            f"{copy * 1000:.0f} ms ({rows / copy:,.0f}/s) | {copy / seconds:.2f} |"
        )
    return "\n".join(lines)


def main() -> None:
    if sys.argv[1:2] == ["--serve"]:
        serve()
        return
    if sys.argv[1:2] == ["--child"]:
        scale, data, rne, runs = sys.argv[2:6]
        child(scale, data, rne, int(runs), reuse="--reuse" in sys.argv[6:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rne-rows", type=int, default=500_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--rounds", type=int, default=3, help="Mesures alternées de chaque échelle."
    )
    parser.add_argument("--package", type=Path, help="Dossier data/ du paquet (sinon npm pack).")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="Mesurer les bases PostgreSQL d'une exécution précédente sans les reconstruire.",
    )
    options = parser.parse_args()
    if options.reuse and not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        parser.error("--reuse demande une base PostgreSQL (DATABASE_URL).")
    from bench.bench_imports import fetch_package, make_rne

    base = os.environ.get("DATABASE_URL", "")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        rne = tmp / "elus-conseillers-municipaux.csv"
        data = options.package or tmp
        if not options.reuse:
            data = options.package or fetch_package(tmp)
            make_rne(data, rne, options.rne_rows)
        rounds: dict[str, list[dict]] = {"demo": [], "national": []}
        # The scales alternate, round after round: this machine's speed drifts over minutes,
        # and a ratio must not measure the drift.
        for number in range(options.rounds):
            for scale in rounds:
                started = time.perf_counter()
                reuse = options.reuse or number > 0
                rounds[scale].append(run_scale(scale, base, data, rne, options.runs, tmp, reuse))
                print(
                    f"{scale} (tour {number + 1}) : données construites en "
                    f"{rounds[scale][-1]['built']:.0f} s, mesuré en "
                    f"{time.perf_counter() - started:.0f} s au total ; échantillons "
                    f"{rounds[scale][-1]['samples']}",
                    flush=True,
                )
        results = {scale: merged(measures) for scale, measures in rounds.items()}
        started = time.perf_counter()
        paired(base, tmp, results, options.runs * options.rounds)
        print(f"mesures appariées en {time.perf_counter() - started:.0f} s", flush=True)
    print(
        f"\nBase : {urlsplit(base).scheme or 'sqlite'}, médiane de {options.rounds} × "
        f"{options.runs} requêtes par page, les deux échelles en alternance requête après "
        "requête\n"
    )
    print(table(results["demo"], results["national"]))
    print("\n| première requête après un changement | démo | national |\n| --- | ---: | ---: |")
    for label, _ in AFTER_CHANGE:
        demo, national = (results[s]["pages"][label]["after_change_ms"] for s in results)
        print(f"| {label} | {demo:.0f} ms | {national:.0f} ms |")
    if results["national"]["copies"]:
        print("\n" + copy_table(results["national"]))
    print("\n" + open_data_lines(results))


if __name__ == "__main__":
    main()

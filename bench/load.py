"""Bounded load test of the public site on PostgreSQL, with staff editing at the same time.

Run with `.venv/bin/python bench/load.py` (defaults: 50 users, 60 s, 2,000 pacts) or
`make load`. It drops and recreates a local PostgreSQL database (`DATABASE_URL`, by default
postgres://postgres@127.0.0.1:5432/pactes_load), migrates it, bulk-generates published pacts
with `bench/datagen.py`, collects the static files into a temporary folder and starts gunicorn
with the production settings on a free port of 127.0.0.1. Then N simulated users (threads,
one keep-alive connection each, no think time) request the pact list with varied filters,
pact details, territory pages and CSV exports for D seconds, while a « staff » thread edits a
pact through the ORM every 200 ms. It prints throughput, latency percentiles, per-page counts
and errors (any answer other than 2xx, or any exception), then stops gunicorn, drops the
database and removes the temporary folder, also on Ctrl-C. Exit status 1 if any error.

Only local targets are accepted: the HTTP traffic goes to 127.0.0.1, and the database host
must be local (the script drops that database).
"""

import argparse
import http.client
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/pactes_load"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
STAFF_EDIT_INTERVAL = 0.2
REQUEST_TIMEOUT = 60


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50, help="concurrent users (50)")
    parser.add_argument("--duration", type=float, default=60, help="seconds of load (60)")
    parser.add_argument("--pacts", type=int, default=2000, help="published pacts (2000)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes (2)")
    parser.add_argument("--threads", type=int, default=4, help="threads per process (4)")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL),
        help=f"local PostgreSQL database, dropped and recreated ({DEFAULT_DATABASE_URL})",
    )
    parser.add_argument("--seed", type=int, default=None, help="random seed of the page mix")
    args = parser.parse_args(argv)
    url = urlsplit(args.database_url)
    if url.scheme not in ("postgres", "postgresql") or (url.hostname or "") not in LOCAL_HOSTS:
        parser.error("--database-url must be a PostgreSQL database on 127.0.0.1 (it is dropped)")
    if not url.path.strip("/"):
        parser.error("--database-url must name a database")
    if args.users < 1 or args.duration <= 0 or args.pacts < 1:
        parser.error("--users, --duration and --pacts must be positive")
    return args


# --- Database -------------------------------------------------------------------------------


def recreate_database(database_url: str, *, drop_only: bool = False) -> None:
    """Drop the database (closing its sessions) and, unless `drop_only`, create it empty."""
    import psycopg
    from psycopg import sql

    url = urlsplit(database_url)
    name = url.path.strip("/")
    admin_url = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        quoted = sql.Identifier(name)
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(quoted))
        if not drop_only:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(quoted))


def prepare_data(pacts: int) -> None:
    """Migrate and generate `pacts` published pacts (Django must be set up)."""
    from django.core.management import call_command

    from bench.datagen import generate, seed

    call_command("migrate", verbosity=0)
    shared = seed()
    for start in range(0, pacts, 1000):
        generate(start, min(start + 1000, pacts), **shared)


def staff_edits(stop: threading.Event, pacts: int, results: "Results") -> None:
    """A member of staff editing pacts: title and summary, through `save()` (history kept)."""
    from django.db import close_old_connections

    from pacts.models import Pact

    rng = random.Random(1)
    try:
        while not stop.wait(STAFF_EDIT_INTERVAL):
            n = rng.randrange(pacts)
            begin = time.perf_counter()
            try:
                pact = Pact.objects.get(slug=f"pacte-{n}")
                pact.title = f"Pacte {n:05d} (révisé {results.staff_edits + 1})"
                pact.summary = f"Actions structurantes pour l'emploi, révision {time.time():.0f}."
                pact.save()
            except Exception as exc:
                results.record("édition (ORM)", time.perf_counter() - begin, repr(exc))
            else:
                results.staff_edits += 1
    finally:
        close_old_connections()


# --- Server ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(database_url: str, static_root: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url,
        DJANGO_STATIC_ROOT=static_root,
    )
    return env


def start_server(env: dict, port: int, args, log) -> subprocess.Popen:
    bin_dir = Path(sys.executable).parent
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
    )
    return subprocess.Popen(
        [
            str(bin_dir / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--no-control-socket",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        # Its own session: Ctrl-C reaches this script only, which then stops gunicorn cleanly.
        start_new_session=True,
    )


def wait_until_up(port: int, server: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {server.returncode}")
        try:
            status, _ = fetch(http.client.HTTPConnection("127.0.0.1", port, timeout=5), "/")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within 30 s")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


# --- Load -----------------------------------------------------------------------------------

# What the reverse proxy sends in production (README, « Déploiement »): without it, the
# production settings would redirect every plain-HTTP request to HTTPS.
HEADERS = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https", "User-Agent": "pactes-load"}


def fetch(conn: http.client.HTTPConnection, path: str) -> tuple[int, int]:
    """GET `path` on a keep-alive connection; (status, bytes read)."""
    conn.request("GET", path, headers=HEADERS)
    response = conn.getresponse()
    return response.status, len(response.read())


def pick_page(rng: random.Random, pacts: int) -> tuple[str, str]:
    """(page kind, path): the mix a public visitor produces, lists and details first."""
    n = rng.randrange(pacts)
    roll = rng.random()
    if roll < 0.45:
        filters = rng.choice(
            [
                "",
                "?tri=titre",
                f"?page={rng.randint(1, max(1, pacts // 20))}",
                f"?annee={rng.choice([2019, 2020])}",
                "?departement=52&tri=-titre",
                f"?territoire=commune-{n}",
                "?territoire=52&tri=date",
                f"?q=pacte+{n:05d}"[:-1],
                f"?q=nom{n}",
                "?q=communaute&page=2",
                f"?organisme=communaute-{n}",
                f"?personne=personne-{n}",
            ]
        )
        return "liste des pactes", f"/pactes/{filters}"
    if roll < 0.75:
        return "fiche pacte", f"/pactes/pacte-{n}/"
    if roll < 0.90:
        return "fiche territoire", f"/territoires/{rng.choice(['cc', 'commune'])}-{n}/"
    if roll < 0.99:
        return "export CSV filtré", f"/pactes/export.csv?q=pacte+{n:05d}"[:-2]
    return "export CSV complet", "/pactes/export.csv"


class Results:
    """Latencies and errors, appended to by every thread (list.append is atomic)."""

    def __init__(self):
        self.samples: list[tuple[str, float]] = []
        self.errors: list[tuple[str, str]] = []
        self.staff_edits = 0

    def record(self, kind: str, seconds: float, error: str | None = None) -> None:
        self.samples.append((kind, seconds))
        if error:
            self.errors.append((kind, error))


def user(port: int, pacts: int, seed: int, stop: threading.Event, results: Results) -> None:
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        while not stop.is_set():
            kind, path = pick_page(rng, pacts)
            begin = time.perf_counter()
            try:
                status, _ = fetch(conn, path)
            except Exception as exc:
                results.record(kind, time.perf_counter() - begin, f"{path}: {exc!r}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
                continue
            error = None if 200 <= status < 300 else f"{path}: HTTP {status}"
            results.record(kind, time.perf_counter() - begin, error)
    finally:
        conn.close()


def percentile(sorted_values: list[float], p: float) -> float:
    index = min(len(sorted_values) - 1, max(0, round(p / 100 * len(sorted_values)) - 1))
    return sorted_values[index]


def report(results: Results, elapsed: float, args) -> None:
    samples = [s for s in results.samples if s[0] != "édition (ORM)"]
    times = sorted(seconds * 1000 for _, seconds in samples)
    print()
    print(
        f"{args.users} utilisateurs, {elapsed:.1f} s, {args.pacts} pactes, gunicorn "
        f"{args.workers} processus × {args.threads} threads, PostgreSQL"
    )
    if not times:
        print("Aucune requête terminée.")
    else:
        print(
            f"  {len(times)} requêtes, {len(times) / elapsed:.1f} req/s ; latence p50 "
            f"{percentile(times, 50):.0f} ms, p95 {percentile(times, 95):.0f} ms, "
            f"p99 {percentile(times, 99):.0f} ms, max {times[-1]:.0f} ms"
        )
    by_kind: dict[str, list[float]] = defaultdict(list)
    for kind, seconds in samples:
        by_kind[kind].append(seconds * 1000)
    for kind, values in sorted(by_kind.items(), key=lambda item: -len(item[1])):
        values.sort()
        print(
            f"  {kind:<20} {len(values):>6} requêtes, p50 {statistics.median(values):6.0f} ms, "
            f"p95 {percentile(values, 95):6.0f} ms"
        )
    print(f"  éditions du personnel pendant la charge : {results.staff_edits}")
    print(f"  erreurs : {len(results.errors)}")
    for (kind, message), count in Counter(results.errors).most_common(10):
        print(f"    {count} × {kind} — {message[:160]}")


def run(args) -> int:
    os.environ["DATABASE_URL"] = args.database_url
    # DEBUG would keep every SQL string of the staff thread in memory.
    os.environ["DJANGO_DEBUG"] = "off"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    print(f"Base {args.database_url} : recréation, migration, {args.pacts} pactes…")
    begin = time.perf_counter()
    recreate_database(args.database_url)
    django.setup()
    from django.db import connections

    try:
        prepare_data(args.pacts)
        connections.close_all()
        print(f"  prête en {time.perf_counter() - begin:.1f} s")
        with tempfile.TemporaryDirectory(prefix="pactes-load-") as tmp:
            return serve_and_load(args, tmp)
    finally:
        connections.close_all()
        recreate_database(args.database_url, drop_only=True)


def serve_and_load(args, tmp: str) -> int:
    port = free_port()
    env = server_env(args.database_url, str(Path(tmp) / "static"))
    log_path = Path(tmp) / "gunicorn.log"
    with open(log_path, "wb") as log:
        server = start_server(env, port, args, log)
        stop = threading.Event()
        threads: list[threading.Thread] = []
        results = Results()
        try:
            wait_until_up(port, server)
            print(f"gunicorn sur http://127.0.0.1:{port}/ ; charge pendant {args.duration:g} s…")
            rng = random.Random(args.seed)
            threads = [
                threading.Thread(
                    target=user,
                    args=(port, args.pacts, rng.random(), stop, results),
                    daemon=True,
                )
                for _ in range(args.users)
            ]
            threads.append(
                threading.Thread(target=staff_edits, args=(stop, args.pacts, results), daemon=True)
            )
            begin = time.perf_counter()
            for thread in threads:
                thread.start()
            stop.wait(args.duration)
            stop.set()
            for thread in threads:
                thread.join(timeout=REQUEST_TIMEOUT)
            elapsed = time.perf_counter() - begin
        finally:
            stop.set()
            stop_server(server)
    report(results, elapsed, args)
    if server.returncode not in (0, -signal.SIGTERM):
        results.errors.append(("gunicorn", f"exit status {server.returncode}"))
    if results.errors:
        print("\nJournal de gunicorn (fin) :")
        print(log_path.read_text(errors="replace")[-3000:])
        return 1
    return 0


def interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv=None) -> int:
    args = parse_args(argv)
    # Ctrl-C, and `kill`, both end in the same clean-up (even when started in the background,
    # where a shell would otherwise have SIGINT ignored).
    signal.signal(signal.SIGINT, interrupt)
    signal.signal(signal.SIGTERM, interrupt)
    try:
        return run(args)
    except KeyboardInterrupt:
        print("\nInterrompu : gunicorn arrêté, base supprimée.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())

"""Requests per second of the pact list against a hello-world page, under gunicorn.

    .venv/bin/python bench/throughput.py [--seconds 10] [--pacts 500] [--clients 8]

Like bench/load.py, it drops and recreates a local PostgreSQL database (`DATABASE_URL`, by
default postgres://postgres@127.0.0.1:5432/pactes_throughput), generates published pacts with
bench/datagen.py and starts gunicorn with the production settings on a free port of
127.0.0.1, plus one page that reads nothing (`/bonjour/`, bench/hello_settings.py). Then it
sends anonymous GETs for `--seconds` to `/bonjour/`, then to `/pactes/`, from `--clients`
keep-alive connections spread over two processes, and prints each rate and their ratio (the
target of the page cache, docs/architecture.md « Cache »: the list at 25 % of hello world or
more). Everything stops and the database is dropped at the end, also on Ctrl-C.
"""

import argparse
import http.client
import multiprocessing
import os
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.load import (  # noqa: E402
    HEADERS,
    LOCAL_HOSTS,
    free_port,
    prepare_data,
    recreate_database,
    server_env,
    start_server,
    stop_server,
    wait_until_up,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/pactes_throughput"
MAX_SECONDS = 30


def client_process(port: int, path: str, connections: int, seconds: float, queue) -> None:
    """`connections` threads, one keep-alive connection each; puts (answers, errors)."""
    counts = [0, 0]
    deadline = time.monotonic() + seconds

    def loop():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < deadline:
            try:
                conn.request("GET", path, headers=HEADERS)
                response = conn.getresponse()
                response.read()
                counts[0 if response.status == 200 else 1] += 1
            except OSError:
                counts[1] += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.close()

    threads = [threading.Thread(target=loop) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queue.put(tuple(counts))


def measure(port: int, path: str, clients: int, seconds: float) -> tuple[float, int]:
    """(answers 200 per second, errors) for `path` over `seconds`."""
    queue = multiprocessing.Queue()
    processes = [
        multiprocessing.Process(
            target=client_process, args=(port, path, n, seconds, queue), daemon=True
        )
        for n in (clients - clients // 2, clients // 2)
        if n
    ]
    begin = time.perf_counter()
    for process in processes:
        process.start()
    results = [queue.get(timeout=seconds + 60) for _ in processes]
    for process in processes:
        process.join()
    elapsed = time.perf_counter() - begin
    return sum(ok for ok, _ in results) / elapsed, sum(errors for _, errors in results)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10, help="per page (10, at most 15)")
    parser.add_argument("--pacts", type=int, default=500, help="published pacts (500)")
    parser.add_argument("--clients", type=int, default=8, help="keep-alive connections (8)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes (2)")
    parser.add_argument("--threads", type=int, default=4, help="threads per process (4)")
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    )
    args = parser.parse_args(argv)
    if not 0 < args.seconds * 2 <= MAX_SECONDS:
        parser.error(f"--seconds: two pages, {MAX_SECONDS} s at most in all")
    from urllib.parse import urlsplit

    url = urlsplit(args.database_url)
    if url.scheme not in ("postgres", "postgresql") or (url.hostname or "") not in LOCAL_HOSTS:
        parser.error("--database-url must be a PostgreSQL database on 127.0.0.1 (it is dropped)")

    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["DJANGO_DEBUG"] = "off"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    recreate_database(args.database_url)
    django.setup()
    from django.db import connections

    try:
        prepare_data(args.pacts)
        connections.close_all()
        with tempfile.TemporaryDirectory(prefix="pactes-throughput-") as tmp:
            env = server_env(args.database_url, str(Path(tmp) / "static"))
            env["DJANGO_SETTINGS_MODULE"] = "bench.hello_settings"
            port = free_port()
            with open(Path(tmp) / "gunicorn.log", "wb") as log:
                server = start_server(env, port, args, log)
                try:
                    wait_until_up(port, server)
                    rates = {}
                    for path in ("/bonjour/", "/pactes/"):
                        rate, errors = measure(port, path, args.clients, args.seconds)
                        rates[path] = rate
                        print(f"{path:<10} {rate:8.1f} req/s ({errors} erreurs)")
                finally:
                    stop_server(server)
        ratio = rates["/pactes/"] / rates["/bonjour/"]
        print(f"/pactes/ à {ratio:.0%} de /bonjour/ ({args.pacts} pactes, {args.clients} clients)")
    except KeyboardInterrupt:
        print("Interrompu : gunicorn arrêté, base supprimée.", file=sys.stderr)
        return 130
    finally:
        connections.close_all()
        recreate_database(args.database_url, drop_only=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

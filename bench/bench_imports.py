"""Benchmark the official-data imports on the whole of France.

    .venv/bin/python bench/bench_imports.py [--package DATA_DIR] [--rows 500000]

Imports every commune and EPCI of `@etalab/decoupage-administratif` 6.0.0 (fetched with
`npm pack` unless `--package` gives its `data/` folder) into a throwaway SQLite file and, when
DATABASE_URL points at PostgreSQL, into that database too (it must exist and be disposable:
migrations run there). Then it generates a conseillers-municipaux RNE file of `--rows` rows
on the real communes and imports it. Each step runs in its own process, so its peak memory
(ru_maxrss) is its own. Targets on a 2-core machine: territories < 60 s first run and < 30 s
re-run; the RNE import < 1 GB peak.
"""

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VERSION = "6.0.0"

RNE_HEADER = [
    "Code du département",
    "Libellé du département",
    "Code de la collectivité à statut particulier",
    "Libellé de la collectivité à statut particulier",
    "Code de la commune",
    "Libellé de la commune",
    "Nom de l'élu",
    "Prénom de l'élu",
    "Code sexe",
    "Date de naissance",
    "Code de la catégorie socio-professionnelle",
    "Libellé de la catégorie socio-professionnelle",
    "Date de début du mandat",
    "Libellé de la fonction",
    "Date de début de la fonction",
    "Code nationalité",
]
LAST = "MARTIN BERNARD THOMAS PETIT ROBERT RICHARD DURAND DUBOIS MOREAU LAURENT SIMON MICHEL"
LAST += " LEFEBVRE LEROY ROUX DAVID BERTRAND MOREL FOURNIER GIRARD BONNET DUPONT LAMBERT"
FIRST = "Marie Jean Pierre Michel Anne Philippe Nathalie Isabelle Alain Catherine Éric Sylvie"
FIRST += " Christophe Valérie Stéphane Sandrine Frédéric Céline Laurent Hélène Olivier Chantal"


def child(args: list[str]) -> None:
    """Run one management command here and print its time and this process's peak memory."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    start = time.perf_counter()
    call_command(*args, stdout=out)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "output": out.getvalue()}))


def step(database_url: str, *args: str) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url}
    done = subprocess.run(
        [sys.executable, __file__, "--child", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        sys.exit(f"{' '.join(args)} a échoué :\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def fetch_package(workdir: Path) -> Path:
    subprocess.run(
        ["npm", "pack", f"@etalab/decoupage-administratif@{VERSION}", "--silent"],
        cwd=workdir,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    with tarfile.open(next(workdir.glob("*.tgz"))) as tar:
        tar.extractall(workdir, filter="data")
    return workdir / "package" / "data"


def make_rne(data: Path, path: Path, rows: int) -> None:
    """A conseillers-municipaux file: a maire and adjoints per commune, then conseillers."""
    communes = [
        c
        for c in json.loads((data / "communes.json").read_text("utf-8"))
        if c["type"] == "commune-actuelle"
    ]
    rng = random.Random(44)
    last, first = LAST.split(), FIRST.split()
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(RNE_HEADER)
        for i in range(rows):
            commune = communes[i % len(communes)]
            rank = i // len(communes)
            function = "Maire" if rank == 0 else (f"{rank}e adjoint au maire" if rank < 5 else "")
            birth = f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1940, 2004)}"
            writer.writerow(
                [
                    commune["departement"],
                    "",
                    "",
                    "",
                    commune["code"],
                    commune["nom"],
                    f"{rng.choice(last)}-{rng.choice(last)}",
                    rng.choice(first),
                    rng.choice("MF"),
                    birth,
                    "23",
                    "Cadres",
                    "28/06/2020",
                    function,
                    "04/07/2020" if function else "",
                    "FR",
                ]
            )


def bench(database_url: str, data: Path, rne: Path) -> None:
    print(f"\n== {database_url}")
    step(database_url, "migrate", "--no-input", "-v", "0")
    for label in ("premier import", "ré-import"):
        result = step(database_url, "import_territories", str(data))
        summary = result["output"].splitlines()[0]
        print(f"territoires, {label} : {result['seconds']:.1f} s ({summary})")
    for label in ("premier import", "ré-import"):
        result = step(database_url, "import_elus", str(rne))
        lines = " / ".join(result["output"].splitlines()[:2])
        print(
            f"élus ({rne.stat().st_size / 1e6:.0f} Mo), {label} : {result['seconds']:.1f} s, "
            f"mémoire max {result['peak_mb']:.0f} Mo ({lines})"
        )


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", type=Path, help="Dossier data/ du paquet (sinon npm pack).")
    parser.add_argument("--rows", type=int, default=500_000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        data = options.package or fetch_package(tmp)
        rne = tmp / "elus-conseillers-municipaux.csv"
        make_rne(data, rne, options.rows)
        bench(f"sqlite:///{tmp / 'bench.sqlite3'}", data, rne)
        url = os.environ.get("DATABASE_URL", "")
        if url.startswith(("postgres://", "postgresql://")):
            bench(url, data, rne)


if __name__ == "__main__":
    main()

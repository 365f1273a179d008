"""Build the shipped Grand Est extract of `@etalab/decoupage-administratif` 6.0.0.

    python scripts/make_grand_est_extract.py [PACKAGE_DATA_DIR]

Without an argument, the package is fetched with `npm pack` into a temporary folder. The
extract keeps every région and département, the current communes (`commune-actuelle`) and
municipal arrondissements of région 44 and every EPCI with at least one member there, with only
the fields the importer reads, in the package's own file names and shape: `import_territories`
reads both alike. EPCI keep all their members, including those outside the région, so that an
EPCI straddling two régions is known to overlap them rather than to lie in one.
"""

import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

VERSION = "6.0.0"
REGION = "44"
ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "data" / f"decoupage-administratif-{VERSION}-grand-est"

FIELDS = {
    "regions": ("code", "nom", "typeLiaison"),
    "departements": ("code", "region", "nom", "typeLiaison"),
    "communes": (
        "code",
        "nom",
        "typeLiaison",
        "departement",
        "region",
        "type",
        "siren",
        "commune",
        "codesPostaux",
        "population",
    ),
    "epci": ("code", "nom", "type", "populationMunicipale"),
}

README = f"""# Découpage administratif — extrait Grand Est

Extrait du paquet npm [`@etalab/decoupage-administratif`](https://www.npmjs.com/package/@etalab/decoupage-administratif)
version {VERSION} (Etalab, données de l'INSEE — Code officiel géographique — et de la DGCL
— composition des EPCI à fiscalité propre).

Contenu : toutes les régions et tous les départements, les communes actuelles (avec leurs
codes postaux et leur population municipale) et les arrondissements municipaux de la région
Grand Est (code {REGION}) et tous les EPCI dont au moins une commune membre s'y trouve, avec
tous leurs membres. Seuls les champs lus par l'import sont gardés ; les fichiers ont les mêmes
noms et la même forme que ceux du paquet.

- Communes : {{communes}}
- EPCI : {{epci}}

Chargement : `python manage.py import_territories {TARGET.relative_to(ROOT)}`.
L'import ne marque obsolètes que les communes et EPCI des régions dont l'extrait contient les
communes : il peut être relancé après un import de toute la France sans rien y changer.

Régénération : `python scripts/make_grand_est_extract.py [dossier data du paquet]`.

## Licence

Licence Ouverte / Open Licence version 2.0 (Etalab) :
https://www.etalab.gouv.fr/licence-ouverte-open-licence/ — réutilisation libre, y compris
commerciale, sous réserve de mentionner la source : « Etalab, @etalab/decoupage-administratif
{VERSION}, d'après l'INSEE (COG) et la DGCL (BANATIC) ».
"""


def fetch_package(workdir: Path) -> Path:
    """`npm pack` the package into `workdir` and return its unpacked `data/` folder."""
    subprocess.run(
        ["npm", "pack", f"@etalab/decoupage-administratif@{VERSION}", "--silent"],
        cwd=workdir,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    archive = next(workdir.glob("*.tgz"))
    with tarfile.open(archive) as tar:
        tar.extractall(workdir, filter="data")
    return workdir / "package" / "data"


def keep(item: dict, fields: tuple[str, ...]) -> dict:
    return {key: item[key] for key in fields if key in item}


def write(name: str, items: list[dict]) -> None:
    # One element per line: small diffs when the extract is regenerated from a new version.
    lines = ",\n".join(json.dumps(item, ensure_ascii=False) for item in items)
    (TARGET / f"{name}.json").write_text(f"[\n{lines}\n]\n", "utf-8")


def build(data: Path) -> dict[str, int]:
    load = {name: json.loads((data / f"{name}.json").read_text("utf-8")) for name in FIELDS}
    communes = [
        keep(c, FIELDS["communes"])
        for c in load["communes"]
        if c.get("type") in ("commune-actuelle", "arrondissement-municipal")
        and c.get("region") == REGION
    ]
    codes = {c["code"] for c in communes if c["type"] == "commune-actuelle"}
    epcis = [
        {**keep(e, FIELDS["epci"]), "membres": [{"code": m["code"]} for m in e["membres"]]}
        for e in load["epci"]
        if any(m["code"] in codes for m in e["membres"])
    ]
    TARGET.mkdir(parents=True, exist_ok=True)
    write("regions", [keep(r, FIELDS["regions"]) for r in load["regions"]])
    write("departements", [keep(d, FIELDS["departements"]) for d in load["departements"]])
    write("communes", communes)
    write("epci", epcis)
    counts = {"communes": len(codes), "epci": len(epcis)}
    (TARGET / "README.md").write_text(README.format(**counts), "utf-8")
    return counts


def main() -> None:
    if len(sys.argv) > 1:
        counts = build(Path(sys.argv[1]))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            counts = build(fetch_package(Path(tmp)))
    print(f"{TARGET.relative_to(ROOT)} : {counts['communes']} communes, {counts['epci']} EPCI")


if __name__ == "__main__":
    main()

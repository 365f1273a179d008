"""Read the JSON files of `@etalab/decoupage-administratif` (npm, Licence Ouverte).

The package's `data/` folder holds regions.json, departements.json, communes.json and epci.json
(other files, such as arrondissements.json, are not used). `commune-actuelle` entries are the
communes of today and `arrondissement-municipal` entries the municipal arrondissements of
Paris, Lyon and Marseille (inside their commune); communes déléguées and associées are skipped.
The shipped Grand Est extract has the same files and shape, so it is read the same way.
"""

import json
from pathlib import Path

from imports.errors import ImportFailure
from imports.files import opened_text
from imports.sources import COMMUNE_NAME_MAX, NAME_MAX, POSTAL_CODES_MAX, Epci, Place, Reference
from imports.validation import COMMUNE_CODE, DEPARTEMENT_CODE, REGION_CODE, SIREN, text_problem
from territories.models import POSTAL_CODE, TerritoryKind

FILES = ("regions", "departements", "communes", "epci")
POPULATION_MAX = 2_147_483_647

EPCI_TYPES = {
    "CC": TerritoryKind.CC,
    "CA": TerritoryKind.CA,
    "CU": TerritoryKind.CU,
    "METRO": TerritoryKind.METROPOLE,
    # The Métropole de Lyon is a collectivité à statut particulier the package lists as an EPCI.
    "MET69": TerritoryKind.METROPOLE,
}


def decoupage_files(path: Path) -> list[Path]:
    """The JSON files to read from a folder (the package's `data/` or the extract)."""
    found = [path / f"{name}.json" for name in FILES if (path / f"{name}.json").is_file()]
    if not found:
        raise ImportFailure(
            path, None, "aucun des fichiers " + ", ".join(f"{n}.json" for n in FILES) + " ici."
        )
    return found


# The json module's messages, in the French the import speaks.
JSON_ERRORS = {
    "Expecting value": "valeur attendue",
    "Expecting ',' delimiter": "virgule attendue",
    "Expecting ':' delimiter": "deux-points attendu",
    "Expecting property name enclosed in double quotes": "nom de champ entre guillemets attendu",
    "Unterminated string starting at": "chaîne de caractères non refermée",
    "Invalid control character at": "caractère de contrôle dans une chaîne",
    "Invalid \\escape": "séquence d'échappement invalide",
    "Extra data": "données en trop après la fin du JSON",
}


def _load(path: Path) -> list:
    with opened_text(path) as text:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            reason = JSON_ERRORS.get(error.msg, "syntaxe incorrecte")
            raise ImportFailure(
                path,
                error.lineno,
                f"JSON invalide, colonne {error.colno} : {reason}. Le fichier est peut-être "
                "tronqué (téléchargement interrompu).",
            ) from error
        except RecursionError as error:
            # The parser recurses once per level: a hostile or broken file 100,000 levels deep
            # would otherwise end the command with a traceback. No real file nests past 4.
            raise ImportFailure(
                path, None, "JSON imbriqué trop profondément : ce n'est pas un fichier du paquet."
            ) from error
    if not isinstance(data, list):
        raise ImportFailure(path, None, "une liste JSON d'éléments est attendue.")
    return data


class _Item:
    """One element of a file, whose fields are checked with a message naming it."""

    def __init__(self, path: Path, index: int, data):
        self.path, self.index = path, index
        if not isinstance(data, dict):
            self.fail("un objet JSON est attendu.")
        self.data = data

    def fail(self, reason: str):
        raise ImportFailure(self.path, None, f"élément n° {self.index} : {reason}")

    def text(
        self, key: str, pattern=None, required: bool = True, max_length: int | None = None
    ) -> str:
        value = self.data.get(key)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or not value.strip():
            self.fail(f"champ « {key} » absent ou vide.")
        value = value.strip()
        problem = text_problem(value, f"champ « {key} »", max_length)
        if problem:
            self.fail(problem)
        if pattern is not None and not pattern.fullmatch(value):
            self.fail(f"champ « {key} » mal formé : « {value} ».")
        return value

    def population(self, key: str = "population") -> int | None:
        value = self.data.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            return None
        # PostgreSQL's integer column stops there (SQLite would store more): no commune nor EPCI
        # comes near, so a larger number is a broken file.
        if value > POPULATION_MAX:
            self.fail(f"champ « {key} » hors limites : {value}.")
        return value

    def postal_codes(self) -> str:
        codes = self.data.get("codesPostaux")
        if not isinstance(codes, list):
            return ""
        for code in codes:
            if not isinstance(code, str) or not POSTAL_CODE.fullmatch(code):
                self.fail(f"code postal mal formé : « {code} ».")
        joined = " ".join(sorted(set(codes)))
        if len(joined) > POSTAL_CODES_MAX:
            self.fail(
                f"trop de codes postaux : {len(codes)} ({POSTAL_CODES_MAX} caractères au plus)."
            )
        return joined

    def tncc(self) -> int | None:
        value = self.data.get("typeLiaison")
        return value if isinstance(value, int) and 0 <= value <= 8 else None


def read_decoupage(path: Path) -> Reference:
    """Read one JSON file, recognised by its name (communes.json, epci.json…)."""
    name = path.stem
    if name not in FILES:
        raise ImportFailure(
            path, None, "fichier non reconnu : attendu " + ", ".join(f"{n}.json" for n in FILES)
        )
    reference = Reference(paths=[str(path)])
    items = [_Item(path, i, data) for i, data in enumerate(_load(path), start=1)]
    if name == "regions":
        reference.regions = [
            Place(
                item.text("code", REGION_CODE),
                item.text("nom", max_length=NAME_MAX),
                tncc=item.tncc(),
            )
            for item in items
        ]
    elif name == "departements":
        reference.departements = [
            Place(
                item.text("code", DEPARTEMENT_CODE),
                item.text("nom", max_length=NAME_MAX),
                parent=item.text("region", REGION_CODE),
                tncc=item.tncc(),
            )
            for item in items
        ]
    elif name == "communes":
        reference.communes = [
            Place(
                item.text("code", COMMUNE_CODE),
                item.text("nom", max_length=COMMUNE_NAME_MAX),
                parent=item.text("departement", DEPARTEMENT_CODE),
                tncc=item.tncc(),
                siren=item.text("siren", SIREN, required=False),
                population=item.population(),
                postal_codes=item.postal_codes(),
            )
            for item in items
            if item.data.get("type") == "commune-actuelle"
        ]
        reference.arrondissements = [
            Place(
                item.text("code", COMMUNE_CODE),
                item.text("nom", max_length=NAME_MAX),
                parent=item.text("commune", COMMUNE_CODE),
                tncc=item.tncc(),
                population=item.population(),
                postal_codes=item.postal_codes(),
            )
            for item in items
            if item.data.get("type") == "arrondissement-municipal"
        ]
    else:
        reference.epcis = []
        for item in items:
            kind = EPCI_TYPES.get(item.data.get("type"))
            if kind is None:
                item.fail(f"type d'EPCI inconnu : « {item.data.get('type')} ».")
            members = item.data.get("membres")
            if not isinstance(members, list):
                item.fail("champ « membres » absent.")
            codes = []
            for member in members:
                code = member.get("code") if isinstance(member, dict) else None
                if not isinstance(code, str) or not COMMUNE_CODE.fullmatch(code):
                    item.fail(f"code de commune membre mal formé : « {code} ».")
                codes.append(code)
            reference.epcis.append(
                Epci(
                    item.text("code", SIREN),
                    item.text("nom", max_length=NAME_MAX),
                    kind,
                    codes,
                    population=item.population("populationMunicipale"),
                )
            )
    return reference

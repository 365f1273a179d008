"""Read INSEE's Code officiel géographique CSV files (v_region, v_departement, v_commune).

Comma-separated UTF-8 with a header row; headers are upper-case in recent years and lower-case
in older ones, so they are compared without case. Each file is recognised by its columns, not
its name. `TYPECOM == COM` rows are current communes and `ARM` rows municipal arrondissements
(inside the commune named by `COMPARENT`); COMA and COMD rows, associated or delegated
communes, are skipped.
"""

from pathlib import Path

from imports.errors import ImportFailure
from imports.files import CsvFile
from imports.sources import COMMUNE_NAME_MAX, NAME_MAX, Place, Reference
from imports.validation import COMMUNE_CODE, DEPARTEMENT_CODE, REGION_CODE, check_text

REGION_COLUMNS = ("REG", "TNCC", "LIBELLE")
DEPARTEMENT_COLUMNS = ("DEP", "REG", "TNCC", "LIBELLE")
COMMUNE_COLUMNS = ("TYPECOM", "COM", "DEP", "TNCC", "LIBELLE")


def _tncc(reader: CsvFile, value: str) -> int:
    if not (value.isdigit() and int(value) <= 8):
        raise ImportFailure(reader.path, reader.line, f"TNCC mal formé : « {value} » (0 à 8).")
    return int(value)


def _code(reader: CsvFile, column: str, value: str, pattern) -> str:
    value = value.strip()
    if not pattern.fullmatch(value):
        raise ImportFailure(reader.path, reader.line, f"{column} mal formé : « {value} ».")
    return value


def read_cog(path: Path) -> Reference:
    """Read one COG CSV file into a `Reference` (régions, départements or communes)."""
    reference = Reference(paths=[str(path)])
    with CsvFile(path) as reader:
        if reader.has("TYPECOM"):
            kind, columns = "communes", COMMUNE_COLUMNS
        elif reader.has("DEP"):
            kind, columns = "departements", DEPARTEMENT_COLUMNS
        elif reader.has("REG"):
            kind, columns = "regions", REGION_COLUMNS
        else:
            raise ImportFailure(
                path,
                1,
                "fichier du COG non reconnu : colonnes TYPECOM (communes), DEP (départements) "
                "ou REG (régions) attendues.",
            )
        reader.require(columns, f"le fichier des {kind} du COG")
        col = {name: reader.index(name) for name in columns}
        if reader.has("COMPARENT"):
            col["COMPARENT"] = reader.index("COMPARENT")
        places, arrondissements = [], []
        for _line, cells in reader.rows():

            def cell(name, cells=cells):
                return cells[col[name]].strip()

            label = cell("LIBELLE")
            if not label:
                raise ImportFailure(path, reader.line, "LIBELLE vide.")
            is_commune = kind == "communes" and cell("TYPECOM") == "COM"
            check_text(
                label, "LIBELLE", COMMUNE_NAME_MAX if is_commune else NAME_MAX, path, reader.line
            )
            if kind == "regions":
                code = _code(reader, "REG", cell("REG"), REGION_CODE)
                places.append(Place(code, label, tncc=_tncc(reader, cell("TNCC"))))
            elif kind == "departements":
                code = _code(reader, "DEP", cell("DEP"), DEPARTEMENT_CODE)
                region = _code(reader, "REG", cell("REG"), REGION_CODE)
                places.append(Place(code, label, region, _tncc(reader, cell("TNCC"))))
            elif cell("TYPECOM") == "COM":
                code = _code(reader, "COM", cell("COM"), COMMUNE_CODE)
                dep = _code(reader, "DEP", cell("DEP"), DEPARTEMENT_CODE)
                places.append(Place(code, label, dep, _tncc(reader, cell("TNCC"))))
            elif cell("TYPECOM") == "ARM" and "COMPARENT" in col:
                code = _code(reader, "COM", cell("COM"), COMMUNE_CODE)
                commune = _code(reader, "COMPARENT", cell("COMPARENT"), COMMUNE_CODE)
                arrondissements.append(Place(code, label, commune, _tncc(reader, cell("TNCC"))))
        setattr(reference, kind, places)
        if kind == "communes":
            reference.arrondissements = arrondissements
    return reference

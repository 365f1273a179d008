"""The Table Schema of every export, built from its columns (docs/architecture.md, « Données
ouvertes »).

Each `Column` of `public/exporters.py` carries its French title and description, its type and
the shape of its values; `table_schema` turns an `Exporter` into the Frictionless Table
Schema served beside its CSV (`/pactes/schema.json`…) and packed in the open-data ZIP, and
`csv_dialect` describes the CSV dialect of `public/csv_format.py`. One list of columns serves
the file, its schema and its spreadsheet: a column cannot be exported without being described.
"""

import re

from public.csv_format import MULTI_SEPARATOR, Column, Exporter
from public.params import SLUG as SLUG_PARAM

# The shapes of the official identifiers, as schema.data.gouv.fr writes them (etalab/schema-irve:
# `siren_amenageur` is `^\d{9}$`, `code_insee_commune` five characters, Corsica's 2A and 2B).
SIREN = r"[0-9]{9}"
COMMUNE_CODE = r"[0-9][0-9AB][0-9]{3}"
# The INSEE code of a département (`01`–`95`, `2A`, `2B`, `971`–`976`) or of an overseas
# collectivity that the COG lists beside them (`975`, `977`, `978`, `984`, `986`–`989`).
DEPARTEMENT_CODE = r"[0-9]{2}|2[AB]|9[78][0-9]"
# A territory's official code: INSEE for a région (2 digits), a département, a commune or a
# municipal arrondissement (5 characters), SIREN for an intercommunality or a PETR.
TERRITORY_CODE = r"[0-9][0-9AB][0-9]{0,3}|[0-9]{9}"
SLUG = SLUG_PARAM

LICENCE = {
    "name": "etalab-2.0",
    "title": "Licence Ouverte / Open Licence version 2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}
# Missing values are empty cells: the CSV writes nothing for an unknown date or code.
MISSING_VALUES = [""]


def value_pattern(column: Column) -> str | None:
    """The regular expression a whole cell of `column` matches (Table Schema patterns are
    anchored): one value, or several joined by ` | ` when the column holds several."""
    if column.pattern is None:
        return None
    if not column.multiple:
        return column.pattern
    one = f"(?:{column.pattern})"
    return f"{one}(?:{re.escape(MULTI_SEPARATOR)}{one})*"


def field_descriptor(column: Column) -> dict:
    """The Table Schema field of one column."""
    description = column.description
    if column.multiple:
        description += f" Plusieurs valeurs sont séparées par « {MULTI_SEPARATOR.strip()} »."
    if column.maps_to:
        description += f" Correspond au champ {column.maps_to} des schémas de schema.data.gouv.fr."
    field = {
        "name": column.header,
        "title": column.title,
        "description": description,
        "type": column.type,
    }
    if column.format is not None:
        field["format"] = column.format
    if column.type == "boolean":
        field["trueValues"], field["falseValues"] = ["oui"], ["non"]
    if column.example is not None:
        field["example"] = column.example
    constraints = {}
    if column.required:
        constraints["required"] = True
    if column.unique:
        constraints["unique"] = True
    if (pattern := value_pattern(column)) is not None:
        constraints["pattern"] = pattern
    if column.enum is not None:
        constraints["enum"] = list(column.enum)
    if constraints:
        field["constraints"] = constraints
    return field


def table_schema(exporter: Exporter) -> dict:
    """The Table Schema of `exporter`'s CSV: one field per column, in the file's order."""
    schema = {
        "name": exporter.identifier,
        "title": exporter.title,
        "description": exporter.description,
        "licenses": [LICENCE],
        "missingValues": MISSING_VALUES,
        "fields": [field_descriptor(column) for column in exporter.columns],
    }
    unique = [c.header for c in exporter.columns if c.unique and c.required]
    if unique:
        schema["primaryKey"] = unique[0]
    return schema


def csv_dialect() -> dict:
    """The CSV dialect of every export (`public/csv_format.py`), as Frictionless reads it."""
    return {
        "delimiter": ";",
        "lineTerminator": "\r\n",
        "quoteChar": '"',
        "doubleQuote": True,
        "header": True,
    }

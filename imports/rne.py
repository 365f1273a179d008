"""Read the files of the Répertoire national des élus (RNE), one CSV per kind of council.

The kind of file is recognised from its header (columns are read by name, never by position):

| file                          | recognised by                        | body        | source    |
| ----------------------------- | ------------------------------------ | ----------- | --------- |
| conseillers communautaires    | `N° SIREN`                           | EPCI        | `rne-epci`|
| conseillers départementaux    | `Code du canton`                     | département | `rne-cd`  |
| conseillers régionaux         | `Code de la section départementale`  | région      | `rne-cr`  |
| conseillers municipaux        | `Code de la commune`                 | commune     | `rne-cm`  |

Each row is validated on its own line; a function's label (« Premier adjoint au maire ») is
mapped to a `Function` and kept when it says more than the usual title. What is done with the
rows is `imports.elus`.
"""

import datetime
import re
from dataclasses import dataclass

from core.text import search_key
from imports.errors import ImportFailure
from imports.files import CsvFile
from imports.validation import COMMUNE_CODE, DEPARTEMENT_CODE, REGION_CODE, SIREN, check_text
from people.models import FUNCTION_TITLES, Function, Mandate, Person
from territories.models import EPCI_KINDS, BodyKind, TerritoryKind

# Column widths checked on each line, so that a long value is refused with its line rather than
# cut (it was) or refused by PostgreSQL alone.
LAST_NAME_MAX = Person._meta.get_field("last_name").max_length
FIRST_NAME_MAX = Person._meta.get_field("first_name").max_length
LABEL_MAX = Mandate._meta.get_field("label").max_length

COMMON = (
    "Nom de l'élu",
    "Prénom de l'élu",
    "Code sexe",
    "Date de naissance",
    "Libellé de la fonction",
    "Date de début du mandat",
    "Date de début de la fonction",
)


@dataclass(frozen=True)
class FileKind:
    """One kind of RNE file: its council, the column naming the body, the mandates' source."""

    label: str
    source: str
    code_column: str
    pattern: re.Pattern
    body_kind: str
    territory_kinds: tuple[str, ...]


CM = FileKind(
    "conseillers municipaux",
    "rne-cm",
    "Code de la commune",
    COMMUNE_CODE,
    BodyKind.COMMUNE,
    (TerritoryKind.COMMUNE,),
)
EPCI = FileKind(
    "conseillers communautaires", "rne-epci", "N° SIREN", SIREN, BodyKind.EPCI, EPCI_KINDS
)
CD = FileKind(
    "conseillers départementaux",
    "rne-cd",
    "Code du département",
    DEPARTEMENT_CODE,
    BodyKind.DEPARTEMENT,
    (TerritoryKind.DEPARTEMENT,),
)
CR = FileKind(
    "conseillers régionaux",
    "rne-cr",
    "Code de la région",
    REGION_CODE,
    BodyKind.REGION,
    (TerritoryKind.REGION,),
)


def file_kind(reader: CsvFile) -> FileKind:
    """Which RNE file this is, from its header; refuse any other file on line 1."""
    if reader.has("N° SIREN"):
        kind = EPCI
    elif reader.has("Code du canton"):
        kind = CD
    elif reader.has("Code de la section départementale"):
        kind = CR
    elif reader.has("Code de la commune"):
        kind = CM
    else:
        raise ImportFailure(
            reader.path,
            1,
            "fichier du Répertoire national des élus non reconnu : une colonne « Code de la "
            "commune », « N° SIREN », « Code du canton » ou « Code de la section "
            "départementale » est attendue.",
        )
    reader.require((*COMMON, kind.code_column), f"le fichier des {kind.label}")
    return kind


# The usual titles of each function, as search keys: a label that says no more is not kept.
USUAL_TITLE_KEYS = {
    function: {search_key(title) for title in titles}
    for function, titles in FUNCTION_TITLES.items()
}


def function_of(label: str) -> tuple[str, str]:
    """Map `Libellé de la fonction` to (Mandate.function, label to keep); empty → conseiller."""
    key = search_key(label)
    if not key:
        return Function.COUNCILLOR, ""
    if "adjoint" in key:
        function = Function.DEPUTY_MAYOR
    elif key.startswith("maire") and "delegue" not in key:
        function = Function.MAYOR
    elif "vice president" in key:
        function = Function.VICE_PRESIDENT
    elif "president" in key:
        function = Function.COMMITTEE_CHAIR if "commission" in key else Function.PRESIDENT
    elif "delegue" in key:
        function = Function.DELEGATE
    elif key.startswith(("conseiller", "membre")):
        function = Function.COUNCILLOR
    else:
        function = Function.OTHER
    # The usual title needs no label; « 2e adjoint au maire » or « Président du conseil
    # départemental » says more and is kept as written.
    return function, "" if key in USUAL_TITLE_KEYS[function] else label.strip()


def parse_date(value: str, path, line: int, column: str) -> datetime.date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return datetime.datetime.strptime(value, "%d/%m/%Y").date()
    except ValueError as error:
        raise ImportFailure(
            path, line, f"{column} mal formée : « {value} » (format attendu : jj/mm/aaaa)."
        ) from error


PARTICLES = {"de", "du", "des"}


def display_name(name: str) -> str:
    """« DUPONT-MOREAU » → « Dupont-Moreau », « MARTIN DE LA TOUR » → « Martin de La Tour ».

    RNE names are upper case; the site shows them as people write them, as the demo data does.
    A name already in mixed case is kept as written.
    """
    name = " ".join(name.split())
    if name != name.upper():
        return name
    words = []
    for i, word in enumerate(name.lower().split(" ")):
        if i and word in PARTICLES:
            words.append(word)
        else:
            words.append("".join(p[:1].upper() + p[1:] for p in re.split(r"([-'’])", word)))
    return " ".join(words)


def parse_row(reader: CsvFile, kind: FileKind, columns: dict[str, int], line: int, cells) -> tuple:
    """One row validated: (last, first, gender, birth, code, function, label, start).

    The start is the function's when the file gives one, else the mandate's. Any bad value
    refuses the file on this line.
    """
    path = reader.path

    def cell(name):
        return cells[columns[name]].strip()

    last, first = cell("Nom de l'élu"), cell("Prénom de l'élu")
    if not last or not first:
        raise ImportFailure(path, line, "nom ou prénom de l'élu vide.")
    check_text(last, "Nom de l'élu", LAST_NAME_MAX, path, line)
    check_text(first, "Prénom de l'élu", FIRST_NAME_MAX, path, line)
    function_label = check_text(
        cell("Libellé de la fonction"), "Libellé de la fonction", LABEL_MAX, path, line
    )
    gender = cell("Code sexe").upper()
    if gender not in {"M", "F", ""}:
        raise ImportFailure(path, line, f"Code sexe mal formé : « {gender} » (M ou F).")
    birth = parse_date(cell("Date de naissance"), path, line, "Date de naissance")
    mandate_start = parse_date(
        cell("Date de début du mandat"), path, line, "Date de début du mandat"
    )
    function_start = parse_date(
        cell("Date de début de la fonction"), path, line, "Date de début de la fonction"
    )
    code = cell(kind.code_column).upper()
    if not kind.pattern.match(code):
        raise ImportFailure(path, line, f"{kind.code_column} mal formé : « {code} ».")
    function, label = function_of(function_label)
    return (last, first, gender, birth, code, function, label, function_start or mandate_start)

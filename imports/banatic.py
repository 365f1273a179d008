"""Read the PETR and their member EPCI from a BANATIC export (DGCL's intercommunal groupings).

BANATIC lists one row per (groupement, membre). Only rows whose `Nature juridique` is `PETR`
are read; their members are EPCI, identified by `Siren membre`, so a PETR's communes follow
through the EPCI by containment. The export is `;`-separated and often Latin-1: it is read as
UTF-8 and refused otherwise, with the line at fault.

What is done with them is `imports.petr`.
"""

from dataclasses import dataclass, field
from pathlib import Path

from imports.errors import ImportFailure
from imports.files import CsvFile
from imports.sources import NAME_MAX
from imports.validation import SIREN, check_text

COLUMNS = ("N° SIREN", "Nom du groupement", "Nature juridique", "Siren membre")


@dataclass
class Petr:
    """A PETR of the export: its SIREN, its name and the SIREN of its member EPCI."""

    code: str
    name: str
    members: list[str] = field(default_factory=list)


def read_banatic(path: Path) -> list[Petr]:
    """The PETR of a BANATIC export and the SIREN of their members, validated."""
    petrs: dict[str, Petr] = {}
    with CsvFile(path) as reader:
        reader.require(COLUMNS, "un export BANATIC des groupements et de leurs membres")
        siren, name, nature, member = (reader.index(c) for c in COLUMNS)
        for line, cells in reader.rows():
            if cells[nature].strip().upper() != "PETR":
                continue
            code, member_code = cells[siren].strip(), cells[member].strip()
            if not SIREN.match(code):
                raise ImportFailure(path, line, f"N° SIREN mal formé : « {code} » (9 chiffres).")
            if member_code and not SIREN.match(member_code):
                raise ImportFailure(
                    path, line, f"Siren membre mal formé : « {member_code} » (9 chiffres)."
                )
            label = cells[name].strip()
            if not label:
                raise ImportFailure(path, line, "Nom du groupement vide.")
            check_text(label, "Nom du groupement", NAME_MAX, path, line)
            petr = petrs.setdefault(code, Petr(code, label))
            if member_code and member_code not in petr.members:
                petr.members.append(member_code)
    return list(petrs.values())

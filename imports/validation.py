"""Checking values from a source before they reach the database: official codes and text.

A value longer than its column is refused here rather than cut: PostgreSQL would refuse it and
SQLite would store it whole, and a cut name is wrong data imported silently.
"""

import re

from imports.errors import ImportFailure

COMMUNE_CODE = re.compile(r"^[0-9][0-9AB][0-9]{3}$")
# Overseas départements and collectivities (971…989) have three-character codes.
DEPARTEMENT_CODE = re.compile(r"^(?:[0-9]{2}|2A|2B|9[78][0-9])$")
REGION_CODE = re.compile(r"^[0-9]{2,3}$")
SIREN = re.compile(r"^[0-9]{9}$")

# Control characters never belong in a name; NUL is refused by PostgreSQL and kept by SQLite.
CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f]")


def departement_of(commune_code: str) -> str:
    """The département code a commune code starts with (three characters overseas)."""
    return commune_code[:3] if commune_code.startswith(("97", "98")) else commune_code[:2]


def text_problem(value: str, what: str, max_length: int | None = None) -> str | None:
    """Why `value` (the field `what`) cannot be stored, in French, or None when it can."""
    bad = CONTROL_CHARACTER.search(value)
    if bad:
        return (
            f"{what} contient un caractère de contrôle (U+{ord(bad.group()):04X}) en position "
            f"{bad.start() + 1} : le fichier est endommagé."
        )
    if max_length is not None and len(value) > max_length:
        return (
            f"{what} trop long : {len(value)} caractères, {max_length} au plus (« {value[:40]}… »)."
        )
    return None


def check_text(value: str, what: str, max_length: int | None, path, line: int | None) -> str:
    """`value`, or an ImportFailure naming the file, the line and the reason."""
    problem = text_problem(value, what, max_length)
    if problem:
        raise ImportFailure(path, line, problem)
    return value

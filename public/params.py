"""GET parameters as the public lists read them: cleaned, checked on their shape, re-encoded.

Validation checks the shape of a value, never whether something published matches: that is
the filter's answer (possibly an empty list), not a reason to drop the filter and show
everything (docs/architecture.md, « Filters never widen »).
"""

import re
from urllib.parse import urlencode

# Long enough for any real search or slug; longer values are cut rather than sent to the
# database (a megabyte of `q` would otherwise turn into a megabyte LIKE pattern).
MAX_PARAM_LENGTH = 200

# Shapes of well-formed values.
YEAR = r"(?!0000)[0-9]{4}"  # year 0 does not exist for Python's dates
# Metropolitan 01–95 and Corsica's 2A/2B, overseas 971–976; compared upper-cased.
DEPARTEMENT_CODE = r"0[1-9]|[1-8][0-9]|9[0-5]|2[AB]|97[1-6]"
SLUG = r"[-a-zA-Z0-9_]+"  # Django's SlugField
YEAR_HINT = "attendu : une année à quatre chiffres, par exemple 2019"
DEPARTEMENT_HINT = "attendu : un code de département, par exemple 52, 2A ou 971"
SLUG_HINT = "attendu : un nom d'URL fait de lettres sans accents, de chiffres et de tirets"


# Control characters XML 1.0 refuses (an Atom feed's title shows the filters applied).
CONTROL_CHARACTERS = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f]")


def clean_value(value: str) -> str:
    """Strip NUL bytes (PostgreSQL refuses them in text), replace the other control
    characters by « � » (still a value that matches nothing, never an absent filter), and cap
    the length."""
    value = CONTROL_CHARACTERS.sub("\ufffd", value.replace("\x00", ""))
    return value.strip()[:MAX_PARAM_LENGTH]


def one_of_hint(choices) -> str:
    return "attendu : " + ", ".join(str(value) for value, _ in choices)


def query_string(params: dict[str, str], **changes) -> str:
    """Encode `params` with `changes` applied (a value of None removes the key)."""
    merged = {k: v for k, v in params.items() if v}
    for key, value in changes.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return urlencode(merged)

"""GET parameters as the public lists read them: cleaned, checked on their shape, re-encoded.

Validation checks the shape of a value, never whether something published matches: that is
the filter's answer (possibly an empty list), not a reason to drop the filter and show
everything (docs/architecture.md, « Filters never widen »).
"""

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


def clean_value(value: str) -> str:
    """Strip NUL bytes (PostgreSQL refuses them in text) and cap the length."""
    return value.replace("\x00", "").strip()[:MAX_PARAM_LENGTH]


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

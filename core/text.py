"""Text helpers shared by every app: search keys, slugs and official identifiers."""

import itertools
import unicodedata
from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify


def search_key(*parts: str | None) -> str:
    """Return the accent-stripped, casefolded form stored in `search_text` columns.

    SQLite has no `unaccent` and its LIKE folds ASCII only, so search compares stored keys
    built here with keys built the same way from the query: identical on both databases.
    """
    text = " ".join(p for p in parts if p)
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    # Hyphens and apostrophes separate words in French names ("Heliot-Couronne", "Plein'Est").
    for char in "-'’":
        stripped = stripped.replace(char, " ")
    return " ".join(stripped.split())


# More words than this add nothing to a search but cost one more condition each.
MAX_SEARCH_WORDS = 8

# Abbreviations people type for the words official names spell out (« St-Dizier »).
ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}


def search_words(query: str, limit: int | None = MAX_SEARCH_WORDS) -> list[str]:
    """The words of `query` as they are compared with `search_text` columns."""
    words = [ABBREVIATIONS.get(word, word) for word in search_key(query).split()]
    return words[:limit]


class SearchQuerySet(models.QuerySet):
    """QuerySet of a model with a `search_text` column built by `search_key`."""

    def search(self, query: str):
        """Rows whose search key contains every word of `query`, case and accents ignored."""
        qs = self
        for word in search_words(query):
            qs = qs.filter(search_text__contains=word)
        return qs


def slug_candidates(base: str, max_length: int = 200, start: int = 1) -> Iterator[tuple[int, str]]:
    """(n, slug) for n = start, start + 1…: the slugified `base`, then `base-2`, `base-3`…"""
    root = slugify(base)[:max_length].strip("-") or "sans-nom"
    for n in itertools.count(start):
        suffix = f"-{n}" if n > 1 else ""
        yield n, root[: max_length - len(suffix)] + suffix


def unique_slug(model, base: str, *, instance_pk=None, max_length: int = 200) -> str:
    """The first of `slug_candidates(base)` that no other row of `model` uses."""
    others = model._default_manager.all()
    if instance_pk is not None:
        others = others.exclude(pk=instance_pk)
    return next(
        slug
        for _n, slug in slug_candidates(base, max_length)
        if not others.filter(slug=slug).exists()
    )


def luhn_valid(digits: str) -> bool:
    """Luhn checksum, as used by SIREN numbers."""
    total = 0
    for i, char in enumerate(reversed(digits)):
        d = int(char)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def validate_siren(value: str) -> None:
    """A SIREN has exactly 9 digits and passes the Luhn check."""
    if not (len(value) == 9 and value.isascii() and value.isdigit()):
        raise ValidationError(
            "Un SIREN comporte exactement 9 chiffres (reçu : « %(value)s »).",
            code="siren_format",
            params={"value": value},
        )
    if not luhn_valid(value):
        raise ValidationError(
            "Le SIREN « %(value)s » est invalide (clé de contrôle de Luhn incorrecte).",
            code="siren_luhn",
            params={"value": value},
        )

"""Text helpers shared by every app: search keys, slugs and official identifiers."""

import itertools
import re
import unicodedata
from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify


def _folded(text: str) -> str:
    """`text` casefolded, without accents (« Épinal » → « epinal »)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def search_key(*parts: str | None) -> str:
    """Return the accent-stripped, casefolded form stored in `search_text` columns.

    SQLite has no `unaccent` and its LIKE folds ASCII only, so search compares stored keys
    built here with keys built the same way from the query: identical on both databases.
    """
    stripped = _folded(" ".join(p for p in parts if p))
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


# Legal forms that open the names of intercommunalities and other bodies, folded as
# `sort_key` folds a name; the longest first, so that « syndicat mixte » wins over « syndicat ».
# Not « ville »: Ville-sur-Illon and Ville-d'Avray are communes.
LEGAL_FORMS = sorted(
    (
        "communaute d agglomeration",
        "communaute de communes",
        "communaute urbaine",
        "metropole europeenne",
        "metropole",
        "pole d equilibre territorial et rural",
        "petr",
        "ca",
        "cc",
        "cu",
        "etablissement public territorial",
        "syndicat mixte",
        "syndicat intercommunal",
        "syndicat",
        "conseil departemental",
        "conseil regional",
        "departement",
        "region",
        "commune",
    ),
    key=len,
    reverse=True,
)
ARTICLES = frozenset({"le", "la", "les", "l", "de", "du", "des", "d"})
# After a legal form, the area an intercommunality is named for: « Communauté de communes du
# Bassin de Joinville » sorts under Joinville, « PETR du Pays de Langres » under Langres.
AREA_WORDS = frozenset({"pays", "bassin"})
# Between the parts of a key: below every letter and digit (and above the space), so that a
# part is compared whole before the next one (« Dupont / Zoé » before « Dupont-Martin »).
SORT_SEPARATOR = " / "
# Numbers are compared as numbers: « Paris 2e » before « Paris 10e ».
SORT_NUMBER_WIDTH = 6
LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})


def _sort_words(text: str) -> list[str]:
    """The words of `text` as `sort_key` compares them: folded, punctuation as spaces,
    « St » read as « saint »."""
    folded = _folded(text).translate(LIGATURES)
    spaced = "".join(c if c.isalnum() else " " for c in folded)
    return [ABBREVIATIONS.get(word, word) for word in spaced.split()]


def _reading_words(words: list[str]) -> list[str]:
    """`words` without a leading legal form, then without leading articles (and, after a
    legal form, « pays » and « bassin »); never none."""
    text, dropped = " ".join(words), ARTICLES
    for form in LEGAL_FORMS:
        if text.startswith(form + " "):
            words, dropped = words[len(form.split()) :], ARTICLES | AREA_WORDS
            break
    while len(words) > 1 and words[0] in dropped:
        words = words[1:]
    return words


def sort_key(*parts: str | None, reading: bool = True) -> str:
    """The key stored in `sort_key` columns: rows ordered by it read as a French index.

    Each part is casefolded and stripped of accents (as `search_key`), « œ » read « oe »,
    punctuation read as a space, « St » as « saint », and numbers padded so that they compare
    as numbers. With `reading` (names of territories and bodies), the first part loses a
    leading legal form (« Communauté de communes », « CA », « Syndicat mixte »…) and then its
    leading articles (« le », « la », « les », « l' », « de », « du », « des », « d' »; after a
    legal form, « pays » and « bassin » too), and is followed by the whole name to break
    ties: « CA d'Épinal » → « epinal / ca d epinal », just after « Épinal » (« epinal »).
    People call it with `reading=False` (last name, first name): a particle is part of a
    surname. The parts are joined by ` / `, so a part is compared whole before the next.
    The keys compare by code point: the PostgreSQL column has the "C" collation, SQLite
    compares bytes.
    """
    keys = []
    for n, part in enumerate(p for p in parts if p):
        words = _sort_words(part)
        if not words:
            continue
        if reading and n == 0:
            shown = _reading_words(words)
            if shown != words:
                keys.append(" ".join(shown))
        keys.append(" ".join(words))
    key = SORT_SEPARATOR.join(keys)
    return re.sub(r"[0-9]+", lambda m: m.group().zfill(SORT_NUMBER_WIDTH), key)


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

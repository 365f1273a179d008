"""What a filter value names, worked out once, before any row is filtered.

A value such as `organisme=region-grand-est`, `territoire=saint-dizier` or `departement=52`
names something that must be looked up first. The lookup decides both how the rows are
narrowed and what the page says (the name shown for the value, why nothing matches, why an
export is refused, the candidates of an ambiguous name); filtering then only applies it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet


def _nothing(queryset: QuerySet) -> QuerySet:
    return queryset.none()


@dataclass(frozen=True)
class Resolution:
    """The outcome of looking up one filter value."""

    # Keeps the rows of what the value names; by default, none (the value names nothing).
    narrow: Callable[[QuerySet], QuerySet] = _nothing
    # How the active filter names the value (« Haute-Marne (52) » rather than « 52 »).
    shown: str | None = None
    # Why a well-formed value matches nothing (« Aucun département n'a le code « 99 ». »).
    finding: str | None = None
    # Why an export of this value would not be the list asked for.
    refusal: str | None = None
    # The territories an ambiguous value may name, for the page to list.
    candidates: tuple = ()

    @classmethod
    def found(cls, narrow: Callable[[QuerySet], QuerySet], shown: str) -> "Resolution":
        return cls(narrow=narrow, shown=shown)

    @classmethod
    def not_found(cls, finding: str) -> "Resolution":
        return cls(finding=finding)

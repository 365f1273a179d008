"""Writing many rows without a query per row: batch sizes, chunked lookups, slugs in memory.

Bulk writes bypass the models' `save()`, so slugs are computed here, against a set of the
slugs already taken, rather than by `core.text.unique_slug` and its queries.
"""

from collections.abc import Iterable, Iterator

from core.text import slug_candidates

# Rows per INSERT or UPDATE statement: small enough for SQLite's variable limit with every
# column of a row, large enough to keep round trips few.
BATCH_SIZE = 500


def in_chunks(items: list, size: int = 900) -> Iterator[list]:
    """Slices of `items`, for `pk__in` lookups that must stay under SQLite's variable limit."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


class SlugPool:
    """Unique slugs like `core.text.unique_slug`, checked against a set, not queries."""

    def __init__(self, existing: Iterable[str], max_length: int = 200):
        self.taken = set(existing)
        self.max_length = max_length
        self._next: dict[str, int] = {}

    def take(self, base: str) -> str:
        """A slug for `base` that no row has taken yet, reserved at once."""
        _first, root = next(slug_candidates(base, self.max_length))
        # Resume where this root last stopped: importing 500 « Saint-Martin » stays linear.
        start = self._next.get(root, 1)
        n, candidate = next(
            (n, slug)
            for n, slug in slug_candidates(base, self.max_length, start)
            if slug not in self.taken
        )
        self._next[root] = n
        self.taken.add(candidate)
        return candidate

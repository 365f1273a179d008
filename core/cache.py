"""The data version: one token that changes with every write to published data.

The public pages are cached under keys that include this token (docs/architecture.md,
« Cache »): changing it makes every cached page unreachable at once, so nothing stale is
served. It lives in the shared cache itself (`CACHES["default"]`: the database table, or
Redis), so every process of every server sees the same one.

Whoever writes data the public site shows calls `data_changed()`: the `public` app's signal
receivers for every saved or deleted row, the imports at the end of a run (bulk writes send no
signal), the containment rebuild.
"""

import functools
import logging
import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TypeVar

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)
T = TypeVar("T")

VERSION_KEY = "data-version"
# The version read once for the current request (`read_once`): None outside a request.
_request_version: ContextVar[dict | None] = ContextVar("request_data_version", default=None)
# What this process last read of each value kept per data version: (version token, value).
_held: dict[str, tuple[str, object]] = {}


@dataclass(frozen=True)
class DataVersion:
    """A random `token`, new at each change, and when that change was committed (epoch s)."""

    token: str
    changed_at: float


def _new_version() -> DataVersion:
    return DataVersion(token=secrets.token_hex(16), changed_at=time.time())


def _bump() -> None:
    cache.set(VERSION_KEY, _new_version(), timeout=None)
    pinned = _request_version.get()
    if pinned is not None:
        pinned.clear()  # this request's later reads see the new version


@contextmanager
def read_once() -> Iterator[None]:
    """Within the block (one request), `data_version()` reads the shared cache once.

    A page asks for it several times (the page cache's key, each `per_data_version` value):
    one read instead of one per use, and every derived value of the page then belongs to the
    same version as the page stored under it. A change committed by this request itself
    (`_bump`) forgets it.
    """
    token = _request_version.set({})
    try:
        yield
    finally:
        _request_version.reset(token)


def data_version() -> DataVersion | None:
    """The current version; a fresh one when the cache lost it (evicted, cleared).

    A lost version is replaced by a new random token, never by an earlier one, so losing it
    only costs cache misses. `add` lets one process win when several find it missing. None
    when the cache keeps nothing (dummy backend): then nothing may be cached.
    """
    pinned = _request_version.get()
    if pinned is not None and "version" in pinned:
        return pinned["version"]
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, _new_version(), timeout=None)
        version = cache.get(VERSION_KEY)
    version = version if isinstance(version, DataVersion) else None
    if pinned is not None:
        pinned["version"] = version
    return version


def data_changed(using: str = DEFAULT_DB_ALIAS) -> None:
    """Change the data version once the current transaction commits (now, outside one).

    After the commit, not before: a page rendered meanwhile by another process still reads the
    old rows, and must not be stored under the new version. A rolled-back transaction changes
    nothing and bumps nothing. One bump per transaction however many rows it writes: the
    callback is registered only if this transaction (savepoints included) does not hold it yet;
    Django drops the callbacks of a rolled-back savepoint, so a later write registers it again.
    """
    connection = transaction.get_connection(using)
    if connection.in_atomic_block and any(
        func is _bump for _sids, func, _robust in connection.run_on_commit
    ):
        return
    transaction.on_commit(_bump, using=using)


def per_data_version(name: str, compute: Callable[[], T]) -> T:
    """`compute()`, kept in the shared cache for as long as the data version stays the same.

    For what many pages derive alike from all published data, whatever their filters (the
    pacts each département concerns): one page in a thousand pays for it after a change,
    every other URL reads it back. The version is read before computing, so a value is never
    stored under a version newer than the rows it was read from. Inside a transaction (rows
    perhaps not committed) or without a usable cache, it is simply computed.

    A value is read back as it was stored, perhaps by the previous release: what `compute`
    returns keeps its shape under a `name`, and a new shape takes a new name.

    Each process also holds the last value it read of each name with its version: until the
    version changes, it is not read from the shared cache again (the search keys of every
    pact weigh a few hundred kilobytes). The value is shared: callers never change it.
    """
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return compute()
    try:
        version = data_version()
        held = _held.get(name)
        if version is not None and held is not None and held[0] == version.token:
            return held[1]
        stored = None if version is None else cache.get(f"derived:{name}:{version.token}")
    except Exception:
        logger.exception("Cache indisponible : valeur calculée sans cache.")
        return compute()
    if version is None:
        return compute()
    if stored is not None:
        _held[name] = (version.token, stored)
        return stored
    value = compute()
    _held[name] = (version.token, value)
    try:
        # A day at most: entries of past versions are never read again, let them expire.
        cache.set(f"derived:{name}:{version.token}", value, timeout=24 * 3600)
    except Exception:
        logger.exception("Cache indisponible : valeur non conservée.")
    return value


def kept_per_data_version(compute: Callable[[], T]) -> Callable[[], T]:
    """`compute` (no arguments) kept with `per_data_version`, under its qualified name:
    for the choices a filter offers, which every URL of a list shares."""

    @functools.wraps(compute)
    def kept() -> T:
        return per_data_version(f"{compute.__module__}.{compute.__qualname__}", compute)

    return kept


# The rows this process holds (`held_row`): (data version token and day, rows rendered for
# them). Replaced, never emptied in place: a request still reading an earlier version writes
# into the earlier dict, which no later request reads, so no row of one version is ever served
# under another.
_held_rows: tuple[tuple, dict[tuple, object]] = ((), {})
# Past this many rows the process starts again from none: a few megabytes at most.
MAX_HELD_ROWS = 20_000


def _row_store() -> dict[tuple, object] | None:
    """This process's rendered rows for the current data version and today, or None where
    rows may not be held: inside a transaction (rows perhaps not committed), or without a
    data version. Today's date is part of it: a row may show what holds today (a person's
    current mandates), as a cached page does (`public.cache`)."""
    global _held_rows
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return None
    try:
        version = data_version()
    except Exception:
        logger.exception("Cache indisponible : lignes rendues sans cache.")
        return None
    if version is None:
        return None
    token = (version.token, timezone.localdate())
    held_for, rows = _held_rows
    if held_for != token or len(rows) >= MAX_HELD_ROWS:
        rows = {}
        _held_rows = (token, rows)
    return rows


def held_row(key: tuple, render: Callable[[], T]) -> T:
    """One row of a list as shown (a pact's card in HTML, a pact of the API in JSON…), as this
    process rendered it for the current data version, or `render()`, then held.

    A row's HTML depends on its own data alone, and every list showing it (each filter, sort
    and page, the pages of a territory, body or person) shows the same: it is rendered once
    per version and process, not once per URL (docs/architecture.md, « Cache »).
    """
    rows = _row_store()
    if rows is None:
        return render()
    shown = rows.get(key)
    if shown is None:
        shown = rows[key] = render()
    return shown


def held_rows(keys: list[tuple]) -> dict[tuple, object]:
    """What this process holds of those of `keys` it has rendered (`held_row`)."""
    rows = _row_store()
    if rows is None:
        return {}
    return {key: rows[key] for key in keys if key in rows}

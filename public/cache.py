"""The public pages and exports served from the shared cache (docs/architecture.md, « Cache »).

`PublicCacheMiddleware` stores the 200 answers to anonymous GETs, headers and body, under a
key made of the data version (`core.cache`), today's date and the full URL; it answers a
matching `If-None-Match` with 304 before any other work. `connect_data_signals` changes the
data version whenever a row of `territories`, `people` or `pacts` is saved or deleted, or one
of their many-to-many links changes.
"""

import hashlib
import logging
from datetime import datetime, time

from django.apps import apps
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import http_date, parse_etags, parse_http_date_safe
from simple_history.models import HistoricalChanges

from core.cache import DataVersion, data_changed, data_version, read_once

logger = logging.getLogger(__name__)

# The apps whose rows the public site shows: any write to them changes the data version.
DATA_APPS = ("territories", "people", "pacts")
# Rows derived from others by bulk writes that call `data_changed` themselves.
DERIVED_MODELS = ("territories.TerritoryAncestor",)
# How long a reverse proxy or a CDN may keep a page (the site itself is never stale).
MAX_AGE = 60
# A cached page is unreachable after the next change or midnight; this only bounds garbage.
PAGE_TIMEOUT = 24 * 60 * 60
# A streamed export larger than this is streamed again each time rather than kept in memory.
MAX_CACHED_BYTES = 5 * 1024 * 1024
CACHE_HEADER = "X-Cache"


def _anonymous(request) -> bool:
    """No session (a member of staff, even logged out since) and no pending message."""
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and CookieStorage.cookie_name not in cookies


def _eligible(request) -> bool:
    return (
        settings.PUBLIC_PAGE_CACHE
        and request.method in ("GET", "HEAD")
        and _anonymous(request)
        and not request.path.startswith("/" + settings.ADMIN_URL)
        # A page read inside an open transaction may show rows that are not committed (or
        # later rolled back): it is neither served from nor stored in the shared cache.
        and not connections[DEFAULT_DB_ALIAS].in_atomic_block
    )


def _last_modified(version: DataVersion) -> float:
    """The last change, or today's midnight if later: pages also depend on today's date
    (current mandates), and the export's file name does."""
    midnight = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    return max(version.changed_at, midnight.timestamp())


class PublicCacheMiddleware:
    """Serve anonymous GETs of the public site from the shared cache (« Cache »)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The data version is read once for the whole request (`read_once`).
        with read_once():
            return self._respond(request)

    def _respond(self, request):
        if not _eligible(request):
            return self.get_response(request)
        try:
            version = data_version()
        except Exception:
            logger.exception("Cache indisponible : page servie sans cache.")
            version = None
        if version is None:
            return self.get_response(request)

        digest = hashlib.sha256(
            "\n".join(
                [version.token, timezone.localdate().isoformat(), request.build_absolute_uri()]
            ).encode()
        ).hexdigest()
        etag = f'"{digest[:32]}"'
        last_modified = _last_modified(version)

        # The ETag names the data version, the day and the URL: a client holding it holds
        # the current page, and is answered without reading anything else.
        if etag in parse_etags(request.headers.get("If-None-Match", "")):
            return self._not_modified(etag, last_modified)

        key = f"page:{digest}"
        try:
            cached = cache.get(key)
        except Exception:
            logger.exception("Cache indisponible : page servie sans cache.")
            cached = None
        if cached is not None:
            response = self._rebuild(cached)
            since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
            if "If-None-Match" not in request.headers and since and since >= int(last_modified):
                return self._not_modified(etag, last_modified)
            response[CACHE_HEADER] = "HIT"
            return response

        response = self.get_response(request)
        if not self._storable(request, response):
            return response
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, public=True, max_age=MAX_AGE)
        response[CACHE_HEADER] = "MISS"
        if response.streaming:
            response.streaming_content = self._tee(response, response.streaming_content, key)
        else:
            self._store(key, response, response.content)
        return response

    @staticmethod
    def _storable(request, response) -> bool:
        """A 200 that sets no cookie, allows caching and is the same for every anonymous
        visitor (a `Vary: Cookie` answer is, since only cookie-less requests come here)."""
        cache_control = response.get("Cache-Control", "")
        return (
            request.method == "GET"
            and response.status_code == 200
            and not response.cookies
            and "private" not in cache_control
            and "no-store" not in cache_control
            and not response.has_header("ETag")
        )

    @staticmethod
    def _not_modified(etag: str, last_modified: float) -> HttpResponse:
        response = HttpResponseNotModified()
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
        patch_cache_control(response, public=True, max_age=MAX_AGE)
        response["Vary"] = "Accept-Language"
        return response

    @staticmethod
    def _rebuild(cached: tuple) -> HttpResponse:
        status, headers, body = cached
        response = HttpResponse(body, status=status)
        for name, value in headers:
            response[name] = value
        response["Content-Length"] = str(len(body))
        return response

    @staticmethod
    def _store(key: str, response, body: bytes) -> None:
        headers = [
            (name, value)
            for name, value in response.items()
            if name.lower() not in ("content-length", CACHE_HEADER.lower())
        ]
        try:
            cache.set(key, (response.status_code, headers, body), timeout=PAGE_TIMEOUT)
        except Exception:
            logger.exception("Page non mise en cache.")

    def _tee(self, response, stream, key: str):
        """Stream the export as before, keeping a copy to store once it is complete.

        Stored only if the stream ends normally (a client gone or an error mid-way leaves
        nothing) and stays under `MAX_CACHED_BYTES` (larger files are streamed each time).
        """
        chunks: list[bytes] | None = []
        size = 0
        for chunk in stream:
            if chunks is not None:
                size += len(chunk)
                if size > MAX_CACHED_BYTES:
                    chunks = None
                else:
                    chunks.append(chunk)
            yield chunk
        if chunks is not None:
            self._store(key, response, b"".join(chunks))


def _changed(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    data_changed(using)


def _m2m_changed(sender, action, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    if sender._meta.app_label in DATA_APPS and action.startswith("post_"):
        data_changed(using)


def connect_data_signals() -> None:
    """Every saved or deleted row of the data apps changes the data version (« Cache »).

    Connected per model rather than for every sender: a model with a `post_delete` receiver
    loses Django's fast delete (one DELETE for a whole queryset), which the other tables keep
    this way, and so do the history rows and the derived closure (`TerritoryAncestor`), which
    the public does not read directly: `containment_rebuild` calls `data_changed` itself.
    """
    for label in DATA_APPS:
        for model in apps.get_app_config(label).get_models():
            if issubclass(model, HistoricalChanges) or model._meta.label in DERIVED_MODELS:
                continue
            post_save.connect(_changed, sender=model, dispatch_uid=f"data-changed-save-{model}")
            post_delete.connect(_changed, sender=model, dispatch_uid=f"data-changed-delete-{model}")
    m2m_changed.connect(_m2m_changed, dispatch_uid="data-changed-m2m")

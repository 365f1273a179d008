"""No visitor ties up the database (docs/architecture.md, « Protection de la base »).

`PublicStatementTimeoutMiddleware` gives every request outside the admin a PostgreSQL
`statement_timeout` (`PUBLIC_STATEMENT_TIMEOUT_MS`) and takes it off again when the response
is over, after the last byte of a streamed export too, so that a pooled connection
(`CONN_MAX_AGE`) serves staff next without the limit. Commands and imports never pass
through it. A statement cancelled by the timeout, or a database that cannot be reached,
becomes a 503 in French (`database_unavailable`, `unavailable_response`), never a 500.
"""

import logging

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

# Seconds a client is asked to wait before trying again (`Retry-After` of the 503).
RETRY_AFTER = 30
# SQLite's primary result codes that mean « busy or out of reach », not « bad query »: SQLite
# raises OperationalError for a syntax error or a missing table too, which stay 500s.
SQLITE_UNAVAILABLE = (
    "SQLITE_BUSY",
    "SQLITE_LOCKED",
    "SQLITE_CANTOPEN",
    "SQLITE_IOERR",
    "SQLITE_FULL",
    "SQLITE_NOMEM",
    "SQLITE_INTERRUPT",
    "SQLITE_PROTOCOL",
)
# Set on the connection wrapper while it carries the public timeout.
_FLAG = "public_statement_timeout_ms"


def database_unavailable(error: BaseException) -> bool:
    """Whether `error` means the database could not answer in time or at all.

    On PostgreSQL every OperationalError is about the server or the link, not the query: a
    statement cancelled by `statement_timeout` (SQLSTATE 57014), a refused or lost
    connection, too many connections, a lock or a disk that is not available. A bad query
    is a ProgrammingError and stays a 500.
    """
    if not isinstance(error, OperationalError | InterfaceError):
        return False
    sqlite_name = getattr(error.__cause__, "sqlite_errorname", None)
    if sqlite_name is not None:
        return sqlite_name.startswith(SQLITE_UNAVAILABLE)
    return True


def unavailable_response(request) -> HttpResponse:
    """The 503 a visitor gets when the database does not answer: a French page, French
    plain text for an export (`…/export.csv`), like a refused export, never a file, or
    French JSON for the API."""
    if request.path.startswith("/api/"):
        # The JSON API (docs/architecture.md, « API ») answers in JSON, like its refusals.
        response = JsonResponse(
            {"detail": "La base de données n'a pas répondu à temps. Réessayez plus tard."},
            status=503,
            json_dumps_params={"ensure_ascii": False},
        )
    elif request.path.endswith(".csv"):
        body = (
            "Export CSV indisponible : la base de données n'a pas répondu à temps. "
            "Réessayez dans quelques instants, ou restreignez la liste avec des filtres.\n"
        )
        response = HttpResponse(body, status=503, content_type="text/plain; charset=utf-8")
    else:
        # No context processor and no query: the database is what is missing.
        response = HttpResponse(render_to_string("503.html", {"request": request}), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    return response


def _applies(connection) -> bool:
    return connection.vendor == "postgresql" and settings.PUBLIC_STATEMENT_TIMEOUT_MS > 0


def _run(connection, sql: str, params=None) -> None:
    """Run `sql` on the driver's own cursor: a setting of the session, not one of the page's
    queries, so the query-count tests and the debug toolbar do not see it; errors are still
    Django's (`OperationalError`…)."""
    connection.ensure_connection()
    with connection.wrap_database_errors, connection.connection.cursor() as cursor:
        cursor.execute(sql, params)


def set_statement_timeout(connection, milliseconds: int) -> None:
    """Limit every following statement of this session to `milliseconds`."""
    # set_config rather than SET: it takes a bound parameter with any binding mode.
    _run(connection, "SELECT set_config('statement_timeout', %s, false)", [str(milliseconds)])
    setattr(connection, _FLAG, milliseconds)


def reset_statement_timeout(connection) -> None:
    """Give the session back its default timeout (none, unless the server or role sets one).

    If that fails (the link was lost, the transaction is broken), the connection is closed
    rather than handed to the next request with the limit still on.
    """
    if not getattr(connection, _FLAG, None):
        return
    setattr(connection, _FLAG, None)
    if connection.connection is None:
        return
    try:
        _run(connection, "RESET statement_timeout")
    except Exception:
        logger.warning("statement_timeout could not be reset; closing the connection")
        connection.close()


class _ResetAfter:
    """A streamed body that takes the timeout off once it ended, failed or was abandoned.

    An iterator with `close()` rather than a generator: Django closes the body's own
    iterator first (an export ends its read transaction there), then this one, whether
    the body was read or not; a generator never started would skip its `finally`.
    """

    def __init__(self, content, connection):
        self.content = iter(content)
        self.connection = connection

    def __iter__(self):
        return self

    def __next__(self):
        try:
            return next(self.content)
        except BaseException:  # the end (StopIteration) or a failure: both end the body
            self.close()
            raise

    def close(self):
        reset_statement_timeout(self.connection)


class PublicStatementTimeoutMiddleware:
    """`statement_timeout` on public requests (PostgreSQL); 503 when the database fails."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/" + settings.ADMIN_URL

    def __call__(self, request):
        # Only the default database is used by requests (docs/architecture.md).
        connection = connections[DEFAULT_DB_ALIAS]
        if request.path_info.startswith(self.admin_prefix) or not _applies(connection):
            # Staff are never limited, even on a connection a visitor used before.
            reset_statement_timeout(connection)
            return self.get_response(request)
        try:
            set_statement_timeout(connection, settings.PUBLIC_STATEMENT_TIMEOUT_MS)
        except Exception as error:
            if not database_unavailable(error):
                raise
            logger.warning("Database unavailable for %s: %s", request.path, error)
            return unavailable_response(request)
        try:
            response = self.get_response(request)
        except BaseException:
            reset_statement_timeout(connection)
            raise
        if response.streaming and not response.is_async:
            response.streaming_content = _ResetAfter(response.streaming_content, connection)
        else:
            reset_statement_timeout(connection)
        return response

    def process_exception(self, request, exception):
        """A view stopped by the timeout or by an unreachable database: 503, not 500."""
        if not database_unavailable(exception):
            return None
        logger.warning("Database unavailable for %s: %s", request.path, exception)
        return unavailable_response(request)

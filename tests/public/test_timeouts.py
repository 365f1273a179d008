"""No visitor ties up the database (docs/architecture.md, « Protection de la base »).

Public requests run under a PostgreSQL `statement_timeout` taken off when they end (a
streamed export included), the admin never does; a statement cancelled by it or a database
out of reach answers 503 in French; an export failing after its first bytes raises out of
its streamed body (the server then aborts the connection) instead of ending like a file.
"""

import contextlib
import datetime
import sqlite3
from unittest import mock

import pytest
from django.db import connection
from django.db.models import IntegerField
from django.db.models.expressions import RawSQL
from django.db.utils import OperationalError
from django.test.utils import override_settings

from people.models import Person
from public import csv_format
from public.middleware import database_unavailable, set_statement_timeout
from tests import factories
from tests.conftest import EXPORT_URLS

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="statement_timeout : PostgreSQL uniquement"
)


def session_timeout() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        return cursor.fetchone()[0]


@contextlib.contextmanager
def observed_timeouts():
    """The `statement_timeout` in force when each query of the block ran, as (sql, value).

    Read on the driver's own connection, beside Django's cursors, so the reading itself
    is neither observed nor counted; the middleware's own SET and RESET are left out.
    """
    seen = []

    def observe(execute, sql, params, many, context):
        if "statement_timeout" not in sql:
            value = connection.connection.execute("SHOW statement_timeout").fetchone()[0]
            seen.append((sql, value))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(observe):
        yield seen


def people(count: int, *, ended: bool = False) -> list[Person]:
    end = datetime.date(2020, 1, 1) if ended else None
    return [factories.MandateFactory(end_date=end).person for _ in range(count)]


# --- The timeout is on for visitors, off for staff, and taken off after each request -----


@postgresql_only
@override_settings(PUBLIC_STATEMENT_TIMEOUT_MS=1234)
def test_statement_timeout_is_set_on_public_requests_on_postgresql(client):
    people(3, ended=True)
    before = session_timeout()
    with observed_timeouts() as seen:
        response = client.get("/personnes/", {"statut": "termine", "perimetre": "tous"})
    assert response.status_code == 200
    assert seen and {value for _sql, value in seen} == {"1234ms"}
    assert session_timeout() == before


@postgresql_only
@override_settings(PUBLIC_STATEMENT_TIMEOUT_MS=1234)
def test_a_streamed_export_runs_each_batch_under_the_timeout_then_releases_it(client):
    people(5)
    before = session_timeout()
    with mock.patch("public.csv_format.CHUNK_SIZE", 2), observed_timeouts() as seen:
        response = client.get("/personnes/export.csv", {"perimetre": "tous"})
        assert response.status_code == 200
        # The first batch was read in the view; the rest is read while streaming.
        text = b"".join(response.streaming_content).decode("utf-8")
    assert len(text.splitlines()) == 1 + 5
    # The ids, then three statements of at most two rows each, every one limited.
    batches = [value for sql, value in seen if "people_mandate" in sql]
    assert batches == ["1234ms"] * 3
    assert {value for _sql, value in seen} == {"1234ms"}
    assert session_timeout() == before


@postgresql_only
def test_admin_requests_are_not_limited(admin_client):
    people(2)
    with observed_timeouts() as seen:
        assert admin_client.get("/admin/").status_code == 200
        assert admin_client.get("/admin/people/person/").status_code == 200
    assert seen and {value for _sql, value in seen} == {"0"}


@postgresql_only
def test_a_connection_a_visitor_left_limited_serves_staff_unlimited(admin_client):
    """A pooled connection (CONN_MAX_AGE) still carrying a visitor's limit, whatever the
    reason (a streamed body never read to its end), is released before any staff query."""
    set_statement_timeout(connection, 50)
    assert session_timeout() == "50ms"
    with observed_timeouts() as seen:
        assert admin_client.get("/admin/people/person/").status_code == 200
    assert seen and {value for _sql, value in seen} == {"0"}
    assert session_timeout() == "0"


# --- A statement over the timeout: 503 in French, connection released and usable ----------


def sleeping_figures():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(2)")
    return {}


@postgresql_only
@pytest.mark.django_db(transaction=True)
@override_settings(PUBLIC_STATEMENT_TIMEOUT_MS=50)
def test_a_query_over_the_timeout_gives_a_french_503_page(client):
    before = session_timeout()
    with mock.patch("public.views.home.home_figures", sleeping_figures):
        response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert '<html lang="fr">' in page
    assert "Service momentanément indisponible" in page
    assert "Traceback" not in page
    assert session_timeout() == before
    assert client.get("/").status_code == 200


@postgresql_only
@pytest.mark.django_db(transaction=True)
@override_settings(PUBLIC_STATEMENT_TIMEOUT_MS=50)
def test_an_export_whose_query_exceeds_the_timeout_answers_503_not_a_header_only_file(client):
    people(2)
    # One second per row, in the export's own query: PostgreSQL cancels it at 50 ms.
    slow = (
        Person.objects.annotate(
            nap=RawSQL("(SELECT 1 FROM pg_sleep(1))", [], output_field=IntegerField())
        )
        .filter(nap=1)
        .order_by("pk")
    )
    with mock.patch("public.selectors.people.person_list_queryset", return_value=slow):
        response = client.get("/personnes/export.csv", {"perimetre": "tous"})
    assert response.status_code == 503
    assert not response.streaming
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Export CSV indisponible" in response.content.decode()
    assert session_timeout() == "0"


# --- A database out of reach: 503, on both databases -------------------------------------


def refuse_connection():
    """What the driver raises when the server is out of reach, wrapped as Django does."""
    with connection.wrap_database_errors:
        if connection.vendor == "postgresql":
            import psycopg

            psycopg.connect("host=127.0.0.1 port=1 connect_timeout=2 dbname=none")
        sqlite3.connect("file:/nonexistent-directory/db.sqlite3?mode=rw", uri=True)


@pytest.fixture
def database_out_of_reach():
    with mock.patch.object(connection, "ensure_connection", side_effect=refuse_connection):
        yield


@pytest.mark.parametrize("url", EXPORT_URLS)
def test_an_export_that_cannot_reach_the_database_answers_503(client, database_out_of_reach, url):
    response = client.get(url)
    assert response.status_code == 503
    assert not response.streaming
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Retry-After"] == "30"
    assert "Export CSV indisponible" in response.content.decode()


@pytest.mark.parametrize("url", ["/", "/pactes/", "/personnes/?statut=termine"])
def test_a_page_that_cannot_reach_the_database_answers_a_french_503(
    client, database_out_of_reach, url
):
    response = client.get(url)
    assert response.status_code == 503
    assert "Service momentanément indisponible" in response.content.decode()


def test_a_bad_query_is_not_mistaken_for_an_unavailable_database():
    """SQLite raises OperationalError for a missing table too: that stays a 500."""

    def django_error(action) -> OperationalError:
        """The error Django raises for the driver's, which it keeps as `__cause__`."""
        try:
            action()
        except sqlite3.OperationalError as driver_error:
            error = OperationalError(*driver_error.args)
            error.__cause__ = driver_error
            return error
        raise AssertionError("no error")

    missing_table = django_error(lambda: sqlite3.connect(":memory:").execute("SELECT * FROM x"))
    assert not database_unavailable(missing_table)
    cannot_open = django_error(
        lambda: sqlite3.connect("file:/nonexistent-directory/db.sqlite3?mode=rw", uri=True)
    )
    assert database_unavailable(cannot_open)
    assert not database_unavailable(ValueError("not a database error"))


# --- An export failing after its first bytes does not end like a complete file ------------


@pytest.mark.django_db(transaction=True)
def test_an_export_failing_mid_stream_raises_out_of_its_body_after_whole_rows_only(client):
    """The contract: once the first bytes are out the status cannot change, so the error is
    not swallowed; it propagates out of the streamed body, which a WSGI server answers by
    closing the connection without the final chunk (a failed download, never a clean end
    of file). What was sent before it are whole rows, and none after.

    Committed data, as in production: the export's read transaction is then a transaction,
    not a savepoint of the test's, and its rollback takes the server-side cursor along."""
    people(6)
    fetch = csv_format._fetch
    calls = []

    def failing_on_the_second_batch(*args):
        calls.append(args)
        if len(calls) == 2:
            raise OperationalError("canceling statement due to statement timeout")
        return fetch(*args)

    received = []
    with (
        mock.patch("public.csv_format.CHUNK_SIZE", 2),
        mock.patch("public.csv_format._fetch", failing_on_the_second_batch),
    ):
        response = client.get("/personnes/export.csv", {"perimetre": "tous"})
        assert response.status_code == 200
        with pytest.raises(OperationalError, match="statement timeout"):
            for part in response.streaming_content:
                received.append(part)
    text = b"".join(received).decode("utf-8")
    lines = text.split("\r\n")
    assert lines[-1] == ""  # ends on a whole line
    assert len(lines[:-1]) == 1 + 2  # the header and the first batch, nothing after
    if connection.vendor == "postgresql":
        assert session_timeout() == "0"


# --- The « termine » filter has no query shape growing with every official --------------


def test_people_without_a_current_mandate_are_found_by_an_anti_join(client):
    current = factories.MandateFactory().person
    former = factories.MandateFactory(end_date=datetime.date(2020, 1, 1)).person
    both = factories.MandateFactory(end_date=datetime.date(2020, 1, 1)).person
    factories.MandateFactory(person=both)
    undated = factories.MandateFactory(start_date=None).person
    factories.PersonFactory()  # never held a mandate
    found = Person.objects.without_current_mandate()
    assert set(found) == {former, undated}
    assert current not in found
    sql = str(found.query).upper()
    assert "NOT EXISTS" in sql and "NOT IN" not in sql and " IN (" not in sql
    if connection.vendor == "postgresql":
        assert "Anti Join" in found.explain()


# --- No JIT: short queries are not compiled for seconds ----------------------------------


@postgresql_only
def test_postgresql_connections_run_without_jit():
    """PostgreSQL compiles a query its planner costs high, such as the export's correlated
    subqueries, spending seconds on what runs in milliseconds; the project turns JIT off."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"

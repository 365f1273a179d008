"""Shared pytest fixtures. Data is built per test with the factories in tests/factories.py,
except the larger sets that several tests only read: those are built once per module (see
`shared_rows`) and every test still runs in its own savepoint, rolled back after it."""

import datetime
import uuid
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.test.utils import override_settings

from people.models import Function
from territories.models import BodyKind, TerritoryKind
from tests import factories


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    """Passwords hashed with a fast algorithm in tests, as Django's testing guide advises: the
    production hasher's million iterations cost a large share of the suite (every
    `admin_user`, every login attempt) and no test is about the hashing itself."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, the test database is a file, never memory.

    An in-memory database exists only inside its one connection, so Django hands that very
    connection to every thread of the live server. A browser sends requests at once (a page and
    its suggestions, two admin autocompletes) and the threads then share one SQLite handle: one
    thread may hold SQLite's lock while it waits for Python's, and another the reverse, which
    hangs the suite for good. With a file each thread opens its own connection, as every process
    does in production. The file skips the disk syncs nobody needs for a database thrown away
    at the end.
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        return
    folder = tmp_path_factory.mktemp("sqlite")
    database.setdefault("TEST", {})["NAME"] = str(folder / "test.sqlite3")
    database.setdefault("OPTIONS", {})["init_command"] = "PRAGMA synchronous = OFF;"


@pytest.fixture(autouse=True)
def _own_page_cache(settings):
    """Each test reads and writes the shared cache under its own key prefix.

    The page cache (docs/architecture.md, « Cache ») is only used outside transactions, so
    in `transactional_db` and `live_server` tests: their tables are emptied between tests
    without any signal, and two tests building different rows behind one URL must not meet
    under one key. A new prefix needs no database access and reaches the live server's thread.
    """
    settings.CACHES = {
        alias: {**config, "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
        for alias, config in settings.CACHES.items()
    }


@pytest.fixture(autouse=True)
def _own_open_data_root(settings, tmp_path):
    """The open-data ZIP (« Données ouvertes ») of a test is written in its own folder, never
    in the project's `var/`."""
    settings.OPEN_DATA_ROOT = tmp_path / "donnees"


def shared_rows(django_db_blocker, build):
    """`build()`'s rows, written once for the tests of a module, then rolled back.

    For module-scoped fixtures (`yield from shared_rows(...)`) whose data several tests only
    read: the rows are written in an outer transaction; each test (`db`) then runs in a
    savepoint of it, so whatever a test writes is still rolled back after that test, and
    the outer transaction is rolled back when the module ends: nothing leaks into other
    modules. Every test of the module must use the fixture, or it would see the rows too.
    Not for `transactional_db` / `live_server` tests, which commit.
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            data = build()
        except BaseException as error:
            outer.__exit__(type(error), error, error.__traceback__)
            raise
    try:
        yield data
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


# Every public CSV export (docs/architecture.md, « Public site »).
EXPORT_URLS = [
    "/pactes/export.csv",
    "/territoires/export.csv",
    "/organismes/export.csv",
    "/personnes/export.csv",
    "/signatures/export.csv",
]


def read_csv_response(response) -> str:
    """The full text of a (streamed) CSV response, BOM included."""
    return b"".join(response.streaming_content).decode("utf-8")


@pytest.fixture
def haute_marne(db):
    """A small slice of the map: région Grand Est (44), Haute-Marne (52), the CA de Chaumont
    with the commune of Chaumont (52121), Langres (52269) and the département
    Loire-Atlantique (44), whose code clashes with the région's."""
    return build_haute_marne()


def build_haute_marne() -> SimpleNamespace:
    """The rows of the `haute_marne` fixture."""
    region = factories.TerritoryFactory(kind=TerritoryKind.REGION, code="44", name="Grand Est")
    loire = factories.TerritoryFactory(
        kind=TerritoryKind.DEPARTEMENT, code="44", name="Loire-Atlantique"
    )
    dep = factories.TerritoryFactory(
        kind=TerritoryKind.DEPARTEMENT, code="52", name="Haute-Marne", parents=[region]
    )
    epci = factories.EpciFactory(
        kind=TerritoryKind.CA, name="CA de Chaumont", code="200068658", parents=[dep]
    )
    chaumont = factories.TerritoryFactory(code="52121", name="Chaumont", parents=[dep, epci])
    langres = factories.TerritoryFactory(code="52269", name="Langres", parents=[dep])
    return SimpleNamespace(
        region=region, loire=loire, dep=dep, epci=epci, chaumont=chaumont, langres=langres
    )


def make_signed_pact(
    *,
    title=None,
    territories=(),
    commune=None,
    date=datetime.date(2019, 1, 15),
    signatory=None,
    attendees=(),
    published=True,
    **pact_kwargs,
):
    """A pact with one signing event, one signatory party and attendees (all real rows)."""
    kwargs = {"published": published, **pact_kwargs}
    if title:
        kwargs["title"] = title
    pact = factories.PactFactory(territories=list(territories), **kwargs)
    event = factories.SigningEventFactory(
        pact=pact, date=date, **({"commune": commune} if commune else {})
    )
    mandate = signatory or factories.MandateFactory()
    factories.PactPartyFactory(pact=pact, body=mandate.body, mandate=mandate, signing_event=event)
    for person in attendees:
        factories.AttendanceFactory(event=event, person=person)
    return pact


def make_rich_pacts(count: int):
    """`count` published pacts with territories, themes, strategies, parties whose
    signatories hold several mandates, attendees, statements, actions and sources: what
    the query-count tests need to catch an N+1 anywhere on a page."""
    region_body = factories.BodyFactory(kind=BodyKind.REGION, name="Région Grand Est")
    dep = factories.TerritoryFactory(kind=TerritoryKind.DEPARTEMENT, code="52", name="HM")
    theme = factories.ThemeFactory()
    strategy = factories.StrategyFactory()
    president = factories.MandateFactory(body=region_body)
    pacts = []
    for _ in range(count):
        epci = factories.EpciFactory(parents=[dep])
        commune = factories.TerritoryFactory(parents=[dep, epci])
        local = factories.MandateFactory(function=Function.PRESIDENT)
        factories.MandateFactory(person=local.person, body=region_body, function="conseiller")
        pact = make_signed_pact(
            territories=[epci], commune=commune, signatory=local, themes=[theme]
        )
        pact.strategies.add(strategy)
        event = pact.signing_events.get()
        factories.PactPartyFactory(
            pact=pact, body=region_body, mandate=president, signing_event=event, order=0
        )
        attendee = factories.MandateFactory(body=region_body).person
        factories.AttendanceFactory(event=event, person=attendee)
        factories.StatementFactory(event=event, person=president.person)
        factories.ActionFactory(pact=pact, lead_body=local.body)
        factories.SourceFactory(publisher=region_body, contact=attendee).pacts.add(pact)
        pacts.append(pact)
    return pacts

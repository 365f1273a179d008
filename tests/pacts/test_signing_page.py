"""The page of one signing event (`/signatures/<slug>/`): its slug, what it shows, who may see
it, the pages and the export that lead to it, the migration that gave existing events theirs."""

import datetime
import html as html_lib

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from pacts.models import PartyRole, SigningEvent
from people.models import Function, Gender
from territories.models import BodyKind, TerritoryKind
from tests import factories
from tests.conftest import make_signed_pact, read_csv_response

pytestmark = pytest.mark.django_db

SIGNING_DAY = datetime.date(2019, 1, 15)


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html_lib.unescape(response.content.decode())


# --- Slug ----------------------------------------------------------------------------------


def test_slug_is_commune_and_date_made_unique_and_kept_when_the_event_moves():
    chaumont = factories.TerritoryFactory(name="Chaumont", code="52121")
    first = factories.SigningEventFactory(commune=chaumont, date=SIGNING_DAY)
    second = factories.SigningEventFactory(commune=chaumont, date=SIGNING_DAY)
    assert first.slug == "chaumont-2019-01-15"
    assert second.slug == "chaumont-2019-01-15-2"
    assert first.get_absolute_url() == "/signatures/chaumont-2019-01-15/"
    first.date = datetime.date(2019, 2, 1)
    first.save()
    first.refresh_from_db()
    assert first.slug == "chaumont-2019-01-15"  # a published address does not move


def test_demo_events_have_readable_slugs():
    call_command("load_demo", verbosity=0)
    assert sorted(SigningEvent.objects.values_list("slug", flat=True)) == [
        "chaumont-2019-01-15",
        "langres-2019-01-15",
    ]


def test_national_benchmark_bulk_events_get_the_slugs_save_would_give():
    from bench.bench_national import national_pacts

    taken = factories.SigningEventFactory(
        commune=factories.TerritoryFactory(name="Saint-Martin"), date=datetime.date(2021, 1, 4)
    )
    for n in range(2):
        epci = factories.EpciFactory()
        factories.BodyFactory(territory=epci, name=f"CC {n}")
        commune = factories.TerritoryFactory(name="Saint-Martin", parents=[epci])
        factories.MandateFactory(
            body=factories.BodyFactory(kind=BodyKind.COMMUNE, territory=commune),
            function=Function.MAYOR,
        )
    national_pacts()
    slugs = set(SigningEvent.objects.exclude(pk=taken.pk).values_list("slug", flat=True))
    assert slugs == {"saint-martin-2021-01-04-2", "saint-martin-2021-01-05"}


# --- The page ------------------------------------------------------------------------------


@pytest.fixture
def signing(haute_marne):
    """The Chaumont signing: a signatory who was président then and is no more, a partner
    without a signatory, an attendee with her title that day, a statement and a source."""
    region = factories.BodyFactory(kind=BodyKind.REGION, name="Région Grand Est", siren="")
    rottner = factories.MandateFactory(
        person__first_name="Jean",
        person__last_name="Rottner",
        person__gender=Gender.MALE,
        body=region,
        function=Function.PRESIDENT,
        start_date=datetime.date(2017, 10, 20),
        end_date=datetime.date(2021, 7, 1),
    )
    factories.MandateFactory(
        person=rottner.person, body=region, function="conseiller", start_date=SIGNING_DAY
    )
    factories.MandateFactory(
        person=rottner.person,
        body=factories.BodyFactory(name="Agence future"),
        start_date=datetime.date(2022, 1, 1),
    )
    pact = make_signed_pact(
        title="POCE de Chaumont",
        commune=haute_marne.chaumont,
        signatory=rottner,
        territories=[haute_marne.epci],
    )
    event = pact.signing_events.get()
    event.venue = "Pépinière d'entreprises Plein'Est"
    event.description = "devant de nombreux élus"
    event.save()
    factories.PactPartyFactory(
        pact=pact,
        body=factories.BodyFactory(name="CCI de Haute-Marne"),
        role=PartyRole.PARTNER,
        signing_event=event,
        order=1,
    )
    maire = factories.MandateFactory(
        person__first_name="Christine",
        person__last_name="Guillemy",
        body=factories.BodyFactory(kind=BodyKind.COMMUNE, name="Commune de Chaumont"),
        function=Function.MAYOR,
        start_date=datetime.date(2014, 3, 30),
    )
    factories.AttendanceFactory(event=event, person=maire.person)
    factories.StatementFactory(event=event, person=rottner.person, text="Un pacte pour l'emploi.")
    factories.SourceFactory(
        title="Communiqué de presse", url="https://example.org/cp", publisher=region
    ).pacts.add(pact)
    # A second signing of the same pact, at Langres.
    factories.SigningEventFactory(pact=pact, commune=haute_marne.langres, date=SIGNING_DAY)
    return event


def test_page_shows_the_event_its_pact_signatories_attendees_statements_and_sources(
    client, signing
):
    html = page(client, "/signatures/chaumont-2019-01-15/")
    assert html.count("<h1") == 1
    assert "<h1>Signature du 15 janvier 2019 à Chaumont</h1>" in html
    assert "Mardi 15 janvier 2019" in html
    assert "Pépinière d'entreprises Plein'Est" in html
    assert "devant de nombreux élus" in html
    assert f'href="{signing.pact.get_absolute_url()}">POCE de Chaumont</a>' in html
    # Titles on that date: président then (no more today), conseiller from that day, not
    # what he became later.
    assert (
        "<li>Président, Région Grand Est</li><li>Conseiller régional, Région Grand Est</li>" in html
    )
    assert "Agence future" not in html
    assert "CCI de Haute-Marne" in html and "Partenaire associé" in html
    assert 'Christine Guillemy</a> — <span class="muted">Maire, Commune de Chaumont</span>' in html
    assert "« Un pacte pour l'emploi. »" in html
    assert 'href="https://example.org/cp">Communiqué de presse</a>' in html
    assert 'href="/signatures/langres-2019-01-15/"' in html  # the pact's other signing
    assert f'href="{signing.commune.get_absolute_url()}">Chaumont</a>' in html


def test_an_event_of_an_unpublished_pact_or_an_unknown_slug_is_not_found(client, signing):
    pact = signing.pact
    pact.published = False
    pact.save()
    assert client.get(signing.get_absolute_url()).status_code == 404
    assert client.get("/signatures/inconnue-2019-01-15/").status_code == 404


def test_every_page_showing_the_signing_links_to_it(client, signing):
    url = f'href="{signing.get_absolute_url()}"'
    assert url in page(client, "/signatures/")
    assert url in page(client, "/")
    assert url in page(client, signing.pact.get_absolute_url())
    assert f'id="signature-{signing.pk}"' in page(client, signing.pact.get_absolute_url())
    signatory = signing.parties.get(role=PartyRole.SIGNATORY).mandate.person
    assert url in page(client, signatory.get_absolute_url())
    attendee = signing.attendances.get().person
    assert url in page(client, attendee.get_absolute_url())


def test_signing_export_url_is_the_signing_page(client, signing):
    text = read_csv_response(client.get("/signatures/export.csv"))
    lines = text.splitlines()
    header = lines[0].lstrip("\ufeff").split(";")
    urls = {line.split(";")[header.index("url")] for line in lines[1:]}
    assert urls == {
        "http://testserver/signatures/chaumont-2019-01-15/",
        "http://testserver/signatures/langres-2019-01-15/",
    }


# --- The migration that gave existing events their slug --------------------------------------


@pytest.mark.django_db(transaction=True)
def test_migration_gives_existing_events_and_their_history_the_slug_save_would():
    executor = MigrationExecutor(connection)
    before, after = [("pacts", "0008_source_history")], [("pacts", "0009_signingevent_slug")]
    executor.migrate(before)
    try:
        apps = executor.loader.project_state(before).apps
        Territory = apps.get_model("territories", "Territory")
        Programme = apps.get_model("pacts", "Programme")
        Pact = apps.get_model("pacts", "Pact")
        Event = apps.get_model("pacts", "SigningEvent")
        History = apps.get_model("pacts", "HistoricalSigningEvent")
        commune = Territory.objects.create(
            kind=TerritoryKind.COMMUNE, name="Saint-Dizier", slug="saint-dizier"
        )
        programme = Programme.objects.create(name="POCE", slug="poce")
        pact = Pact.objects.create(programme=programme, title="P", slug="p")
        later = Event.objects.create(pact=pact, date=datetime.date(2020, 3, 2), commune=commune)
        first = Event.objects.create(pact=pact, date=SIGNING_DAY, commune=commune)
        second = Event.objects.create(pact=pact, date=SIGNING_DAY, commune=commune)
        History.objects.create(
            id=first.pk,
            pact_id=pact.pk,
            date=SIGNING_DAY,
            commune_id=commune.pk,
            history_date=datetime.datetime(2019, 1, 16, tzinfo=datetime.UTC),
            history_type="+",
        )
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        apps = executor.loader.project_state(after).apps
        slugs = dict(apps.get_model("pacts", "SigningEvent").objects.values_list("pk", "slug"))
        assert slugs == {
            first.pk: "saint-dizier-2019-01-15",
            second.pk: "saint-dizier-2019-01-15-2",
            later.pk: "saint-dizier-2020-03-02",
        }
        history = apps.get_model("pacts", "HistoricalSigningEvent").objects.get()
        assert history.slug == "saint-dizier-2019-01-15"
    finally:
        MigrationExecutor(connection).migrate(
            MigrationExecutor(connection).loader.graph.leaf_nodes()
        )

"""Open data (docs/architecture.md, « Données ouvertes »): every CSV validates against the
schema served beside it, the spreadsheets carry the same columns with typed cells, the feeds
parse and hold only published signings, and the ZIP's `datapackage.json` validates and lists
every file."""

import csv
import datetime
import importlib
import io
import json
import zipfile

import feedparser
import icalendar
import openpyxl
import pytest
from django.core.management import CommandError, call_command

from public import exporters
from public.csv_format import Exporter
from territories.services import containment_rebuild
from tests import factories
from tests.conftest import EXPORT_URLS, make_signed_pact, read_csv_response
from tests.public.test_export_rows import build_edge_cases

pytestmark = pytest.mark.django_db


def _import_keeping_csv_limit(*names: str) -> list:
    """Import `names` and put back Python's CSV field size limit: frictionless's CSV parser
    raises it for the whole process when imported, and the imports refuse a cell past the
    default one (`imports/files.py`), which their tests check."""
    limit = csv.field_size_limit()
    modules = [importlib.import_module(name) for name in names]
    csv.field_size_limit(limit)
    return modules


frictionless, formats, _parser = _import_keeping_csv_limit(
    "frictionless", "frictionless.formats", "frictionless.formats.csv.parser"
)
Package, Resource, Schema = frictionless.Package, frictionless.Resource, frictionless.Schema


EXPORTERS = [value for value in vars(exporters).values() if isinstance(value, Exporter)]


def test_every_column_of_every_export_has_its_schema_field(client):
    assert {f"/{e.identifier}/export.csv" for e in EXPORTERS} == set(EXPORT_URLS)
    for exporter in EXPORTERS:
        url = f"/{exporter.identifier}/schema.json"
        schema = client.get(url).json()
        fields = schema["fields"]
        assert [f["name"] for f in fields] == exporter.header(), url
        assert all(f["title"] and f["description"] and f["type"] for f in fields), url
        assert schema["title"] and schema["licenses"][0]["name"] == "etalab-2.0"


def invalid_cells(client, url: str) -> list:
    """What frictionless finds wrong in the CSV at `url` against the schema served beside it."""
    response = client.get(url)
    assert response.status_code == 200, url
    body = b"".join(response.streaming_content)
    schema = Schema.from_descriptor(client.get(url.replace("export.csv", "schema.json")).json())
    resource = Resource(
        data=body,
        format="csv",
        encoding="utf-8-sig",
        schema=schema,
        control=formats.CsvControl(delimiter=";"),
    )
    report = resource.validate()
    (task,) = report.tasks
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert task.stats["rows"] == len(rows) - 1 > 0, url  # every row read, the header aside
    return report.flatten(["rowNumber", "fieldName", "type", "note"])


def official_codes_of_every_shape():
    """Codes with leading zeros, Corsica's letters, overseas départements and collectivities."""
    corse = factories.TerritoryFactory(kind="departement", code="2A", name="Corse-du-Sud")
    factories.TerritoryFactory(code="2A004", name="Ajaccio", parents=[corse])
    factories.TerritoryFactory(code="01001", name="L'Abergement-Clémenciat")
    reunion = factories.TerritoryFactory(kind="departement", code="974", name="La Réunion")
    factories.TerritoryFactory(code="97411", name="Saint-Denis", parents=[reunion])
    factories.TerritoryFactory(kind="departement", code="977", name="Saint-Barthélemy")


def test_every_generated_export_validates_against_its_schema(client):
    """Quotes, `;`, line breaks, formulas, missing codes and dates, several values a cell."""
    build_edge_cases()
    official_codes_of_every_shape()
    containment_rebuild()
    for url in EXPORT_URLS:
        assert invalid_cells(client, url) == [], url


def test_every_demo_export_validates_against_its_schema(client):
    call_command("load_demo", verbosity=0)
    for url in EXPORT_URLS:
        assert invalid_cells(client, url) == [], url


def test_a_schema_refuses_a_malformed_code(client):
    """The schema says something: a commune code of four characters breaks it."""
    schema = client.get("/signatures/schema.json").json()
    header = ";".join(field["name"] for field in schema["fields"])
    row = "2019-01-15;Chaumont;5212;;Pacte;POCE;;;https://pactes.example.fr/signatures/a/"
    resource = Resource(
        data=f"{header}\r\n{row}\r\n".encode(),
        format="csv",
        schema=Schema.from_descriptor(schema),
        control=formats.CsvControl(delimiter=";"),
    )
    errors = resource.validate().flatten(["rowNumber", "fieldName", "type"])
    assert errors == [[2, "code_commune", "constraint-error"]]


def test_the_spreadsheet_has_the_csv_columns_with_typed_cells(client):
    build_edge_cases()
    official_codes_of_every_shape()
    response = client.get("/pactes/export.xlsx?annee=2019")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="pactes-')
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == exporters.PACT_EXPORTER.header()
    (pact,) = rows[1:]
    row = dict(zip(rows[0], pact, strict=True))
    assert row["date_signature"] == datetime.datetime(2019, 1, 15)
    # Text stays text: no formula, no apostrophe added, line break kept.
    assert row["titre"] == "=Pacte ; avec « guillemets » et\nretour"
    assert sheet.cell(row=2, column=2).data_type == "s"

    territories = client.get("/territoires/export.xlsx?q=abergement")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(territories.streaming_content))).active
    codes = [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert codes == ["01001"]


def test_a_spreadsheet_refuses_what_the_csv_refuses_and_lists_too_long(client, monkeypatch):
    response = client.get("/signatures/export.xlsx?annee=deux-mille")
    assert response.status_code == 400
    assert response.content.decode().startswith("Export XLSX refusé")
    factories.TerritoryFactory.create_batch(3)
    monkeypatch.setattr("public.xlsx.MAX_ROWS", 2)
    response = client.get("/territoires/export.xlsx")
    assert response.status_code == 400
    assert "plus de 2 lignes, trop pour un tableur" in response.content.decode()
    assert client.get("/territoires/export.csv").status_code == 200


def test_the_list_pages_link_their_spreadsheet_and_schema(client):
    response = client.get("/territoires/?type=commune")
    assert b'href="/territoires/export.xlsx?type=commune"' in response.content
    assert b'href="/territoires/schema.json"' in response.content


def signings_in_two_departements(haute_marne):
    vosges = factories.TerritoryFactory(kind="departement", code="88", name="Vosges")
    epinal = factories.TerritoryFactory(code="88160", name="Épinal", parents=[vosges])
    make_signed_pact(
        title="Pacte de Chaumont", commune=haute_marne.chaumont, territories=[haute_marne.epci]
    )
    make_signed_pact(title="Pacte d'Épinal", commune=epinal, date=datetime.date(2020, 6, 1))
    make_signed_pact(title="Brouillon secret", commune=haute_marne.langres, published=False)


def test_the_atom_feed_parses_and_holds_only_published_signings(
    client, haute_marne, django_assert_max_num_queries
):
    signings_in_two_departements(haute_marne)
    with django_assert_max_num_queries(1):  # the rows, built by the database
        response = client.get("/signatures/flux.atom")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    titles = [entry.title for entry in feed.entries]
    assert titles == [
        "Pacte d'Épinal — signé à Épinal le 01/06/2020",
        "Pacte de Chaumont — signé à Chaumont le 15/01/2019",
    ]
    assert feed.entries[1].link.startswith("http://testserver/signatures/")

    feed = feedparser.parse(client.get("/signatures/flux.atom?departement=52").content)
    assert [entry.title for entry in feed.entries] == [titles[1]]
    links = {link.rel: link.href for link in feed.feed.links}
    assert links["self"] == "http://testserver/signatures/flux.atom?departement=52"
    assert links["alternate"] == "http://testserver/signatures/?departement=52"
    assert "Haute-Marne" in feed.feed.title
    # A mayor follows the signings of the pacts concerning their commune.
    feed = feedparser.parse(client.get("/signatures/flux.atom?territoire=chaumont").content)
    assert [entry.title for entry in feed.entries] == [titles[1]]
    assert client.get("/signatures/flux.atom?departement=5x").status_code == 400
    ambiguous = client.get("/signatures/flux.atom?territoire=44")  # région and département
    assert ambiguous.status_code == 400
    assert "désigne plusieurs territoires" in ambiguous.content.decode()


def test_the_calendar_parses_and_holds_only_published_signings(client, haute_marne):
    signings_in_two_departements(haute_marne)
    response = client.get("/signatures/agenda.ics?annee=2019")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert [str(event["summary"]) for event in events] == ["Signature : Pacte de Chaumont"]
    assert events[0].decoded("dtstart") == datetime.date(2019, 1, 15)
    assert "Chaumont" in str(events[0]["location"])
    everything = icalendar.Calendar.from_ical(client.get("/signatures/agenda.ics").content)
    assert len(list(everything.walk("VEVENT"))) == 2


def test_the_signing_pages_announce_their_feeds_with_their_filters(client, haute_marne):
    signings_in_two_departements(haute_marne)
    page = client.get("/signatures/?departement=52").content.decode()
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Signatures de pactes (Atom), '
        'filtres de la page" href="/signatures/flux.atom?departement=52">' in page
    )
    assert 'type="text/calendar"' in page
    assert 'href="/signatures/flux.atom"' in client.get("/").content.decode()


@pytest.fixture
def open_data_root(settings):
    return settings.OPEN_DATA_ROOT  # the test's own (`tests/conftest.py`)


def test_the_package_validates_and_lists_every_file(client, open_data_root, tmp_path):
    build_edge_cases()
    response = client.get("/donnees/pactes-territoriaux.zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = set(archive.namelist())
    descriptor = json.loads(archive.read("datapackage.json"))
    listed = {r["path"] for r in descriptor["resources"]}
    listed |= {r["schema"] for r in descriptor["resources"]}
    assert names == listed | {"datapackage.json"}
    assert len(descriptor["resources"]) == len(EXPORT_URLS)
    assert descriptor["licenses"][0]["name"] == "etalab-2.0"
    # Each file is the export a visitor downloads.
    pacts_csv = read_csv_response(client.get("/pactes/export.csv"))
    assert archive.read("pactes.csv").decode("utf-8") == pacts_csv
    unpacked = tmp_path / "paquet"
    archive.extractall(unpacked)
    report = Package(str(unpacked / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_the_package_is_rebuilt_once_the_data_changed(
    client, open_data_root, django_capture_on_commit_callbacks
):
    url = "/donnees/pactes-territoriaux.zip"
    first = client.get(url)  # nothing published yet: each file holds its header
    assert client.get(url)["ETag"] == first["ETag"]  # not rebuilt: the data did not change
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    # Committed, the write changes the data version (« Cache »).
    with django_capture_on_commit_callbacks(execute=True):
        make_signed_pact(title="Pacte publié ensuite")
    rebuilt = client.get(url)
    assert rebuilt["ETag"] != first["ETag"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(rebuilt.streaming_content)))
    assert "Pacte publié ensuite" in archive.read("pactes.csv").decode("utf-8")
    assert len(list(open_data_root.glob("*.zip"))) == 1  # the previous file is gone

    page = client.get("/donnees/").content.decode()
    assert "Licence Ouverte / Open Licence version 2.0" in page
    assert "Dernière version produite le" in page
    assert 'href="/personnes/schema.json"' in page


def test_staff_can_build_the_package_ahead(open_data_root):
    make_signed_pact(title="Pacte du jour")
    out = io.StringIO()
    call_command("build_open_data", "--url", "https://pactes.example.fr", stdout=out)
    (zip_path,) = open_data_root.glob("*.zip")
    pacts_csv = zipfile.ZipFile(zip_path).read("pactes.csv").decode("utf-8")
    assert "https://pactes.example.fr/pactes/" in pacts_csv
    assert "pactes : 1" in out.getvalue()
    with pytest.raises(CommandError, match="adresse publique"):
        call_command("build_open_data", "--url", "")

"""CSV exports: French spreadsheet dialect, formula neutralising, same rows as the pages."""

import csv
import datetime
import io

import pytest

from people.models import Function
from public.csv_format import Column, Exporter, format_cell, neutralise
from territories.models import BodyKind, TerritoryKind
from tests import factories
from tests.conftest import EXPORT_URLS, make_signed_pact, read_csv_response

pytestmark = pytest.mark.django_db


def parse(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:], newline=""), delimiter=";"))


@pytest.mark.parametrize("url", EXPORT_URLS)
def test_every_export_is_a_streamed_french_csv_attachment(client, url):
    make_signed_pact(title="Pacte ; avec « guillemets » et\nretour")
    response = client.get(url)
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Content-Disposition"].endswith('.csv"')
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8")
    header = text[1:].split("\r\n", 1)[0]
    assert ";" in header and "url" in header.split(";")
    assert text.endswith("\r\n")
    rows = parse(text)
    assert rows, url
    assert all(row["url"].startswith("http://testserver/") for row in rows)


def test_pact_export_has_the_documented_columns(client, haute_marne):
    region = factories.BodyFactory(kind=BodyKind.REGION, name="Région Grand Est", siren="")
    rottner = factories.MandateFactory(
        person__first_name="Jean", person__last_name="Rottner", body=region
    )
    guillemy = factories.MandateFactory(
        person__first_name="Christine",
        person__last_name="Guillemy",
        body__name="CA de Chaumont",
        body__siren="200068658",
    )
    factories.MandateFactory(person=guillemy.person, body=region, function=Function.VICE_PRESIDENT)
    pact = make_signed_pact(
        title="POCE de Chaumont",
        territories=[haute_marne.epci, haute_marne.chaumont],
        commune=haute_marne.chaumont,
        signatory=guillemy,
        themes=[factories.ThemeFactory(name="Emploi"), factories.ThemeFactory(name="Innovation")],
    )
    pact.strategies.add(factories.StrategyFactory(acronym="SRDEII"))
    factories.PactPartyFactory(
        pact=pact, body=region, mandate=rottner, signing_event=pact.signing_events.get()
    )
    [row] = parse(read_csv_response(client.get("/pactes/export.csv")))
    assert row["identifiant"] == pact.slug
    assert row["titre"] == "POCE de Chaumont"
    assert row["programme"] == "Pacte Offensive Croissance Emploi"
    assert row["statut"] == "Signé"
    assert row["date_signature"] == "2019-01-15"
    assert row["lieux_signature"].startswith("Chaumont")
    assert row["territoires"] == "CA de Chaumont (200068658) | Chaumont (52121)"
    assert row["departements"] == "52"
    assert "CA de Chaumont (SIREN 200068658)" in row["organismes_signataires"]
    assert "Région Grand Est" in row["organismes_signataires"]
    assert row["siren_signataires"] == "200068658"
    assert (
        "Christine Guillemy (Présidente, CA de Chaumont ; Vice-présidente, Région Grand Est)"
        in row["signataires"]
    )
    assert "Jean Rottner" in row["signataires"]
    assert row["themes"] == "Emploi | Innovation"
    assert row["strategies"] == "SRDEII"
    assert row["url"] == f"http://testserver{pact.get_absolute_url()}"


def test_codes_keep_their_leading_zeros(client):
    ain = factories.TerritoryFactory(kind=TerritoryKind.DEPARTEMENT, code="01", name="Ain")
    bourg = factories.TerritoryFactory(code="01053", name="Bourg-en-Bresse", parents=[ain])
    make_signed_pact(title="Pacte de l'Ain", territories=[bourg], commune=bourg)
    [pact_row] = parse(read_csv_response(client.get("/pactes/export.csv")))
    assert pact_row["codes_territoires"] == "01053"
    assert pact_row["departements"] == "01"
    raw = read_csv_response(client.get("/territoires/export.csv"))
    assert ";01053;" in raw and ";01;" in raw
    [signing] = parse(read_csv_response(client.get("/signatures/export.csv")))
    assert signing["code_commune"] == "01053"


@pytest.mark.parametrize(
    "title", ['=HYPERLINK("http://evil.example","clic")', "+1+2", "-2", "@SUM(A1)", "\tx"]
)
def test_formula_like_cells_are_neutralised(client, title):
    make_signed_pact(title=title)
    [row] = parse(read_csv_response(client.get("/pactes/export.csv")))
    assert row["titre"] == "'" + title


def test_neutralising_and_joining_are_done_once_for_every_cell():
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("\r=1") == "'\r=1"
    assert neutralise("a\x00b") == "ab"
    assert neutralise("Chaumont") == "Chaumont"
    assert format_cell(["a", None, "", "-b"]) == "a | -b"
    assert format_cell(["-b", "a"]) == "'-b | a"
    assert format_cell(datetime.date(2019, 1, 5)) == "2019-01-05"
    assert format_cell(None) == ""
    described = {"title": "Titre", "description": "Description."}
    shout = Column("b", "slug", lambda request: str.upper, **described)
    columns = (Column("a", "title", **described), shout)
    finish = Exporter("x", columns, **described).finisher(None)
    assert finish(("=cmd", "-x")) == ["'=cmd", "'-X"]


def test_quoting_follows_rfc_4180(client):
    make_signed_pact(title='Pacte "guillemets"; point-virgule\r\nligne')
    text = read_csv_response(client.get("/pactes/export.csv"))
    assert '"Pacte ""guillemets""; point-virgule\r\nligne"' in text
    [row] = parse(text)
    assert row["titre"] == 'Pacte "guillemets"; point-virgule\r\nligne'


def test_export_has_every_row_of_every_page_with_the_same_filters(client):
    theme = factories.ThemeFactory(name="Emploi")
    for n in range(45):
        make_signed_pact(title=f"Pacte {n:02d}", themes=[theme] if n % 3 else [])
    make_signed_pact(title="Brouillon", themes=[theme], published=False)
    page_slugs = []
    for page in (1, 2):
        response = client.get("/pactes/", {"theme": theme.slug, "page": page, "tri": "titre"})
        page_slugs += [p.slug for p in response.context["object_list"]]
    text = read_csv_response(
        client.get("/pactes/export.csv", {"theme": theme.slug, "tri": "titre", "page": 2})
    )
    assert [row["identifiant"] for row in parse(text)] == page_slugs
    assert len(page_slugs) == 30


def test_export_applies_the_territory_and_search_filters(client, haute_marne):
    make_signed_pact(title="Pacte de l'agglo", territories=[haute_marne.epci])
    make_signed_pact(title="Pacte nantais", territories=[haute_marne.loire])
    rows = parse(read_csv_response(client.get("/pactes/export.csv", {"territoire": "52121"})))
    assert [r["titre"] for r in rows] == ["Pacte de l'agglo"]
    rows = parse(read_csv_response(client.get("/pactes/export.csv", {"q": "NANTAIS"})))
    assert [r["titre"] for r in rows] == ["Pacte nantais"]


def test_drafts_are_absent_from_the_export(client):
    make_signed_pact(title="Publié")
    make_signed_pact(title="Brouillon", published=False)
    rows = parse(read_csv_response(client.get("/pactes/export.csv")))
    assert [r["titre"] for r in rows] == ["Publié"]

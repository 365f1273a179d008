"""Every export is built by the database, byte for byte the file the model objects gave
(`tests/public/reference_exports.py`): same columns, order, quoting, ` | `, neutralised
formulas, BOM and CRLF, on generated data full of edge cases and on the demo."""

import datetime
import itertools
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import RequestFactory

from pacts.models import PartyRole
from people.models import Function, Gender
from public import exporters
from public.csv_format import csv_lines, row_batches
from public.selectors.bodies import body_list, body_list_queryset
from public.selectors.pacts import pact_list, pact_list_queryset
from public.selectors.people import person_list, person_list_queryset
from public.selectors.signings import signing_list, signing_list_queryset
from public.selectors.territories import territory_list, territory_list_queryset
from territories.models import BodyKind, TerritoryKind
from territories.services import containment_rebuild
from tests import factories
from tests.conftest import read_csv_response
from tests.public import reference_exports as reference

pytestmark = pytest.mark.django_db

# (database exporter, reference exporter, every row of the list, its selector, its URL)
LISTS = [
    (exporters.PACT_EXPORTER, reference.PACT_EXPORTER, pact_list_queryset, pact_list, "pactes"),
    (
        exporters.SIGNING_EXPORTER,
        reference.SIGNING_EXPORTER,
        signing_list_queryset,
        signing_list,
        "signatures",
    ),
    (
        exporters.TERRITORY_EXPORTER,
        reference.TERRITORY_EXPORTER,
        territory_list_queryset,
        territory_list,
        "territoires",
    ),
    (
        exporters.BODY_EXPORTER,
        reference.BODY_EXPORTER,
        body_list_queryset,
        body_list,
        "organismes",
    ),
    (
        exporters.PERSON_EXPORTER,
        reference.PERSON_EXPORTER,
        person_list_queryset,
        person_list,
        "personnes",
    ),
]
IDS = [row[-1] for row in LISTS]


def database_csv(exporter, queryset, request) -> str:
    """The file as a response writes it: read by the database two rows per statement, so
    the order and the conversions of rows read in several batches are compared too."""
    with mock.patch("public.csv_format.CHUNK_SIZE", 2):
        rows = itertools.chain.from_iterable(row_batches(exporter, queryset))
        return "".join(csv_lines(exporter, rows, request))


def build_edge_cases():
    """Names that need quoting or neutralising, bodies with and without SIREN or short
    name, both genders and none, labelled and usual titles, councillors of each council,
    undated and ended mandates, a party signing at no event, a partner, two events."""
    region = factories.TerritoryFactory(kind=TerritoryKind.REGION, code="44", name="Grand Est")
    dep = factories.TerritoryFactory(
        kind=TerritoryKind.DEPARTEMENT, code="52", name="Haute-Marne", parents=[region]
    )
    vosges = factories.TerritoryFactory(
        kind=TerritoryKind.DEPARTEMENT, code="88", name="Vosges", parents=[region]
    )
    epci = factories.EpciFactory(name='CA "de" Chaumont; centre', parents=[dep])
    chaumont = factories.TerritoryFactory(code="52121", name="Chaumont", parents=[dep, epci])
    formula = factories.TerritoryFactory(code="52999", name="=HYPERLINK(1)", parents=[dep])
    factories.TerritoryFactory(kind=TerritoryKind.OTHER, code="", name="Sans code", parents=[])
    factories.TerritoryFactory(code="88160", name="Épinal", parents=[vosges], is_obsolete=True)
    containment_rebuild()

    region_body = factories.BodyFactory(
        kind=BodyKind.REGION, name="Région Grand Est", short_name="", siren="", territory=region
    )
    ca = factories.BodyFactory(name="Communauté d'agglomération", short_name="CA; Chaumont")
    commune_body = factories.BodyFactory(kind=BodyKind.COMMUNE, name="+Commune", siren="")
    partner = factories.BodyFactory(kind=BodyKind.CHAMBER, name="CCI\nHaute-Marne")

    her = factories.PersonFactory(first_name="Christine", last_name="Guillemy")
    him = factories.PersonFactory(first_name="Jean", last_name="Rottner", gender=Gender.MALE)
    nobody = factories.PersonFactory(first_name="", last_name="-Sans genre", gender="")
    guillemy = factories.MandateFactory(person=her, body=ca, start_date=datetime.date(2014, 4, 1))
    factories.MandateFactory(
        person=her, body=region_body, function=Function.COUNCILLOR, start_date=None
    )
    factories.MandateFactory(
        person=her, body=commune_body, function=Function.MAYOR, end_date=datetime.date(2018, 1, 1)
    )
    rottner = factories.MandateFactory(
        person=him, body=region_body, label="Président du conseil régional ; élu"
    )
    factories.MandateFactory(person=him, body=commune_body, function=Function.COUNCILLOR)
    factories.MandateFactory(person=nobody, body=partner, function=Function.DIRECTOR)

    for function in Function:
        factories.MandateFactory(person__gender=Gender.MALE, body=ca, function=function)

    programme = factories.ProgrammeFactory(name="Territoires d'industrie", acronym="")
    pact = factories.PactFactory(
        title="=Pacte ; avec « guillemets » et\nretour",
        territories=[epci, chaumont, vosges],
        themes=[factories.ThemeFactory(name="Emploi"), factories.ThemeFactory(name="@Innov")],
        start_date=datetime.date(2019, 1, 1),
    )
    pact.strategies.add(factories.StrategyFactory(acronym="SRDEII"))
    first = factories.SigningEventFactory(
        pact=pact, date=datetime.date(2019, 1, 15), commune=chaumont, venue=""
    )
    second = factories.SigningEventFactory(
        pact=pact, date=datetime.date(2019, 3, 2), commune=formula, venue='Salle "A"; 1'
    )
    factories.PactPartyFactory(pact=pact, body=ca, mandate=guillemy, signing_event=second, order=2)
    factories.PactPartyFactory(pact=pact, body=region_body, mandate=rottner, order=1)
    factories.PactPartyFactory(pact=pact, body=commune_body, signing_event=first, order=3)
    factories.PactPartyFactory(pact=pact, body=partner, role=PartyRole.PARTNER, order=4)
    unsigned = factories.PactFactory(programme=programme, title="Pacte sans signature")
    factories.PactPartyFactory(pact=unsigned, body=ca, mandate=guillemy)
    factories.PactFactory(title="Brouillon", published=False)


@pytest.mark.parametrize(("exporter", "expected", "rows", "selector", "name"), LISTS, ids=IDS)
def test_the_database_builds_the_file_the_model_objects_gave(
    exporter, expected, rows, selector, name
):
    build_edge_cases()
    request = RequestFactory().get(f"/{name}/export.csv")
    queryset = rows()
    text = database_csv(exporter, queryset, request)
    assert text == reference.reference_csv(expected, queryset, request)
    assert text.count("\r\n") == 1 + queryset.count() > 2


def test_the_signatories_carry_the_titles_of_their_signing_day():
    build_edge_cases()
    request = RequestFactory().get("/pactes/export.csv")
    text = database_csv(exporters.PACT_EXPORTER, pact_list_queryset(), request)
    assert (
        "Christine Guillemy (Présidente, CA; Chaumont ; Conseillère régionale, Région Grand Est)"
        " pour CA; Chaumont" in text
    )
    assert "'=Pacte ; avec « guillemets » et\nretour" in text
    assert "Chaumont | =HYPERLINK(1), Salle" in text


@pytest.mark.parametrize(("exporter", "expected", "rows", "selector", "name"), LISTS, ids=IDS)
def test_each_demo_export_answers_the_file_the_model_objects_gave(
    client, exporter, expected, rows, selector, name
):
    call_command("load_demo", verbosity=0)
    response = client.get(f"/{name}/export.csv")
    assert response.status_code == 200
    body = read_csv_response(response)
    queryset = selector(filters={}).queryset
    assert body == reference.reference_csv(expected, queryset, response.wsgi_request)
    assert body.count("\r\n") > 2

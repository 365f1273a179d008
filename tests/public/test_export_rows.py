"""The territory export reads plain rows from set-based queries; its file is byte for byte the
one the model objects give (same columns, order, quoting, neutralised formulas)."""

import pytest
from django.test import RequestFactory

from public.csv_format import Column, Exporter, absolute_url, csv_lines
from public.exporters import TERRITORY_EXPORTER
from public.selectors.territories import territory_list_queryset
from territories.models import Territory, TerritoryKind, territory_departements
from territories.services import containment_rebuild
from tests import factories

pytestmark = pytest.mark.django_db

# The export as written from model objects with their prefetches, the way it was first built.
FROM_MODELS = Exporter(
    identifier="territoires",
    columns=(
        Column("identifiant", lambda t, r: t.slug),
        Column("nom", lambda t, r: t.name),
        Column("type", lambda t, r: t.get_kind_display()),
        Column("code", lambda t, r: t.code),
        Column("contenu_dans", lambda t, r: [str(p) for p in t.parents.all()]),
        Column("departements", lambda t, r: [d.code for d in territory_departements(t)]),
        Column("obsolete", lambda t, r: t.is_obsolete),
        Column("url", absolute_url),
    ),
)


def csv_of(exporter: Exporter, rows) -> str:
    request = RequestFactory().get("/territoires/export.csv")
    return "".join(csv_lines(exporter, rows, request))


def test_territory_rows_give_the_file_the_model_objects_give():
    region = factories.TerritoryFactory(kind=TerritoryKind.REGION, code="44", name="Grand Est")
    dep = factories.TerritoryFactory(
        kind=TerritoryKind.DEPARTEMENT, code="52", name="Haute-Marne", parents=[region]
    )
    epci = factories.EpciFactory(name='CA "de" Chaumont; centre', parents=[dep])
    factories.TerritoryFactory(code="52121", name="Chaumont", parents=[dep, epci])
    factories.TerritoryFactory(code="52999", name="=HYPERLINK(1)", parents=[dep])
    factories.TerritoryFactory(kind=TerritoryKind.OTHER, code="", name="Sans code", parents=[])
    factories.TerritoryFactory(code="52998", name="Ancienne", parents=[dep], is_obsolete=True)
    containment_rebuild()
    queryset = territory_list_queryset()
    expected = csv_of(FROM_MODELS, queryset)
    # Small batches: the rows of one batch must not borrow the links of another.
    actual = csv_of(TERRITORY_EXPORTER, TERRITORY_EXPORTER.rows(queryset, batch_size=2))
    assert actual == expected
    assert expected.count("\r\n") == 1 + Territory.objects.count()
    assert "'=HYPERLINK(1)" in actual and '"CA ""de"" Chaumont; centre"' in actual


def test_the_territory_export_answers_the_same_file(client):
    dep = factories.TerritoryFactory(kind=TerritoryKind.DEPARTEMENT, code="52", name="HM")
    factories.TerritoryFactory(code="52121", name="Chaumont", parents=[dep])
    containment_rebuild()
    response = client.get("/territoires/export.csv", {"departement": "52"})
    body = b"".join(response.streaming_content).decode("utf-8")
    queryset = territory_list_queryset().within(dep)
    assert body == csv_of(FROM_MODELS, queryset)
    assert body.count("\r\n") == 3

"""« Protégé des imports » can be ticked in the admin wherever an import can overwrite a row."""

import pytest
from django.urls import reverse

from territories.models import Territory, TerritoryKind
from tests.factories import BodyFactory, MandateFactory, PersonFactory, TerritoryFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("factory", "admin_name", "inline_prefix"),
    [
        (TerritoryFactory, "territories_territory", None),
        (BodyFactory, "territories_body", "mandates"),
        (PersonFactory, "people_person", "mandates"),
        (MandateFactory, "people_mandate", None),
    ],
)
def test_every_imported_kind_of_row_offers_the_box(
    admin_client, factory, admin_name, inline_prefix
):
    row = factory()
    if inline_prefix:
        MandateFactory(**{"body" if admin_name == "territories_body" else "person": row})

    page = admin_client.get(reverse(f"admin:{admin_name}_change", args=[row.pk]))

    content = page.content.decode()
    assert 'name="manually_edited"' in content
    assert "Protégé des imports" in content
    if inline_prefix:
        # Each of its mandates too, in the inline.
        assert f'name="{inline_prefix}-0-manually_edited"' in content


def test_ticking_the_box_on_a_territory_keeps_it(admin_client):
    territory = TerritoryFactory(kind=TerritoryKind.COMMUNE, code="52121", name="Chaumont")
    url = reverse("admin:territories_territory_change", args=[territory.pk])

    response = admin_client.post(
        url,
        {"kind": "commune", "code": "52121", "name": "Chaumont", "manually_edited": "on"},
    )

    assert response.status_code == 302
    assert Territory.objects.get(pk=territory.pk).manually_edited

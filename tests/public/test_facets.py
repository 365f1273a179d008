"""Facet counts: beside each choice of `/pactes/`, how many pacts choosing it would show, the
other filters kept (docs/architecture.md, « Public site »)."""

import datetime
import re

import pytest

from territories.models import TerritoryKind
from territories.services import containment_rebuild
from tests import factories
from tests.conftest import make_signed_pact

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_pacts():
    marne = factories.TerritoryFactory(kind=TerritoryKind.DEPARTEMENT, code="52", name="HM")
    vosges = factories.TerritoryFactory(kind=TerritoryKind.DEPARTEMENT, code="88", name="Vosges")
    chaumont = factories.TerritoryFactory(code="52121", name="Chaumont", parents=[marne])
    containment_rebuild()
    emploi = factories.ThemeFactory(name="Emploi")
    innovation = factories.ThemeFactory(name="Innovation")
    day = datetime.date(2019, 1, 15)
    make_signed_pact(title="A", territories=[chaumont], themes=[emploi], date=day)
    make_signed_pact(title="B", territories=[vosges], themes=[emploi], date=day.replace(2020))
    make_signed_pact(title="C", territories=[marne], themes=[innovation], date=day)
    make_signed_pact(title="Brouillon", territories=[vosges], themes=[innovation], published=False)
    return emploi, innovation


def options(page: str, name: str) -> dict[str, str]:
    """value → label of the options of the select `name`."""
    select = re.search(rf'<select name="{name}".*?</select>', page, re.S).group(0)
    return dict(re.findall(r'<option value="([^"]+)"[^>]*>([^<]*)</option>', select))


def count_of(label: str) -> int:
    return int(re.search(r"\((\d+)\)$", label).group(1))


def result_count(client, **params) -> int:
    return client.get("/pactes/", params).context["page_obj"].paginator.count


def test_each_choice_says_how_many_pacts_it_gives(client, three_pacts):
    emploi, innovation = three_pacts
    page = client.get("/pactes/").content.decode()
    assert options(page, "theme") == {emploi.slug: "Emploi (2)", innovation.slug: "Innovation (1)"}
    assert options(page, "annee") == {"2020": "2020 (1)", "2019": "2019 (2)"}
    assert options(page, "departement") == {"52": "HM (52) (2)", "88": "Vosges (88) (1)"}
    assert options(page, "statut") == {"signe": "Signé (3)"}


def test_counts_keep_the_other_filters_and_match_the_results_of_each_choice(client, three_pacts):
    page = client.get("/pactes/", {"annee": "2019"}).content.decode()
    themes = options(page, "theme")
    assert sorted(themes.values()) == ["Emploi (1)", "Innovation (1)"]
    # A facet's own value is left out of its counts: the other years stay offered with theirs.
    assert options(page, "annee") == {"2020": "2020 (1)", "2019": "2019 (2)"}
    assert options(page, "departement") == {"52": "HM (52) (2)", "88": "Vosges (88) (0)"}
    for name in ("theme", "departement"):
        for value, label in options(page, name).items():
            assert result_count(client, annee="2019", **{name: value}) == count_of(label), label


def test_the_export_does_not_count(client, three_pacts, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = client.get("/pactes/export.csv", {"annee": "2019"})
        b"".join(response.streaming_content)

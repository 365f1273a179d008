"""Rows of a list rendered once per data version and day (docs/architecture.md, « Cache »).

These tests commit (`transaction=True`): rows are held only outside transactions, as on the
real site, where a write becomes visible to other processes when it commits.
"""

import datetime
from unittest import mock

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from core.cache import DataVersion, held_row
from territories.services import containment_rebuild
from tests.conftest import build_haute_marne, make_signed_pact
from tests.factories import MandateFactory

pytestmark = pytest.mark.django_db(transaction=True)


def page(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


@override_settings(PUBLIC_PAGE_CACHE=False)
@pytest.mark.parametrize(
    ("url", "table", "shown"),
    [
        ("/pactes/", "pacts_pact", "Pacte 2"),
        ("/signatures/", "pacts_signingevent", "Pacte 2"),
        ("/personnes/", "people_person", "Nom2"),
        ("/organismes/", "territories_body", "CC 2"),
    ],
)
def test_a_row_already_rendered_is_shown_again_without_being_read(client, url, table, shown):
    """A URL not seen yet (the page cache off) shows rows another page rendered under the
    same data version: the same HTML, without reading those rows again."""
    for number in range(3):
        make_signed_pact(
            title=f"Pacte {number}",
            signatory=MandateFactory(person__last_name=f"Nom{number}", body__name=f"CC {number}"),
        )

    first = page(client, url)
    with CaptureQueriesContext(connection) as queries:
        again = page(client, url)

    assert again == first and shown in first
    read = [q["sql"] for q in queries.captured_queries if f'FROM "{table}"' in q["sql"]]
    assert read == []


def test_an_edit_shows_at_once_in_every_list_showing_the_row(client):
    """Held rows belong to a data version: renaming a pact, a person, a body or moving a
    signing shows in the lists at once, the old text nowhere."""
    mandate = MandateFactory(person__last_name="Guillemy", body__name="CC Meuse Rognon")
    pact = make_signed_pact(title="Pacte de Langres", signatory=mandate)
    event = pact.signing_events.get()
    lists = ("/pactes/", "/signatures/", "/personnes/", "/organismes/")
    shown = {url: page(client, url) for url in lists}
    assert "Pacte de Langres" in shown["/pactes/"] + shown["/signatures/"]
    assert "Guillemy" in shown["/personnes/"] and "CC Meuse Rognon" in shown["/organismes/"]

    pact.title = "Pacte du Bassin de Langres"
    pact.save()
    mandate.person.last_name = "Guillemin"
    mandate.person.save()
    mandate.body.name = "CC Trois Forêts"
    mandate.body.save()
    event.venue = "Salle des fêtes"
    event.save()

    shown = {url: page(client, url) for url in lists}
    assert "Pacte du Bassin de Langres" in shown["/pactes/"]
    assert "Pacte du Bassin de Langres" in shown["/signatures/"]
    assert "Salle des fêtes" in shown["/signatures/"]
    assert "Guillemin" in shown["/personnes/"] and "Guillemy" not in shown["/personnes/"]
    assert "CC Trois Forêts" in shown["/organismes/"]
    assert "CC Meuse Rognon" not in shown["/organismes/"] + shown["/pactes/"]


def test_a_mandate_ending_today_is_no_longer_shown_as_held_tomorrow(client):
    """A person's row shows the mandates held today: the held rows of a day are not those
    of the next, though no data changed."""
    today = datetime.date.today()
    mandate = MandateFactory(
        person__last_name="Guillemy", body__name="CC Meuse Rognon", end_date=today
    )
    make_signed_pact(signatory=mandate)
    assert "Présidente, CC Meuse Rognon" in page(client, "/personnes/")

    tomorrow = today + datetime.timedelta(days=1)
    with mock.patch("django.utils.timezone.localdate", return_value=tomorrow):
        shown = page(client, "/personnes/")

    assert "Guillemy" in shown and "Présidente, CC Meuse Rognon" not in shown


def test_the_home_page_map_and_departements_follow_a_publication(client):
    """The map and the list of départements are held per data version: a publication shows
    in both at once, on the home page and on the région's page."""
    places = build_haute_marne()
    containment_rebuild()
    make_signed_pact(title="Pacte de Chaumont", territories=[places.chaumont])
    draft = make_signed_pact(title="Pacte de Langres", territories=[places.langres])
    draft.published = False
    draft.save()
    for url in ("/", places.region.get_absolute_url()):
        assert 'aria-label="Haute-Marne (52) : 1 pacte publié"' in page(client, url), url
    assert "Haute-Marne <span" in page(client, "/")

    draft.published = True
    draft.save()

    for url in ("/", places.region.get_absolute_url()):
        assert 'aria-label="Haute-Marne (52) : 2 pactes publiés"' in page(client, url), url
    assert '<span class="count">2 pactes</span>' in page(client, "/")


@override_settings(PUBLIC_PAGE_CACHE=False)
def test_the_api_rows_follow_an_edit_and_name_the_address_each_visitor_asked(client):
    """The API's rows are held as represented, per address of the site: a row held for one
    host never gives another host its URLs, and an edit shows at once."""
    pact = make_signed_pact(title="Pacte de Langres")
    for _ in range(2):
        (row,) = client.get("/api/v1/pactes/").json()["resultats"]
        assert row["titre"] == "Pacte de Langres"
        assert row["url"] == f"http://testserver{pact.get_absolute_url()}"
    (row,) = client.get("/api/v1/pactes/", HTTP_HOST="localhost").json()["resultats"]
    assert row["url"] == f"http://localhost{pact.get_absolute_url()}"

    pact.title = "Pacte du Pays de Langres"
    pact.save()

    (row,) = client.get("/api/v1/pactes/").json()["resultats"]
    assert row["titre"] == "Pacte du Pays de Langres"


def test_a_row_rendered_for_an_earlier_version_is_never_shown_under_a_later_one():
    """A request still reading the data of an earlier version may finish rendering a row after
    a request of the next version held its own: the later version keeps showing its own."""
    earlier, later = DataVersion("earlier", 0.0), DataVersion("later", 0.0)

    def render_while_the_data_changes():
        with mock.patch("core.cache.data_version", return_value=later):
            assert held_row(("pact-card", 1), lambda: "rendered from later data") == (
                "rendered from later data"
            )
        return "rendered from earlier data"

    with mock.patch("core.cache.data_version", return_value=earlier):
        held_row(("pact-card", 1), render_while_the_data_changes)
    with mock.patch("core.cache.data_version", return_value=later):
        assert held_row(("pact-card", 1), lambda: "rendered again") == "rendered from later data"

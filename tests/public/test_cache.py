"""The shared page cache (docs/architecture.md, « Cache »): never stale, never personal.

These tests commit (`transaction=True`): the cache is only used outside transactions, as on
the real site, where a write becomes visible to other processes when it commits.
"""

import csv
import datetime
import io
import re
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.cache import data_version, per_data_version
from imports.report import ImportReport
from imports.run import run_import
from pacts.demo import demo_load
from pacts.models import Pact
from pacts.services import pacts_set_published
from public import choices
from territories.models import Territory, TerritoryKind
from tests.conftest import build_haute_marne, make_signed_pact, read_csv_response
from tests.factories import (
    AttendanceFactory,
    MandateFactory,
    PactFactory,
    ProgrammeFactory,
    TerritoryFactory,
)
from tests.territories.test_imports import decoupage

pytestmark = pytest.mark.django_db(transaction=True)

LIST = "/pactes/"


def body(response) -> str:
    if response.streaming:
        return read_csv_response(response)
    return response.content.decode()


def get_twice(client, url):
    """Fetch `url` twice: the second answer comes from the cache."""
    first = client.get(url)
    first_body = body(first)  # a streamed export is stored once read to the end
    second = client.get(url)
    assert (first["X-Cache"], second["X-Cache"]) == ("MISS", "HIT")
    assert body(second) == first_body
    return second


def test_a_published_pact_appears_at_once(client):
    pact = PactFactory(title="Pacte de Langres", published=False)
    assert "Pacte de Langres" not in body(get_twice(client, LIST))

    assert pacts_set_published(Pact.objects.filter(pk=pact.pk), published=True) == 1

    response = client.get(LIST)
    assert response["X-Cache"] == "MISS"
    assert "Pacte de Langres" in body(response)


def test_an_unpublished_pact_disappears_at_once_from_the_list_its_page_and_the_export(client):
    pact = PactFactory(title="Pacte de Chaumont")
    export = reverse("pacts:export")
    assert "Pacte de Chaumont" in body(get_twice(client, LIST))
    assert "Pacte de Chaumont" in body(get_twice(client, export))
    assert get_twice(client, pact.get_absolute_url()).status_code == 200

    pacts_set_published(Pact.objects.filter(pk=pact.pk), published=False)

    assert "Pacte de Chaumont" not in body(client.get(LIST))
    assert "Pacte de Chaumont" not in body(client.get(export))
    assert client.get(pact.get_absolute_url()).status_code == 404


def test_an_edit_shows_at_once_on_the_pact_page(client):
    pact = PactFactory(title="Pacte d'origine")
    assert "Pacte d&#x27;origine" in body(get_twice(client, pact.get_absolute_url()))

    pact.title = "Pacte révisé"
    pact.save()

    assert "Pacte révisé" in body(client.get(pact.get_absolute_url()))


def test_a_change_of_territories_alone_shows_at_once(client):
    pact = PactFactory()
    page = reverse("pacts:list") + "?departement=52"
    haute_marne = TerritoryFactory(kind=TerritoryKind.DEPARTEMENT, code="52", name="Haute-Marne")
    assert pact.title not in body(get_twice(client, page))

    pact.territories.add(haute_marne)

    assert pact.title in body(client.get(page))


def test_an_import_shows_at_once_though_its_bulk_writes_send_no_signal(client, tmp_path):
    call_command("import_territories", decoupage(tmp_path), stdout=StringIO())
    page = "/territoires/?q=chaumont"
    assert "Chaumont-en-Bassigny" not in body(get_twice(client, page))

    renamed = decoupage(tmp_path, rename={"52121": "Chaumont-en-Bassigny"}, folder="renamed")
    call_command("import_territories", renamed, stdout=StringIO())

    assert "Chaumont-en-Bassigny" in body(client.get(page))


def test_an_import_run_changes_the_version_only_when_it_commits():
    def rename():
        Territory.objects.filter(pk=commune.pk).update(name="Renommée")  # no signal
        return ImportReport()

    commune = TerritoryFactory(name="Ancienne")
    before = data_version()
    run_import(rename, dry_run=True)
    assert data_version() == before
    run_import(rename)
    assert data_version() != before


def test_a_restored_version_shows_at_once(client):
    """Restoring from the history saves the old version through `save()` (what the admin's
    « Rétablir » does once its form is valid), so the receivers see it."""
    pact = PactFactory(title="POCE d'origine", programme=ProgrammeFactory())
    first = pact.history.earliest()
    pact.title = "POCE modifié par erreur"
    pact.save()
    assert "POCE modifié par erreur" in body(get_twice(client, pact.get_absolute_url()))

    first.instance.save()

    assert "POCE d&#x27;origine" in body(client.get(pact.get_absolute_url()))


def test_the_demo_shows_at_once(client):
    page = "/territoires/?q=chaumont"
    assert "Chaumont" not in body(get_twice(client, page))

    demo_load()

    assert "Chaumont" in body(client.get(page))


def test_a_rolled_back_write_leaves_the_version_alone():
    PactFactory()
    before = data_version()
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        PactFactory()
        raise ZeroDivisionError
    assert data_version() == before


def test_a_matching_if_none_match_answers_304_until_the_data_changes(client):
    pact = PactFactory(title="Pacte de Saint-Dizier")
    first = client.get(LIST)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert first["Cache-Control"] == "public, max-age=60"

    not_modified = client.get(LIST, headers={"If-None-Match": etag})
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified["ETag"] == etag
    assert client.get(LIST, headers={"If-Modified-Since": last_modified}).status_code == 304
    assert client.get(LIST, headers={"If-None-Match": '"autre"'}).status_code == 200

    pact.title = "Pacte de Saint-Dizier révisé"
    pact.save()

    changed = client.get(LIST, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert "révisé" in body(changed)


def test_staff_are_never_served_nor_fill_the_anonymous_cache(client, admin_client):
    PactFactory(title="Pacte public")

    staff = admin_client.get(LIST)
    assert staff.status_code == 200
    assert not staff.has_header("X-Cache")
    assert not staff.has_header("ETag")
    assert client.get(LIST)["X-Cache"] == "MISS"  # the staff's visit stored nothing

    assert client.get(LIST)["X-Cache"] == "HIT"
    assert not admin_client.get(LIST).has_header("X-Cache")


def test_errors_are_not_cached(client):
    for url, status in [
        ("/pactes/pacte-inconnu/", 404),
        (reverse("pacts:export") + "?annee=deux-mille", 400),
    ]:
        for _ in range(2):
            response = client.get(url)
            assert response.status_code == status
            assert not response.has_header("X-Cache")
            assert not response.has_header("ETag")


def test_a_cache_hit_reads_two_cache_entries_and_nothing_else(client, django_assert_num_queries):
    PactFactory()
    client.get(LIST)
    with django_assert_num_queries(2):  # the data version, the page (database cache table)
        assert client.get(LIST)["X-Cache"] == "HIT"


def test_the_cached_page_keeps_the_headers_it_was_sent_with(client):
    PactFactory()
    first, second = client.get(LIST), client.get(LIST)
    for header in ("Content-Security-Policy", "X-Frame-Options", "Content-Type", "ETag"):
        assert second[header] == first[header]


@pytest.mark.django_db(transaction=False)
def test_a_page_read_inside_a_transaction_is_neither_served_from_nor_stored_in_the_cache(client):
    """So the query-count tests, which run in a transaction, measure the uncached path."""
    PactFactory()
    for _ in range(2):
        response = client.get(LIST)
        assert response.status_code == 200
        assert not response.has_header("X-Cache")


def test_the_departements_offered_are_read_once_per_data_version_and_follow_a_publication(
    client,
):
    """What every page derives alike from all published data (the départements concerned
    by published pacts, with their pacts) is computed once per data version, for every URL,
    and again as soon as a publication changes it."""
    places = build_haute_marne()
    vosges = TerritoryFactory(kind=TerritoryKind.DEPARTEMENT, code="88", name="Vosges")
    epinal = TerritoryFactory(code="88160", name="Épinal", parents=[vosges])
    make_signed_pact(title="Pacte de Chaumont", territories=[places.epci])
    hidden = make_signed_pact(title="Pacte d'Épinal", territories=[epinal], published=False)

    with mock.patch(
        "public.choices._departement_pacts", side_effect=choices._departement_pacts
    ) as computed:
        for url in ("/", LIST, LIST + "?annee=2019", LIST + "?departement=52"):
            assert "Haute-Marne (52)" in body(client.get(url))
        assert computed.call_count == 1

        pacts_set_published(Pact.objects.filter(pk=hidden.pk), published=True)

        assert "Vosges (88)" in body(client.get(LIST + "?annee=2019"))
        assert computed.call_count == 2


def test_the_people_and_bodies_offered_are_read_once_per_data_version_and_follow_a_publication(
    client,
):
    """The « personne » and « organisme » selects offer the same rows on every URL until the
    data changes: read from the shared cache, not from the people and bodies tables."""
    first = make_signed_pact(signatory=MandateFactory(person__last_name="Guillemy"))
    second = make_signed_pact(
        signatory=MandateFactory(person__last_name="Rottner", body__name="Région Grand Est"),
        published=False,
    )
    assert "Guillemy" in body(client.get(LIST))

    with CaptureQueriesContext(connection) as queries:
        page = body(client.get(LIST + "?annee=2019"))
    assert "Guillemy" in page and "Rottner" not in page
    read = "\n".join(query["sql"] for query in queries.captured_queries)
    # (The cards join each party's body; the selects would read the tables themselves.)
    assert 'FROM "people_person"' not in read and 'FROM "territories_body"' not in read

    pacts_set_published(Pact.objects.filter(pk=second.pk), published=True)

    page = body(client.get(LIST + "?annee=2019"))
    assert "Rottner" in page and "Région Grand Est" in page
    assert first.slug in page


def test_a_page_reads_the_data_version_once(client):
    """The page cache's key and every value kept per data version share one read."""
    make_signed_pact()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(LIST + "?annee=2019")["X-Cache"] == "MISS"
    reads = [query for query in queries.captured_queries if "data-version" in query["sql"]]
    assert len(reads) == 1


# What each list shows of its rows, read from its HTML as a visitor reads it: a row already
# rendered comes from the process's held HTML, not as a model instance in the context.
SHOWN = {
    "/pactes/": r'<h3 class="card-title"><a href="[^"]*">([^<]*)</a>',
    "/signatures/": r'<time datetime="([^"]*)">',
    "/personnes/": r'<th scope="row"><a href="[^"]*">(\S+) ',
    "/organismes/": r'<th scope="row"><a href="[^"]*">([^<]*)</a>',
}


def shown_rows(response, url: str) -> list[str]:
    return re.findall(SHOWN[url], body(response))


def csv_column(response, name: str) -> list[str]:
    rows = list(csv.DictReader(io.StringIO(body(response).lstrip("\ufeff")), delimiter=";"))
    return [row[name] for row in rows]


def test_the_default_people_and_body_lists_are_their_exports_and_follow_a_publication(
    client,
):
    """Their default order (most published pacts first) is kept per data version: every
    page of it is the export's order, and a publication reorders it at once."""
    people = [
        MandateFactory(person__last_name=f"Nom{i:02}", body__name=f"Org{i:02}") for i in range(23)
    ]
    for i, mandate in enumerate(people):
        for _ in range(1 + i % 3):
            make_signed_pact(signatory=mandate)
    hidden = [make_signed_pact(signatory=people[0], published=False) for _ in range(3)]

    for url, column in (("/personnes/", "nom"), ("/organismes/", "nom")):
        shown = []
        for page in ("1", "2"):
            shown += shown_rows(client.get(url, {"page": page}), url)
        export = csv_column(client.get(url + "export.csv"), column)
        assert shown == export[: len(shown)] and len(shown) == 23
        assert shown[-1].endswith("21")  # one pact each: 0, 3 … 21, by name
    counts = [
        int(n) for n in re.findall(r'<td class="num">(\d+)</td>', body(client.get("/organismes/")))
    ]
    assert counts == sorted(counts, reverse=True) and counts[0] == 3

    pacts_set_published(Pact.objects.filter(pk__in=[p.pk for p in hidden]), published=True)

    for url, first in (("/personnes/", "Nom00"), ("/organismes/", "Org00")):
        response = client.get(url)
        assert response["X-Cache"] == "MISS"
        assert shown_rows(response, url)[0] == first
    top = re.search(r'<td class="num">(\d+)</td>', body(client.get("/organismes/")))
    assert top.group(1) == "4"


def test_the_search_follows_a_renamed_body_and_a_new_attendee_at_once(client):
    """The pacts' search keys are kept per data version: a renamed party or a new attendee
    is found by the next search, and the old name no longer finds the pact."""
    mandate = MandateFactory(body__name="Communauté de communes Meuse Rognon")
    pact = make_signed_pact(title="Pacte de Meuse", signatory=mandate)
    assert pact.slug in body(client.get(LIST, {"q": "rognon"}))

    mandate.body.name = "Communauté de communes Trois Forêts"
    mandate.body.save()
    AttendanceFactory(event=pact.signing_events.get(), person__last_name="Guillemy")

    assert pact.slug not in body(client.get(LIST, {"q": "rognon"}))
    assert pact.slug in body(client.get(LIST, {"q": "trois forets"}))
    assert pact.slug in body(client.get("/recherche/", {"q": "guillemy"}))


def test_the_unfiltered_pact_list_is_its_export_in_every_order_and_follows_a_publication(
    client,
):
    """Its order is kept per data version for each sort: every page of it is the export's
    order, and a publication shows at once in its place."""
    for day in range(1, 24):
        make_signed_pact(title=f"Pacte {day:02}", date=datetime.date(2019, 1, day))
    late = make_signed_pact(title="Pacte 00", date=datetime.date(2020, 5, 1), published=False)

    for order in ("", "-date", "date", "titre", "-titre"):
        shown = []
        for page in ("1", "2"):
            response = client.get(LIST, {"tri": order, "page": page} if order else {"page": page})
            shown += shown_rows(response, LIST)
        export = csv_column(client.get(LIST + "export.csv", {"tri": order}), "titre")
        assert shown == export and len(shown) == 23

    pacts_set_published(Pact.objects.filter(pk=late.pk), published=True)

    assert shown_rows(client.get(LIST), LIST)[0] == "Pacte 00"
    titles = shown_rows(client.get(LIST, {"tri": "titre"}), LIST)
    assert titles[:2] == ["Pacte 00", "Pacte 01"]


def test_an_export_never_reads_the_ranking_its_page_is_cut_from(client):
    make_signed_pact(signatory=MandateFactory())
    for url in ("/pactes/export.csv", "/personnes/export.csv", "/organismes/export.csv"):
        with CaptureQueriesContext(connection) as queries:
            body(client.get(url))
        assert not [q for q in queries.captured_queries if "ranking" in q["sql"]], url


def test_the_unfiltered_signing_list_is_its_export_and_follows_a_publication(client):
    for day in range(1, 24):
        make_signed_pact(date=datetime.date(2019, 1, day))
    late = make_signed_pact(date=datetime.date(2020, 5, 1), published=False)

    shown = []
    for page in ("1", "2"):
        response = client.get("/signatures/", {"page": page})
        shown += shown_rows(response, "/signatures/")
    assert shown == csv_column(client.get("/signatures/export.csv"), "date")
    assert len(shown) == 23

    pacts_set_published(Pact.objects.filter(pk=late.pk), published=True)

    assert shown_rows(client.get("/signatures/"), "/signatures/")[0] == "2020-05-01"


def test_a_filtered_list_is_its_export_in_the_order_kept_per_data_version(client):
    """A filter keeps the ranking's rows it selects, in the ranking's order: the export's."""
    for day in range(1, 24):
        year = 2019 if day % 2 else 2020
        signatory = MandateFactory(person__last_name=f"Nom{day:02}")
        make_signed_pact(
            title=f"Pacte {day:02}", date=datetime.date(year, 1, day), signatory=signatory
        )

    for url, params, column in (
        (LIST, {"annee": "2019", "tri": "-titre"}, "titre"),
        (LIST, {"q": "pacte"}, "titre"),
        ("/signatures/", {"annee": "2020"}, "date"),
        ("/personnes/", {"q": "nom"}, "nom"),
    ):
        shown, page = [], 1
        while True:
            response = client.get(url, {**params, "page": page})
            shown += shown_rows(response, url)
            if not response.context["page_obj"].has_next():
                break
            page += 1
        assert shown == csv_column(client.get(url + "export.csv", params), column), url
        assert shown, url


def test_a_value_kept_per_data_version_is_held_by_the_process_until_the_version_changes():
    computed = []

    def compute():
        computed.append(1)
        return [len(computed)]

    assert per_data_version("test-held", compute) == [1]
    with CaptureQueriesContext(connection) as queries:
        assert per_data_version("test-held", compute) == [1]
    assert len(queries) == 1  # the version alone: the value is this process's copy

    PactFactory()  # a write changes the version

    assert per_data_version("test-held", compute) == [2]


def test_the_involved_people_by_mandate_status_follow_the_day(client):
    """`statut` among the involved people reads their statuses kept per data version and
    day: a mandate ending today moves its holder to « termine » tomorrow, with no write."""
    today = datetime.date.today()
    mandate = MandateFactory(person__last_name="Guillemy", end_date=today)
    make_signed_pact(signatory=mandate)
    make_signed_pact(signatory=MandateFactory(person__last_name="Maréchal"))

    assert shown_rows(client.get("/personnes/", {"statut": "en_cours"}), "/personnes/") == [
        "Guillemy",
        "Maréchal",
    ]
    assert shown_rows(client.get("/personnes/", {"statut": "termine"}), "/personnes/") == []

    tomorrow = today + datetime.timedelta(days=1)
    with mock.patch("django.utils.timezone.localdate", return_value=tomorrow):
        current = shown_rows(client.get("/personnes/", {"statut": "en_cours"}), "/personnes/")
        ended = shown_rows(client.get("/personnes/", {"statut": "termine"}), "/personnes/")
    assert (current, ended) == (["Maréchal"], ["Guillemy"])

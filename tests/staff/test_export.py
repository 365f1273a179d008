"""Exports of the admin's lists, as regional staff use them: the list as filtered, drafts
included, with the columns only staff see; nothing for those who may not see the list."""

import csv
import io

import openpyxl
import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from pacts.models import PactStatus
from tests import factories
from tests.conftest import make_signed_pact

pytestmark = pytest.mark.django_db

PACT_CHANGELIST = reverse("admin:pacts_pact_changelist")


def staff_client(username: str, group: str | None) -> Client:
    user = User.objects.create_user(username, is_staff=True)
    if group:
        user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return client


def csv_rows(response) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff") and "\r\n" in text
    return list(csv.DictReader(io.StringIO(text[1:], newline=""), delimiter=";"))


@pytest.fixture
def season():
    """A draft and a published pact in preparation, and a signed one."""
    draft = factories.PactFactory(
        title="=Pacte brouillon de Langres", status=PactStatus.PREPARATION, published=False
    )
    factories.PactFactory(title="Pacte de Chaumont", status=PactStatus.PREPARATION)
    make_signed_pact(title="Pacte de Saint-Dizier", status=PactStatus.SIGNED)
    return draft


def test_redaction_exports_the_filtered_pact_list_with_its_draft(
    season, django_assert_max_num_queries
):
    client = staff_client("redactrice", "Rédaction")
    url = reverse("staff:export_list", args=["pacts", "pact", "csv"])

    # Session, rights, the list's filters and counts, then one query for every row.
    with django_assert_max_num_queries(16):
        response = client.get(url, {"status__exact": PactStatus.PREPARATION})

    assert response.status_code == 200
    rows = csv_rows(response)
    # Exactly the filtered rows, the draft among them, its formula-like title neutralised.
    assert sorted(row["titre"] for row in rows) == [
        "'=Pacte brouillon de Langres",
        "Pacte de Chaumont",
    ]
    draft = next(row for row in rows if row["identifiant"] == season.slug)
    assert draft["publie"] == "non"
    assert draft["statut"] == "En préparation"
    assert draft["modifications_en_attente"] == "0"
    assert list(rows[0])[-4:] == ["cree_le", "cree_par", "modifie_le", "modifie_par"]
    # The public export's columns come first, under the same headers.
    assert list(rows[0])[:3] == ["identifiant", "titre", "programme"]


def test_the_selection_exported_by_the_action_is_the_filtered_list(season):
    client = staff_client("redactrice", "Rédaction")
    response = client.post(
        f"{PACT_CHANGELIST}?status__exact={PactStatus.PREPARATION}",
        {
            "action": "export_xlsx",
            "select_across": "1",
            "index": "0",
            "_selected_action": [season.pk],
        },
    )

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, *rows = list(sheet.iter_rows())
    column = [cell.value for cell in header].index("titre")
    titles = sorted((row[column].value, row[column].data_type) for row in rows)
    # A title starting with « = » is text typed as text, never a formula.
    assert titles == [("=Pacte brouillon de Langres", "s"), ("Pacte de Chaumont", "s")]


def test_a_member_without_the_view_right_cannot_export():
    factories.PactFactory(published=False)
    client = staff_client("stagiaire", None)

    response = client.get(reverse("staff:export_list", args=["pacts", "pact", "csv"]))
    assert response.status_code == 403
    response = client.get(reverse("staff:export_list", args=["people", "mandate", "xlsx"]))
    assert response.status_code == 403


def test_every_staff_list_exports_its_rows_with_who_changed_them():
    pact = make_signed_pact(title="Pacte de Langres", published=False)
    client = staff_client("redactrice", "Rédaction")
    lists = [
        ("pacts", "signingevent"),
        ("territories", "body"),
        ("people", "person"),
        ("people", "mandate"),
    ]

    for app_label, model_name in lists:
        response = client.get(reverse("staff:export_list", args=[app_label, model_name, "csv"]))
        assert response.status_code == 200, model_name
        rows = csv_rows(response)
        assert len(rows) == 1, model_name
        assert "modifie_par" in rows[0]

    changelist = client.get(reverse("admin:people_mandate_changelist"))
    assert "Export CSV" in changelist.content.decode()
    assert pact.parties.get().mandate.person.last_name in rows[0]["personne"]


def test_an_export_that_cannot_be_the_list_is_refused():
    client = staff_client("redactrice", "Rédaction")

    response = client.get(reverse("staff:export_list", args=["pacts", "pact", "csv"]), {"x": "1"})
    assert response.status_code == 400
    assert "un filtre de la liste est invalide" in response.content.decode()
    response = client.get(reverse("staff:export_list", args=["pacts", "programme", "csv"]))
    assert response.status_code == 404
    response = client.get(reverse("staff:export_list", args=["pacts", "pact", "pdf"]))
    assert response.status_code == 404


def test_a_list_too_long_for_a_workbook_is_refused_in_french(monkeypatch):
    factories.PactFactory.create_batch(3, published=False)
    monkeypatch.setattr("public.xlsx.MAX_ROWS", 2)
    client = staff_client("redactrice", "Rédaction")

    response = client.get(reverse("staff:export_list", args=["pacts", "pact", "xlsx"]))
    assert response.status_code == 400
    assert response.content.decode().startswith("Export XLSX refusé")
    assert "plus de 2 lignes, trop pour un tableur" in response.content.decode()

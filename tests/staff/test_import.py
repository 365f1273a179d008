"""Pacts prepared in a spreadsheet, imported from the admin: a preview first, with each row's
errors and the candidates of what it could not resolve, then drafts written in one go."""

import datetime
import io

import openpyxl
import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from pacts.models import Pact, PactParty, PactStatus, PartyRole, SigningEvent
from people.models import Function
from staff.pact_import import HEADERS
from territories.models import TerritoryKind
from tests import factories
from tests.factories import siren_with_key

pytestmark = pytest.mark.django_db

IMPORT = reverse("staff:import_pacts")
UNKNOWN_SIREN = siren_with_key(99999999)


def spreadsheet(rows: list[dict[str, str]]) -> bytes:
    """The downloaded .xlsx template, filled with `rows` (header → value)."""
    client = Client()
    client.force_login(User.objects.get(username="redactrice"))
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(template_url("xlsx")).content))
    sheet = workbook["pactes"]
    header = [cell.value for cell in sheet[1]]
    for row in rows:
        sheet.append([row.get(name, "") for name in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_url(file_format: str) -> str:
    return reverse("staff:import_template", args=[file_format])


@pytest.fixture
def redaction() -> Client:
    user = User.objects.create_user("redactrice", is_staff=True)
    user.groups.add(Group.objects.get(name="Rédaction"))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def haute_marne():
    """Two CA and their presidents, Chaumont, and two communes called Saint-Martin."""
    factories.ProgrammeFactory()
    marne = factories.TerritoryFactory(
        kind=TerritoryKind.DEPARTEMENT, code="52", name="Haute-Marne"
    )
    alpes = factories.TerritoryFactory(
        kind=TerritoryKind.DEPARTEMENT, code="05", name="Hautes-Alpes"
    )
    chaumont = factories.TerritoryFactory(code="52121", name="Chaumont", parents=[marne])
    factories.TerritoryFactory(code="52450", name="Saint-Martin", parents=[marne])
    factories.TerritoryFactory(code="05150", name="Saint-Martin", parents=[alpes])
    agglo = factories.BodyFactory(name="Communauté d'agglomération de Chaumont")
    langres = factories.BodyFactory(name="Communauté de communes du Grand Langres")
    for body, first, last in ((agglo, "Christine", "Guillemy"), (langres, "Jacky", "Morel")):
        person = factories.PersonFactory(first_name=first, last_name=last)
        factories.MandateFactory(person=person, body=body, function=Function.PRESIDENT)
    return {"chaumont": chaumont, "agglo": agglo, "langres": langres}


def three_pacts(places, *, langres_siren: str, third_commune: str) -> list[dict[str, str]]:
    common = {"programme": "POCE", "statut": "En préparation", "date_signature": "15/01/2019"}
    return [
        {
            **common,
            "titre": "Pacte de l'agglomération de Chaumont",
            "debut_validite": "2019-01-15",
            "territoires": "52121",
            "organismes_signataires": places["agglo"].siren,
            "commune_signature": "Chaumont",
            "lieu_signature": "Pépinière d'entreprises Plein'Est",
            "signataires": "Christine Guillemy",
        },
        {
            **common,
            "titre": "Pacte du Grand Langres",
            "organismes_signataires": langres_siren,
            "partenaires_associes": "communauté d'agglomération de chaumont",
            "commune_signature": "52121",
            "signataires": "Jacky Morel",
        },
        {
            **common,
            "titre": "Pacte de Saint-Martin",
            "organismes_signataires": "Communauté de communes du Grand Langres",
            "commune_signature": third_commune,
        },
    ]


def upload(client: Client, content: bytes, name: str = "saison-2019.xlsx"):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, content)})


def test_the_preview_shows_each_error_with_its_line_column_and_candidates_and_writes_nothing(
    redaction, haute_marne
):
    rows = three_pacts(haute_marne, langres_siren=UNKNOWN_SIREN, third_commune="Saint-Martin")

    response = upload(redaction, spreadsheet(rows))

    assert response.status_code == 200
    plan = response.context["plan"]
    errors = [(e.line, e.column, e.letter) for e in plan.errors]
    assert errors == [(3, "organismes_signataires", "H"), (4, "commune_signature", "K")]
    assert f"SIREN inconnu : « {UNKNOWN_SIREN} »" in plan.errors[0].message
    assert plan.errors[1].message == (
        "commune ambiguë : « Saint-Martin » désigne 2 communes ; indiquez son code officiel."
    )
    # The candidates tell the two Saint-Martin apart by their département.
    assert plan.errors[1].candidates == [
        "Saint-Martin — Commune 05150, Hautes-Alpes (05)",
        "Saint-Martin — Commune 52450, Haute-Marne (52)",
    ]
    page = response.content.decode()
    assert "1 à créer, 0 à modifier, 0 inchangée, 2 en erreur" in page
    assert "Confirmer l'import" not in page
    assert not Pact.objects.exists()


def test_the_fixed_file_creates_three_drafts_and_a_second_import_changes_nothing(
    redaction, haute_marne
):
    rows = three_pacts(
        haute_marne, langres_siren=haute_marne["langres"].siren, third_commune="52450"
    )
    content = spreadsheet(rows)

    preview = upload(redaction, content)
    assert "3 à créer, 0 à modifier, 0 inchangée, 0 en erreur" in preview.content.decode()
    assert not Pact.objects.exists()
    done = redaction.post(IMPORT, {"token": preview.context["token"], "confirm": "1"}, follow=True)

    assert "3 pactes créés, 0 modifié, 0 inchangé" in done.content.decode()
    pacts = {p.title: p for p in Pact.objects.all()}
    assert sorted(pacts) == [
        "Pacte de Saint-Martin",
        "Pacte de l'agglomération de Chaumont",
        "Pacte du Grand Langres",
    ]
    assert {(p.published, p.status) for p in pacts.values()} == {(False, PactStatus.PREPARATION)}
    chaumont = pacts["Pacte de l'agglomération de Chaumont"]
    assert list(chaumont.territories.all()) == [haute_marne["chaumont"]]
    assert chaumont.start_date == datetime.date(2019, 1, 15)
    event = SigningEvent.objects.get(pact=chaumont)
    assert (event.date, event.commune, event.venue) == (
        datetime.date(2019, 1, 15),
        haute_marne["chaumont"],
        "Pépinière d'entreprises Plein'Est",
    )
    party = chaumont.parties.get()
    assert (party.body, str(party.mandate.person), party.signing_event) == (
        haute_marne["agglo"],
        "Christine Guillemy",
        event,
    )
    langres = pacts["Pacte du Grand Langres"].parties.order_by("order")
    assert [(p.body, p.role) for p in langres] == [
        (haute_marne["langres"], PartyRole.SIGNATORY),
        (haute_marne["agglo"], PartyRole.PARTNER),
    ]
    # Every version written is in the importing user's name.
    for model in (Pact, PactParty, SigningEvent):
        assert {r.history_user.username for r in model.history.all()} == {"redactrice"}
    versions = Pact.history.count() + SigningEvent.history.count()

    again = upload(redaction, content)
    assert "0 à créer, 0 à modifier, 3 inchangées, 0 en erreur" in again.content.decode()
    done = redaction.post(IMPORT, {"token": again.context["token"], "confirm": "1"}, follow=True)

    assert "0 pacte créé, 0 modifié, 3 inchangés" in done.content.decode()
    assert Pact.objects.count() == 3
    assert Pact.history.count() + SigningEvent.history.count() == versions


def test_a_changed_row_updates_its_draft_but_a_published_pact_is_refused(redaction, haute_marne):
    draft = factories.PactFactory(
        title="Pacte de Langres", status=PactStatus.PREPARATION, published=False
    )
    factories.PactFactory(title="Pacte de Chaumont", published=True)
    rows = [
        {
            "titre": "Pacte de Langres",
            "programme": "POCE",
            "statut": "Signé",
            "territoires": "52121",
        },
        {"titre": "Pacte de Chaumont", "programme": "POCE", "statut": "Signé"},
    ]
    csv_text = ";".join(HEADERS) + "\r\n"
    csv_text += "".join(";".join(row.get(h, "") for h in HEADERS) + "\r\n" for row in rows)

    preview = upload(redaction, ("\ufeff" + csv_text).encode(), "saison.csv")

    plan = preview.context["plan"]
    assert [(r.action, r.changes) for r in plan.rows] == [
        ("modification", ["statut", "territoires"]),
        ("erreur", []),
    ]
    assert plan.errors[0].message.startswith("pacte déjà publié : modifiez-le dans l'admin")
    draft.refresh_from_db()
    assert draft.status == PactStatus.PREPARATION  # a preview writes nothing


def test_the_template_and_unreadable_files(redaction):
    template = redaction.get(template_url("csv"))
    assert template.content.decode("utf-8").startswith("\ufeff" + ";".join(HEADERS) + "\r\n")

    response = upload(redaction, b"PK\x03\x04 pas un classeur", "pactes.xlsx")
    assert response.status_code == 400
    assert "Fichier .xlsx illisible" in response.content.decode()
    response = upload(redaction, "nom;prénom\r\nx;y\r\n".encode(), "pactes.csv")
    assert response.status_code == 400
    assert "Colonnes obligatoires absentes" in response.content.decode()


def test_only_those_who_add_and_change_pacts_may_import():
    user = User.objects.create_user("lecteur", is_staff=True)
    client = Client()
    client.force_login(user)

    assert client.get(IMPORT).status_code == 403
    assert client.get(template_url("xlsx")).status_code == 403


def test_the_staff_export_of_a_draft_reads_back_unchanged(redaction, haute_marne):
    agglo = haute_marne["agglo"]
    pact = factories.PactFactory(
        title="Pacte de Chaumont", published=False, territories=[haute_marne["chaumont"]]
    )
    event = factories.SigningEventFactory(pact=pact, commune=haute_marne["chaumont"])
    factories.PactPartyFactory(
        pact=pact, body=agglo, mandate=agglo.mandates.get(), signing_event=event
    )
    exported = redaction.get(reverse("staff:export_list", args=["pacts", "pact", "csv"]))

    preview = upload(redaction, b"".join(exported.streaming_content), "admin-pactes.csv")

    plan = preview.context["plan"]
    assert plan.errors == []
    assert [(row.title, row.action) for row in plan.rows] == [("Pacte de Chaumont", "inchangé")]
    assert "publie" in plan.ignored_columns

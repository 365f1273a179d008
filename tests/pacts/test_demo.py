"""Demo data: `load_demo` reproduces the press release of 15 January 2019, completely and
idempotently."""

import datetime
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from pacts import demo
from pacts.models import (
    Attendance,
    Pact,
    PactParty,
    PactStatus,
    PartyRole,
    Programme,
    SigningEvent,
    Source,
    Statement,
)
from people.models import Gender, Mandate, Person
from territories.models import Body, BodyKind, Territory, TerritoryKind
from tests.conftest import shared_rows

pytestmark = pytest.mark.django_db

JANUARY_15 = datetime.date(2019, 1, 15)
SIX_PRESENT = {
    "Lilla Merabet": "Vice-Présidente en charge de la Compétitivité, de l'Innovation et du "
    "Numérique, Région Grand Est",
    "Isabelle Heliot Couronne": "Présidente de la Commission Développement économique, "
    "Région Grand Est",
    "Remy Sadocco": "Président de la Commission Innovation, Enseignement Supérieur et "
    "Recherche, Région Grand Est",
    "Philippe Borde": "Conseiller régional, Région Grand Est",
    "Guillaume Maréchal": "Conseiller régional, Région Grand Est",
    "Frédéric Fabre": "Conseiller régional, Région Grand Est",
}


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The demo, loaded once for this module (every test here reads it): what a test changes
    is rolled back after it. The runs from an empty database are in test_demo_first_run.py."""
    yield from shared_rows(django_db_blocker, load_demo)


def chaumont_pact() -> Pact:
    return Pact.objects.get(title=demo.CHAUMONT_PACT_TITLE)


def langres_pact() -> Pact:
    return Pact.objects.get(title=demo.LANGRES_PACT_TITLE)


def territory(kind: str, code: str = "", name: str = "") -> Territory:
    return Territory.objects.get(kind=kind, **({"code": code} if code else {"name": name}))


def snapshot() -> dict[str, list[dict]]:
    """Every row of every model of the project, through tables included, in a stable order."""
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label in {"territories", "people", "pacts"}:
            rows[model._meta.label] = list(model._default_manager.order_by("pk").values())
    return rows


# --- People and their mandates -------------------------------------------------------------


def test_every_person_of_the_release_holds_every_role_it_gives(loaded):
    titles = {
        person.full_name: sorted(m.title_with_body for m in person.mandates.all())
        for person in Person.objects.prefetch_related("mandates__body")
    }
    assert titles == {
        "Jean Rottner": ["Président, Région Grand Est"],
        "Christine Guillemy": [
            "Présidente, CA de Chaumont",
            "Vice-Présidente en charge de la Formation initiale, Lycée et Apprentissage, "
            "Région Grand Est",
        ],
        "Bernard Guy": ["Président, Communauté de communes Meuse-Rognon"],
        "Dominique Thiebaud": ["Président, PETR du Pays de Langres"],
        "Lilla Merabet": [SIX_PRESENT["Lilla Merabet"]],
        "Isabelle Heliot Couronne": [SIX_PRESENT["Isabelle Heliot Couronne"]],
        "Remy Sadocco": [SIX_PRESENT["Remy Sadocco"]],
        "Philippe Borde": ["Conseiller régional, Région Grand Est"],
        "Guillaume Maréchal": ["Conseiller régional, Région Grand Est"],
        "Frédéric Fabre": ["Conseiller régional, Région Grand Est", "Maire, Doulaincourt-Saucourt"],
        "Gaëlle Tortil-Texier": ["Contact presse, Région Grand Est"],
    }


def test_names_are_kept_exactly_as_the_release_writes_them(loaded):
    assert Person.objects.filter(first_name="Isabelle", last_name="Heliot Couronne").exists()
    assert Person.objects.filter(first_name="Remy", last_name="Sadocco").exists()
    assert Person.objects.filter(first_name="Guillaume", last_name="Maréchal").exists()


def test_genders_follow_the_titles_of_the_release(loaded):
    genders = {person.full_name: person.gender for person in Person.objects.all()}
    assert genders["Christine Guillemy"] == Gender.FEMALE
    assert genders["Isabelle Heliot Couronne"] == Gender.FEMALE
    assert genders["Remy Sadocco"] == Gender.MALE
    assert genders["Frédéric Fabre"] == Gender.MALE


def test_mandate_dates_are_unknown_and_only_the_press_contact_is_not_elected(loaded):
    assert not Mandate.objects.filter(start_date__isnull=False).exists()
    assert not Mandate.objects.filter(end_date__isnull=False).exists()
    staff = Mandate.objects.get(elected=False)
    assert staff.person.full_name == "Gaëlle Tortil-Texier"
    assert staff.function == "agent"
    assert staff.label == "Contact presse"


def test_the_press_contact_is_a_contact_whose_phones_and_email_stay_private(loaded):
    contact = Person.objects.get(last_name="Tortil-Texier")
    assert contact.public_email == "gaelle.tortil-texier@grandest.fr"
    assert contact.public_phone == "06 78 79 93 36 / 03 88 15 69 84"
    assert contact.is_contact and not contact.email_shown and not contact.phone_shown


def test_committee_chairs_and_plain_functions(loaded):
    chairs = Mandate.objects.filter(function="president_commission")
    assert {m.person.last_name for m in chairs} == {"Heliot Couronne", "Sadocco"}
    plain = Mandate.objects.filter(label="").values_list("person__last_name", "function")
    assert set(plain) == {
        ("Rottner", "president"),
        ("Guillemy", "president"),
        ("Guy", "president"),
        ("Thiebaud", "president"),
        ("Borde", "conseiller"),
        ("Maréchal", "conseiller"),
        ("Fabre", "conseiller"),
        ("Fabre", "maire"),
    }


# --- Bodies and territories ----------------------------------------------------------------


def test_every_body_of_the_release_with_its_siren_and_territory(loaded):
    bodies = {
        body.name: (
            body.kind,
            body.short_name,
            body.siren,
            body.territory.kind,
            body.territory.code,
        )
        for body in Body.objects.select_related("territory")
    }
    assert bodies == {
        "Région Grand Est": (BodyKind.REGION, "", "", TerritoryKind.REGION, "44"),
        "Communauté d'agglomération de Chaumont": (
            BodyKind.EPCI,
            "CA de Chaumont",
            "200068658",
            TerritoryKind.CA,
            "200068658",
        ),
        "Communauté de communes Meuse-Rognon": (
            BodyKind.EPCI,
            "",
            "200069664",
            TerritoryKind.CC,
            "200069664",
        ),
        "PETR du Pays de Langres": (BodyKind.PETR, "", "", TerritoryKind.PETR, ""),
        "Communauté de communes du Grand Langres": (
            BodyKind.EPCI,
            "",
            "200072999",
            TerritoryKind.CC,
            "200072999",
        ),
        "Commune de Doulaincourt-Saucourt": (
            BodyKind.COMMUNE,
            "Doulaincourt-Saucourt",
            "",
            TerritoryKind.COMMUNE,
            "52177",
        ),
    }


def test_territories_carry_their_official_codes(loaded):
    codes = set(Territory.objects.values_list("kind", "code", "name"))
    assert codes == {
        ("region", "44", "Grand Est"),
        ("departement", "52", "Haute-Marne"),
        ("commune", "52121", "Chaumont"),
        ("commune", "52269", "Langres"),
        ("commune", "52177", "Doulaincourt-Saucourt"),
        ("ca", "200068658", "CA de Chaumont"),
        ("cc", "200069664", "CC Meuse Rognon"),
        ("cc", "200072999", "CC du Grand Langres"),
        ("cc", "200027308", "CC d'Auberive Vingeanne et Montsaugeonnais"),
        ("cc", "200070332", "CC des Savoir-Faire"),
        ("petr", "", "PETR du Pays de Langres"),
    }


def test_chaumont_is_inside_its_departement_region_and_agglomeration(loaded):
    chaumont = territory(TerritoryKind.COMMUNE, "52121")
    containers = set(Territory.objects.containing(chaumont).values_list("kind", "code"))
    assert containers == {("departement", "52"), ("region", "44"), ("ca", "200068658")}


def test_the_petr_contains_its_three_communautes_de_communes(loaded):
    petr = territory(TerritoryKind.PETR, name="PETR du Pays de Langres")
    inside = Territory.objects.inside(petr)
    assert set(inside.filter(kind=TerritoryKind.CC).values_list("code", flat=True)) == {
        "200072999",
        "200027308",
        "200070332",
    }
    # Langres is inside the Grand Langres, hence inside the PETR too.
    assert inside.filter(code="52269").exists()
    # Through the CC des Savoir-Faire it reaches into Haute-Saône: it only overlaps Haute-Marne.
    assert not Territory.objects.containing(petr).exists()
    haute_marne = territory(TerritoryKind.DEPARTEMENT, "52")
    assert haute_marne in Territory.objects.overlapping(petr)


def test_every_commune_and_epci_but_the_straddling_one_is_inside_haute_marne(loaded):
    haute_marne = territory(TerritoryKind.DEPARTEMENT, "52")
    inside = set(Territory.objects.inside(haute_marne).values_list("kind", "code"))
    assert inside == set(
        Territory.objects.exclude(kind__in=["region", "departement", "petr"])
        .exclude(code="200070332")
        .values_list("kind", "code")
    )
    savoir_faire = territory(TerritoryKind.CC, "200070332")
    assert set(Territory.objects.overlapping(savoir_faire)) >= {haute_marne}


def test_pacts_are_found_by_territory(loaded):
    haute_marne = territory(TerritoryKind.DEPARTEMENT, "52")
    chaumont = territory(TerritoryKind.COMMUNE, "52121")
    langres = territory(TerritoryKind.COMMUNE, "52269")
    assert set(Pact.objects.in_territory(haute_marne)) == {chaumont_pact(), langres_pact()}
    assert list(Pact.objects.in_territory(chaumont)) == [chaumont_pact()]
    assert list(Pact.objects.in_territory(langres)) == [langres_pact()]


# --- Programme and pacts -------------------------------------------------------------------


def test_the_poce_programme_is_owned_by_the_region(loaded):
    poce = Programme.objects.get()
    assert (poce.name, poce.acronym, poce.owner.name) == (
        "Pacte Offensive Croissance Emploi",
        "POCE",
        "Région Grand Est",
    )
    assert poce.description.startswith("Le POCE se base sur les besoins du territoire")


def test_both_pacts_are_signed_published_poce_pacts(loaded):
    pacts = Pact.objects.published()
    assert pacts.count() == 2
    for pact in pacts:
        assert pact.status == PactStatus.SIGNED
        assert pact.programme.acronym == "POCE"
        assert pact.summary.startswith("Le POCE permet d'identifier les actions structurantes")
        assert pact.start_date is None and pact.end_date is None


def test_each_pact_covers_the_territories_that_signed_it(loaded):
    assert set(chaumont_pact().territories.values_list("code", flat=True)) == {
        "200068658",
        "200069664",
    }
    assert list(langres_pact().territories.values_list("name", flat=True)) == [
        "PETR du Pays de Langres"
    ]


def test_both_pacts_fit_the_three_regional_strategies_and_share_the_themes(loaded):
    for pact in (chaumont_pact(), langres_pact()):
        assert set(pact.strategies.values_list("acronym", flat=True)) == {
            "SRDEII",
            "SRADDET",
            "CPRDFOP",
        }
        assert set(pact.themes.values_list("name", flat=True)) == set(demo.THEMES)
    cprdfop = chaumont_pact().strategies.get(acronym="CPRDFOP")
    assert "Performance Grand Est" in cprdfop.name


def test_parties_signatories_and_their_mandates(loaded):
    def parties(pact):
        return [
            (
                party.body.name,
                party.role,
                party.mandate.person.full_name if party.mandate else None,
                party.signing_event_id is not None,
            )
            for party in pact.parties.select_related("body", "mandate__person")
        ]

    assert parties(chaumont_pact()) == [
        ("Région Grand Est", PartyRole.SIGNATORY, "Jean Rottner", True),
        ("Communauté d'agglomération de Chaumont", PartyRole.SIGNATORY, "Christine Guillemy", True),
        ("Communauté de communes Meuse-Rognon", PartyRole.SIGNATORY, "Bernard Guy", True),
    ]
    assert parties(langres_pact()) == [
        ("Région Grand Est", PartyRole.SIGNATORY, "Jean Rottner", True),
        ("PETR du Pays de Langres", PartyRole.SIGNATORY, "Dominique Thiebaud", True),
        ("Communauté de communes du Grand Langres", PartyRole.PARTNER, None, False),
    ]
    # Guillemy signed as présidente of the CA, not as vice-présidente of the Région.
    guillemy = chaumont_pact().parties.get(body__short_name="CA de Chaumont").mandate
    assert guillemy.title_with_body == "Présidente, CA de Chaumont"


def test_each_signatory_signed_at_its_own_pacts_event(loaded):
    for party in PactParty.objects.filter(role=PartyRole.SIGNATORY):
        assert party.signing_event.pact_id == party.pact_id


def test_every_party_and_attendance_passes_validation(loaded):
    for row in [*PactParty.objects.all(), *Attendance.objects.all(), *Mandate.objects.all()]:
        row.full_clean()


# --- Events, attendees, declaration --------------------------------------------------------


def test_both_signing_events_with_date_town_venue_and_description(loaded):
    events = {
        event.pact.title: (event.date, event.commune.code, event.venue, event.description)
        for event in SigningEvent.objects.select_related("pact", "commune")
    }
    assert events == {
        demo.CHAUMONT_PACT_TITLE: (
            JANUARY_15,
            "52121",
            "Pépinière d'entreprises Plein'Est",
            "devant de nombreux élus et chefs d'entreprises du territoire",
        ),
        demo.LANGRES_PACT_TITLE: (
            JANUARY_15,
            "52269",
            "Freudenberg Joints Elastomères",
            "suivi d'un temps d'échange avec les élus des communes concernées",
        ),
    }


def test_the_six_regional_officials_attended_both_events(loaded):
    for event in SigningEvent.objects.all():
        attendees = {
            a.person.full_name: a.mandate.title_with_body
            for a in event.attendances.select_related("person", "mandate__body")
        }
        assert attendees == SIX_PRESENT


def test_jean_rottners_declaration_is_quoted_in_full_at_chaumont(loaded):
    statement = Statement.objects.select_related("person", "event__commune").get()
    assert statement.person.full_name == "Jean Rottner"
    assert statement.event.commune.name == "Chaumont"
    assert "L'emploi est une priorité de la Région" in statement.text
    assert statement.text.startswith("Je suis heureux que la Région soit aux côtés")
    assert statement.text.endswith("l'attractivité économique et l'emploi dans les territoires.")


# --- The source ----------------------------------------------------------------------------


def test_the_press_release_is_the_source_of_both_pacts(loaded):
    source = Source.objects.select_related("publisher", "contact").get()
    assert source.title == (
        "La Région Grand Est aux côtés des territoires avec la signature de deux Pactes "
        "Offensive Croissance Emploi (POCE) en Haute-Marne"
    )
    assert source.date == JANUARY_15
    assert source.url == ""
    assert source.publisher.name == "Région Grand Est"
    assert source.contact.full_name == "Gaëlle Tortil-Texier"
    assert set(source.pacts.all()) == {chaumont_pact(), langres_pact()}
    assert source.text.startswith(source.title)
    assert "CONTACT PRESSE" in source.text
    assert "gaelle.tortil-texier@grandest.fr" in source.text


def test_every_text_the_demo_writes_is_taken_from_the_release(loaded):
    """Nothing invented: quoted sentences, venues, descriptions and titles are the release's."""
    release = Source.objects.get().text
    # Paragraphs of the release are single lines; compare the prose with the line breaks
    # between paragraphs removed.
    prose = " ".join(release.split())
    quoted = [
        demo.PROGRAMME_DESCRIPTION,
        demo.ROTTNER_DECLARATION,
        *demo.PACT_DESCRIPTION.split("\n\n"),
        demo.PACT_SUMMARY.replace("Le POCE permet", "Il permet"),
        *SigningEvent.objects.values_list("venue", flat=True),
        *SigningEvent.objects.values_list("description", flat=True),
    ]
    for text in quoted:
        assert " ".join(text.split()) in prose, text
    for label in (
        Mandate.objects.exclude(label="").exclude(elected=False).values_list("label", flat=True)
    ):
        # The release writes "Vice-Présidente de la Région Grand Est en charge de…" once.
        assert label.replace("Vice-Présidente ", "") in prose, label
    for person in Person.objects.all():
        assert person.full_name in prose


# --- Idempotence and the command -----------------------------------------------------------


def test_a_second_run_creates_and_changes_nothing(loaded):
    before = snapshot()
    counts = demo.demo_load()
    assert snapshot() == before
    assert (counts["created"], counts["updated"]) == (0, 0)
    assert counts["unchanged"] == 73


def test_a_rerun_keeps_what_staff_changed_and_reports_it(loaded):
    SigningEvent.objects.filter(commune__code="52121").update(venue="Ailleurs")
    langres = langres_pact()
    langres.themes.clear()
    Pact.objects.filter(pk=langres.pk).update(published=False, summary="Résumé revu")

    counts = demo.demo_load()

    assert counts["created"] == 0
    assert counts["by_model"]["signatures"]["kept"] == 1
    assert counts["by_model"]["pactes"]["kept"] == 1
    assert SigningEvent.objects.get(commune__code="52121").venue == "Ailleurs"
    langres.refresh_from_db()
    assert not langres.published
    assert langres.summary == "Résumé revu"
    assert langres.themes.count() == 0


def test_a_rerun_creates_what_staff_deleted(loaded):
    Statement.objects.all().delete()

    counts = demo.demo_load()

    assert counts["created"] == 1
    assert Statement.objects.get().person.last_name == "Rottner"


def test_the_history_names_the_demo_account(loaded):
    chaumont = Pact.objects.get(title=demo.CHAUMONT_PACT_TITLE)
    record = chaumont.history.earliest()

    assert record.history_user.username == demo.DEMO_USERNAME
    assert not record.history_user.is_active
    assert not record.history_user.has_usable_password()


def test_the_command_prints_a_french_summary(loaded):
    assert "Lignes créées / complétées / laissées telles quelles / inchangées, par type :" in loaded
    assert "  mandats : 13 / 0 / 0" in loaded
    assert "Données de démonstration chargées : 73 créées, 0 complétées, 0 inchangées." in loaded
    again = load_demo()
    assert "Données de démonstration chargées : 0 créées, 0 complétées, 73 inchangées." in again

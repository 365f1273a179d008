"""Import of elected officials from the Répertoire national des élus, on small files."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from people.models import Function, Gender, Mandate, Person
from territories.models import Body, BodyKind, Territory, TerritoryKind
from tests.factories import PersonFactory, TerritoryFactory

pytestmark = pytest.mark.django_db

CA_CHAUMONT = "200068658"

# The columns every RNE file ends with, after those naming the collectivity (official headers).
PERSON_COLUMNS = [
    "Nom de l'élu",
    "Prénom de l'élu",
    "Code sexe",
    "Date de naissance",
    "Code de la catégorie socio-professionnelle",
    "Libellé de la catégorie socio-professionnelle",
    "Date de début du mandat",
    "Libellé de la fonction",
    "Date de début de la fonction",
    "Code nationalité",
]
CM_HEADER = [
    "Code du département",
    "Libellé du département",
    "Code de la collectivité à statut particulier",
    "Libellé de la collectivité à statut particulier",
    "Code de la commune",
    "Libellé de la commune",
    *PERSON_COLUMNS,
]
CC_HEADER = [
    "Code du département",
    "Libellé du département",
    "N° SIREN",
    "Libellé de l'EPCI",
    "Code de la commune de rattachement",
    "Libellé de la commune de rattachement",
    *PERSON_COLUMNS,
]
CD_HEADER = [
    "Code du département",
    "Libellé du département",
    "Code du canton",
    "Libellé du canton",
    *PERSON_COLUMNS,
]
CR_HEADER = [
    "Code de la région",
    "Libellé de la région",
    "Code de la section départementale",
    "Libellé de la section départementale",
    *PERSON_COLUMNS,
]


def cm(commune, last, first, sex, birth, function="", function_start="", dep="52"):
    return [
        dep,
        "Haute-Marne",
        "",
        "",
        commune,
        "Commune",
        last,
        first,
        sex,
        birth,
        "23",
        "Cadres",
        "28/06/2020",
        function,
        function_start,
        "FR",
    ]


def cc(siren, last, first, sex, birth, function=""):
    return [
        "52",
        "Haute-Marne",
        siren,
        "CA de Chaumont",
        "52121",
        "Chaumont",
        last,
        first,
        sex,
        birth,
        "23",
        "Cadres",
        "15/07/2020",
        function,
        "15/07/2020" if function else "",
        "FR",
    ]


def write(tmp_path, name, header, rows, encoding="utf-8"):
    path = tmp_path / name
    lines = [";".join(header)] + [";".join(row) for row in rows]
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def places():
    """Haute-Marne, Grand Est, two communes and the CA de Chaumont, with their bodies."""
    region = TerritoryFactory(kind=TerritoryKind.REGION, code="44", name="Grand Est")
    dep = TerritoryFactory(kind=TerritoryKind.DEPARTEMENT, code="52", name="Haute-Marne")
    dep10 = TerritoryFactory(kind=TerritoryKind.DEPARTEMENT, code="10", name="Aube")
    chaumont = TerritoryFactory(code="52121", name="Chaumont")
    langres = TerritoryFactory(code="52269", name="Langres")
    troyes = TerritoryFactory(code="10387", name="Troyes")
    ca = TerritoryFactory(kind=TerritoryKind.CA, code=CA_CHAUMONT, name="CA de Chaumont")
    bodies = {}
    for key, territory, kind in (
        ("region", region, BodyKind.REGION),
        ("dep", dep, BodyKind.DEPARTEMENT),
        ("dep10", dep10, BodyKind.DEPARTEMENT),
        ("chaumont", chaumont, BodyKind.COMMUNE),
        ("langres", langres, BodyKind.COMMUNE),
        ("troyes", troyes, BodyKind.COMMUNE),
        ("ca", ca, BodyKind.EPCI),
    ):
        bodies[key] = Body.objects.create(kind=kind, name=f"Body {key}", territory=territory)
    return bodies


CM_ROWS = [
    cm("52121", "DUPONT", "Christine", "F", "12/03/1961", "Maire", "04/07/2020"),
    cm("52121", "MARTIN", "Paul", "M", "01/01/1970", "Premier adjoint au maire", "04/07/2020"),
    cm("52121", "BERNARD", "Luc", "M", "02/02/1980"),
    cm("52269", "PETIT", "Anne", "F", "03/03/1975", "Maire", "04/07/2020"),
    cm("10387", "ROBERT", "Marc", "M", "04/04/1965"),
]


def test_conseillers_municipaux_become_people_with_mandates(tmp_path, places):
    out = run("import_elus", write(tmp_path, "elus-cm.csv", CM_HEADER, CM_ROWS))

    assert "Personnes : 5 créées" in out
    assert "Mandats : 5 créés" in out
    dupont = Person.objects.get(last_name="Dupont")
    assert (dupont.first_name, dupont.gender) == ("Christine", Gender.FEMALE)
    assert dupont.birth_date == datetime.date(1961, 3, 12)
    mayor = dupont.mandates.get()
    assert (mayor.function, mayor.label, mayor.body) == (Function.MAYOR, "", places["chaumont"])
    assert mayor.start_date == datetime.date(2020, 7, 4)
    assert mayor.source == "rne-cm"
    deputy = Mandate.objects.get(person__last_name="Martin")
    assert (deputy.function, deputy.label) == (Function.DEPUTY_MAYOR, "Premier adjoint au maire")
    councillor = Mandate.objects.get(person__last_name="Bernard")
    assert councillor.function == Function.COUNCILLOR
    # No function date: the mandate's own start date stands.
    assert councillor.start_date == datetime.date(2020, 6, 28)


def test_a_second_import_of_the_same_file_changes_nothing(tmp_path, places):
    path = write(tmp_path, "elus-cm.csv", CM_HEADER, CM_ROWS)
    run("import_elus", path)

    out = run("import_elus", path)

    assert "Personnes : 0 créées, 0 modifiées" in out
    assert "Mandats : 0 créés, 0 modifiés, 5 inchangés, 0 rendus obsolètes" in out


def test_a_municipal_and_community_councillor_is_one_person_with_two_mandates(tmp_path, places):
    run("import_elus", write(tmp_path, "elus-cm.csv", CM_HEADER, CM_ROWS))
    communautaires = [
        cc(CA_CHAUMONT, "Dupont", "Christine", "F", "12/03/1961", "Présidente"),
        cc(CA_CHAUMONT, "DUPONT", "Christine", "F", "01/01/1990"),  # a namesake
    ]

    out = run("import_elus", write(tmp_path, "elus-epci.csv", CC_HEADER, communautaires))

    assert "Personnes : 1 créées" in out
    dupont = Person.objects.get(birth_date=datetime.date(1961, 3, 12))
    assert {(m.body_id, m.function, m.source) for m in dupont.mandates.all()} == {
        (places["chaumont"].pk, Function.MAYOR, "rne-cm"),
        (places["ca"].pk, Function.PRESIDENT, "rne-epci"),
    }
    assert Person.objects.filter(last_name="Dupont").count() == 2


def test_departemental_and_regional_files_are_recognised_from_their_header(tmp_path, places):
    cd_row = ["52", "Haute-Marne", "5201", "Chaumont-1", "DUPONT", "Christine", "F"]
    cd_row += ["12/03/1961", "23", "Cadres", "01/07/2021", "Vice-présidente", "01/07/2021", "FR"]
    cr_row = ["44", "Grand Est", "52", "Haute-Marne", "FABRE", "Frédéric", "M", "05/05/1966"]
    cr_row += ["23", "Cadres", "02/07/2021", "", "", "FR"]

    run("import_elus", write(tmp_path, "cd.csv", CD_HEADER, [cd_row]))
    run("import_elus", write(tmp_path, "cr.csv", CR_HEADER, [cr_row]))

    cd = Mandate.objects.get(source="rne-cd")
    assert (cd.body, cd.function) == (places["dep"], Function.VICE_PRESIDENT)
    cr = Mandate.objects.get(source="rne-cr")
    assert (cr.body, cr.function, cr.person.full_name) == (
        places["region"],
        Function.COUNCILLOR,
        "Frédéric Fabre",
    )


def test_a_person_entered_without_birth_date_receives_it_instead_of_a_twin(tmp_path, places):
    fabre = PersonFactory(first_name="Frédéric", last_name="Fabre", birth_date=None)
    row = cm("52121", "FABRE", "Frédéric", "M", "05/05/1966", "Maire", "04/07/2020")

    run("import_elus", write(tmp_path, "elus-cm.csv", CM_HEADER, [row]))

    fabre.refresh_from_db()
    assert Person.objects.count() == 1
    assert fabre.birth_date == datetime.date(1966, 5, 5)
    assert fabre.last_name == "Fabre"
    assert fabre.mandates.get().function == Function.MAYOR


def test_mandates_absent_from_a_reimport_are_obsolete_only_for_the_bodies_it_covers(
    tmp_path, places
):
    run("import_elus", write(tmp_path, "elus-cm.csv", CM_HEADER, CM_ROWS))
    # A Haute-Marne-only file, without Luc Bernard and with Anne Petit no longer mayor.
    rows = [CM_ROWS[0], CM_ROWS[1], cm("52269", "PETIT", "Anne", "F", "03/03/1975")]

    out = run("import_elus", write(tmp_path, "elus-cm-52.csv", CM_HEADER, rows))

    assert Mandate.objects.get(person__last_name="Bernard").is_obsolete
    petit = Person.objects.get(last_name="Petit")
    assert petit.mandates.get(function=Function.MAYOR).is_obsolete
    assert not petit.mandates.get(function=Function.COUNCILLOR).is_obsolete
    assert not Mandate.objects.get(person__last_name="Robert").is_obsolete  # Aube untouched
    assert "Mandats : 1 créés, 0 modifiés, 2 inchangés, 2 rendus obsolètes" in out

    run("import_elus", write(tmp_path, "elus-cm.csv", CM_HEADER, CM_ROWS))

    assert not Mandate.objects.get(person__last_name="Bernard").is_obsolete


def test_a_protected_mandate_and_person_are_not_overwritten(tmp_path, places):
    run("import_elus", write(tmp_path, "elus-cm.csv", CM_HEADER, CM_ROWS))
    Mandate.objects.filter(person__last_name="Martin").update(
        label="1er adjoint, chargé des finances", manually_edited=True
    )
    Person.objects.filter(last_name="Bernard").update(gender="", manually_edited=True)

    out = run("import_elus", write(tmp_path, "elus-cm.csv", CM_HEADER, CM_ROWS))

    assert Mandate.objects.get(person__last_name="Martin").label == (
        "1er adjoint, chargé des finances"
    )
    assert Person.objects.get(last_name="Bernard").gender == ""
    assert "Mandats : 0 créés, 0 modifiés, 4 inchangés, 0 rendus obsolètes, 1 protégés" in out
    assert (
        "Personnes : 0 créées, 0 modifiées, 4 inchangées, 0 rendues obsolètes, 1 protégées" in out
    )


def test_dry_run_reports_without_writing(tmp_path, places):
    out = run("import_elus", write(tmp_path, "elus-cm.csv", CM_HEADER, CM_ROWS), "--dry-run")

    assert "Mandats : 5 créés" in out
    assert not Person.objects.exists()


def _state():
    return (
        sorted(Person.objects.values_list("last_name", "first_name", "birth_date", "gender")),
        sorted(Mandate.objects.values_list("person_id", "body_id", "function", "is_obsolete")),
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda row: row.__setitem__(9, "1961-03-12"),
            r"elus-cm\.csv, ligne 3 : Date de naissance mal formée : « 1961-03-12 »",
        ),
        (
            lambda row: row.__setitem__(4, "5212"),
            r"elus-cm\.csv, ligne 3 : Code de la commune mal formé : « 5212 »",
        ),
        (
            lambda row: row.__setitem__(4, "52999"),
            r"elus-cm\.csv, ligne 3 : commune inconnue : « 52999 »",
        ),
        (
            lambda row: row.__setitem__(8, "X"),
            r"elus-cm\.csv, ligne 3 : Code sexe mal formé",
        ),
    ],
    ids=["date", "code", "commune inconnue", "sexe"],
)
def test_a_bad_line_is_refused_with_its_line_and_nothing_changes(tmp_path, places, change, message):
    run("import_elus", write(tmp_path, "elus-cm.csv", CM_HEADER, CM_ROWS[:1]))
    before = _state()
    rows = [list(row) for row in CM_ROWS]
    change(rows[1])

    with pytest.raises(CommandError, match=message):
        run("import_elus", write(tmp_path, "elus-cm.csv", CM_HEADER, rows))

    assert _state() == before


def test_a_file_missing_a_column_is_refused_on_its_header(tmp_path, places):
    header = [name for name in CM_HEADER if name != "Date de naissance"]
    rows = [row[:9] + row[10:] for row in CM_ROWS]

    with pytest.raises(CommandError, match=r"ligne 1 : colonne\(s\) manquante\(s\).*naissance"):
        run("import_elus", write(tmp_path, "elus-cm.csv", header, rows))

    assert not Person.objects.exists()


def test_a_latin1_file_is_refused_with_its_line(tmp_path, places):
    rows = [row[:] for row in CM_ROWS]
    rows[2][7] = "Léon"

    with pytest.raises(CommandError, match=r"elus-cm\.csv, ligne 1 : .*UTF-8"):
        run("import_elus", write(tmp_path, "elus-cm.csv", CM_HEADER, rows, "latin-1"))

    assert not Person.objects.exists()


def test_a_latin1_byte_on_a_data_line_is_reported_on_that_line(tmp_path, places):
    path = write(tmp_path, "elus-cm.csv", CM_HEADER, CM_ROWS)
    path.write_bytes(path.read_bytes().replace(b"Luc", "Léon".encode("latin-1")))

    with pytest.raises(CommandError, match=r"elus-cm\.csv, ligne 4 : .*UTF-8"):
        run("import_elus", path)

    assert not Person.objects.exists()


def test_an_unknown_file_is_refused(tmp_path, places):
    with pytest.raises(CommandError, match=r"ligne 1 : fichier du Répertoire .* non reconnu"):
        run("import_elus", write(tmp_path, "x.csv", ["a", "b"], [["1", "2"]]))


def test_import_elus_refuses_an_epci_it_does_not_know(tmp_path, places):
    rows = [cc("200069664", "DUPONT", "Christine", "F", "12/03/1961")]

    with pytest.raises(CommandError, match=r"ligne 2 : EPCI inconnu : « 200069664 »"):
        run("import_elus", write(tmp_path, "epci.csv", CC_HEADER, rows))


def test_a_body_missing_for_a_known_commune_is_created(tmp_path, places):
    TerritoryFactory(code="52177", name="Doulaincourt-Saucourt")
    row = cm("52177", "FABRE", "Frédéric", "M", "05/05/1966", "Maire", "04/07/2020")

    run("import_elus", write(tmp_path, "elus-cm.csv", CM_HEADER, [row]))

    body = Body.objects.get(territory__code="52177")
    assert (body.kind, body.name) == (BodyKind.COMMUNE, "Commune de Doulaincourt-Saucourt")
    assert Territory.objects.get(code="52177").bodies.count() == 1


def test_two_rows_for_one_person_with_different_sex_codes_stay_idempotent(tmp_path, places):
    rows = [
        cm("52121", "DUPONT", "Claude", "M", "12/03/1961"),
        cm("52269", "DUPONT", "Claude", "F", "12/03/1961"),
    ]
    path = write(tmp_path, "elus-cm.csv", CM_HEADER, rows)
    run("import_elus", path)

    out = run("import_elus", path)

    assert Person.objects.get().gender == Gender.MALE
    assert "Personnes : 0 créées, 0 modifiées, 1 inchangées" in out


# --- Mass obsolescence guard -------------------------------------------------------------------

COUNCIL = [cm("52121", f"ELU{n}", "Camille", "F", f"{n + 1:02d}/01/1970") for n in range(15)]


def test_a_cut_file_is_refused_and_nothing_is_written(tmp_path, places):
    run("import_elus", write(tmp_path, "elus-cm.csv", CM_HEADER, COUNCIL))
    before = _state()
    # An interrupted download: Chaumont's first councillor only.
    cut = write(tmp_path, "elus-cm-coupe.csv", CM_HEADER, COUNCIL[:1])

    with pytest.raises(CommandError) as refusal:
        run("import_elus", cut)

    message = str(refusal.value)
    assert message.startswith(f"{cut} : import refusé, rien n'a été enregistré")
    assert "14 mandats de conseillers municipaux sur les 15 qu'il couvre (93,3 %)" in message
    assert "--allow-mass-obsolete" in message
    assert _state() == before


def test_a_cut_file_passes_with_allow_mass_obsolete(tmp_path, places):
    run("import_elus", write(tmp_path, "elus-cm.csv", CM_HEADER, COUNCIL))
    cut = write(tmp_path, "elus-cm-coupe.csv", CM_HEADER, COUNCIL[:1])

    out = run("import_elus", cut, "--allow-mass-obsolete")

    assert "Mandats : 0 créés, 0 modifiés, 1 inchangés, 14 rendus obsolètes" in out
    assert Mandate.objects.filter(is_obsolete=True).count() == 14


# --- Bad input: file, line and reason, nothing written ------------------------------------------


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        (6, "DU\x00PONT", r"elus-cm\.csv, ligne 3 : caractère nul \(octet 0x00\)"),
        (7, "Lé\x00on", r"elus-cm\.csv, ligne 3 : caractère nul \(octet 0x00\)"),
        (
            6,
            "X" * 300,
            r"elus-cm\.csv, ligne 3 : Nom de l'élu trop long : 300 caractères, 100 au plus",
        ),
        (
            7,
            "Y" * 300,
            r"elus-cm\.csv, ligne 3 : Prénom de l'élu trop long : 300 caractères, 100 au plus",
        ),
        (
            13,
            "Adjoint " + "z" * 292,
            r"elus-cm\.csv, ligne 3 : Libellé de la fonction trop long : 300 caractères, 255",
        ),
        (6, "DU\x01PONT", r"ligne 3 : Nom de l'élu contient un caractère de contrôle \(U\+0001\)"),
    ],
    ids=["nul nom", "nul prénom", "nom long", "prénom long", "fonction longue", "contrôle"],
)
def test_a_bad_name_is_refused_on_its_line_and_nothing_changes(
    tmp_path, places, column, value, message
):
    run("import_elus", write(tmp_path, "elus-cm.csv", CM_HEADER, CM_ROWS[:1]))
    before = _state()
    rows = [list(row) for row in CM_ROWS]
    rows[1][column] = value

    with pytest.raises(CommandError, match=message):
        run("import_elus", write(tmp_path, "elus-cm.csv", CM_HEADER, rows))

    assert _state() == before


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("absent.csv", r"absent\.csv : fichier introuvable"),
        ("dossier", r"dossier : c'est un dossier : indiquez le fichier lui-même"),
    ],
    ids=["fichier absent", "dossier"],
)
def test_a_missing_file_or_a_folder_is_refused_and_nothing_changes(
    tmp_path, places, target, message
):
    (tmp_path / "dossier").mkdir()
    good = write(tmp_path, "elus-cm.csv", CM_HEADER, CM_ROWS)

    # The good file first: it is rolled back with the refusal of the second.
    with pytest.raises(CommandError, match=message):
        run("import_elus", good, tmp_path / target)

    assert not Person.objects.exists()
    assert not Mandate.objects.exists()


def test_a_cell_past_the_csv_field_limit_is_refused_in_french(tmp_path, places):
    rows = [list(row) for row in CM_ROWS]
    rows[1][5] = "x" * 200_000

    with pytest.raises(
        CommandError, match=r"elus-cm\.csv, ligne 3 : une cellule dépasse 131 072 caractères"
    ):
        run("import_elus", write(tmp_path, "elus-cm.csv", CM_HEADER, rows))

    assert not Person.objects.exists()

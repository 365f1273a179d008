"""Imports of official territories: decoupage JSON, COG CSV and BANATIC PETR, on small files."""

import json

import pytest
from django.core.management import CommandError, call_command

from territories.models import Body, BodyKind, Territory, TerritoryAncestor, TerritoryKind
from tests.factories import siren_with_key

pytestmark = pytest.mark.django_db

CA_CHAUMONT = "200068658"
CC_GRAND_LANGRES = "200072999"
CA_TROYES = "200069250"
PETR_LANGRES = siren_with_key(20004001)


def _commune(code, name, dep, region, kind="commune-actuelle", tncc=0):
    return {
        "code": code,
        "nom": name,
        "typeLiaison": tncc,
        "departement": dep,
        "region": region,
        "type": kind,
        "siren": siren_with_key(int("2" + code.replace("A", "0").replace("B", "0"))),
    }


def _epci(code, name, kind, members):
    return {"code": code, "nom": name, "type": kind, "membres": [{"code": m} for m in members]}


def decoupage(tmp_path, *, drop=(), rename=None, folder="data"):
    """Write a tiny decoupage-administratif folder: Grand Est and a bit of Côte-d'Or."""
    data = {
        "regions": [
            {"code": "44", "nom": "Grand Est", "typeLiaison": 0},
            {"code": "27", "nom": "Bourgogne-Franche-Comté", "typeLiaison": 0},
        ],
        "departements": [
            {"code": "52", "region": "44", "nom": "Haute-Marne", "typeLiaison": 3},
            {"code": "10", "region": "44", "nom": "Aube", "typeLiaison": 5},
            {"code": "21", "region": "27", "nom": "Côte-d'Or", "typeLiaison": 3},
        ],
        "communes": [
            _commune("52121", "Chaumont", "52", "44"),
            _commune("52269", "Langres", "52", "44"),
            _commune("52177", "Doulaincourt-Saucourt", "52", "44"),
            _commune("52078", "Brottes", "52", "44", kind="commune-deleguee"),
            _commune("10387", "Troyes", "10", "44"),
            _commune("21001", "Agencourt", "21", "27", tncc=1),
        ],
        "epci": [
            _epci(CA_CHAUMONT, "CA de Chaumont", "CA", ["52121", "52177"]),
            # Straddles Haute-Marne and Côte-d'Or, as 89 real EPCI straddle two départements.
            _epci(CC_GRAND_LANGRES, "CC du Grand Langres", "CC", ["52269", "21001"]),
            _epci(CA_TROYES, "CA Troyes Champagne Métropole", "CA", ["10387"]),
        ],
    }
    for name, items in data.items():
        data[name] = [i for i in items if i["code"] not in drop]
    for item in data["communes"] + data["epci"]:
        if rename and item["code"] in rename:
            item["nom"] = rename[item["code"]]
    path = tmp_path / folder
    path.mkdir(exist_ok=True)
    for name, items in data.items():
        (path / f"{name}.json").write_text(json.dumps(items, ensure_ascii=False), "utf-8")
    return path


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def get(kind, code) -> Territory:
    return Territory.objects.get(kind=kind, code=code)


def snapshot():
    """Everything an import writes, to check that a refused file changed nothing."""
    return (
        sorted(Territory.objects.values_list("kind", "code", "name", "is_obsolete")),
        sorted(Body.objects.values_list("name", "siren", "is_obsolete")),
        Territory.parents.through.objects.count(),
        TerritoryAncestor.objects.count(),
    )


# --- decoupage-administratif JSON --------------------------------------------------------------


def test_import_creates_territories_bodies_and_skips_former_communes(tmp_path):
    out = run("import_territories", decoupage(tmp_path))

    assert "Territoires : 13 créés" in out
    assert Territory.objects.filter(kind=TerritoryKind.COMMUNE).count() == 5
    assert not Territory.objects.filter(code="52078").exists()
    assert get(TerritoryKind.CA, CA_CHAUMONT).name == "CA de Chaumont"
    ca_body = Body.objects.get(siren=CA_CHAUMONT)
    assert (ca_body.kind, ca_body.name, ca_body.short_name) == (
        BodyKind.EPCI,
        "Communauté d'agglomération de Chaumont",
        "CA de Chaumont",
    )
    assert Body.objects.get(territory__code="52177").name == "Commune de Doulaincourt-Saucourt"
    assert Body.objects.get(territory__code="21001").name == "Commune d'Agencourt"
    assert Body.objects.get(kind=BodyKind.DEPARTEMENT, territory__code="10").name == (
        "Département de l'Aube"
    )
    assert Body.objects.get(kind=BodyKind.REGION, territory__code="44").name == "Région Grand Est"
    assert get(TerritoryKind.COMMUNE, "52121").search_text == "chaumont 52121"


def test_containment_works_in_both_directions(tmp_path):
    run("import_territories", decoupage(tmp_path))
    chaumont = get(TerritoryKind.COMMUNE, "52121")
    haute_marne = get(TerritoryKind.DEPARTEMENT, "52")

    containing = set(Territory.objects.containing(chaumont).values_list("code", flat=True))
    assert containing == {CA_CHAUMONT, "52", "44"}
    inside = set(Territory.objects.inside(haute_marne).values_list("code", flat=True))
    # The CC du Grand Langres reaches into Côte-d'Or: it is not inside Haute-Marne, and
    # Agencourt, its Côte-d'Or member, is not a commune of Haute-Marne.
    assert inside == {"52121", "52269", "52177", CA_CHAUMONT}


def test_a_cross_departement_epci_overlaps_the_departements_it_touches_and_lies_in_none(
    tmp_path,
):
    run("import_territories", decoupage(tmp_path))
    langres_cc = get(TerritoryKind.CC, CC_GRAND_LANGRES)

    assert not langres_cc.parents.exists()
    assert not Territory.objects.containing(langres_cc).exists()
    assert set(Territory.objects.overlapping(langres_cc).values_list("code", flat=True)) == {
        "52",
        "21",
        "44",
        "27",
    }
    agencourt = get(TerritoryKind.COMMUNE, "21001")
    assert set(Territory.objects.containing(agencourt).values_list("code", flat=True)) == {
        CC_GRAND_LANGRES,
        "21",
        "27",
    }
    haute_marne = get(TerritoryKind.DEPARTEMENT, "52")
    assert langres_cc in Territory.objects.overlapping(haute_marne)
    assert agencourt not in Territory.objects.related_to(haute_marne)


def test_an_epci_across_two_departements_of_one_region_lies_in_the_region(tmp_path):
    path = decoupage(tmp_path)
    epcis = json.loads((path / "epci.json").read_text("utf-8"))
    epcis.append(_epci(siren_with_key(20009999), "CC des Deux Rives", "CC", ["52121", "10387"]))
    epcis[0]["membres"] = [{"code": "52177"}]
    epcis[2]["membres"] = []
    (path / "epci.json").write_text(json.dumps(epcis), "utf-8")
    run("import_territories", path)

    rives = Territory.objects.get(name="CC des Deux Rives")
    assert list(rives.parents.values_list("code", flat=True)) == ["44"]
    troyes = get(TerritoryKind.COMMUNE, "10387")
    assert set(Territory.objects.containing(troyes).values_list("code", flat=True)) == {
        "10",
        "44",
        rives.code,
    }


def test_a_reimport_repairs_links_made_by_the_old_overlap_rule(tmp_path):
    run("import_territories", decoupage(tmp_path))
    langres_cc = get(TerritoryKind.CC, CC_GRAND_LANGRES)
    # What earlier versions wrote: the straddling EPCI inside both départements.
    langres_cc.parents.set(
        [get(TerritoryKind.DEPARTEMENT, "52"), get(TerritoryKind.DEPARTEMENT, "21")]
    )
    from territories.services import containment_rebuild

    containment_rebuild()
    agencourt = get(TerritoryKind.COMMUNE, "21001")
    assert Territory.objects.containing(agencourt).filter(code="52").exists()

    run("import_territories", decoupage(tmp_path))

    assert not langres_cc.parents.exists()
    assert not Territory.objects.containing(agencourt).filter(code="52").exists()


def test_a_second_run_creates_and_updates_nothing(tmp_path):
    path = decoupage(tmp_path)
    run("import_territories", path)
    links = TerritoryAncestor.objects.count()

    out = run("import_territories", path)

    assert "Territoires : 0 créés, 0 modifiés, 13 inchangés" in out
    assert "Organismes : 0 créés, 0 modifiés, 13 inchangés" in out
    assert "Inclusions directes : 0 ajoutées, 0 retirées" in out
    assert TerritoryAncestor.objects.count() == links


def test_a_renamed_commune_is_updated_and_a_moved_commune_changes_epci(tmp_path):
    run("import_territories", decoupage(tmp_path))
    path = decoupage(tmp_path, rename={"52177": "Doulaincourt"})
    data = json.loads((path / "epci.json").read_text())
    data[0]["membres"] = [{"code": "52121"}]
    data[1]["membres"].append({"code": "52177"})
    (path / "epci.json").write_text(json.dumps(data), "utf-8")

    out = run("import_territories", path)

    commune = get(TerritoryKind.COMMUNE, "52177")
    assert commune.name == "Doulaincourt"
    assert commune.search_text == "doulaincourt 52177"
    assert "Territoires : 0 créés, 1 modifiés" in out
    # Its new CC straddles Côte-d'Or: Doulaincourt itself stays in Haute-Marne only.
    assert set(Territory.objects.containing(commune).values_list("code", flat=True)) == {
        CC_GRAND_LANGRES,
        "52",
        "44",
    }


def test_what_left_the_source_is_marked_obsolete_and_restored_when_it_returns(tmp_path):
    run("import_territories", decoupage(tmp_path))

    out = run("import_territories", decoupage(tmp_path, drop={"10387", CA_TROYES}))

    troyes = get(TerritoryKind.COMMUNE, "10387")
    assert troyes.is_obsolete
    assert troyes.bodies.get().is_obsolete
    assert get(TerritoryKind.CA, CA_TROYES).is_obsolete
    assert "2 rendus obsolètes" in out
    assert Territory.objects.filter(code="10387").count() == 1

    run("import_territories", decoupage(tmp_path))

    troyes.refresh_from_db()
    assert not troyes.is_obsolete
    assert not troyes.bodies.get().is_obsolete
    assert not get(TerritoryKind.CA, CA_TROYES).is_obsolete


def test_rows_protected_from_imports_are_left_as_they_are(tmp_path):
    run("import_territories", decoupage(tmp_path))
    Territory.objects.filter(code="52121").update(name="Chaumont-en-Bassigny", manually_edited=True)
    Body.objects.filter(siren=CA_CHAUMONT).update(name="Agglo de Chaumont", manually_edited=True)

    out = run("import_territories", decoupage(tmp_path, rename={CA_CHAUMONT: "CA Chaumont"}))

    assert get(TerritoryKind.COMMUNE, "52121").name == "Chaumont-en-Bassigny"
    assert Body.objects.get(siren=CA_CHAUMONT).name == "Agglo de Chaumont"
    assert get(TerritoryKind.CA, CA_CHAUMONT).name == "CA Chaumont"
    assert "Territoires : 0 créés, 1 modifiés, 11 inchangés, 0 rendus obsolètes, 1 protégés" in out
    assert "Organismes : 0 créés, 0 modifiés, 12 inchangés, 0 rendus obsolètes, 1 protégés" in out


def test_departement_subset_imports_and_obsoletes_only_that_departement(tmp_path):
    run("import_territories", decoupage(tmp_path), "--departement", "52")

    assert set(
        Territory.objects.filter(kind=TerritoryKind.COMMUNE).values_list("code", flat=True)
    ) == {"52121", "52269", "52177"}
    assert not Territory.objects.filter(code=CA_TROYES).exists()
    assert set(Territory.objects.filter(kind="departement").values_list("code", flat=True)) == {
        "52"
    }
    assert get(TerritoryKind.DEPARTEMENT, "52").parents.get().code == "44"

    run("import_territories", decoupage(tmp_path))
    run("import_territories", decoupage(tmp_path, drop={"10387"}), "--departement", "52")

    assert not get(TerritoryKind.COMMUNE, "10387").is_obsolete


def test_region_subset_takes_the_region_departements_communes_and_epci(tmp_path):
    out = run("import_territories", decoupage(tmp_path), "--region", "44")

    codes = set(Territory.objects.values_list("code", flat=True))
    assert codes == {"44", "52", "10", "52121", "52269", "52177", "10387"} | {
        CA_CHAUMONT,
        CC_GRAND_LANGRES,
        CA_TROYES,
    }
    assert "Territoires : 10 créés" in out


def test_dry_run_counts_without_writing(tmp_path):
    out = run("import_territories", decoupage(tmp_path), "--dry-run")

    assert "Territoires : 13 créés" in out
    assert "Simulation" in out
    assert Territory.objects.count() == 0


def test_a_malformed_code_in_json_is_refused_and_nothing_is_written(tmp_path):
    run("import_territories", decoupage(tmp_path))
    before = snapshot()
    path = decoupage(tmp_path, rename={"52121": "Chaumont-Ville"})
    data = json.loads((path / "communes.json").read_text())
    data[2]["code"] = "5217"
    (path / "communes.json").write_text(json.dumps(data), "utf-8")

    with pytest.raises(CommandError, match=r"communes\.json : élément n° 3 .*« code » mal formé"):
        run("import_territories", path)

    assert snapshot() == before


# --- INSEE COG CSV -----------------------------------------------------------------------------


def cog(tmp_path, *, lower=False, commune_rows=None):
    regions = "REG,CHEFLIEU,TNCC,NCC,NCCENR,LIBELLE\n44,67482,0,GRAND EST,Grand Est,Grand Est\n"
    departements = (
        "DEP,REG,CHEFLIEU,TNCC,NCC,NCCENR,LIBELLE\n"
        "52,44,52121,3,HAUTE MARNE,Haute-Marne,Haute-Marne\n"
        "10,44,10387,5,AUBE,Aube,Aube\n"
    )
    communes = "TYPECOM,COM,REG,DEP,CTCD,ARR,TNCC,NCC,NCCENR,LIBELLE,CAN,COMPARENT\n" + (
        commune_rows
        or "COM,52121,44,52,52D,521,0,CHAUMONT,Chaumont,Chaumont,5205,\n"
        "COMD,52078,44,52,52D,521,0,BROTTES,Brottes,Brottes,5205,52121\n"
        "COM,10387,44,10,10D,103,0,TROYES,Troyes,Troyes,1099,\n"
    )
    paths = []
    for name, text in (("region", regions), ("departement", departements), ("commune", communes)):
        header, rest = text.split("\n", 1)
        path = tmp_path / f"v_{name}_2024.csv"
        path.write_text((header.lower() if lower else header) + "\n" + rest, "utf-8")
        paths.append(path)
    return paths


@pytest.mark.parametrize("lower", [False, True], ids=["en-têtes récents", "en-têtes anciens"])
def test_cog_csv_files_import_current_communes_with_their_containment(tmp_path, lower):
    out = run("import_territories", *cog(tmp_path, lower=lower))

    assert "Territoires : 5 créés" in out
    chaumont = get(TerritoryKind.COMMUNE, "52121")
    assert set(Territory.objects.containing(chaumont).values_list("code", flat=True)) == {
        "52",
        "44",
    }
    assert not Territory.objects.filter(code="52078").exists()
    assert Body.objects.get(kind=BodyKind.DEPARTEMENT, territory__code="52").name == (
        "Département de la Haute-Marne"
    )
    assert "0 créés, 0 modifiés" in run("import_territories", *cog(tmp_path, lower=lower))


def test_cog_keeps_epci_links_made_from_the_decoupage_package(tmp_path):
    run("import_territories", decoupage(tmp_path))
    run("import_territories", *cog(tmp_path))

    chaumont = get(TerritoryKind.COMMUNE, "52121")
    assert CA_CHAUMONT in set(Territory.objects.containing(chaumont).values_list("code", flat=True))
    assert Body.objects.get(territory=chaumont).siren  # the SIREN COG lacks is not blanked


def test_a_cog_file_with_a_missing_column_is_refused(tmp_path):
    paths = cog(tmp_path)
    paths[2].write_text("TYPECOM,COM,REG,DEP,NCC\nCOM,52121,44,52,CHAUMONT\n", "utf-8")

    with pytest.raises(CommandError, match=r"v_commune_2024\.csv, ligne 1 : .*« TNCC »"):
        run("import_territories", *paths)

    assert Territory.objects.count() == 0


def test_a_latin1_cog_file_is_refused_with_its_line(tmp_path):
    paths = cog(tmp_path)
    paths[2].write_bytes(
        "TYPECOM,COM,REG,DEP,CTCD,ARR,TNCC,NCC,NCCENR,LIBELLE,CAN,COMPARENT\n"
        "COM,52121,44,52,52D,521,0,CHAUMONT,Chaumont,Chaumont,5205,\n"
        "COM,52332,44,52,52D,521,0,MAREILLES,Mareilles,Mâreilles,5205,\n".encode("latin-1")
    )

    with pytest.raises(CommandError, match=r"v_commune_2024\.csv, ligne 3 : .*UTF-8"):
        run("import_territories", *paths)

    assert Territory.objects.count() == 0


def test_a_malformed_cog_code_is_refused_with_its_line(tmp_path):
    rows = (
        "COM,52121,44,52,52D,521,0,CHAUMONT,Chaumont,Chaumont,5205,\n"
        "COM,5212,44,52,52D,521,0,X,X,X,5205,\n"
    )
    with pytest.raises(CommandError, match=r"ligne 3 : COM mal formé : « 5212 »"):
        run("import_territories", *cog(tmp_path, commune_rows=rows))

    assert Territory.objects.count() == 0


# --- BANATIC PETR ------------------------------------------------------------------------------

BANATIC_HEADER = (
    "N° SIREN;Nom du groupement;Nature juridique;Syndicat à la carte;"
    "Groupement interdépartemental;Date de création;Siren membre;Nom membre\n"
)


def banatic(tmp_path, rows: str, encoding="utf-8"):
    path = tmp_path / "banatic.csv"
    path.write_bytes((BANATIC_HEADER + rows).encode(encoding))
    return path


PETR_ROWS = (
    f"{PETR_LANGRES};PETR du Pays de Langres;PETR;Non;Non;01/01/2015;"
    f"{CC_GRAND_LANGRES};CC du Grand Langres\n"
    f"{CA_TROYES};Syndicat des eaux;SMF;Non;Non;01/01/2000;{CA_CHAUMONT};CA de Chaumont\n"
)


def test_petr_import_contains_member_epci_and_their_communes(tmp_path):
    run("import_territories", decoupage(tmp_path))

    out = run("import_petr", banatic(tmp_path, PETR_ROWS))

    petr = get(TerritoryKind.PETR, PETR_LANGRES)
    assert "Territoires : 1 créés" in out
    assert Body.objects.get(siren=PETR_LANGRES).kind == BodyKind.PETR
    inside = set(Territory.objects.inside(petr).values_list("code", flat=True))
    assert inside == {CC_GRAND_LANGRES, "52269", "21001"}
    langres = get(TerritoryKind.COMMUNE, "52269")
    assert petr in Territory.objects.containing(langres)
    # Its only EPCI straddles Haute-Marne and Côte-d'Or: the PETR overlaps both, lies in none.
    assert not petr.parents.exists()
    assert {"52", "21"} <= set(Territory.objects.overlapping(petr).values_list("code", flat=True))
    assert "0 créés, 0 modifiés" in run("import_petr", banatic(tmp_path, PETR_ROWS))


def test_a_petr_whose_communes_are_all_in_one_departement_lies_in_it(tmp_path):
    run("import_territories", decoupage(tmp_path))
    code = siren_with_key(20004002)
    rows = f"{code};PETR du Pays de Chaumont;PETR;Non;Non;01/01/2015;{CA_CHAUMONT};CA\n"

    run("import_petr", banatic(tmp_path, rows))

    petr = get(TerritoryKind.PETR, code)
    assert list(petr.parents.values_list("code", flat=True)) == ["52"]
    assert set(Territory.objects.containing(petr).values_list("code", flat=True)) == {"52", "44"}


def test_reimporting_territories_keeps_the_petr_links(tmp_path):
    run("import_territories", decoupage(tmp_path))
    run("import_petr", banatic(tmp_path, PETR_ROWS))

    out = run("import_territories", decoupage(tmp_path))

    assert "Inclusions directes : 0 ajoutées, 0 retirées" in out
    assert get(TerritoryKind.PETR, PETR_LANGRES) in Territory.objects.containing(
        get(TerritoryKind.COMMUNE, "52269")
    )


def test_a_petr_known_only_by_name_receives_its_siren(tmp_path):
    run("import_territories", decoupage(tmp_path))
    demo_petr = Territory.objects.create(kind=TerritoryKind.PETR, name="PETR du Pays de Langres")

    run("import_petr", banatic(tmp_path, PETR_ROWS))

    assert Territory.objects.filter(kind=TerritoryKind.PETR).get().pk == demo_petr.pk
    demo_petr.refresh_from_db()
    assert demo_petr.code == PETR_LANGRES


def test_two_petr_of_the_file_with_one_name_adopt_the_codeless_row_once(tmp_path):
    run("import_territories", decoupage(tmp_path))
    demo_petr = Territory.objects.create(kind=TerritoryKind.PETR, name="PETR du Pays de Langres")
    other = siren_with_key(20004002)
    rows = PETR_ROWS + (
        f"{other};PETR du Pays de Langres;PETR;Non;Non;01/01/2015;{CA_CHAUMONT};CA\n"
    )

    out = run("import_petr", banatic(tmp_path, rows))

    assert "complétés par leur nom : 1" in out
    demo_petr.refresh_from_db()
    assert demo_petr.code == PETR_LANGRES
    assert get(TerritoryKind.PETR, other).pk != demo_petr.pk
    assert Territory.objects.filter(kind=TerritoryKind.PETR).count() == 2


def test_a_petr_gone_from_the_file_is_obsolete_and_loses_no_history(tmp_path):
    run("import_territories", decoupage(tmp_path))
    run("import_petr", banatic(tmp_path, PETR_ROWS))
    other = siren_with_key(20004002)
    rows = f"{other};PETR du Pays de Chaumont;PETR;Non;Non;01/01/2015;{CA_CHAUMONT};CA\n"

    run("import_petr", banatic(tmp_path, rows))

    assert get(TerritoryKind.PETR, PETR_LANGRES).is_obsolete
    assert Body.objects.get(siren=PETR_LANGRES).is_obsolete
    assert not get(TerritoryKind.PETR, other).is_obsolete


def test_a_latin1_banatic_file_is_refused_and_nothing_is_written(tmp_path):
    run("import_territories", decoupage(tmp_path))
    before = snapshot()

    with pytest.raises(CommandError, match=r"banatic\.csv, ligne 1 : .*UTF-8"):
        run("import_petr", banatic(tmp_path, PETR_ROWS.replace("Pays", "Pays à"), "latin-1"))

    assert snapshot() == before


def test_a_banatic_file_with_a_malformed_siren_is_refused(tmp_path):
    run("import_territories", decoupage(tmp_path))
    before = snapshot()
    rows = PETR_ROWS + f"12345;PETR X;PETR;Non;Non;01/01/2015;{CA_CHAUMONT};CA\n"

    with pytest.raises(CommandError, match=r"ligne 4 : N° SIREN mal formé : « 12345 »"):
        run("import_petr", banatic(tmp_path, rows))

    assert snapshot() == before


def test_a_banatic_file_missing_the_member_column_is_refused(tmp_path):
    path = tmp_path / "banatic.csv"
    path.write_text("N° SIREN;Nom du groupement;Nature juridique\n1;PETR;PETR\n", "utf-8")

    with pytest.raises(CommandError, match=r"ligne 1 : colonne\(s\) manquante\(s\).*Siren membre"):
        run("import_petr", path)


def test_municipal_arrondissements_postal_codes_and_populations_are_imported(tmp_path):
    path = decoupage(tmp_path)
    communes = json.loads((path / "communes.json").read_text("utf-8"))
    for commune in communes:
        commune["codesPostaux"] = ["52000"] if commune["code"] == "52121" else []
        commune["population"] = 1000
    communes += [
        {**_commune("13055", "Marseille", "13", "93"), "population": 870000},
        {
            **_commune("13201", "Marseille 1er Arrondissement", "13", "93"),
            "type": "arrondissement-municipal",
            "commune": "13055",
            "codesPostaux": ["13001"],
            "population": 37599,
        },
    ]
    departements = json.loads((path / "departements.json").read_text("utf-8"))
    departements.append({"code": "13", "region": "93", "nom": "Bouches-du-Rhône"})
    regions = json.loads((path / "regions.json").read_text("utf-8"))
    regions.append({"code": "93", "nom": "Provence-Alpes-Côte d'Azur"})
    for name, items in (
        ("communes", communes),
        ("departements", departements),
        ("regions", regions),
    ):
        (path / f"{name}.json").write_text(json.dumps(items), "utf-8")

    run("import_territories", path)

    arrondissement = get(TerritoryKind.ARRONDISSEMENT, "13201")
    assert (arrondissement.postal_codes, arrondissement.population) == ("13001", 37599)
    assert set(Territory.objects.containing(arrondissement).values_list("code", flat=True)) == {
        "13055",
        "13",
        "93",
    }
    assert not Body.objects.filter(territory=arrondissement).exists()
    assert get(TerritoryKind.COMMUNE, "52121").postal_codes == "52000"
    # Départements and régions get the total of their communes (arrondissements excluded).
    assert get(TerritoryKind.DEPARTEMENT, "52").population == 3000
    assert get(TerritoryKind.DEPARTEMENT, "13").population == 870000
    assert get(TerritoryKind.REGION, "44").population == 4000
    assert "0 créés, 0 modifiés" in run("import_territories", path)


# --- Mass obsolescence guard -------------------------------------------------------------------

HAUTE_MARNE_COMMUNES = [(f"52{n:03d}", f"Commune {n}") for n in range(1, 41)]


def cog_communes(tmp_path, communes, name="v_commune_2024.csv"):
    """A well-formed COG communes file holding these Haute-Marne communes."""
    path = tmp_path / name
    rows = "".join(f"COM,{code},44,52,52D,521,0,X,X,{label},5205,\n" for code, label in communes)
    path.write_text(
        "TYPECOM,COM,REG,DEP,CTCD,ARR,TNCC,NCC,NCCENR,LIBELLE,CAN,COMPARENT\n" + rows, "utf-8"
    )
    return path


def test_a_cut_communes_file_is_refused_and_nothing_is_written(tmp_path):
    paths = cog(tmp_path)
    run("import_territories", paths[0], paths[1], cog_communes(tmp_path, HAUTE_MARNE_COMMUNES))
    before = snapshot()
    # What an interrupted download gives: the header and the first commune, well formed.
    cut = cog_communes(tmp_path, HAUTE_MARNE_COMMUNES[:1], name="v_commune_coupe.csv")

    with pytest.raises(CommandError) as refusal:
        run("import_territories", cut)

    message = str(refusal.value)
    assert message.startswith(f"{cut} : import refusé, rien n'a été enregistré")
    assert "39 communes sur les 40 qu'il couvre (97,5 %)" in message
    assert "39 organismes sur les 40 qu'il couvre" in message
    assert "fichier tronqué" in message
    assert "--allow-mass-obsolete" in message
    assert snapshot() == before


def test_a_cut_file_passes_with_allow_mass_obsolete(tmp_path):
    paths = cog(tmp_path)
    run("import_territories", paths[0], paths[1], cog_communes(tmp_path, HAUTE_MARNE_COMMUNES))
    cut = cog_communes(tmp_path, HAUTE_MARNE_COMMUNES[:1], name="v_commune_coupe.csv")

    out = run("import_territories", cut, "--allow-mass-obsolete")

    assert "Territoires : 0 créés, 0 modifiés, 1 inchangés, 39 rendus obsolètes" in out
    communes = Territory.objects.filter(kind=TerritoryKind.COMMUNE)
    assert communes.filter(is_obsolete=True).count() == 39
    assert not communes.get(code="52001").is_obsolete
    assert Body.objects.filter(kind=BodyKind.COMMUNE, is_obsolete=True).count() == 39


def test_a_dry_run_warns_of_mass_obsolescence_without_failing(tmp_path):
    paths = cog(tmp_path)
    run("import_territories", paths[0], paths[1], cog_communes(tmp_path, HAUTE_MARNE_COMMUNES))
    before = snapshot()
    cut = cog_communes(tmp_path, HAUTE_MARNE_COMMUNES[:1], name="v_commune_coupe.csv")

    out = run("import_territories", cut, "--dry-run")

    assert "Attention : sans --allow-mass-obsolete, l'import réel serait refusé" in out
    assert "39 communes sur les 40" in out
    assert snapshot() == before


def test_a_few_departures_pass_the_guard(tmp_path):
    paths = cog(tmp_path)
    run("import_territories", paths[0], paths[1], cog_communes(tmp_path, HAUTE_MARNE_COMMUNES))

    # Ten communes merged away: a real, if large, yearly change in one département.
    out = run("import_territories", cog_communes(tmp_path, HAUTE_MARNE_COMMUNES[10:]))

    assert "10 rendus obsolètes" in out


def test_an_emptied_epci_file_is_refused_even_beside_a_full_communes_file(tmp_path):
    path = decoupage(tmp_path)
    communes = json.loads((path / "communes.json").read_text("utf-8"))
    communes += [_commune(code, label, "52", "44") for code, label in HAUTE_MARNE_COMMUNES]
    epcis = [
        _epci(siren_with_key(20010000 + n), f"CC {n}", "CC", [code])
        for n, (code, _label) in enumerate(HAUTE_MARNE_COMMUNES[:12])
    ]
    (path / "communes.json").write_text(json.dumps(communes), "utf-8")
    (path / "epci.json").write_text(json.dumps(epcis), "utf-8")
    run("import_territories", path)
    before = snapshot()
    (path / "epci.json").write_text("[]", "utf-8")

    with pytest.raises(CommandError, match=r"import refusé.* 12 EPCI sur les 12 qu'il couvre"):
        run("import_territories", path)

    assert snapshot() == before


def test_a_cut_banatic_file_is_refused_and_passes_with_the_flag(tmp_path):
    run("import_territories", decoupage(tmp_path))
    codes = [siren_with_key(20005000 + n) for n in range(12)]
    rows = "".join(
        f"{code};PETR {n};PETR;Non;Non;01/01/2015;{CA_CHAUMONT};CA\n"
        for n, code in enumerate(codes)
    )
    run("import_petr", banatic(tmp_path, rows))
    before = snapshot()
    cut = banatic(tmp_path, rows.splitlines(keepends=True)[0])

    with pytest.raises(CommandError, match=r"banatic\.csv : import refusé.* 11 PETR sur les 12"):
        run("import_petr", cut)

    assert snapshot() == before
    out = run("import_petr", cut, "--allow-mass-obsolete")
    assert "11 rendus obsolètes" in out
    assert Territory.objects.filter(kind=TerritoryKind.PETR, is_obsolete=True).count() == 11


# --- Bad input: every reader names file, line and reason, and writes nothing -----------------

LONG_NAME = "Saint-" + "x" * 294  # 300 characters, past every name column


def test_a_nul_byte_in_a_cog_name_is_refused_on_its_line(tmp_path):
    run("import_territories", decoupage(tmp_path))
    before = snapshot()
    rows = (
        "COM,52121,44,52,52D,521,0,CHAUMONT,Chaumont,Chaumont,5205,\n"
        "COM,52269,44,52,52D,521,0,LANGRES,Langres,Lan\x00gres,5205,\n"
    )

    with pytest.raises(
        CommandError, match=r"v_commune_2024\.csv, ligne 3 : caractère nul \(octet 0x00\)"
    ):
        run("import_territories", *cog(tmp_path, commune_rows=rows))

    assert snapshot() == before


@pytest.mark.parametrize(
    ("typecom", "limit"), [("COM", 100), ("ARM", 200)], ids=["commune", "arrondissement"]
)
def test_a_cog_name_longer_than_its_column_is_refused_on_its_line(tmp_path, typecom, limit):
    run("import_territories", decoupage(tmp_path))
    before = snapshot()
    rows = (
        "COM,52121,44,52,52D,521,0,CHAUMONT,Chaumont,Chaumont,5205,\n"
        f"{typecom},52269,44,52,52D,521,0,X,X,{LONG_NAME},5205,52121\n"
    )

    with pytest.raises(
        CommandError,
        match=rf"v_commune_2024\.csv, ligne 3 : LIBELLE trop long : 300 caractères, {limit}",
    ):
        run("import_territories", *cog(tmp_path, commune_rows=rows))

    assert snapshot() == before


def _decoupage_with(tmp_path, file, change):
    path = decoupage(tmp_path)
    items = json.loads((path / f"{file}.json").read_text("utf-8"))
    change(items)
    (path / f"{file}.json").write_text(json.dumps(items), "utf-8")
    return path


@pytest.mark.parametrize(
    ("file", "change", "message"),
    [
        (
            "communes",
            lambda items: items[1].update(nom="Lan\x00gres"),
            r"communes\.json : élément n° 2 : champ « nom » contient un caractère de contrôle "
            r"\(U\+0000\)",
        ),
        (
            "epci",
            lambda items: items[0].update(nom="CA de\x00Chaumont"),
            r"epci\.json : élément n° 1 : champ « nom » contient un caractère de contrôle",
        ),
        (
            "communes",
            lambda items: items[1].update(nom=LONG_NAME),
            r"communes\.json : élément n° 2 : champ « nom » trop long : 300 caractères, 100 au "
            r"plus",
        ),
        (
            "departements",
            lambda items: items[0].update(nom=LONG_NAME),
            r"departements\.json : élément n° 1 : champ « nom » trop long : 300 caractères, 200",
        ),
        (
            "epci",
            lambda items: items[0].update(nom=LONG_NAME),
            r"epci\.json : élément n° 1 : champ « nom » trop long : 300 caractères, 200 au plus",
        ),
        (
            "communes",
            lambda items: items[0].update(population=10**12),
            r"communes\.json : élément n° 1 : champ « population » hors limites",
        ),
    ],
    ids=["nul commune", "nul epci", "long commune", "long département", "long epci", "population"],
)
def test_a_bad_json_value_is_refused_and_nothing_is_written(tmp_path, file, change, message):
    run("import_territories", decoupage(tmp_path))
    before = snapshot()
    path = _decoupage_with(tmp_path, file, change)

    with pytest.raises(CommandError, match=message):
        run("import_territories", path)

    assert snapshot() == before


def test_a_json_file_nested_100000_deep_is_refused(tmp_path):
    run("import_territories", decoupage(tmp_path))
    before = snapshot()
    path = decoupage(tmp_path)
    (path / "epci.json").write_text("[" * 100_000 + "]" * 100_000, "utf-8")

    with pytest.raises(CommandError, match=r"epci\.json : JSON imbriqué trop profondément"):
        run("import_territories", path)

    assert snapshot() == before


def test_a_truncated_json_file_is_refused_in_french(tmp_path):
    path = decoupage(tmp_path)
    text = (path / "communes.json").read_text("utf-8")
    (path / "communes.json").write_text(text[: len(text) // 2], "utf-8")

    with pytest.raises(CommandError, match=r"communes\.json, ligne 1 : JSON invalide, colonne \d+"):
        run("import_territories", path)

    assert Territory.objects.count() == 0


def test_a_latin1_json_file_is_refused_with_its_line(tmp_path):
    run("import_territories", decoupage(tmp_path))
    before = snapshot()
    path = decoupage(tmp_path)
    communes = json.loads((path / "communes.json").read_text("utf-8"))
    text = json.dumps(communes, ensure_ascii=False, indent=1)
    (path / "communes.json").write_bytes(text.replace("Chaumont", "Chaumônt").encode("latin-1"))
    line = text[: text.index("Chaumont")].count("\n") + 1

    with pytest.raises(
        CommandError, match=rf"communes\.json, ligne {line} : le fichier n'est pas encodé en UTF-8"
    ):
        run("import_territories", path)

    assert snapshot() == before


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("absent", r"absent : fichier ou dossier introuvable"),
        ("absent.csv", r"absent\.csv : fichier ou dossier introuvable"),
        ("vide", r"vide : aucun des fichiers regions\.json, .* ici"),
    ],
    ids=["dossier absent", "fichier absent", "dossier sans fichier"],
)
def test_import_territories_refuses_a_missing_file_or_folder(tmp_path, target, message):
    run("import_territories", decoupage(tmp_path))
    before = snapshot()
    (tmp_path / "vide").mkdir()

    # The good folder first: nothing is written even though it was read without fault.
    with pytest.raises(CommandError, match=message):
        run("import_territories", decoupage(tmp_path), tmp_path / target)

    assert snapshot() == before


def test_a_nul_byte_in_a_banatic_name_is_refused_on_its_line(tmp_path):
    run("import_territories", decoupage(tmp_path))
    before = snapshot()

    with pytest.raises(CommandError, match=r"banatic\.csv, ligne 2 : caractère nul"):
        run("import_petr", banatic(tmp_path, PETR_ROWS.replace("Pays de", "Pays\x00de")))

    assert snapshot() == before


def test_a_banatic_name_longer_than_its_column_is_refused_on_its_line(tmp_path):
    run("import_territories", decoupage(tmp_path))
    before = snapshot()

    with pytest.raises(
        CommandError,
        match=r"banatic\.csv, ligne 2 : Nom du groupement trop long : 300 caractères, 200 au plus",
    ):
        run(
            "import_petr",
            banatic(tmp_path, PETR_ROWS.replace("PETR du Pays de Langres", LONG_NAME)),
        )

    assert snapshot() == before


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("absent.csv", r"absent\.csv : fichier introuvable"),
        ("dossier", r"dossier : c'est un dossier : indiquez le fichier lui-même"),
    ],
    ids=["fichier absent", "dossier"],
)
def test_import_petr_refuses_a_missing_file_or_a_folder(tmp_path, target, message):
    run("import_territories", decoupage(tmp_path))
    before = snapshot()
    (tmp_path / "dossier").mkdir()

    with pytest.raises(CommandError, match=message):
        run("import_petr", tmp_path / target)

    assert snapshot() == before

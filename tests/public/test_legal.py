"""The pages the footer links to (legal notice, accessibility, personal data), the favicon,
the French 404 page of the development server, and the population the site shows."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from public.selectors.home import covered_population
from public.views.legal import ACCESSIBILITY_STATUS
from territories.models import TerritoryKind
from tests import factories
from tests.conftest import make_signed_pact

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
LEGAL_LINKS = {
    "/mentions-legales/": "Mentions légales",
    "/accessibilite/": f"Accessibilité : {ACCESSIBILITY_STATUS}",
    "/donnees-personnelles/": "Données personnelles",
}
NBSP = "\xa0"


# --- The three pages ----------------------------------------------------------------------


def test_the_legal_notice_names_the_publisher_the_director_and_the_host(client):
    html = client.get("/mentions-legales/").content.decode()
    assert "<h1>Mentions légales</h1>" in html
    assert "Région Grand Est" in html
    assert "1 place Adrien Zeller" in html
    assert "Directeur de la publication" in html
    assert "Le président du Conseil régional du Grand Est" in html
    assert "Hébergement" in html


def test_the_publisher_comes_from_the_settings(client, settings):
    settings.PUBLISHER = {
        **settings.PUBLISHER,
        "director": "Mme Alice Martin, présidente",
        "host_name": "Hébergeur Exemple SAS",
        "host_address": "2 rue Exemple, 75000 Paris",
        "contact_email": "pactes@example.fr",
    }
    notice = client.get("/mentions-legales/").content.decode()
    assert "Mme Alice Martin, présidente" in notice
    assert "Hébergeur Exemple SAS" in notice and "2 rue Exemple, 75000 Paris" in notice
    for url in LEGAL_LINKS:
        html = client.get(url).content.decode()
        assert '<a href="mailto:pactes@example.fr">pactes@example.fr</a>' in html, url


def test_without_a_contact_email_the_pages_give_the_postal_address(client, settings):
    settings.PUBLISHER = {**settings.PUBLISHER, "contact_email": ""}
    for url in LEGAL_LINKS:
        html = client.get(url).content.decode()
        assert "mailto:" not in html
        assert "par courrier à Région Grand Est, Maison de la Région" in html


def test_the_accessibility_statement_is_honest_about_conformity(client):
    html = client.get("/accessibilite/").content.decode()
    assert "<h1>Déclaration d'accessibilité</h1>" in html
    assert "est <strong>non conforme</strong> avec le référentiel général" in html
    assert "Aucun audit de conformité au RGAA n'a encore été réalisé" in html
    # What the automated checks cover, and what they do not.
    assert "axe-core" in html and "390 pixels" in html
    assert "Elles ne vérifient pas" in html and "lecteurs d'écran" in html
    # How to report a problem, and the recourse.
    assert "Signaler un problème" in html
    assert "Défenseur des droits" in html
    assert "Libre réponse 71120, 75342 Paris CEDEX 07" in html


def test_the_axe_version_cited_is_the_one_the_tests_inject():
    lock = (ROOT / "package-lock.json").read_text()
    from public.views.legal import AXE_VERSION

    assert f'"version": "{AXE_VERSION}.' in lock


def test_the_personal_data_page_says_what_is_published_and_what_never_is(client):
    html = client.get("/donnees-personnelles/").content.decode()
    assert "<h1>Données personnelles</h1>" in html
    assert "Répertoire national des élus" in html
    assert "mandats et fonctions publics" in html
    assert "La date de naissance" in html
    assert "n'est jamais affichée, ni exportée" in html
    assert "mission d'intérêt public" in html
    assert "Demander une correction" in html
    assert "CNIL" in html


@pytest.mark.parametrize("url", list(LEGAL_LINKS))
def test_the_legal_pages_set_no_cookie(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert not response.cookies


# --- The footer ---------------------------------------------------------------------------


def test_every_page_links_to_the_three_pages_in_its_footer(client, haute_marne):
    pact = make_signed_pact(territories=[haute_marne.chaumont])
    for url in [
        "/",
        "/pactes/",
        pact.get_absolute_url(),
        haute_marne.dep.get_absolute_url(),
        "/recherche/?q=chaumont",
        "/mentions-legales/",
        "/cette-page-n-existe-pas/",
    ]:
        html = client.get(url).content.decode()
        footer = html.split('<footer class="site-footer">', 1)[1]
        for href, label in LEGAL_LINKS.items():
            assert f'<a href="{href}">{label}</a>' in footer, (url, href)


def test_the_home_page_states_the_conformity_level(client):
    html = client.get("/").content.decode()
    assert "Accessibilité : non conforme" in html


# --- Favicon ------------------------------------------------------------------------------


def test_favicon_ico_answers_with_the_static_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/img/favicon.ico"
    assert "max-age=86400" in response["Cache-Control"]
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert b"".join(icon.streaming_content).startswith(b"\x00\x00\x01\x00")


def test_every_page_declares_its_icon(client):
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in html
    assert client.get("/static/img/favicon.svg").status_code == 200


# --- The development server, DEBUG off ------------------------------------------------------


def test_development_settings_with_debug_off_serve_the_french_404_and_static_files(tmp_path):
    """What `make run` serves (DJANGO_DEBUG=0, development settings): the French 404 page, not
    Django's English debug page, and the stylesheet it links to."""
    code = (
        "import django; django.setup(); "
        "from django.conf import settings; from django.test import Client; "
        "print(settings.DEBUG); c = Client(); "
        "r = c.get('/cette-page-n-existe-pas/'); print(r.status_code); "
        "print('<h1>Page introuvable</h1>' in r.content.decode()); "
        "s = c.get('/static/css/site.css'); print(s.status_code); "
        "print(c.get('/favicon.ico').status_code)"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_DEBUG": "0",
            # An empty database: an unknown address needs none (the page cache, absent, is
            # skipped with a log line, which this level keeps quiet).
            "DATABASE_URL": f"sqlite:///{tmp_path / 'vide.sqlite3'}",
            "DJANGO_LOG_LEVEL": "CRITICAL",
        },
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "404", "True", "200", "302"]


def test_make_run_serves_with_debug_off():
    makefile = (ROOT / "Makefile").read_text()
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "DJANGO_DEBUG=$${DJANGO_DEBUG:-0} $(BIN)/python manage.py runserver" in run


# --- Population -----------------------------------------------------------------------------


def test_a_territory_page_shows_its_population(client):
    commune = factories.TerritoryFactory(name="Troyes", population=172_512)
    html = client.get(commune.get_absolute_url()).content.decode()
    assert f"172{NBSP}512 habitants" in html
    unknown = factories.TerritoryFactory(name="Inconnue", population=None)
    assert "habitant" not in client.get(unknown.get_absolute_url()).content.decode()


def test_the_territory_list_shows_the_population(client):
    factories.TerritoryFactory(name="Reims", population=178_166)
    html = client.get("/territoires/", {"q": "reims"}).content.decode()
    assert '<th scope="col" class="num">Population</th>' in html
    assert f'<td class="num">178{NBSP}166</td>' in html


@pytest.fixture
def covered_map():
    """Région R ⊃ département D ⊃ EPCI E ⊃ communes c1 (1,000), c2 (2,000), an obsolete c5
    (300) and c6 of unknown population; c3 (500) in D outside E; c4 (10,000) in another
    département D2, covered only by an unpublished pact; E2 (an EPCI overlapping D2 without
    lying in it) holds c7 (40) in D."""
    region = factories.TerritoryFactory(kind=TerritoryKind.REGION, code="44", population=None)
    dep = factories.TerritoryFactory(
        kind=TerritoryKind.DEPARTEMENT, code="52", parents=[region], population=3_840
    )
    dep2 = factories.TerritoryFactory(
        kind=TerritoryKind.DEPARTEMENT, code="10", parents=[region], population=10_000
    )
    epci = factories.EpciFactory(parents=[dep], population=3_300)
    communes = {
        "c1": factories.TerritoryFactory(parents=[dep, epci], population=1_000),
        "c2": factories.TerritoryFactory(parents=[dep, epci], population=2_000),
        "c3": factories.TerritoryFactory(parents=[dep], population=500),
        "c4": factories.TerritoryFactory(parents=[dep2], population=10_000),
        "c5": factories.TerritoryFactory(parents=[dep, epci], population=300, is_obsolete=True),
        "c6": factories.TerritoryFactory(parents=[dep, epci], population=None),
    }
    straddling = factories.EpciFactory(population=40)
    straddling.overlaps.add(dep, dep2)
    communes["c7"] = factories.TerritoryFactory(parents=[dep, straddling], population=40)
    return {"region": region, "dep": dep, "dep2": dep2, "epci": epci, "e2": straddling, **communes}


def test_inhabitants_count_each_covered_commune_once(covered_map, django_assert_num_queries):
    m = covered_map
    # The EPCI, its département and one of its communes, each by its own published pact.
    make_signed_pact(territories=[m["epci"]])
    make_signed_pact(territories=[m["dep"]])
    make_signed_pact(territories=[m["c1"], m["epci"]])
    make_signed_pact(territories=[m["dep2"]], published=False)
    with django_assert_num_queries(1):
        totals = covered_population()
    # c1 + c2 + c3 + c7 (c6 counts as a commune, adds nobody; c5 is obsolete; D2 unpublished).
    assert totals == {"inhabitants": 3_540, "communes": 5}


def test_inhabitants_of_a_pact_are_those_of_the_communes_inside_it(covered_map):
    m = covered_map
    make_signed_pact(territories=[m["epci"]])
    assert covered_population() == {"inhabitants": 3_000, "communes": 3}
    # An intercommunality reaching into D2 covers its own communes, not the rest of D2.
    make_signed_pact(territories=[m["e2"]])
    assert covered_population() == {"inhabitants": 3_040, "communes": 4}


def test_no_published_pact_no_inhabitant(covered_map):
    make_signed_pact(territories=[covered_map["region"]], published=False)
    assert covered_population() == {"inhabitants": 0, "communes": 0}


def test_the_home_page_shows_the_inhabitants_covered(client, covered_map):
    make_signed_pact(territories=[covered_map["region"]])
    html = client.get("/").content.decode()
    # Every current commune of the région: c1, c2, c3, c4, c6, c7.
    assert f"<strong>13{NBSP}540</strong> habitants dans 6 communes couvertes" in html
    assert "chacune comptée une fois" in html

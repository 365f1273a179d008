"""Numbered pagination of the public lists: the window of page links, the range shown, links
that keep every filter and the sort, and the filter panel's « Filtres (n) » button."""

import html as html_lib
import re
from functools import partial
from urllib.parse import parse_qsl

import pytest
from django.core.paginator import Paginator

from public.pagination import page_window, paginate, range_text
from public.views import lists
from tests import factories
from tests.conftest import make_rich_pacts

# --- The window of page links ------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "num_pages", "window"),
    [
        # Short lists: every page, no ellipsis.
        (1, 1, [1]),
        (1, 2, [1, 2]),
        (5, 9, [1, 2, 3, 4, 5, 6, 7, 8, 9]),
        # Near the start the window stretches: page 5 is one click from page 1.
        (1, 63, [1, 2, 3, 4, 5, 6, 7, None, 63]),
        (5, 63, [1, 2, 3, 4, 5, 6, 7, None, 63]),
        # In the middle: first, two pages each side, last.
        (6, 63, [1, None, 4, 5, 6, 7, 8, None, 63]),
        (30, 63, [1, None, 28, 29, 30, 31, 32, None, 63]),
        (58, 63, [1, None, 56, 57, 58, 59, 60, None, 63]),
        # Near the end, symmetrically.
        (59, 63, [1, None, 57, 58, 59, 60, 61, 62, 63]),
        (63, 63, [1, None, 57, 58, 59, 60, 61, 62, 63]),
        # Ten pages: the smallest list with an ellipsis.
        (1, 10, [1, 2, 3, 4, 5, 6, 7, None, 10]),
        (10, 10, [1, None, 4, 5, 6, 7, 8, 9, 10]),
    ],
)
def test_page_window(number, num_pages, window):
    assert page_window(number, num_pages) == window


@pytest.mark.parametrize("num_pages", range(1, 40))
def test_window_shape_for_every_page(num_pages):
    """Always the current page, the first and the last; sorted, at most 9 slots; an
    ellipsis stands for two pages or more, never for one."""
    for number in range(1, num_pages + 1):
        window = page_window(number, num_pages)
        pages = [n for n in window if n is not None]
        assert number in pages and pages[0] == 1 and pages[-1] == num_pages
        assert pages == sorted(set(pages))
        assert len(window) <= 9
        for before, slot, after in zip(window, window[1:], window[2:], strict=False):
            if slot is None:
                assert after - before > 2, (number, num_pages, window)
        assert window[0] is not None and window[-1] is not None


def test_out_of_range_numbers_are_clamped():
    assert page_window(0, 63) == page_window(1, 63)
    assert page_window(99, 63) == page_window(63, 63)


# --- The range of rows shown -------------------------------------------------------------


def page_of(count: int, number: int, per_page: int = 20):
    return Paginator(range(count), per_page).get_page(number)


def test_range_text_uses_french_digit_groups():
    # Django writes French thousands with a no-break space (U+00A0; U+202F would do as well).
    text = range_text(page_of(1255, 2))
    assert re.fullmatch(r"21–40 sur 1[\u00a0\u202f ]255", text), repr(text)
    last = range_text(page_of(1255, 63))
    assert re.fullmatch(r"1[\u00a0\u202f ]241–1[\u00a0\u202f ]255 sur 1[\u00a0\u202f ]255", last)


def test_range_text_of_one_page_and_of_no_result():
    assert range_text(page_of(7, 1)) == "1–7 sur 7"
    assert range_text(page_of(0, 1)) == ""


def test_paginate_gives_the_window_of_the_page_it_falls_back_to():
    notices = []
    page = paginate(list(range(95)), "12", notices)
    assert page.number == 5 and page.window == [1, 2, 3, 4, 5]
    assert page.range_text == "81–95 sur 95"
    assert "page 5 affichée" in notices[0]
    empty = paginate([], "", [])
    assert (empty.window, empty.range_text) == ([1], "")


# --- On the pages --------------------------------------------------------------------------


def pagination_nav(html: str) -> str:
    found = re.search(r'<nav class="pagination" aria-label="Pagination">.*?</nav>', html, re.S)
    return found[0] if found else ""


def page_links(nav: str) -> list[tuple[str, str]]:
    """(text, href) of every link of the pagination; a number's hidden « Page » left out."""
    links = re.findall(r'<a href="([^"]*)"[^>]*>(.*?)</a>', nav, re.S)
    return [
        (re.sub(r'<span class="visually-hidden">Page </span>', "", text), html_lib.unescape(href))
        for href, text in links
    ]


@pytest.fixture
def two_per_page(monkeypatch):
    """Lists paginated 2 rows a page, so that a few rows make several pages."""
    monkeypatch.setattr(lists, "paginate", partial(paginate, per_page=2))


@pytest.fixture
def rich(db):
    pacts = make_rich_pacts(12)
    return {"theme": pacts[0].themes.get().slug}


# Per list, filters that keep at least 5 pages of 2 rows of `make_rich_pacts(12)`.
LIST_FILTERS = {
    "/pactes/": lambda rich: {"theme": rich["theme"], "departement": "52", "tri": "titre"},
    "/signatures/": lambda rich: {"annee": "2019", "departement": "52"},
    "/territoires/": lambda rich: {"departement": "52", "q": "commune"},
    "/organismes/": lambda rich: {"type": "epci", "q": "communes"},
    "/personnes/": lambda rich: {"statut": "en_cours", "q": "nom"},
}


@pytest.mark.parametrize("url", list(LIST_FILTERS))
def test_every_page_link_keeps_the_filters_and_the_sort(client, rich, two_per_page, url):
    filters = LIST_FILTERS[url](rich)
    html = client.get(url, {**filters, "page": "3"}).content.decode()
    nav = pagination_nav(html)
    assert nav, f"pas de pagination sur {url}"
    links = page_links(nav)
    texts = [text for text, _ in links]
    assert (texts[0], texts[-1]) == ("← Page précédente", "Page suivante →")
    numbers = [text for text in texts if text.isdigit()]
    assert numbers[:5] == ["1", "2", "3", "4", "5"]
    for text, href in links:
        assert href.startswith("?")
        params = dict(parse_qsl(href[1:]))
        assert {k: params.get(k) for k in filters} == filters, (text, href)
        # Page 1 is the list itself: no `page` parameter, one address to share and cache.
        if text == "1":
            assert "page" not in params
        elif text.isdigit():
            assert params["page"] == text
    assert re.search(r'aria-current="page"><span class="visually-hidden">Page </span>3</a>', nav)
    assert nav.count('aria-current="page"') == 1
    assert re.search(r'<p class="pagination-range">5–6 sur \d+</p>', nav)


def test_previous_and_next_links(client, rich, two_per_page):
    html = client.get("/pactes/", {"tri": "titre", "page": "2"}).content.decode()
    links = dict(page_links(pagination_nav(html)))
    assert links["← Page précédente"] == "?tri=titre"  # page 1: no `page`
    assert links["Page suivante →"] == "?tri=titre&page=3"
    first = pagination_nav(client.get("/pactes/").content.decode())
    assert 'rel="prev"' not in first and 'rel="next"' in first
    assert '<a href="?"' in first  # page 1 of an unfiltered list


def test_page_five_is_one_link_away_from_page_one(client, db, two_per_page):
    for _ in range(12):
        factories.TerritoryFactory()
    nav = pagination_nav(client.get("/territoires/").content.decode())
    assert ("5", "?page=5") in page_links(nav)


def test_one_page_and_empty_lists_have_no_pagination(client, db):
    factories.TerritoryFactory(name="Seule commune")
    html = client.get("/territoires/").content.decode()
    assert not pagination_nav(html)
    assert '<p class="result-count" role="status"><strong>1</strong> résultat' in html
    html = client.get("/territoires/", {"q": "introuvable"}).content.decode()
    assert not pagination_nav(html)


def test_out_of_range_page_shows_the_last_one_with_its_window(client, rich, two_per_page):
    html = client.get("/pactes/", {"page": "999"}).content.decode()
    nav = pagination_nav(html)
    assert re.search(r'aria-current="page"><span class="visually-hidden">Page </span>6</a>', nav)
    assert "Numéro de page « 999 » invalide ou hors limites : page 6 affichée." in html
    assert 'rel="next"' not in nav


def test_the_count_is_written_with_french_digit_groups(client, db, monkeypatch):
    monkeypatch.setattr(Paginator, "count", 1255)
    html = client.get("/territoires/").content.decode()
    assert re.search(r"<strong>1[\u00a0\u202f ]255</strong> résultats", html)
    assert re.search(r'<p class="pagination-range">1–20 sur 1[\u00a0\u202f ]255</p>', html)


# --- The filter panel ----------------------------------------------------------------------


@pytest.mark.parametrize("url", list(LIST_FILTERS))
def test_filter_panel_button_says_how_many_filters_are_active(client, rich, url):
    filters = LIST_FILTERS[url](rich)
    html = client.get(url, filters).content.decode()
    summary = re.search(r"<summary>(.*?)</summary>", html, re.S)[1]
    narrow = re.search(r'<span class="filters-label-narrow">(.*?)</span></summary>', html, re.S)
    text = re.sub(r"<[^>]+>", "", narrow[1])
    n = len(filters)
    assert text == f"Filtres ({n} actifs)"
    assert re.sub(r"<[^>]+>", "", summary).startswith(f"Filtrer la liste ({n} filtres actifs)")
    # Served open (wide screens, no JavaScript); the static script folds it on a phone.
    assert '<details class="filters" id="filtres" open data-fold-narrow>' in html
    assert re.search(r'<script src="/static/js/filters-panel[^"]*\.js"></script>', html)
    plain = client.get(url).content.decode()
    assert '<span class="filters-label-narrow">Filtres</span>' in plain

"""End to end: load the demo, follow every internal link from `/`, and meet no broken page."""

import re
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from tests.conftest import EXPORT_URLS

pytestmark = pytest.mark.django_db

HREF = re.compile(r'href="([^"]+)"')
CONTRACT_PATHS = {
    "/",
    "/pactes/",
    "/territoires/",
    "/organismes/",
    "/personnes/",
    "/signatures/",
    "/mentions-legales/",
    "/accessibilite/",
    "/donnees-personnelles/",
    "/donnees/",
    *EXPORT_URLS,
}
DETAIL_PREFIXES = ("/pactes/", "/signatures/", "/territoires/", "/organismes/", "/personnes/")


def internal_links(html: str) -> set[str]:
    links = set()
    for href in HREF.findall(html):
        href = unescape(href).split("#", 1)[0]
        if href.startswith("/") and not href.startswith(("//", "/admin/", "/static/")):
            links.add(href)
    return links


def test_every_page_reached_from_home_answers_200(client):
    call_command("load_demo")
    queue, seen, statuses = ["/"], set(), {}
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        statuses[url] = response.status_code
        if response.streaming:
            b"".join(response.streaming_content)
            continue
        if response.status_code == 200 and "text/html" in response["Content-Type"]:
            html = response.content.decode()
            assert html.count("<h1") == 1, url
            queue.extend(internal_links(html) - seen)
    broken = {url: status for url, status in statuses.items() if status != 200}
    assert not broken
    reached = {urlsplit(url).path for url in seen}
    assert not CONTRACT_PATHS - reached
    for prefix in DETAIL_PREFIXES:
        details = [p for p in reached if p.startswith(prefix) and p.count("/") == 3]
        assert any(not p.endswith(".csv") for p in details), prefix
    assert len(seen) > 40


def test_demo_pages_show_the_press_release(client):
    call_command("load_demo")
    html = client.get("/pactes/", {"q": "heliot"}).content.decode()
    assert "<strong>2</strong> résultats" in html
    html = client.get("/pactes/", {"territoire": "52121"}).content.decode()
    assert "Chaumont" in html
    home = client.get("/").content.decode()
    assert "Haute-Marne" in home and "15 janvier 2019" in home

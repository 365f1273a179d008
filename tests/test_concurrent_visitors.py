"""Visitors asking at the same instant each get their page, on SQLite as on PostgreSQL.

The live server answers each request in its own thread, as `make run` does. Every thread must
read through its own database connection: threads sharing one SQLite connection fail with
« database table is locked », or hang for good.
"""

import concurrent.futures
import urllib.request
import uuid

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True)

# Pages whose reading touches most tables; a new word each time so no cached page answers.
PATHS = [
    "/pactes/?q={}",
    "/signatures/?q={}",
    "/personnes/?q={}",
    "/organismes/?q={}",
    "/recherche/?q=saint{}",
    "/territoires/suggestions.json?q=chau{}",
]
VISITORS = 8
ROUNDS = 5


def test_visitors_asking_at_once_each_get_their_page(live_server):
    call_command("load_demo", verbosity=0)

    def visit(path: str) -> int:
        url = live_server.url + path.format(uuid.uuid4().hex[:6])
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status

    with concurrent.futures.ThreadPoolExecutor(VISITORS) as visitors:
        for _ in range(ROUNDS):
            assert set(visitors.map(visit, PATHS * 2)) == {200}

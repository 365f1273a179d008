"""Fuzzing the public site: random and hostile GET input never breaks a page or leaks unescaped.

Hypothesis throws arbitrary Unicode (NUL and odd code points included), huge and negative
numbers, SQL and HTML/JS fragments, very long strings, raw invalid UTF-8 and repeated keys at
every public list and its CSV export, over every filter name of the contract and each list's
own filters, and random slugs at every detail URL. The bad inputs met so far (`KNOWN_BAD`) are
replayed first, on every list and export, at every run. The contract (docs/architecture.md,
« Public site ») says malformed values never raise a server error: the answer is 200, 400 or
404, and an HTML page never echoes `<` or `"` from the input unescaped.
"""

import datetime
from urllib.parse import quote, quote_from_bytes

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rest_framework.throttling import AnonRateThrottle

from public.filters.pacts import PactFilter
from public.filters.people import PersonFilter
from public.filters.signings import SigningEventFilter
from public.filters.territories import BodyFilter, TerritoryFilter
from public.params import clean_value
from tests import factories
from tests.conftest import make_signed_pact

pytestmark = pytest.mark.django_db

# One filter set per list; the pact list's names are also written out as the contract has them,
# so that renaming a filter fails here rather than silently shrinking the fuzzed surface.
PACT_CONTRACT = [
    *("q", "programme", "statut", "theme", "territoire", "departement", "annee"),
    *("organisme", "personne", "tri", "page"),
]
LISTS = {
    "/pactes/": PactFilter,
    "/territoires/": TerritoryFilter,
    "/organismes/": BodyFilter,
    "/personnes/": PersonFilter,
    "/signatures/": SigningEventFilter,
}
LIST_URLS = list(LISTS) + [f"{url}export.csv" for url in LISTS]
# The feeds take the filters of their list (« Données ouvertes »).
FEED_URLS = {"/signatures/flux.atom": "/signatures/", "/signatures/agenda.ics": "/signatures/"}
LIST_URLS += list(FEED_URLS)
DETAIL_PREFIXES = ["/pactes/", "/territoires/", "/organismes/", "/personnes/"]

FUZZ = settings(
    max_examples=60,
    deadline=None,
    database=None,  # no .hypothesis/ folder in the project; every run explores afresh
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

HOSTILE = [
    "' OR 1=1 --",
    "'; DROP TABLE pacts_pact; --",
    '" OR ""="',
    "1 UNION SELECT password FROM auth_user",
    "%",
    "_",
    "\\",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
    "javascript:alert(1)",
    "{{ 7*7 }}{% debug %}",
    "../../etc/passwd",
    "\x00",
    "a\x00b",
    "\u202eevil",
    "\ufeff",
    "🙂𝔘𝔫𝔦𝔠𝔬𝔡𝔢ﬁ",
    "   ",
    "NaN",
    "1e999",
    "0x1F",
]
# Values the dataset below knows, so that valid filters run next to hostile ones.
KNOWN = ["52", "44", "2019", "titre", "-date", "signe", "en_cours", "ca", "epci", "1", "2"]

integers = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.integers(min_value=-5, max_value=5),
).map(str)
unicode_text = st.text(
    # Every code point but surrogates (which no URL can carry), NUL included.
    alphabet=st.characters(exclude_categories=("Cs",)),
    max_size=40,
)
values = st.one_of(
    unicode_text,
    integers,
    st.sampled_from([*HOSTILE, *KNOWN]),
    # Hostile fragments glued to random text, so they also appear mid-value.
    st.tuples(unicode_text, st.sampled_from(HOSTILE), unicode_text).map("".join),
    # Very long: past the length cap, and long enough to be costly if it reached the database.
    st.tuples(st.sampled_from([*HOSTILE, "x", "é"]), st.integers(200, 5_000)).map(
        lambda pair: pair[0] * pair[1]
    ),
)


def filter_names(url: str) -> list[str]:
    names = set(LISTS[FEED_URLS.get(url, url.removesuffix("export.csv"))].base_filters) | {"page"}
    if url.startswith("/pactes/"):
        names |= set(PACT_CONTRACT)
    return sorted(names)


def query_items(names: list[str]):
    """(key, value) pairs: known filter names (often repeated), hostile keys, any value."""
    keys = st.one_of(st.sampled_from(names), st.sampled_from(names), values)
    return st.lists(st.tuples(keys, values), min_size=1, max_size=8)


def encode(items: list[tuple[str, str]], raw: list[tuple[str, bytes]]) -> str:
    """A query string keeping repeated keys, plus raw bytes (invalid UTF-8) as values."""
    parts = [f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in items]
    parts += [f"{quote(k, safe='')}={quote_from_bytes(b, safe='')}" for k, b in raw]
    return "&".join(parts)


# Bad input met so far, as (items, raw) for `encode`: each is replayed as an explicit example
# on every list and export before the random ones.
KNOWN_BAD = [
    ([("inconnu", "1")], []),
    ([("annee", "abc")], []),
    ([("annee", "-1")], []),
    ([("annee", "99999999999999999999")], []),
    ([("territoire", "does-not-exist")], []),
    ([("territoire", "44")], []),
    ([("departement", "zz")], []),
    ([("page", "abc")], []),
    ([("page", "0")], []),
    ([("page", str(10**9))], []),
    ([("page", "-3")], []),
    ([("tri", "drop table")], []),
    ([("q", "x" * 10_000)], []),
    ([("q", "a\x00b"), ("organisme", "\x00"), ("personne", "x\x00")], []),
    # Raw: invalid UTF-8, an encoded lone surrogate, an overlong slash.
    ([], [("q", b"\xed\xa0\x80"), ("territoire", b"\xff\xfe\x00"), ("annee", b"\xc0\xaf")]),
    ([("q", "%_\\' \" ; -- 🙂 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ﬁ")], []),
    ([("statut", "\u202eevil"), ("type", "\x00"), ("programme", "ééé" * 100)], []),
    ([("theme", "../../etc"), ("organisme", "inconnu"), ("personne", "inconnue")], []),
    ([("\x00clé", "\x00")], []),
    # A control character XML 1.0 refuses, shown in a feed's title with the filters applied.
    ([], [("territoire", b"\x01")]),
    ([("q", "a\x1bb"), ("territoire", "\x0c")], []),
]


def replaying_known_bad(test):
    for items, raw in reversed(KNOWN_BAD):
        test = example(items=items, raw=raw)(test)
    return test


def read(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def assert_safe(response, inputs: list[str], baseline: str) -> None:
    """No server error; no input holding `<` or `"` echoed verbatim in an HTML page.

    An input that already occurs in the page without any parameter (`">` closes many tags)
    proves nothing and is skipped; each hostile fragment above never occurs there.
    """
    assert response.status_code in (200, 400, 404), response.status_code
    body = read(response)
    if "text/html" not in response.get("Content-Type", ""):
        return
    html = body.decode("utf-8")
    for value in inputs:
        for shown in {value, clean_value(value), clean_value(value)[:40]}:
            if ("<" in shown or '"' in shown) and shown not in baseline:
                assert shown not in html, f"unescaped echo of {shown!r}"


@pytest.fixture
def published_data(db):
    """A small published dataset: territories with a shared code, pacts, people, a draft."""
    region = factories.TerritoryFactory(kind="region", code="44", name="Grand Est")
    factories.TerritoryFactory(kind="departement", code="44", name="Loire-Atlantique")
    dep = factories.TerritoryFactory(
        kind="departement", code="52", name="Haute-Marne", parents=[region]
    )
    epci = factories.EpciFactory(kind="ca", name="CA de Chaumont", parents=[dep])
    chaumont = factories.TerritoryFactory(code="52121", name="Chaumont", parents=[dep, epci])
    theme = factories.ThemeFactory(name="Emploi")
    attendee = factories.PersonFactory(first_name="Élise", last_name="Maréchal")
    pacts = [
        make_signed_pact(
            title=f"Pacte de Chaumont {n}",
            territories=[epci],
            commune=chaumont,
            date=datetime.date(2019 + n, 1, 15),
            attendees=[attendee],
            themes=[theme],
        )
        for n in range(3)
    ]
    make_signed_pact(title="Brouillon", territories=[dep], published=False)
    return pacts


def baseline_html(client, url: str) -> str:
    response = client.get(url)
    return read(response).decode("utf-8") if response.status_code == 200 else ""


@pytest.mark.parametrize("url", LIST_URLS)
def test_hostile_parameters_on_every_list_and_export_never_break_or_leak(
    client, published_data, url
):
    names = filter_names(url)
    baseline = baseline_html(client, url)

    @FUZZ
    @given(
        items=query_items(names),
        raw=st.lists(st.tuples(st.sampled_from(["q", *names]), st.binary(max_size=12)), max_size=2),
    )
    @replaying_known_bad
    def check(items, raw):
        response = client.get(f"{url}?{encode(items, raw)}")
        inputs = [text for pair in items for text in pair]
        inputs += [b.decode("utf-8", "replace") for _, b in raw]
        assert_safe(response, inputs, baseline)

    check()


slug_alphabet = st.sampled_from("abcdefghijklmnopqrstuvwxyz0123456789-_")
slugs = st.one_of(
    st.text(alphabet=slug_alphabet, min_size=1, max_size=60),
    st.text(alphabet=slug_alphabet, min_size=250, max_size=2_000),
    values.filter(bool),
)


@pytest.mark.parametrize("prefix", DETAIL_PREFIXES)
def test_random_slugs_and_parameters_on_detail_pages_never_break_or_leak(
    client, published_data, prefix
):
    pact = published_data[0]
    real = {
        "/pactes/": pact.slug,
        "/territoires/": pact.territories.get().slug,
        "/organismes/": pact.parties.first().body.slug,
        "/personnes/": pact.signing_events.get().attendances.first().person.slug,
    }[prefix]
    baseline = baseline_html(client, f"{prefix}{real}/")

    @FUZZ
    @given(
        slug=st.one_of(slugs, st.just(real)),
        items=st.lists(st.tuples(st.sampled_from(["page", "q"]) | values, values), max_size=4),
    )
    def check(slug, items):
        query = encode(items, [])
        response = client.get(f"{prefix}{quote(slug, safe='')}/" + (f"?{query}" if query else ""))
        inputs = [slug] + [text for pair in items for text in pair]
        assert_safe(response, inputs, baseline)

    check()


# The JSON API's lists (docs/architecture.md, « API ») take the same input as the pages.
API_LISTS = {f"/api/v1{url}": filterset for url, filterset in LISTS.items()}


def test_hostile_parameters_on_the_api_lists_answer_json_never_a_server_error(
    client, published_data, monkeypatch
):
    """Every known bad input on every API list, then random ones on a random list: 200, 400
    or 404, always a JSON body (the throttle is lifted: this is one client asking a lot)."""
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "100000/minute"})

    def assert_json(url: str, items, raw) -> None:
        response = client.get(f"{url}?{encode(items, raw)}")
        assert response.status_code in (200, 400, 404), (url, items, raw)
        assert response["Content-Type"] == "application/json"
        response.json()

    for url in API_LISTS:
        for items, raw in [*KNOWN_BAD, ([("taille", "0")], []), ([("taille", "1e3")], [])]:
            assert_json(url, items, raw)

    @FUZZ
    @given(url=st.sampled_from(sorted(API_LISTS)), data=st.data())
    def check(url, data):
        names = sorted(set(API_LISTS[url].base_filters) | {"page", "taille"})
        items = data.draw(query_items(names))
        raw = data.draw(
            st.lists(st.tuples(st.sampled_from(names), st.binary(max_size=12)), max_size=2)
        )
        assert_json(url, items, raw)

    check()

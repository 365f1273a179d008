"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

The browser is the system one (`/usr/bin/chromium`, `apt-get install chromium`): Playwright's
own browser downloads are not used. Without it these tests are skipped, unless
`REQUIRE_BROWSER=1` (set by CI), where a missing browser fails the run instead.
"""

import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

# Playwright's sync API runs an event loop in the test thread; Django would then refuse every
# database call from the test itself (fixtures, assertions) as "async unsafe". The live server
# answers from its own thread, so nothing here is really shared between coroutines.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start.
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

STAFF_USERNAME = "redactrice"
STAFF_PASSWORD = "motdepasse-de-test-2019"


def browser_missing_reason() -> str | None:
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        return f"Chromium absent ({CHROMIUM}) : apt-get install chromium"
    return None


@pytest.fixture(scope="session", autouse=True)
def _chromium_available():
    """Skip every browser test when Chromium is missing; fail instead when it is required."""
    reason = browser_missing_reason()
    if reason is None:
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1 mais {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's launch options, pointed at Debian's Chromium."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "locale": "fr-FR",
        "timezone_id": "Europe/Paris",
        "accept_downloads": True,
        # The site's Content-Security-Policy (script-src 'self') would block axe-core, which
        # Playwright injects as an inline <script>. Bypassing CSP affects only what the test
        # injects: the pages' own scripts and styles come from static files either way.
        "bypass_csp": True,
    }


@pytest.fixture
def axe_source() -> str:
    if not AXE_JS.is_file():
        pytest.fail(f"{AXE_JS} absent : lancez `npm ci` (fait par `make test`).", pytrace=False)
    return str(AXE_JS)


@pytest.fixture
def demo(live_server):
    """The demo data (press release of 15 January 2019), loaded for this test only."""
    call_command("load_demo", verbosity=0)
    return live_server


@pytest.fixture
def desktop(new_context, demo):
    """A page on a 1280×900 desktop window."""
    page = new_context(viewport=DESKTOP).new_page()
    page.set_default_timeout(10_000)
    return page


@pytest.fixture
def phone(new_context, demo):
    """A page on a 390×844 phone screen (touch, mobile layout)."""
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    page.set_default_timeout(10_000)
    return page


@pytest.fixture
def staff_user(transactional_db):
    """A superuser, as the first member of staff gets (publishing included)."""
    return get_user_model().objects.create_superuser(
        STAFF_USERNAME, "redactrice@example.fr", STAFF_PASSWORD
    )


@pytest.fixture(scope="session")
def base_url():
    """No external base URL: pages are addressed from `live_server.url`."""
    return None

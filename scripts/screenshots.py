"""Captures of the main pages, desktop and phone, in docs/screenshots/ (`make screenshots`).

Runs on a throwaway SQLite database in a temporary folder: migrate, load the demo, create a
superuser, serve it with `manage.py runserver` on a free port, photograph the pages with
Debian's Chromium through Playwright, stop the server. The project's own database is never
touched.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORTS = {
    "bureau": {"viewport": {"width": 1280, "height": 900}},
    "telephone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 1,
    },
}
ADMIN_USER, ADMIN_PASSWORD = "admin", "captures-admin-2019"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


def wait_until_up(url: str, server: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"runserver s'est arrêté (code {server.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} ne répond pas après {timeout} s")


def shoot(base: str) -> list[Path]:
    """Photograph every page on both viewports; returns the files written."""
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        for name, options in VIEWPORTS.items():
            context = browser.new_context(locale="fr-FR", **options)
            page = context.new_page()
            page.goto(base + "/pactes/")
            pact_url = page.locator(".card-title a").first.get_attribute("href")
            page.goto(base + pact_url)
            person_url = page.locator("td[data-label='Signé par'] a").first.get_attribute("href")
            territory_url = page.locator(".facts a[href^='/territoires/']").first.get_attribute(
                "href"
            )
            pages = [
                # Whole: the map of départements is below the fold.
                ("accueil", "/", True),
                ("pactes", "/pactes/?departement=52", True),
                ("pacte", pact_url, True),
                ("territoire", territory_url, False),
                ("departement", "/territoires/haute-marne-52/", False),
                ("personne", person_url, False),
            ]
            for slug, url, full_page in pages:
                page.goto(base + url)
                path = OUT / f"{slug}-{name}.png"
                page.screenshot(path=path, full_page=full_page)
                written.append(path)

            page.goto(base + "/admin/login/?next=/admin/pacts/pact/add/")
            page.fill("#id_username", ADMIN_USER)
            page.fill("#id_password", ADMIN_PASSWORD)
            page.locator("input[type=submit]").click()
            page.wait_for_url("**/admin/pacts/pact/add/")
            path = OUT / f"admin-pacte-{name}.png"
            page.screenshot(path=path)
            written.append(path)
            context.close()
        browser.close()
    return written


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="pactes-captures-") as tmp:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp}/captures.sqlite3",
            "DJANGO_ENV": "development",
            "DJANGO_DEBUG": "true",
            "DJANGO_SUPERUSER_PASSWORD": ADMIN_PASSWORD,
        }
        manage(env, "migrate", "--no-input")
        manage(env, "load_demo")
        manage(
            env,
            "createsuperuser",
            "--no-input",
            "--username",
            ADMIN_USER,
            "--email",
            "admin@example.fr",
        )
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_until_up(base + "/", server)
            written = shoot(base)
        finally:
            server.terminate()
            server.wait(timeout=10)
    for path in written:
        print(f"{path.relative_to(ROOT)} ({path.stat().st_size // 1024} Ko)")


if __name__ == "__main__":
    main()

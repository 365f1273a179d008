"""The admin is locked down: login lock-out, security headers, a configurable address."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.test import RequestFactory

from config.security import client_ip

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture
def staff():
    return User.objects.create_user("agent", password="mot-de-passe-correct-42", is_staff=True)


def attempt(client, password, username="agent", ip="192.0.2.10"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_a_correct_login_reaches_the_admin(client, staff):
    response = attempt(client, "mot-de-passe-correct-42")

    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_five_failures_lock_the_account_out_with_a_french_429(client, staff):
    for _ in range(4):
        assert attempt(client, "mauvais").status_code == 200
    assert attempt(client, "mauvais").status_code == 429

    # Locked out: even the right password is refused, in French, with the delay.
    response = attempt(client, "mot-de-passe-correct-42")
    assert response.status_code == 429
    assert response["Retry-After"] == str(15 * 60)
    assert "Trop de tentatives de connexion" in response.content.decode()
    assert "15 minutes" in response.content.decode()


def test_the_lock_out_ends_after_the_cool_off(client, staff):
    for _ in range(5):
        attempt(client, "mauvais")
    assert attempt(client, "mot-de-passe-correct-42").status_code == 429

    sixteen_minutes_ago = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=16)
    AccessAttempt.objects.update(attempt_time=sixteen_minutes_ago)

    assert attempt(client, "mot-de-passe-correct-42").status_code == 302


def test_a_locked_out_address_cannot_try_other_usernames(client, staff):
    User.objects.create_user("collegue", password="autre-mot-de-passe-42", is_staff=True)
    for _ in range(5):
        attempt(client, "mauvais")

    response = attempt(client, "autre-mot-de-passe-42", username="collegue")

    assert response.status_code == 429


def test_behind_a_proxy_the_client_address_is_the_one_the_proxy_saw(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7"
    )

    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 1
    # The left-hand entry was written by the client itself and is not trusted.
    assert client_ip(request) == "198.51.100.7"


def test_blank_forwarded_entries_are_not_taken_for_an_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, ")

    assert client_ip(request) == "1.2.3.4"


@pytest.mark.parametrize("url", ["/", "/pactes/", "/admin/login/"])
def test_pages_carry_a_strict_content_security_policy(client, url):
    response = client.get(url)

    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_admin_pact_page_carries_the_policy(admin_client):
    response = admin_client.get("/admin/pacts/pact/add/")

    assert response.status_code == 200
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_the_session_cookie_is_out_of_reach_of_scripts(client, staff):
    response = attempt(client, "mot-de-passe-correct-42")

    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def run_settings(code: str, **env: str) -> subprocess.CompletedProcess:
    """Run `code` after django.setup() in a fresh interpreter with these DJANGO_* variables."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_admin_address_is_configurable():
    code = "from django.urls import reverse; print(reverse('admin:index'))"

    assert run_settings(code).stdout.strip() == "/admin/"
    moved = run_settings(code, DJANGO_ADMIN_URL="gestion-pactes")
    assert moved.returncode == 0, moved.stderr
    assert moved.stdout.strip() == "/gestion-pactes/"


def test_production_cookies_are_secure_and_https_is_enforced():
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
        "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS)"
    )
    result = run_settings(
        code,
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY="k" * 20 + "0123456789abcdefghijklmnopqrstuvwxyz",
        DJANGO_ALLOWED_HOSTS="pactes.example",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True", "True", "31536000"]

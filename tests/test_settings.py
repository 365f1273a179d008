"""Production settings refuse to start unsafely; local defaults need no configuration."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOOD_KEY = "x" * 50


def load_settings(**env: str) -> subprocess.CompletedProcess:
    """Import the settings in a fresh interpreter with exactly these DJANGO_* variables."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "-c", "import config.settings as s; print(s.DEBUG, s.ALLOWED_HOSTS)"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_local_defaults_need_no_configuration():
    result = load_settings()
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("True")


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DJANGO_ALLOWED_HOSTS": "pactes.example"}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "court", "DJANGO_ALLOWED_HOSTS": "p.example"}, "SECRET_KEY"),
        (
            {"DJANGO_SECRET_KEY": GOOD_KEY, "DJANGO_DEBUG": "1", "DJANGO_ALLOWED_HOSTS": "p.ex"},
            "DJANGO_DEBUG",
        ),
        ({"DJANGO_SECRET_KEY": GOOD_KEY}, "DJANGO_ALLOWED_HOSTS"),
        ({"DJANGO_SECRET_KEY": "x" * 49, "DJANGO_ALLOWED_HOSTS": "p.example"}, "50 caractères"),
    ],
)
def test_production_refuses_to_start_unsafely(env, message):
    result = load_settings(DJANGO_ENV="production", **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_starts_with_a_real_key_and_hosts():
    result = load_settings(
        DJANGO_ENV="production", DJANGO_SECRET_KEY=GOOD_KEY, DJANGO_ALLOWED_HOSTS="pactes.example"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False ['pactes.example']"


@pytest.mark.parametrize("value", ["Production", " PRODUCTION "])
def test_the_environment_name_is_read_without_regard_to_case(value):
    unsafe = load_settings(DJANGO_ENV=value, DJANGO_ALLOWED_HOSTS="pactes.example")
    assert unsafe.returncode != 0
    assert "DJANGO_SECRET_KEY" in unsafe.stderr

    result = load_settings(
        DJANGO_ENV=value, DJANGO_SECRET_KEY=GOOD_KEY, DJANGO_ALLOWED_HOSTS="pactes.example"
    )
    assert result.stdout.strip() == "False ['pactes.example']"


def test_an_unknown_environment_name_is_refused_in_french():
    result = load_settings(DJANGO_ENV="prod")
    assert result.returncode != 0
    assert "DJANGO_ENV vaut « prod »" in result.stderr


def test_a_malformed_api_rate_is_refused_in_french_at_start_up():
    result = load_settings(DJANGO_API_ANON_RATE="beaucoup")
    assert result.returncode != 0
    assert "DJANGO_API_ANON_RATE vaut « beaucoup »" in result.stderr
    assert load_settings(DJANGO_API_ANON_RATE="1000/hour").returncode == 0

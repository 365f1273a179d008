"""Production serving: Django's deployment checklist passes and static files are built.

Each test runs manage.py in a fresh interpreter with a production environment, as
`make serve` and the app servers do.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def production_env(**extra: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return {
        **clean,
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "pactes.example.fr",
        **extra,
    }


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=production_env(**env),
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def test_the_deployment_checklist_passes_without_a_single_warning():
    result = manage("check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_serves_hashed_compressed_static_files_from_each_server():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.STORAGES['staticfiles']['BACKEND']); "
        "print('whitenoise.middleware.WhiteNoiseMiddleware' in s.MIDDLEWARE)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**production_env(), "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "True",
    ]


def test_collectstatic_builds_the_manifest_for_every_stylesheet(tmp_path):
    # The manifest storage rewrites every url() in every stylesheet: one that points nowhere
    # would stop a deployment, so it is caught here.
    result = manage("collectstatic", "--no-input", DJANGO_STATIC_ROOT=str(tmp_path))

    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "staticfiles.json").exists()
    assert list(tmp_path.glob("admin/css/base.*.css.gz"))

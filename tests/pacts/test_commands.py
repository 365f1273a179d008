"""`ensure_local_admin`: a known local account on the SQLite default, nowhere else."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "sqlite", reason="compte local : SQLite uniquement")
def test_the_local_admin_is_created_once_on_sqlite(capsys):
    call_command("ensure_local_admin")
    call_command("ensure_local_admin")
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.check_password("admin")
    assert "mot de passe « admin »" in capsys.readouterr().out


@pytest.mark.skipif(connection.vendor == "sqlite", reason="vérifié sur PostgreSQL")
def test_the_local_admin_is_refused_on_a_server_database():
    with pytest.raises(CommandError, match="SQLite"):
        call_command("ensure_local_admin")
    assert not get_user_model().objects.exists()


def test_the_local_admin_is_refused_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("ensure_local_admin")
    assert not get_user_model().objects.exists()

"""Make sure a local admin account exists, for `make run` on the local SQLite default only."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

USERNAME = "admin"
PASSWORD = "admin"


class Command(BaseCommand):
    help = "Crée le compte « admin » local (base SQLite de développement uniquement)."

    def add_arguments(self, parser):
        parser.add_argument("--port", default="8000", help="Port affiché dans le message.")

    def handle(self, *args, **options):
        database = settings.DATABASES["default"]
        # A well-known password is acceptable only on a developer's own throwaway database.
        if settings.PRODUCTION or not database["ENGINE"].endswith("sqlite3"):
            raise CommandError(
                "Le compte local n'est créé que sur la base SQLite de développement. "
                "Ailleurs, utilisez « python manage.py createsuperuser »."
            )
        user, created = get_user_model().objects.get_or_create(
            username=USERNAME, defaults={"is_staff": True, "is_superuser": True}
        )
        if created:
            user.set_password(PASSWORD)
            user.save()
        verb = "créé" if created else "déjà présent"
        self.stdout.write(
            f"Compte d'administration local {verb}.\n"
            f"Administration : http://127.0.0.1:{options.get('port') or '8000'}/admin/ "
            f"— identifiant « {USERNAME} », mot de passe « {PASSWORD} » "
            "(s'il n'a pas été changé)."
        )

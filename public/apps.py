from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate


def _create_cache_table(sender, using, verbosity=1, **kwargs):
    """`migrate` also creates the cache table, so no setup step can forget it."""
    call_command("createcachetable", database=using, verbosity=verbosity)


class PublicConfig(AppConfig):
    """The public site: pages, lists and their CSV exports, over the domain apps."""

    name = "public"
    verbose_name = "Site public"

    def ready(self):
        # Every write to what the site shows changes the data version of the page cache
        # (docs/architecture.md, « Cache »).
        from public.cache import connect_data_signals

        connect_data_signals()
        # Sent per app with models (this one has none): once, after the pacts' migrations.
        post_migrate.connect(
            _create_cache_table,
            sender=self.apps.get_app_config("pacts"),
            dispatch_uid="create-cache-table",
        )

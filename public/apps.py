from django.apps import AppConfig


class PublicConfig(AppConfig):
    """The public site: pages, lists and their CSV exports, over the domain apps."""

    name = "public"
    verbose_name = "Site public"

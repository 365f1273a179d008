"""Root URLs: French public paths (docs/architecture.md, « Public site »), the API and the
admin."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    # DJANGO_ADMIN_URL, "admin/" unless configured.
    path(settings.ADMIN_URL, admin.site.urls),
    # The read-only JSON API (docs/architecture.md, « API »).
    path("api/v1/", include("api.urls")),
    path("", include("public.urls")),
]

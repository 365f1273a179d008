"""Root URLs: French public paths (docs/architecture.md, « Public site »), the API and the
admin."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    # The staff spreadsheets (exports, pact import) live under the admin's address, before
    # it: the admin would answer 404 to a path it does not know.
    path(f"{settings.ADMIN_URL}tableurs/", include("staff.urls")),
    # DJANGO_ADMIN_URL, "admin/" unless configured.
    path(settings.ADMIN_URL, admin.site.urls),
    # The read-only JSON API (docs/architecture.md, « API »).
    path("api/v1/", include("api.urls")),
    path("", include("public.urls")),
]

"""Root URLs: French public paths (docs/architecture.md, « Public site ») and the admin."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    # DJANGO_ADMIN_URL, "admin/" unless configured.
    path(settings.ADMIN_URL, admin.site.urls),
    path("", include("public.urls")),
]

"""The pages every footer links to (legal notice, accessibility statement, personal data) and
the favicon of browsers that ask for `/favicon.ico` rather than the page's `<link rel="icon">`.

Who publishes and hosts the site, and how to reach them, are settings (`PUBLISHER` in
`config/settings.py`, overridable by the environment of a deployment); the rest is text.
"""

import datetime

from django.conf import settings
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.cache import patch_cache_control

# The conformity level the accessibility statement declares, also shown in every footer
# (public/templates/base.html). « non conforme » until an RGAA audit says otherwise: a site
# without an audit may not claim partial conformity.
ACCESSIBILITY_STATUS = "non conforme"
# The date the accessibility statement was written (or last revised).
ACCESSIBILITY_STATEMENT_DATE = datetime.date(2026, 11, 29)
# The version of axe-core the browser tests inject (package-lock.json), cited by the statement.
AXE_VERSION = "4.14"
# A day: the icon changes rarely, and the redirect names a file whose name may change.
FAVICON_MAX_AGE = 24 * 60 * 60


def _context(**extra) -> dict:
    return {"publisher": settings.PUBLISHER, **extra}


def legal_notice(request):
    return render(request, "legal/legal_notice.html", _context())


def accessibility(request):
    return render(
        request,
        "legal/accessibility.html",
        _context(
            status=ACCESSIBILITY_STATUS,
            statement_date=ACCESSIBILITY_STATEMENT_DATE,
            axe_version=AXE_VERSION,
        ),
    )


def personal_data(request):
    return render(request, "legal/personal_data.html", _context())


def favicon(request):
    """`/favicon.ico`: a temporary redirect to the static icon, whose name production hashes."""
    response = HttpResponseRedirect(static("img/favicon.ico"))
    patch_cache_control(response, public=True, max_age=FAVICON_MAX_AGE)
    return response

"""Public pages about pacts and their signings (the lists are described once, as `PublicList`)."""

import hashlib

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control

from public import exporters
from public.selectors import pacts, signings
from public.views.lists import PublicList

PACT_LIST = PublicList(
    export_name="pacts:export",
    page_name="pacts:list",
    template_name="pacts/pact_list.html",
    selector=pacts.pact_list,
    exporter=exporters.PACT_EXPORTER,
    page_rows=pacts.pact_cards,
    kept_rows="pact-card",
)

SIGNING_LIST = PublicList(
    export_name="pacts:signatures_export",
    page_name="pacts:signatures",
    template_name="pacts/signingevent_list.html",
    selector=signings.signing_list,
    exporter=exporters.SIGNING_EXPORTER,
    kept_rows="signing",
)


def pact_detail(request, slug):
    return render(request, "pacts/pact_detail.html", pacts.pact_detail(slug=slug))


def source_document(request, pk):
    """The PDF staff uploaded for a source of a published pact, shown in the browser.

    Served as stored, never interpreted: its own type, `nosniff`, and a sandboxing policy,
    so a crafted file runs nothing on the site's origin. Its ETag keeps it out of the page
    cache (a document is not a page) while browsers and proxies may keep it an hour.
    """
    source = pacts.source_document(pk=pk)
    content = bytes(source.document)
    response = HttpResponse(content, content_type="application/pdf")
    name = source.document_name or f"source-{source.pk}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Content-Security-Policy"] = "sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["ETag"] = f'"document-{source.pk}-{hashlib.sha256(content).hexdigest()[:16]}"'
    patch_cache_control(response, public=True, max_age=3600)
    return response

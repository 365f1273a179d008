"""A source's document: a PDF staff upload in the admin, kept in the database, linked from the
pact's page with its size, served as a PDF that runs nothing on the site."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from pacts.models import ProposedChange, Source
from tests import factories
from tests.conftest import make_signed_pact
from tests.pacts.test_admin import AdminPage, admin_url

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def upload(client, source, content=PDF, name="pacte-signé.pdf", **fields):
    url = admin_url(Source, "change", source.pk)
    page = AdminPage(client.get(url))
    page.data.update(fields)
    page.data["upload"] = SimpleUploadedFile(name, content, content_type="application/pdf")
    return client.post(url, page.data)


def test_a_pdf_uploaded_in_the_admin_is_linked_and_served_from_the_pact_page(admin_client, client):
    pact = make_signed_pact(title="POCE")
    source = factories.SourceFactory(title="Pacte signé")
    source.pacts.add(pact)

    assert upload(admin_client, source).status_code == 302

    source.refresh_from_db()
    assert (source.document_name, source.document_size) == ("pacte-signé.pdf", len(PDF))
    page = client.get(pact.get_absolute_url()).content.decode()
    url = f"/sources/{source.pk}/document.pdf"
    assert f'<a href="{url}" type="application/pdf">document PDF, {len(PDF)}' in page
    response = client.get(url)
    assert response.status_code == 200 and response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="pacte-signé.pdf"'
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_what_is_not_a_pdf_is_refused_in_french(admin_client):
    source = factories.SourceFactory()
    response = upload(admin_client, source, content=b"<html><script>", name="x.pdf")
    assert response.status_code == 200
    assert "Le document doit être un PDF" in response.content.decode()
    source.refresh_from_db()
    assert source.document is None


def test_a_document_of_a_draft_or_without_a_pact_is_not_served(admin_client, client):
    draft = make_signed_pact(title="Brouillon", published=False)
    source = factories.SourceFactory()
    source.pacts.add(draft)
    upload(admin_client, source)
    assert client.get(f"/sources/{source.pk}/document.pdf").status_code == 404
    assert client.get("/sources/999999/document.pdf").status_code == 404


def test_the_address_must_be_a_web_address(admin_client):
    source = factories.SourceFactory()
    url = admin_url(Source, "change", source.pk)
    page = AdminPage(admin_client.get(url))
    page.data["url"] = "javascript:alert(1)"
    response = admin_client.post(url, page.data)
    assert response.status_code == 200
    source.refresh_from_db()
    assert source.url == ""


def test_a_document_for_a_published_pact_is_not_kept_as_a_proposal():
    user = User.objects.create_user("redactrice", is_staff=True)
    user.groups.add(Group.objects.get(name="Rédaction"))
    client = Client()
    client.force_login(user)
    source = factories.SourceFactory()
    source.pacts.add(make_signed_pact(title="POCE"))

    response = upload(client, source)

    assert response.status_code == 302
    source.refresh_from_db()
    assert source.document is None and not ProposedChange.objects.exists()

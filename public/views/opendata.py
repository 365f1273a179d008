"""`/donnees/`: the datasets, their columns and licence, and the whole of them in one ZIP
(docs/architecture.md, « Données ouvertes »)."""

from django.http import FileResponse, HttpResponseNotModified
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import http_date, parse_etags
from django.views.decorators.cache import never_cache

from public.opendata import DATASETS, PACKAGE_NAME, current_package, latest_package
from public.schemas import LICENCE, table_schema


@never_cache
def open_data(request):
    """What each dataset holds (its schema's fields) and where to take it; the package's
    date and size if one was built, without building it: the page stays a page.

    Never cached: the package's date changes when it is rebuilt, without any change of the
    data version that keys the page cache; the page reads no database row anyway."""
    datasets = [
        {
            "identifier": spec.exporter.identifier,
            "schema": table_schema(spec.exporter),
            "page_url": reverse(spec.page_name),
            "csv_url": reverse(spec.export_name),
            "xlsx_url": reverse(spec.xlsx_name),
            "schema_url": reverse(spec.schema_name),
        }
        for spec in DATASETS
    ]
    context = {"datasets": datasets, "licence": LICENCE, "package": latest_package()}
    return render(request, "opendata/open_data.html", context)


def open_data_package(request):
    """The ZIP of the current data, rebuilt first if the data changed since the last one.

    Its own ETag (the data version and day it describes) lets a client that holds it be
    answered 304, and keeps the file out of the page cache: it is already a file on disk.
    """
    package = current_package(request)
    etag = f'"{package.filename}"'
    if etag in parse_etags(request.headers.get("If-None-Match", "")):
        response = HttpResponseNotModified()
    else:
        response = FileResponse(
            package.path.open("rb"),
            as_attachment=True,
            filename=f"{PACKAGE_NAME}-{package.built.date().isoformat()}.zip",
            content_type="application/zip",
        )
    response["ETag"] = etag
    response["Last-Modified"] = http_date(package.built.timestamp())
    response["Cache-Control"] = "public, max-age=60"
    return response

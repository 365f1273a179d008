"""The site's URLs and `/bonjour/`, a page that reads nothing (bench/throughput.py)."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def hello(request):
    return HttpResponse("Bonjour", content_type="text/plain; charset=utf-8")


urlpatterns = [path("bonjour/", hello), *site_urlpatterns]

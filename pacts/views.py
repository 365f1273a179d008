"""Public pages about pacts."""

from django.shortcuts import render
from django.views.generic import DetailView

from pacts.models import Pact


def home(request):
    return render(request, "pacts/home.html", {"pacts": Pact.objects.published()})


class PactDetailView(DetailView):
    template_name = "pacts/pact_detail.html"

    def get_queryset(self):
        return Pact.objects.published()

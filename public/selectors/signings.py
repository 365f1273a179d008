"""Reads behind `/signatures/` and the latest signings of the home page."""

from django.db.models import Prefetch, QuerySet
from django.http import QueryDict

from pacts.models import Pact, PactParty, SigningEvent
from public.filters.signings import SigningEventFilter
from public.selection import Selection, select


def signing_list_queryset() -> QuerySet:
    """Signing events of published pacts, newest first, with their pact and signatories."""
    parties = PactParty.objects.select_related("body", "mandate__person", "mandate__body")
    return (
        SigningEvent.objects.filter(pact__in=Pact.objects.published())
        .select_related("pact__programme", "commune")
        .prefetch_related(Prefetch("parties", queryset=parties))
        .order_by("-date", "pk")
    )


def signing_list(*, filters: QueryDict | dict) -> Selection:
    """Published signing events matching the GET `filters` of `/signatures/`."""
    return select(SigningEventFilter, filters, signing_list_queryset())


def latest_signings(limit: int = 5) -> list[SigningEvent]:
    return list(signing_list_queryset()[:limit])

"""Reads behind the pact list, the pact page and the pact export.

Every function starts from `Pact.objects.published()` and prefetches what its page shows, so
the number of queries does not depend on the number of rows.
"""

import datetime

from django.db.models import Prefetch, QuerySet
from django.http import QueryDict
from django.shortcuts import get_object_or_404

from pacts.models import Action, Attendance, Pact, PactParty, SigningEvent, Source, Statement
from people.titles import person_mandates_prefetch, titles_on
from public.filters.pacts import DEFAULT_SORT, SORTS, PactFilter
from public.selection import Selection, select
from territories.models import Territory, departement_links_prefetch


def party_signing_date(party: PactParty, pact: Pact) -> datetime.date | None:
    """The date of the party's own signing, else the pact's first (`pact_list_queryset`)."""
    return party.signing_event.date if party.signing_event_id else pact.first_signing


def decorate_parties(pact: Pact) -> list[PactParty]:
    """Parties with `signed_on` and `signatory_titles` (titles on the signing date)."""
    parties = list(pact.parties.all())
    for party in parties:
        party.signed_on = party_signing_date(party, pact)
        party.signatory_titles = (
            titles_on(party.mandate.person, party.signed_on, first=party.mandate)
            if party.mandate_id
            else []
        )
    return parties


def pact_list_queryset(*, events: QuerySet | None = None) -> QuerySet:
    """Published pacts with everything a list row or a CSV row shows, prefetched.

    `events` replaces the signing events' queryset when a page needs more of them.
    """
    if events is None:
        events = SigningEvent.objects.select_related("commune")
    territories = Territory.objects.prefetch_related(departement_links_prefetch())
    parties = PactParty.objects.select_related(
        "body", "signing_event", "mandate__person", "mandate__body"
    ).prefetch_related(person_mandates_prefetch("mandate__person__mandates"))
    return (
        Pact.objects.published()
        .with_first_signing()
        .select_related("programme")
        .prefetch_related(
            Prefetch("territories", queryset=territories),
            "themes",
            "strategies",
            Prefetch("signing_events", queryset=events.order_by("date", "pk")),
            Prefetch("parties", queryset=parties),
        )
        .order_by(*SORTS[DEFAULT_SORT][1])
    )


def pact_list(*, filters: QueryDict | dict) -> Selection:
    """Published pacts matching the GET `filters` of `/pactes/`: page and export alike."""
    return select(PactFilter, filters, pact_list_queryset())


def pact_detail(*, slug: str) -> Pact:
    """One published pact with everything its page shows (404 for drafts and unknowns)."""
    attendances = Attendance.objects.select_related("person", "mandate__body").prefetch_related(
        person_mandates_prefetch("person__mandates")
    )
    events = SigningEvent.objects.select_related("commune").prefetch_related(
        Prefetch("attendances", queryset=attendances),
        Prefetch("statements", queryset=Statement.objects.select_related("person")),
    )
    pact = get_object_or_404(
        pact_list_queryset(events=events).prefetch_related(
            Prefetch("actions", queryset=Action.objects.select_related("lead_body")),
            Prefetch("sources", queryset=Source.objects.select_related("publisher", "contact")),
        ),
        slug=slug,
    )
    pact.party_rows = decorate_parties(pact)
    for event in pact.signing_events.all():
        for attendance in event.attendances.all():
            attendance.titles = titles_on(attendance.person, event.date, first=attendance.mandate)
        event.signatory_parties = [p for p in pact.party_rows if p.signing_event_id == event.pk]
    return pact

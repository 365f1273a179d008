"""Reads behind `/signatures/`, a signing's page and the latest signings of the home page."""

from django.db.models import Prefetch, QuerySet
from django.http import QueryDict
from django.shortcuts import get_object_or_404

from pacts.models import Attendance, Pact, PactParty, SigningEvent, Statement
from pacts.signatories import pact_signatories, pact_signings
from people.titles import person_mandates_prefetch
from public.filters.signings import SigningEventFilter
from public.selection import Selection, select
from public.selectors.pacts import sources_shown
from public.selectors.scope import show_ranked, unfiltered


def signing_list_queryset() -> QuerySet:
    """Signing events of published pacts, newest first, with their pact and, as the list
    `listed_parties` (no queryset built per row, as `pact_cards`), their signatories."""
    parties = PactParty.objects.select_related("body", "mandate__person", "mandate__body")
    return (
        SigningEvent.objects.filter(pact__in=Pact.objects.published())
        .select_related("pact__programme", "commune")
        .prefetch_related(Prefetch("parties", queryset=parties, to_attr="listed_parties"))
        .order_by("-date", "pk")
    )


def signing_list(*, filters: QueryDict | dict) -> Selection:
    """Published signing events matching the GET `filters` of `/signatures/`."""
    selection = select(SigningEventFilter, filters, signing_list_queryset())
    show_ranked(
        selection,
        "signings",
        signing_list_queryset(),
        signing_list_queryset,
        narrowed=not unfiltered(selection),
    )
    return selection


def latest_signings(limit: int = 5) -> list:
    """The first rows of the unfiltered `/signatures/`, from the same ranking, for the
    template of its rows: those whose HTML is held come as such (`RankedRows.holding`)."""
    return list(signing_list(filters={}).rows_shown.holding("signing")[:limit])


def signing_detail(*, slug: str) -> dict:
    """One signing event of a published pact (404 otherwise) with everything its page shows:
    the parties that signed there and their signatories' titles on that date, the attendees'
    titles on that date, the statements, the pact's other signings and its sources.

    Read as the pact page reads it (`pacts.signatories`), the pact narrowed to this event: the
    same rows, the same titles.
    """
    attendances = Attendance.objects.select_related("person", "mandate__body").prefetch_related(
        person_mandates_prefetch("person__mandates")
    )
    events = (
        SigningEvent.objects.filter(slug=slug)
        .select_related("commune")
        .prefetch_related(
            Prefetch("attendances", queryset=attendances),
            Prefetch("statements", queryset=Statement.objects.select_related("person")),
        )
    )
    parties = (
        PactParty.objects.filter(signing_event__slug=slug)
        .select_related("body", "signing_event", "mandate__person", "mandate__body")
        .prefetch_related(person_mandates_prefetch("mandate__person__mandates"))
    )
    pact = get_object_or_404(
        Pact.objects.published()
        .select_related("programme")
        .prefetch_related(
            Prefetch("signing_events", queryset=events),
            Prefetch("parties", queryset=parties),
            Prefetch(
                "signing_events",
                queryset=SigningEvent.objects.exclude(slug=slug)
                .select_related("commune")
                .order_by("date", "pk"),
                to_attr="other_signings",
            ),
            Prefetch("sources", queryset=sources_shown()),
        ),
        signing_events__slug=slug,
    )
    (signing,) = pact_signings(pact, pact_signatories(pact))
    return {"pact": pact, "event": signing.event, "signing": signing}

"""Reads behind the pact list, the pact page and the pact export.

Every function starts from `Pact.objects.published()` and prefetches what its page shows, so
the number of queries does not depend on the number of rows.
"""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import QueryDict
from django.shortcuts import get_object_or_404

from pacts.models import (
    Action,
    Attendance,
    Pact,
    PactParty,
    SigningEvent,
    Source,
    Statement,
    Theme,
)
from pacts.signatories import pact_signatories, pact_signings
from people.titles import person_mandates_prefetch
from public.filters.pacts import DEFAULT_SORT, SORTS, PactFilter
from public.selection import Selection, select
from public.selectors.scope import show_ranked, unfiltered
from territories.models import Territory, departement_links_prefetch


def sources_shown():
    """A pact's sources as its pages show them: the document's name and size, not its bytes."""
    return Source.objects.select_related("publisher", "contact").defer("document")


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


def pact_cards(pacts: QuerySet) -> QuerySet:
    """`pacts` with only what a card of a list page shows prefetched
    (`pacts/_pact_items.html`, a row of the API's list): `card_signings` and their commune,
    `card_territories`, `card_parties` and their bodies, `card_themes`. The export and the
    pact page need more (signatories' mandates, départements), which for 20 cards would be
    hundreds of rows read for nothing.

    As lists (`to_attr`): Django gives each row of a prefetch into a related manager a
    queryset of its own, filtered, which for 20 cards cost more than reading their rows.
    """
    return pacts.prefetch_related(None).prefetch_related(
        Prefetch("territories", queryset=Territory.objects.all(), to_attr="card_territories"),
        Prefetch("themes", queryset=Theme.objects.all(), to_attr="card_themes"),
        Prefetch(
            "signing_events",
            queryset=SigningEvent.objects.select_related("commune").order_by("date", "pk"),
            to_attr="card_signings",
        ),
        Prefetch(
            "parties",
            queryset=PactParty.objects.select_related("body"),
            to_attr="card_parties",
        ),
    )


def pact_card_queryset() -> QuerySet:
    """Published pacts as the cards of a page show them (territory, body, search pages)."""
    return pact_cards(pact_list_queryset())


def pact_list(*, filters: QueryDict | dict) -> Selection:
    """Published pacts matching the GET `filters` of `/pactes/`: page and export alike."""
    selection = select(PactFilter, filters, pact_list_queryset())
    order = selection.filterset.form.cleaned_data.get("tri") or DEFAULT_SORT
    show_ranked(
        selection,
        f"pacts:{order}",
        pact_cards(pact_list_queryset()),
        lambda: select(PactFilter, {"tri": order}, pact_list_queryset()).queryset,
        narrowed=not unfiltered(selection, "tri"),
    )
    return selection


def pact_detail(*, slug: str) -> dict:
    """One published pact with everything its page shows (404 for drafts and unknowns): its
    parties as they signed, and its signings with their signatories and attendees."""
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
            Prefetch("sources", queryset=sources_shown()),
        ),
        slug=slug,
    )
    signatories = pact_signatories(pact)
    return {
        "pact": pact,
        "signatories": signatories,
        "signings": pact_signings(pact, signatories),
    }


def source_document(*, pk: int) -> Source:
    """A source of a published pact with a document, its bytes included (404 otherwise)."""
    cited = Pact.objects.published().filter(sources=OuterRef("pk"))
    return get_object_or_404(Source.objects.filter(Exists(cited), document__isnull=False), pk=pk)

"""Reads behind the public pact pages: lists, details, home figures, and their CSV columns.

Every function starts from `Pact.objects.published()` and prefetches what its page shows, so
the number of queries does not depend on the number of rows.
"""

import datetime

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.http import QueryDict
from django.shortcuts import get_object_or_404

from pacts.exports import Column, Exporter, absolute_url
from pacts.filters import (
    DEFAULT_SORT,
    SORTS,
    PactFilter,
    SigningEventFilter,
    involved_bodies,
    involved_people,
)
from pacts.listing import Selection, select
from pacts.models import (
    Action,
    Attendance,
    Pact,
    PactParty,
    PartyRole,
    SigningEvent,
    Source,
    Statement,
)
from people.models import Mandate, Person
from territories.models import (
    Territory,
    departement_links_prefetch,
    territory_departements,
)

# --- Titles as of a date ------------------------------------------------------------------


def person_mandates_prefetch(lookup: str) -> Prefetch:
    """Every mandate of the people at `lookup`, with its body, to compute titles in Python."""
    return Prefetch(lookup, queryset=Mandate.objects.select_related("body"))


def titles_on(person: Person, date: datetime.date | None, first: Mandate | None = None):
    """Titles `person` held on `date` (« Présidente, CA de Chaumont »), `first` leading.

    Reads `person.mandates` as prefetched: no query. Without a date, only `first` is known.
    """
    if date is None:
        return [first.title_with_body] if first else []
    held = [m for m in person.mandates.all() if m.is_active_on(date)]
    first_pk = first.pk if first else None
    held.sort(key=lambda m: (m.pk != first_pk, m.start_date or datetime.date.min))
    return [m.title_with_body for m in held]


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


# --- Pact list ------------------------------------------------------------------------------


def _first_signing_subquery():
    return Subquery(
        SigningEvent.objects.filter(pact=OuterRef("pk")).order_by("date").values("date")[:1]
    )


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
        .annotate(first_signing=_first_signing_subquery())
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


def _signatories(pact: Pact, request) -> list[str]:
    rows = []
    for party in decorate_parties(pact):
        if party.mandate_id:
            titles = " ; ".join(party.signatory_titles)
            rows.append(f"{party.mandate.person.full_name} ({titles}) pour {party.body}")
    return rows


def _territories_with_codes(pact: Pact, request) -> list[str]:
    return [str(t) for t in pact.territories.all()]


def _departements(pact: Pact, request) -> list[str]:
    codes = {}
    for territory in pact.territories.all():
        for dep in territory_departements(territory):
            codes[dep.code] = dep.code
    return sorted(codes)


def _signatory_bodies(pact: Pact) -> list:
    return [x.body for x in pact.parties.all() if x.role == PartyRole.SIGNATORY]


def _body_with_siren(body) -> str:
    return f"{body} (SIREN {body.siren})" if body.siren else str(body)


PACT_EXPORTER = Exporter(
    identifier="pactes",
    columns=(
        Column("identifiant", lambda p, r: p.slug),
        Column("titre", lambda p, r: p.title),
        Column("programme", lambda p, r: p.programme.name),
        Column("programme_sigle", lambda p, r: p.programme.acronym),
        Column("statut", lambda p, r: p.get_status_display()),
        Column("date_signature", lambda p, r: p.first_signing),
        Column(
            "lieux_signature",
            lambda p, r: [
                f"{e.commune.name}" + (f", {e.venue}" if e.venue else "")
                for e in p.signing_events.all()
            ],
        ),
        Column("debut_validite", lambda p, r: p.start_date),
        Column("fin_validite", lambda p, r: p.end_date),
        Column("territoires", _territories_with_codes),
        Column("codes_territoires", lambda p, r: [t.code for t in p.territories.all()]),
        Column("departements", _departements),
        Column(
            "organismes_signataires",
            lambda p, r: [_body_with_siren(b) for b in _signatory_bodies(p)],
        ),
        Column(
            "siren_signataires",
            lambda p, r: [b.siren for b in _signatory_bodies(p)],
        ),
        Column(
            "partenaires_associes",
            lambda p, r: [
                _body_with_siren(x.body) for x in p.parties.all() if x.role == PartyRole.PARTNER
            ],
        ),
        Column("signataires", _signatories),
        Column("themes", lambda p, r: [t.name for t in p.themes.all()]),
        Column("strategies", lambda p, r: [s.acronym for s in p.strategies.all()]),
        Column("resume", lambda p, r: p.summary),
        Column("url", absolute_url),
    ),
)


# --- Signing events ------------------------------------------------------------------------


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


def signing_url(event: SigningEvent, request) -> str:
    return request.build_absolute_uri(event.pact.get_absolute_url() + f"#signature-{event.pk}")


SIGNING_EXPORTER = Exporter(
    identifier="signatures",
    columns=(
        Column("date", lambda e, r: e.date),
        Column("commune", lambda e, r: e.commune.name),
        Column("code_commune", lambda e, r: e.commune.code),
        Column("lieu", lambda e, r: e.venue),
        Column("pacte", lambda e, r: e.pact.title),
        Column("programme", lambda e, r: e.pact.programme.name),
        Column("organismes", lambda e, r: [p.body for p in e.parties.all()]),
        Column(
            "signataires",
            lambda e, r: [
                f"{p.mandate.person.full_name} ({p.mandate.title_with_body})"
                for p in e.parties.all()
                if p.mandate_id
            ],
        ),
        Column("url", signing_url),
    ),
)


# --- Home -----------------------------------------------------------------------------------


def home_figures() -> dict:
    """Key figures of the home page, all counted on published pacts only."""
    published = Pact.objects.published()
    return {
        "pacts": published.count(),
        "signings": SigningEvent.objects.filter(pact__in=published).count(),
        "bodies": involved_bodies().count(),
        "people": involved_people().count(),
        "territories": Territory.objects.filter(pacts__in=published).distinct().count(),
    }


def latest_signings(limit: int = 5) -> list[SigningEvent]:
    return list(signing_list_queryset()[:limit])

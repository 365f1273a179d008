"""Who signed a pact and who attended its signings, with the titles they held that day.

A page and an export show the titles held on the signing date, not today's: « Président de la
CA de Chaumont » when he signed, whatever he is now. Everything is read from prefetched rows
(`people.titles.person_mandates_prefetch`), so no query runs here.
"""

import datetime
from dataclasses import dataclass

from pacts.models import Attendance, Pact, PactParty, SigningEvent
from people.titles import titles_on


@dataclass(frozen=True)
class Signatory:
    """A party to a pact, the date it signed and its signatory's titles on that date."""

    party: PactParty
    signed_on: datetime.date | None
    titles: list[str]


@dataclass(frozen=True)
class Attendee:
    """Someone present at a signing, with the titles held on its date."""

    attendance: Attendance
    titles: list[str]


@dataclass(frozen=True)
class Signing:
    """A signing event with the parties that signed at it and the people present."""

    event: SigningEvent
    signatories: list[Signatory]
    attendees: list[Attendee]


def party_signing_date(party: PactParty, pact: Pact) -> datetime.date | None:
    """The date of the party's own signing, else the pact's first (`with_first_signing`)."""
    return party.signing_event.date if party.signing_event_id else pact.first_signing


def pact_signatories(pact: Pact) -> list[Signatory]:
    """Each party of `pact`, in order, with its signing date and its signatory's titles."""
    rows = []
    for party in pact.parties.all():
        signed_on = party_signing_date(party, pact)
        titles = (
            titles_on(party.mandate.person, signed_on, first=party.mandate)
            if party.mandate_id
            else []
        )
        rows.append(Signatory(party=party, signed_on=signed_on, titles=titles))
    return rows


def pact_signings(pact: Pact, signatories: list[Signatory]) -> list[Signing]:
    """Each signing event of `pact`, with those of `signatories` who signed at it and the
    attendees' titles on its date."""
    return [
        Signing(
            event=event,
            signatories=[s for s in signatories if s.party.signing_event_id == event.pk],
            attendees=[
                Attendee(
                    attendance=attendance,
                    titles=titles_on(attendance.person, event.date, first=attendance.mandate),
                )
                for attendance in event.attendances.all()
            ],
        )
        for event in pact.signing_events.all()
    ]

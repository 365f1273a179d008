"""Bulk generator of published pacts, shared by the benchmarks (`bench_public.py`, `load.py`).

Import it once Django is set up. `seed()` creates what every pact refers to (the
département, the Région and its president, the programme); `generate()` then adds pacts
number start..stop-1 with bulk inserts, fast enough for thousands of pacts.
"""

import datetime

from pacts.models import Attendance, Pact, PactParty, Programme, SigningEvent
from people.models import Mandate, Person
from territories.models import Body, BodyKind, Territory, TerritoryKind
from territories.services import containment_rebuild


def seed() -> dict:
    """The département, Région (with its president) and programme shared by every pact."""
    dep = Territory.objects.create(kind=TerritoryKind.DEPARTEMENT, code="52", name="Haute-Marne")
    region = Body.objects.create(kind=BodyKind.REGION, name="Région Grand Est")
    Mandate.objects.create(
        person=Person.objects.create(first_name="Jean", last_name="Rottner", gender="M"),
        body=region,
        function="president",
        start_date=datetime.date(2016, 1, 4),
    )
    programme = Programme.objects.create(name="Pacte Offensive Croissance Emploi", acronym="POCE")
    return {"dep": dep, "region": region, "programme": programme}


def generate(start: int, stop: int, *, dep: Territory, region: Body, programme: Programme):
    """Pacts number start..stop-1, each on its own EPCI and commune, with three parties."""
    n_range = range(start, stop)
    epcis = Territory.objects.bulk_create(
        Territory(
            kind=TerritoryKind.CC,
            code="",
            name=f"CC {n}",
            slug=f"cc-{n}",
        ).with_search_text()
        for n in n_range
    )
    communes = Territory.objects.bulk_create(
        Territory(
            kind=TerritoryKind.COMMUNE,
            code=str(52000 + n),
            name=f"Commune {n}",
            slug=f"commune-{n}",
        ).with_search_text()
        for n in n_range
    )
    # Real parents, then the derived closure, exactly as imports and the admin build them.
    parent_link = Territory.parents.through
    links = []
    for epci, commune in zip(epcis, communes, strict=True):
        links += [
            parent_link(from_territory=epci, to_territory=dep),
            parent_link(from_territory=commune, to_territory=dep),
            parent_link(from_territory=commune, to_territory=epci),
        ]
    parent_link.objects.bulk_create(links)
    containment_rebuild([t.pk for t in (*epcis, *communes)])
    bodies = Body.objects.bulk_create(
        Body(
            kind=BodyKind.EPCI,
            name=f"Communauté {n}",
            slug=f"communaute-{n}",
        ).with_search_text()
        for n in n_range
    )
    people = Person.objects.bulk_create(
        Person(
            first_name=f"Prénom{n}",
            last_name=f"Nom{n}",
            slug=f"personne-{n}",
            gender="F",
        ).with_search_text()
        for n in n_range
    )
    start_date = datetime.date(2017, 1, 1)
    mandates = Mandate.objects.bulk_create(
        Mandate(person=p, body=b, function="president", start_date=start_date)
        for p, b in zip(people, bodies, strict=True)
    )
    Mandate.objects.bulk_create(
        Mandate(person=p, body=region, function="conseiller", start_date=start_date) for p in people
    )
    pacts = Pact.objects.bulk_create(
        Pact(
            programme=programme,
            title=f"Pacte {n:05d}",
            slug=f"pacte-{n}",
            status="signe",
            summary="Actions structurantes pour l'emploi.",
            published=True,
        ).with_search_text()
        for n in n_range
    )
    Pact.territories.through.objects.bulk_create(
        Pact.territories.through(pact=p, territory=t) for p, t in zip(pacts, epcis, strict=True)
    )
    events = SigningEvent.objects.bulk_create(
        SigningEvent(
            pact=p,
            date=datetime.date(2019, 1, 1) + datetime.timedelta(days=i % 700),
            commune=c,
            venue="Salle des fêtes",
            # bulk_create skips save(), which names an event; one per pact number is unique.
            slug=f"signature-{p.slug}",
        ).with_search_text()
        for i, (p, c) in enumerate(zip(pacts, communes, strict=True))
    )
    president = Mandate.objects.get(body=region, function="president")
    parties = []
    for pact, event, body, mandate in zip(pacts, events, bodies, mandates, strict=True):
        parties += [
            PactParty(
                pact=pact,
                body=region,
                role="signataire",
                mandate=president,
                signing_event=event,
                order=0,
            ),
            PactParty(
                pact=pact,
                body=body,
                role="signataire",
                mandate=mandate,
                signing_event=event,
                order=1,
            ),
        ]
    PactParty.objects.bulk_create(parties)
    Attendance.objects.bulk_create(
        Attendance(event=e, person=p) for e, p in zip(events, people, strict=True)
    )

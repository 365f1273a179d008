"""The public CSV exports as they were first written: Python columns over model objects and
their prefetches. The exports built by the database (`public/exporters.py`) must give these
files byte for byte; the tests compare the two on the same querysets."""

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from pacts.models import Pact, PartyRole
from pacts.signatories import pact_signatories
from people.models import Mandate
from public.csv_format import BOM, format_cell
from territories.models import territory_departements


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any, HttpRequest], Any]


@dataclass(frozen=True)
class Exporter:
    identifier: str
    columns: tuple[Column, ...]


def absolute_url(obj, request: HttpRequest) -> str:
    return request.build_absolute_uri(obj.get_absolute_url())


class _Echo:
    def write(self, value: str) -> str:
        return value


def reference_csv(exporter: Exporter, objects: Iterable, request: HttpRequest) -> str:
    """The file the first exports wrote for `objects` (model instances with prefetches)."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    lines = [BOM + writer.writerow([c.header for c in exporter.columns])]
    for obj in objects:
        lines.append(
            writer.writerow([format_cell(c.value(obj, request)) for c in exporter.columns])
        )
    return "".join(lines)


def _signatories(pact: Pact, request) -> list[str]:
    rows = []
    for signatory in pact_signatories(pact):
        party = signatory.party
        if party.mandate_id:
            titles = " ; ".join(signatory.titles)
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
        Column("url", absolute_url),
    ),
)


TERRITORY_EXPORTER = Exporter(
    identifier="territoires",
    columns=(
        Column("identifiant", lambda t, r: t.slug),
        Column("nom", lambda t, r: t.name),
        Column("type", lambda t, r: t.get_kind_display()),
        Column("code", lambda t, r: t.code),
        Column("contenu_dans", lambda t, r: [str(p) for p in t.parents.all()]),
        Column("departements", lambda t, r: [d.code for d in territory_departements(t)]),
        Column("obsolete", lambda t, r: t.is_obsolete),
        Column("url", absolute_url),
    ),
)


BODY_EXPORTER = Exporter(
    identifier="organismes",
    columns=(
        Column("identifiant", lambda b, r: b.slug),
        Column("nom", lambda b, r: b.name),
        Column("nom_court", lambda b, r: b.short_name),
        Column("type", lambda b, r: b.get_kind_display()),
        Column("siren", lambda b, r: b.siren),
        Column("territoire", lambda b, r: b.territory.name if b.territory else ""),
        Column("code_territoire", lambda b, r: b.territory.code if b.territory else ""),
        Column("pactes_publies", lambda b, r: b.published_pacts),
        Column("site_internet", lambda b, r: b.website),
        Column("url", absolute_url),
    ),
)


def _mandate_line(mandate: Mandate) -> str:
    start = mandate.start_date.isoformat() if mandate.start_date else "?"
    end = mandate.end_date.isoformat() if mandate.end_date else ""
    return f"{mandate.title_with_body} ({start} → {end})"


PERSON_EXPORTER = Exporter(
    identifier="personnes",
    columns=(
        Column("identifiant", lambda p, r: p.slug),
        Column("prenom", lambda p, r: p.first_name),
        Column("nom", lambda p, r: p.last_name),
        Column("titres_actuels", lambda p, r: [m.title_with_body for m in p.current_mandates]),
        Column("mandats", lambda p, r: [_mandate_line(m) for m in p.mandates.all()]),
        Column("url", absolute_url),
    ),
)

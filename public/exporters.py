"""The columns of every public CSV export (docs/architecture.md, « CSV »).

Each column is computed by the database over the list's own filtered queryset: one query
returns one finished row per line, several values joined with ` | ` by `core.db.joined`, so
an export of all of France costs what the database takes to read it. The text rules
(`str(territory)`, `str(body)`, a person's name, a mandate's title) are their models' own,
written as expressions beside them.
"""

from django.db.models import (
    Case,
    F,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat

from core.db import joined
from pacts.models import PactParty, PactStatus, PartyRole, SigningEvent, Strategy, Theme
from people.models import Mandate
from people.titles import full_name, mandate_title_with_body
from public.csv_format import MULTI_SEPARATOR, Column, Exporter, absolute_url, choice_label
from territories.models import (
    BodyKind,
    Territory,
    TerritoryKind,
    body_label,
    territory_label,
)

# Titles held at once, inside one signatory's parentheses.
TITLE_SEPARATOR = " ; "


def _text(*parts) -> Concat:
    return Concat(*parts, output_field=TextField())


def _joined(values, value, *ordering, separator: str = MULTI_SEPARATOR):
    """`value` over the rows of `values` in `ordering`, joined, empty values left out."""
    rows = values.annotate(cell=value).exclude(cell="").order_by(*ordering).values("cell")
    return joined(rows, separator)


def _with_siren(path: str):
    """« CA de Chaumont (SIREN 200068658) », or the bare label without a SIREN."""
    return Case(
        When(**{f"{path}siren": ""}, then=body_label(path)),
        default=_text(body_label(path), Value(" (SIREN "), F(f"{path}siren"), Value(")")),
        output_field=TextField(),
    )


def _pact_parties(role: str):
    return PactParty.objects.filter(pact=OuterRef("pk"), role=role)


def _pact_departements():
    """The départements among a pact's territories or containing one, by code."""
    territories = Territory.objects.filter(pacts=OuterRef(OuterRef("pk")))
    ancestors = territories.values("ancestor_links__ancestor")
    departements = Territory.objects.filter(kind=TerritoryKind.DEPARTEMENT).filter(
        Q(pk__in=territories.values("pk")) | Q(pk__in=ancestors)
    )
    return _joined(departements, F("code"), "code")


def _titles_on_signing():
    """A party's signatory's titles on the day it signed (`pacts.signatories`): the
    mandate it signed under first, then the others held that day, oldest first."""
    held = Mandate.objects.filter(person=OuterRef("mandate__person")).filter(
        Q(start_date__isnull=True) | Q(start_date__lte=OuterRef("signed_on")),
        Q(end_date__isnull=True) | Q(end_date__gte=OuterRef("signed_on")),
    )
    cited_first = Case(When(pk=OuterRef("mandate_id"), then=Value(0)), default=Value(1))
    titles = (
        held.annotate(cited_first=cited_first, cell=mandate_title_with_body())
        .order_by("cited_first", F("start_date").asc(nulls_first=True), "pk")
        .values("cell")
    )
    return Case(
        When(signed_on__isnull=True, then=mandate_title_with_body("mandate__")),
        default=joined(titles, TITLE_SEPARATOR),
        output_field=TextField(),
    )


def _pact_signatories():
    """« Christine Guillemy (Présidente, CA de Chaumont) pour CA de Chaumont » per party."""
    first_signing = SigningEvent.objects.filter(pact=OuterRef("pact")).order_by("date")
    parties = (
        PactParty.objects.filter(pact=OuterRef("pk"), mandate__isnull=False)
        .annotate(
            signed_on=Coalesce(F("signing_event__date"), Subquery(first_signing.values("date")[:1]))
        )
        .annotate(
            cell=_text(
                full_name("mandate__person__"),
                Value(" ("),
                _titles_on_signing(),
                Value(") pour "),
                body_label("body__"),
            )
        )
        .order_by("order", "pk")
        .values("cell")
    )
    return joined(parties, MULTI_SEPARATOR)


def _signing_places():
    venue = Case(
        When(venue="", then=Value("")),
        default=_text(Value(", "), F("venue")),
        output_field=TextField(),
    )
    events = SigningEvent.objects.filter(pact=OuterRef("pk"))
    return _joined(events, _text(F("commune__name"), venue), "date", "pk")


def _pact_territories(value):
    return _joined(Territory.objects.filter(pacts=OuterRef("pk")), value, "name", "code")


PACT_EXPORTER = Exporter(
    identifier="pactes",
    # Each row reads its territories, parties, signatories' titles on the day…: ~0.1 s per
    # 250 rows on the national data, alone on the machine (bench/bench_national.py).
    batch_size=250,
    columns=(
        Column("identifiant", "slug"),
        Column("titre", "title"),
        Column("programme", "programme__name"),
        Column("programme_sigle", "programme__acronym"),
        Column("statut", "status", choice_label(PactStatus.choices)),
        Column("date_signature", "first_signing"),
        Column("lieux_signature", _signing_places()),
        Column("debut_validite", "start_date"),
        Column("fin_validite", "end_date"),
        Column("territoires", _pact_territories(territory_label())),
        Column("codes_territoires", _pact_territories(F("code"))),
        Column("departements", _pact_departements()),
        Column(
            "organismes_signataires",
            _joined(_pact_parties(PartyRole.SIGNATORY), _with_siren("body__"), "order", "pk"),
        ),
        Column(
            "siren_signataires",
            _joined(_pact_parties(PartyRole.SIGNATORY), F("body__siren"), "order", "pk"),
        ),
        Column(
            "partenaires_associes",
            _joined(_pact_parties(PartyRole.PARTNER), _with_siren("body__"), "order", "pk"),
        ),
        Column("signataires", _pact_signatories()),
        Column("themes", _joined(Theme.objects.filter(pacts=OuterRef("pk")), F("name"), "name")),
        Column(
            "strategies",
            _joined(Strategy.objects.filter(pacts=OuterRef("pk")), F("acronym"), "acronym"),
        ),
        Column("resume", "summary"),
        Column("url", "slug", absolute_url("pacts:detail")),
    ),
)


def _event_parties():
    return PactParty.objects.filter(signing_event=OuterRef("pk"))


SIGNING_EXPORTER = Exporter(
    identifier="signatures",
    batch_size=500,
    columns=(
        Column("date", "date"),
        Column("commune", "commune__name"),
        Column("code_commune", "commune__code"),
        Column("lieu", "venue"),
        Column("pacte", "pact__title"),
        Column("programme", "pact__programme__name"),
        Column("organismes", _joined(_event_parties(), body_label("body__"), "order", "pk")),
        Column(
            "signataires",
            _joined(
                _event_parties().filter(mandate__isnull=False),
                _text(
                    full_name("mandate__person__"),
                    Value(" ("),
                    mandate_title_with_body("mandate__"),
                    Value(")"),
                ),
                "order",
                "pk",
            ),
        ),
        Column("url", "slug", absolute_url("pacts:signing")),
    ),
)


def _territory_departements():
    """The département itself, or the départements containing the territory, by code."""
    ancestors = Territory.objects.filter(
        kind=TerritoryKind.DEPARTEMENT, descendant_links__territory=OuterRef("pk")
    )
    return Case(
        When(kind=TerritoryKind.DEPARTEMENT, then=F("code")),
        default=_joined(ancestors, F("code"), "code"),
        output_field=TextField(),
    )


TERRITORY_EXPORTER = Exporter(
    identifier="territoires",
    columns=(
        Column("identifiant", "slug"),
        Column("nom", "name"),
        Column("type", "kind", choice_label(TerritoryKind.choices)),
        Column("code", "code"),
        Column(
            "contenu_dans",
            _joined(
                Territory.objects.filter(children=OuterRef("pk")), territory_label(), "name", "code"
            ),
        ),
        Column("departements", _territory_departements()),
        Column("obsolete", "is_obsolete"),
        Column("url", "slug", absolute_url("territories:detail")),
    ),
)


BODY_EXPORTER = Exporter(
    identifier="organismes",
    columns=(
        Column("identifiant", "slug"),
        Column("nom", "name"),
        Column("nom_court", "short_name"),
        Column("type", "kind", choice_label(BodyKind.choices)),
        Column("siren", "siren"),
        Column("territoire", Coalesce(F("territory__name"), Value(""))),
        Column("code_territoire", Coalesce(F("territory__code"), Value(""))),
        Column("pactes_publies", "published_pacts"),
        Column("site_internet", "website"),
        Column("url", "slug", absolute_url("territories:body_detail")),
    ),
)


def _mandate_lines(mandates):
    """« Maire, Chaumont (2020-07-03 → ) » per mandate, latest first."""
    start = Coalesce(Cast("start_date", TextField()), Value("?"), output_field=TextField())
    end = Coalesce(Cast("end_date", TextField()), Value(""), output_field=TextField())
    line = _text(mandate_title_with_body(), Value(" ("), start, Value(" → "), end, Value(")"))
    return _joined(mandates, line, "-start_date", "pk")


PERSON_EXPORTER = Exporter(
    identifier="personnes",
    columns=(
        Column("identifiant", "slug"),
        Column("prenom", "first_name"),
        Column("nom", "last_name"),
        Column(
            "titres_actuels",
            _joined(
                Mandate.objects.current().filter(person=OuterRef("pk")),
                mandate_title_with_body(),
                "-start_date",
                "pk",
            ),
        ),
        Column("mandats", _mandate_lines(Mandate.objects.filter(person=OuterRef("pk")))),
        Column("url", "slug", absolute_url("people:detail")),
    ),
)

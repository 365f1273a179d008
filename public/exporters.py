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
from public.schemas import COMMUNE_CODE, DEPARTEMENT_CODE, SIREN, SLUG, TERRITORY_CODE
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


URL_COLUMN = {
    "format": "uri",
    "required": True,
    "unique": True,
}
SLUG_COLUMN = {
    "title": "Identifiant",
    "pattern": SLUG,
    "required": True,
    "unique": True,
}
SIREN_MAPS_TO = "`siren` (9 chiffres, par exemple `siren_amenageur` du schéma IRVE)"


PACT_EXPORTER = Exporter(
    identifier="pactes",
    title="Pactes publiés",
    description=(
        "Les pactes publiés par la Région Grand Est avec ses territoires : programme, statut, "
        "signature, territoires concernés, organismes signataires et leurs signataires."
    ),
    # Each row reads its territories, parties, signatories' titles on the day…: ~70 ms per
    # 1,000 rows on the national data, alone on the machine (bench/bench_national.py); each
    # statement also costs its planning, which smaller batches paid several times per file.
    batch_size=1000,
    columns=(
        Column(
            "identifiant",
            "slug",
            **SLUG_COLUMN,
            description="Identifiant stable du pacte, celui de son adresse sur le site.",
        ),
        Column("titre", "title", title="Titre", description="Titre du pacte.", required=True),
        Column(
            "programme",
            "programme__name",
            title="Programme",
            description="Programme dont relève le pacte (Pacte Offensive Croissance Emploi…).",
            required=True,
        ),
        Column(
            "programme_sigle",
            "programme__acronym",
            title="Sigle du programme",
            description="Sigle du programme (POCE, CRTE…), vide s'il n'en a pas.",
        ),
        Column(
            "statut",
            "status",
            choice_label(PactStatus.choices),
            title="Statut",
            description="État du pacte.",
            enum=tuple(str(label) for _, label in PactStatus.choices),
            required=True,
        ),
        Column(
            "date_signature",
            "first_signing",
            title="Date de signature",
            description="Date de la première signature du pacte (AAAA-MM-JJ), vide s'il n'est "
            "pas encore signé.",
            type="date",
        ),
        Column(
            "lieux_signature",
            _signing_places(),
            title="Lieux de signature",
            description="Commune et lieu de chaque signature, de la plus ancienne à la plus "
            "récente.",
            multiple=True,
        ),
        Column(
            "debut_validite",
            "start_date",
            title="Début de validité",
            description="Premier jour de validité du pacte (AAAA-MM-JJ).",
            type="date",
        ),
        Column(
            "fin_validite",
            "end_date",
            title="Fin de validité",
            description="Dernier jour de validité du pacte (AAAA-MM-JJ).",
            type="date",
        ),
        Column(
            "territoires",
            _pact_territories(territory_label()),
            title="Territoires",
            description="Territoires couverts par le pacte, chacun avec son code officiel.",
            multiple=True,
        ),
        Column(
            "codes_territoires",
            _pact_territories(F("code")),
            title="Codes des territoires",
            description="Code officiel de chaque territoire couvert : code INSEE d'une région, "
            "d'un département ou d'une commune, SIREN d'une intercommunalité ou d'un PETR.",
            pattern=TERRITORY_CODE,
            multiple=True,
            example="200068658 | 52121",
        ),
        Column(
            "departements",
            _pact_departements(),
            title="Départements",
            description="Code INSEE des départements couverts par le pacte ou contenant l'un "
            "de ses territoires.",
            pattern=DEPARTEMENT_CODE,
            multiple=True,
            maps_to="`code_departement`",
        ),
        Column(
            "organismes_signataires",
            _joined(_pact_parties(PartyRole.SIGNATORY), _with_siren("body__"), "order", "pk"),
            title="Organismes signataires",
            description="Organismes parties au pacte comme signataires, avec leur SIREN "
            "quand il est connu.",
            multiple=True,
        ),
        Column(
            "siren_signataires",
            _joined(_pact_parties(PartyRole.SIGNATORY), F("body__siren"), "order", "pk"),
            title="SIREN des signataires",
            description="SIREN des organismes signataires qui en ont un, dans le même ordre.",
            pattern=SIREN,
            multiple=True,
            maps_to=SIREN_MAPS_TO,
            example="200068658 | 200070415",
        ),
        Column(
            "partenaires_associes",
            _joined(_pact_parties(PartyRole.PARTNER), _with_siren("body__"), "order", "pk"),
            title="Partenaires associés",
            description="Organismes associés au pacte sans le signer, avec leur SIREN quand il "
            "est connu.",
            multiple=True,
        ),
        Column(
            "signataires",
            _pact_signatories(),
            title="Signataires",
            description="Chaque personne qui a signé, avec les fonctions qu'elle occupait le "
            "jour de la signature, et l'organisme pour lequel elle a signé.",
            multiple=True,
        ),
        Column(
            "themes",
            _joined(Theme.objects.filter(pacts=OuterRef("pk")), F("name"), "name"),
            title="Thèmes",
            description="Thèmes du pacte.",
            multiple=True,
        ),
        Column(
            "strategies",
            _joined(Strategy.objects.filter(pacts=OuterRef("pk")), F("acronym"), "acronym"),
            title="Stratégies régionales",
            description="Sigles des stratégies régionales que le pacte décline (SRDEII, SRADDET…).",
            multiple=True,
        ),
        Column("resume", "summary", title="Résumé", description="Résumé du pacte."),
        Column(
            "url",
            "slug",
            absolute_url("pacts:detail"),
            **URL_COLUMN,
            title="Adresse",
            description="Adresse de la page du pacte sur le site.",
        ),
    ),
)


def _event_parties():
    return PactParty.objects.filter(signing_event=OuterRef("pk"))


SIGNING_EXPORTER = Exporter(
    identifier="signatures",
    title="Signatures de pactes",
    description=(
        "Les cérémonies de signature des pactes publiés : date, commune, lieu, pacte, "
        "organismes qui y ont signé et leurs signataires."
    ),
    batch_size=1000,
    columns=(
        Column(
            "date",
            "date",
            title="Date",
            description="Date de la signature (AAAA-MM-JJ).",
            type="date",
            example="2019-01-15",
            required=True,
        ),
        Column(
            "commune",
            "commune__name",
            title="Commune",
            description="Commune où le pacte a été signé.",
            required=True,
        ),
        Column(
            "code_commune",
            "commune__code",
            title="Code INSEE de la commune",
            description="Code officiel géographique de la commune de signature.",
            pattern=COMMUNE_CODE,
            maps_to="`code_insee_commune` (schéma IRVE notamment)",
            example="52121",
        ),
        Column("lieu", "venue", title="Lieu", description="Lieu de la cérémonie."),
        Column(
            "pacte",
            "pact__title",
            title="Pacte",
            description="Titre du pacte signé.",
            required=True,
        ),
        Column(
            "programme",
            "pact__programme__name",
            title="Programme",
            description="Programme dont relève le pacte.",
            required=True,
        ),
        Column(
            "organismes",
            _joined(_event_parties(), body_label("body__"), "order", "pk"),
            title="Organismes",
            description="Organismes qui ont signé le pacte lors de cette cérémonie.",
            multiple=True,
        ),
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
            title="Signataires",
            description="Personnes qui ont signé lors de cette cérémonie, avec la fonction au "
            "titre de laquelle chacune a signé.",
            multiple=True,
        ),
        Column(
            "url",
            "slug",
            absolute_url("pacts:signing"),
            **URL_COLUMN,
            title="Adresse",
            description="Adresse de la page de la signature sur le site.",
        ),
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
    title="Territoires",
    description=(
        "Les territoires du référentiel (régions, départements, communes, intercommunalités, "
        "PETR) avec leur code officiel et ce qui les contient."
    ),
    columns=(
        Column(
            "identifiant",
            "slug",
            **SLUG_COLUMN,
            description="Identifiant stable du territoire, celui de son adresse sur le site.",
        ),
        Column(
            "nom", "name", title="Nom", description="Nom officiel du territoire.", required=True
        ),
        Column(
            "type",
            "kind",
            choice_label(TerritoryKind.choices),
            title="Type",
            description="Nature du territoire.",
            enum=tuple(str(label) for _, label in TerritoryKind.choices),
            required=True,
        ),
        Column(
            "code",
            "code",
            title="Code officiel",
            description="Code INSEE d'une région, d'un département, d'une commune ou d'un "
            "arrondissement municipal, SIREN d'une intercommunalité ou d'un PETR ; vide s'il "
            "n'est pas connu.",
            pattern=TERRITORY_CODE,
            maps_to="`code_insee_commune` pour une commune, `siren` pour une intercommunalité",
        ),
        Column(
            "contenu_dans",
            _joined(
                Territory.objects.filter(children=OuterRef("pk")), territory_label(), "name", "code"
            ),
            title="Contenu dans",
            description="Territoires qui contiennent directement celui-ci (département et "
            "intercommunalité d'une commune…).",
            multiple=True,
        ),
        Column(
            "departements",
            _territory_departements(),
            title="Départements",
            description="Code INSEE du département lui-même, ou des départements qui "
            "contiennent le territoire.",
            pattern=DEPARTEMENT_CODE,
            multiple=True,
            maps_to="`code_departement`",
        ),
        Column(
            "obsolete",
            "is_obsolete",
            title="Obsolète",
            description="« oui » pour un territoire qui n'existe plus (commune fusionnée…).",
            type="boolean",
            required=True,
        ),
        Column(
            "url",
            "slug",
            absolute_url("territories:detail"),
            **URL_COLUMN,
            title="Adresse",
            description="Adresse de la page du territoire sur le site.",
        ),
    ),
)


BODY_EXPORTER = Exporter(
    identifier="organismes",
    title="Organismes",
    description=(
        "Les organismes qui signent, accueillent ou emploient (la Région, les "
        "intercommunalités, les communes…), par défaut ceux qui sont parties à un pacte publié."
    ),
    columns=(
        Column(
            "identifiant",
            "slug",
            **SLUG_COLUMN,
            description="Identifiant stable de l'organisme, celui de son adresse sur le site.",
        ),
        Column("nom", "name", title="Nom", description="Nom de l'organisme.", required=True),
        Column(
            "nom_court",
            "short_name",
            title="Nom court",
            description="Nom d'usage abrégé, vide s'il n'en a pas.",
        ),
        Column(
            "type",
            "kind",
            choice_label(BodyKind.choices),
            title="Type",
            description="Nature de l'organisme.",
            enum=tuple(str(label) for _, label in BodyKind.choices),
            required=True,
        ),
        Column(
            "siren",
            "siren",
            title="SIREN",
            description="Numéro SIREN de l'organisme, vide s'il n'est pas connu.",
            pattern=SIREN,
            maps_to=SIREN_MAPS_TO,
            example="200068658",
        ),
        Column(
            "territoire",
            Coalesce(F("territory__name"), Value("")),
            title="Territoire",
            description="Territoire que l'organisme administre, s'il en a un.",
        ),
        Column(
            "code_territoire",
            Coalesce(F("territory__code"), Value("")),
            title="Code du territoire",
            description="Code officiel de ce territoire (INSEE ou SIREN).",
            pattern=TERRITORY_CODE,
        ),
        Column(
            "pactes_publies",
            "published_pacts",
            title="Pactes publiés",
            description="Nombre de pactes publiés auxquels l'organisme est partie.",
            type="integer",
            required=True,
        ),
        Column(
            "site_internet",
            "website",
            title="Site internet",
            description="Adresse du site internet de l'organisme.",
        ),
        Column(
            "url",
            "slug",
            absolute_url("territories:body_detail"),
            **URL_COLUMN,
            title="Adresse",
            description="Adresse de la page de l'organisme sur le site.",
        ),
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
    title="Personnes",
    description=(
        "Les élus et agents, par défaut ceux qui ont signé un pacte publié ou assisté à sa "
        "signature, avec leurs fonctions. Aucune date de naissance n'est publiée."
    ),
    columns=(
        Column(
            "identifiant",
            "slug",
            **SLUG_COLUMN,
            description="Identifiant stable de la personne, celui de son adresse sur le site.",
        ),
        Column("prenom", "first_name", title="Prénom", description="Prénom."),
        Column("nom", "last_name", title="Nom", description="Nom de famille.", required=True),
        Column(
            "titres_actuels",
            _joined(
                Mandate.objects.current().filter(person=OuterRef("pk")),
                mandate_title_with_body(),
                "-start_date",
                "pk",
            ),
            title="Fonctions actuelles",
            description="Fonctions occupées à la date du fichier, avec leur organisme, la plus "
            "récente d'abord.",
            multiple=True,
        ),
        Column(
            "mandats",
            _mandate_lines(Mandate.objects.filter(person=OuterRef("pk"))),
            title="Mandats",
            description="Chaque fonction, avec son organisme, sa date de début (« ? » si elle "
            "est inconnue) et sa date de fin (vide tant qu'elle dure), la plus récente d'abord.",
            multiple=True,
        ),
        Column(
            "url",
            "slug",
            absolute_url("people:detail"),
            **URL_COLUMN,
            title="Adresse",
            description="Adresse de la page de la personne sur le site.",
        ),
    ),
)

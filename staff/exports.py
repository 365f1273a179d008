"""The admin's exports: each list as the public export shows it, drafts included, plus what
only staff see (docs/architecture.md, « Tableurs de l'équipe »).

The columns the public export has are taken from it (`public.exporters`), so a column means
the same in both files; the staff columns are added after them: published or not, pending
changes, and who created and last changed the row, when (from django-simple-history).
"""

from django.db.models import Count, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse

from core.db import joined
from pacts.models import Pact, PactParty, ProposalStatus, ProposedChange, SigningEvent
from people.models import Function, Mandate, Person
from people.titles import full_name, mandate_title_with_body
from public.csv_format import (
    MULTI_SEPARATOR,
    Column,
    Exporter,
    choice_label,
    csv_response,
)
from public.exporters import (
    BODY_EXPORTER,
    PACT_EXPORTER,
    PERSON_EXPORTER,
    SIGNING_EXPORTER,
)
from public.xlsx import xlsx_response
from territories.models import Body, body_label


def _count(rows: QuerySet, key: str):
    """How many of `rows` (correlated to the outer row through `key`), 0 for none."""
    counted = rows.order_by().values(key).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), 0)


def _history_columns(model) -> tuple[Column, ...]:
    """Who created the row and when, who last changed it and when: its first and latest
    history records, read by primary key (the history's `id` column is indexed)."""
    records = model.history.model.objects.filter(id=OuterRef("pk"))
    first = records.order_by("history_date", "history_id")
    latest = records.order_by("-history_date", "-history_id")

    def by(ordered):
        return Coalesce(Subquery(ordered.values("history_user__username")[:1]), Value(""))

    return (
        Column(
            "cree_le",
            Subquery(first.values("history_date")[:1]),
            title="Créé le",
            description="Date et heure de création de la fiche.",
            type="datetime",
        ),
        Column("cree_par", by(first), title="Créé par", description="Compte qui a créé la fiche."),
        Column(
            "modifie_le",
            Subquery(latest.values("history_date")[:1]),
            title="Modifié le",
            description="Date et heure de la dernière modification.",
            type="datetime",
        ),
        Column(
            "modifie_par",
            by(latest),
            title="Modifié par",
            description="Compte de la dernière modification.",
        ),
    )


def _public_columns(exporter: Exporter, *, without: tuple[str, ...] = ()) -> tuple[Column, ...]:
    return tuple(c for c in exporter.columns if c.header not in without)


PACT_STAFF_EXPORTER = Exporter(
    identifier="admin-pactes",
    title="Pactes (équipe)",
    description="Tous les pactes, brouillons compris, avec les colonnes de l'équipe.",
    columns=(
        *_public_columns(PACT_EXPORTER),
        Column(
            "publie",
            "published",
            title="Publié",
            description="Le pacte est publié.",
            type="boolean",
        ),
        Column(
            "modifications_en_attente",
            _count(
                ProposedChange.objects.filter(pact=OuterRef("pk"), status=ProposalStatus.PENDING),
                "pact",
            ),
            title="Modifications en attente",
            description="Nombre de modifications proposées qui attendent une relecture.",
            type="integer",
        ),
        *_history_columns(Pact),
    ),
)

SIGNING_STAFF_EXPORTER = Exporter(
    identifier="admin-signatures",
    title="Signatures (équipe)",
    description="Toutes les signatures, y compris celles des pactes non publiés.",
    columns=(
        *_public_columns(SIGNING_EXPORTER),
        Column(
            "pacte_publie",
            "pact__published",
            title="Pacte publié",
            description="Le pacte de cette signature est publié.",
            type="boolean",
        ),
        *_history_columns(SigningEvent),
    ),
)

# The public count is of published pacts only, from the public list's own annotation: here
# every pact the body is party to counts, drafts included.
BODY_STAFF_EXPORTER = Exporter(
    identifier="admin-organismes",
    title="Organismes (équipe)",
    description="Les organismes, avec tous leurs pactes, brouillons compris.",
    columns=(
        *_public_columns(BODY_EXPORTER, without=("pactes_publies",)),
        Column(
            "pactes",
            _count(PactParty.objects.filter(body=OuterRef("pk")), "body"),
            title="Pactes",
            description="Nombre de pactes dont l'organisme est partie, brouillons compris.",
            type="integer",
        ),
        *_history_columns(Body),
    ),
)

PERSON_STAFF_EXPORTER = Exporter(
    identifier="admin-personnes",
    title="Personnes (équipe)",
    description="Les personnes, avec les colonnes de l'équipe.",
    columns=(*_public_columns(PERSON_EXPORTER), *_history_columns(Person)),
)

# Mandates have no public list: their columns are the admin's own.
MANDATE_STAFF_EXPORTER = Exporter(
    identifier="admin-mandats",
    title="Mandats (équipe)",
    description="Les mandats des personnes, tels que l'administration les liste.",
    columns=(
        Column(
            "personne", full_name("person__"), title="Personne", description="Titulaire du mandat."
        ),
        Column(
            "organisme", body_label("body__"), title="Organisme", description="Organisme du mandat."
        ),
        Column(
            "siren_organisme",
            "body__siren",
            title="SIREN de l'organisme",
            description="SIREN de l'organisme.",
        ),
        Column(
            "fonction",
            "function",
            choice_label(Function.choices),
            title="Fonction",
            description="Fonction exercée.",
        ),
        Column(
            "intitule", "label", title="Intitulé", description="Intitulé particulier du mandat."
        ),
        Column(
            "titre",
            mandate_title_with_body(),
            title="Titre",
            description="Titre tel que les pages l'écrivent.",
        ),
        Column("debut", "start_date", title="Début", description="Début du mandat.", type="date"),
        Column("fin", "end_date", title="Fin", description="Fin du mandat.", type="date"),
        Column(
            "electif", "elected", title="Électif", description="Mandat électif.", type="boolean"
        ),
        Column(
            "obsolete",
            "is_obsolete",
            title="Obsolète",
            description="Mandat marqué obsolète.",
            type="boolean",
        ),
        Column(
            "pactes_signes",
            joined(
                PactParty.objects.filter(mandate=OuterRef("pk"))
                .order_by("pact__title", "pk")
                .values("pact__title"),
                MULTI_SEPARATOR,
            ),
            title="Pactes signés",
            description="Titres des pactes signés au titre de ce mandat.",
            multiple=True,
        ),
        *_history_columns(Mandate),
    ),
)

STAFF_EXPORTERS: dict[type, Exporter] = {
    Pact: PACT_STAFF_EXPORTER,
    SigningEvent: SIGNING_STAFF_EXPORTER,
    Body: BODY_STAFF_EXPORTER,
    Person: PERSON_STAFF_EXPORTER,
    Mandate: MANDATE_STAFF_EXPORTER,
}


def export_response(
    exporter: Exporter, queryset: QuerySet, request: HttpRequest, file_format: str
) -> HttpResponse | StreamingHttpResponse:
    """The export of `queryset` in `file_format` (« csv » or « xlsx »); a list too long for
    a workbook is refused with 400 and why."""
    if file_format == "xlsx":
        # The public lists' writer: typed cells, text never taken for a formula, a length cap.
        return xlsx_response(exporter, queryset, request)
    return csv_response(exporter, queryset, request)

"""Pacts prepared in a spreadsheet, imported as drafts (docs/architecture.md, « Tableurs de
l'équipe »).

One row per pact. `pact_import_plan` reads the file and resolves every cell against the
database without writing anything: what each row would create or change, and each error with
its line and column (an unknown SIREN, a commune name that several communes bear, with the
candidates). The admin shows that plan as a preview; `pact_import_apply` plans the same file
again and, only if no row is in error, writes it in one transaction, in the importing user's
name in the history. A row matching a pact already written identically changes nothing, so
the same file imported twice creates nothing the second time.

The import only writes drafts: a row naming a published pact is an error (« pacte déjà
publié »), whatever the user's rights, since a published pact's changes go through the
review of its admin page (`pacts.review`).
"""

import csv
import datetime
import io
import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q

from core.text import luhn_valid, search_key
from pacts.models import Pact, PactParty, PactStatus, PartyRole, Programme, SigningEvent
from people.models import Mandate
from public.csv_format import BOM, MULTI_SEPARATOR
from public.exporters import PACT_EXPORTER
from public.territory_lookup import resolve_territory, with_departements
from territories.models import Body, Territory, TerritoryKind

# A file larger than this is refused before it is read: a signing season is tens of pacts.
MAX_FILE_SIZE = 1024 * 1024
MAX_ROWS = 1000


@dataclass(frozen=True)
class ImportColumn:
    header: str
    help: str


def _exported(header: str, help_text: str) -> ImportColumn:
    """A column the public export has too: the same header, so an exported file reads back
    (the export's column list is the one definition; a renamed export column fails here)."""
    if header not in PACT_EXPORTER.header():
        raise LookupError(f"{header} is not a column of the pact export")
    return ImportColumn(header, help_text)


COLUMNS = (
    _exported("identifiant", "Facultatif : l'identifiant d'un pacte existant à modifier."),
    _exported(
        "titre",
        "Obligatoire. Un pacte existant du même programme et du même titre "
        "est modifié plutôt que créé.",
    ),
    _exported("programme", "Obligatoire : nom ou sigle du programme (« POCE »)."),
    _exported("statut", "En préparation (par défaut), Signé, En cours, Achevé ou Résilié."),
    _exported("debut_validite", "Date AAAA-MM-JJ ou JJ/MM/AAAA."),
    _exported("fin_validite", "Date AAAA-MM-JJ ou JJ/MM/AAAA."),
    _exported("territoires", "Codes officiels (INSEE, SIREN) ou noms, séparés par « | »."),
    _exported(
        "organismes_signataires", "SIREN ou noms des organismes signataires, séparés par « | »."
    ),
    _exported("partenaires_associes", "SIREN ou noms des partenaires associés, séparés par « | »."),
    _exported("date_signature", "Date de la signature."),
    ImportColumn("commune_signature", "Commune de la signature : code INSEE ou nom."),
    ImportColumn("lieu_signature", "Lieu de la signature (« Pépinière d'entreprises »)."),
    _exported(
        "signataires",
        "Prénom et nom de chaque signataire, séparés par « | » ; chacun "
        "doit avoir un mandat dans un organisme signataire à la date de signature.",
    ),
    _exported("resume", "Résumé du pacte."),
)
HEADERS = [c.header for c in COLUMNS]
# What an exported file carries besides: the codes and SIREN, read in preference to labels.
ALTERNATES = {"territoires": "codes_territoires", "organismes_signataires": "siren_signataires"}
BODY_COLUMNS = {
    "organismes_signataires": PartyRole.SIGNATORY,
    "partenaires_associes": PartyRole.PARTNER,
}
REQUIRED = ("titre", "programme")

FIELD_LABELS = {
    "title": "titre",
    "programme": "programme",
    "status": "statut",
    "start_date": "début de validité",
    "end_date": "fin de validité",
    "summary": "résumé",
}


class ImportFileError(Exception):
    """The file cannot be read at all: nothing of it is imported."""


@dataclass
class RowError:
    line: int
    column: str
    letter: str
    message: str
    candidates: list[str] = field(default_factory=list)


@dataclass
class RowPlan:
    """What one row would do, or why it cannot."""

    line: int
    title: str
    pact: Pact | None = None
    values: dict[str, Any] = field(default_factory=dict)
    territories: list[Territory] | None = None
    bodies: list[tuple[Body, str]] = field(default_factory=list)
    signing: tuple[datetime.date, Territory, str] | None = None
    signatories: dict[int, Mandate] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)

    @property
    def resolved(self) -> list[str]:
        """What the row's names and codes were read as, for the preview to show."""
        lines = []
        if self.territories:
            lines.append("territoires : " + ", ".join(str(t) for t in self.territories))
        for role, label in (
            (PartyRole.SIGNATORY, "signataires"),
            (PartyRole.PARTNER, "partenaires"),
        ):
            bodies = [body for body, body_role in self.bodies if body_role == role]
            if bodies:
                lines.append(f"{label} : " + ", ".join(str(b) for b in bodies))
        if self.signing is not None:
            date, commune, venue = self.signing
            place = f"{commune}, {venue}" if venue else str(commune)
            lines.append(f"signature : {date:%d/%m/%Y}, {place}")
        if self.signatories:
            people = ", ".join(str(m.person) for m in self.signatories.values())
            lines.append(f"signé par : {people}")
        return lines

    @property
    def action(self) -> str:
        if self.errors:
            return "erreur"
        if self.pact is None:
            return "création"
        return "modification" if self.changes else "inchangé"


@dataclass
class ImportPlan:
    rows: list[RowPlan]
    ignored_columns: list[str]

    @property
    def errors(self) -> list[RowError]:
        return [error for row in self.rows for error in row.errors]

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)


# Reading the file


def _header_key(text) -> str:
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def _csv_rows(content: bytes) -> list[list]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's « CSV » on a French Windows is still Windows-1252.
        text = content.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise ImportFileError(f"Fichier CSV illisible : {error}.") from error


def _xlsx_rows(content: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        # One row past the limit is enough to refuse the file: the rest is not read.
        filled = (list(r) for r in sheet.iter_rows(values_only=True) if any(_text(c) for c in r))
        rows = list(itertools.islice(filled, MAX_ROWS + 2))
        workbook.close()
    except Exception as error:
        # Whatever fails inside a workbook (a broken archive, XML, a sheet missing) is the
        # file's fault, and the answer to it is the same.
        raise ImportFileError(
            "Fichier .xlsx illisible : enregistrez-le depuis votre tableur au format Excel "
            "(.xlsx) ou CSV."
        ) from error
    return rows


def read_table(name: str, content: bytes) -> list[list]:
    """The rows of a CSV or `.xlsx` file, header first."""
    if len(content) > MAX_FILE_SIZE:
        raise ImportFileError(
            "Fichier trop volumineux (1 Mo au plus) : importez-le en plusieurs fois."
        )
    if content.startswith(b"PK") or name.lower().endswith(".xlsx"):
        rows = _xlsx_rows(content)
    else:
        rows = _csv_rows(content)
    rows = [row for row in rows if any(_text(cell) for cell in row)]
    if not rows:
        raise ImportFileError(
            "Le fichier est vide : il faut une ligne d'en-têtes, puis un pacte par ligne."
        )
    if len(rows) > MAX_ROWS + 1:
        raise ImportFileError(f"Trop de lignes : {MAX_ROWS} pactes au plus par fichier.")
    return rows


# Reading the cells


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _parts(value) -> list[str]:
    return [part.strip() for part in _text(value).split("|") if part.strip()]


def _date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"date illisible « {text} » (attendu AAAA-MM-JJ ou JJ/MM/AAAA)")


def _territory_description(territory: Territory) -> str:
    departements = ", ".join(f"{d.name} ({d.code})" for d in territory.departements)
    where = f", {departements}" if departements and territory.departements != [territory] else ""
    return f"{territory.name} — {territory.get_kind_display()} {territory.code}{where}".strip()


def _body_description(body: Body) -> str:
    siren = f"SIREN {body.siren}" if body.siren else "sans SIREN"
    return f"{body.name} ({siren})"


class _Row:
    """One line's cells, and the errors found in them."""

    def __init__(self, plan: RowPlan, cells: dict[str, Any], letters: dict[str, str]):
        self.plan, self.cells, self.letters = plan, cells, letters

    def get(self, header: str):
        alternate = ALTERNATES.get(header)
        if alternate and _text(self.cells.get(alternate)):
            return self.cells[alternate]
        return self.cells.get(header)

    def error(self, header: str, message: str, candidates: list[str] | None = None) -> None:
        self.plan.errors.append(
            RowError(
                self.plan.line, header, self.letters.get(header, ""), message, candidates or []
            )
        )

    def date(self, header: str) -> datetime.date | None:
        try:
            return _date(self.get(header))
        except ValueError as error:
            self.error(header, f"{error}.")
            return None


def _resolve_territory(row: _Row, header: str, value: str, kind: str | None = None):
    # « Chaumont (52121) », as the export writes it: the code in brackets decides.
    labelled = re.fullmatch(r"(.+?)\s*\(([0-9A-Za-z]{2,9})\)", value)
    territory, candidates = resolve_territory(labelled.group(2) if labelled else value)
    if kind is not None:
        if territory is not None and territory.kind != kind:
            territory, candidates = None, [territory]
        candidates = [c for c in candidates if c.kind == kind] or candidates
        if len(candidates) == 1 and candidates[0].kind == kind:
            territory, candidates = candidates[0], []
    if territory is not None:
        return territory
    commune = kind == TerritoryKind.COMMUNE
    if not candidates:
        row.error(header, f"{'commune' if commune else 'territoire'} introuvable : « {value} ».")
    elif commune and all(c.kind != kind for c in candidates):
        row.error(header, f"« {value} » n'est pas une commune.")
    else:
        listed = [_territory_description(t) for t in with_departements(candidates)]
        what, many = (
            ("commune ambiguë", "communes") if commune else ("territoire ambigu", "territoires")
        )
        row.error(
            header,
            f"{what} : « {value} » désigne {len(candidates)} {many} ; indiquez son code officiel.",
            listed,
        )
    return None


SIREN_IN_TEXT = re.compile(r"(?<![0-9])([0-9]{3} ?[0-9]{3} ?[0-9]{3})(?![0-9])")


def _resolve_body(row: _Row, header: str, value: str) -> Body | None:
    found = SIREN_IN_TEXT.search(value)
    if found:
        siren = found.group(1).replace(" ", "")
        if not luhn_valid(siren):
            row.error(header, f"SIREN invalide : « {siren} » (clé de contrôle fausse).")
            return None
        body = Body.objects.filter(siren=siren).first()
        if body is None:
            row.error(header, f"SIREN inconnu : « {siren} » : créez d'abord l'organisme.")
        return body
    # Through the folded search column (trigram-indexed on PostgreSQL), then compared whole:
    # « cc du grand langres » names « CC du Grand Langres », not « CC du Grand Langres Sud ».
    key = search_key(value)
    near = Body.objects.filter(search_text__contains=key).order_by("name", "pk")[:500]
    matches = [b for b in near if key in (search_key(b.name), search_key(b.short_name))][:30]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        row.error(header, f"organisme introuvable : « {value} » : indiquez son SIREN.")
    else:
        row.error(
            header,
            f"organisme ambigu : « {value} » désigne {len(matches)} organismes ; "
            "indiquez son SIREN.",
            [_body_description(b) for b in matches],
        )
    return None


def _resolve_signatory(row: _Row, value: str, bodies: list[Body], date) -> Mandate | None:
    # « Christine Guillemy (Présidente, CA de Chaumont) pour CA de Chaumont », as exported,
    # or the bare name.
    name = re.split(r"\s+\(|\s+pour\s+", value, maxsplit=1)[0]
    key = search_key(name)
    mandates = Mandate.objects.filter(body__in=bodies).select_related("person", "body")
    if date is not None:
        mandates = mandates.filter(
            Q(start_date__isnull=True) | Q(start_date__lte=date),
            Q(end_date__isnull=True) | Q(end_date__gte=date),
        )
    matching = [
        m
        for m in mandates.order_by(
            F("end_date").desc(nulls_first=True), F("start_date").desc(nulls_last=True), "pk"
        )
        if key
        in (
            search_key(m.person.first_name, m.person.last_name),
            search_key(m.person.last_name, m.person.first_name),
        )
    ]
    people_bodies = {(m.person_id, m.body_id) for m in matching}
    if len(people_bodies) == 1:
        return matching[0]
    if not matching:
        when = f" le {date:%d/%m/%Y}" if date else ""
        row.error(
            "signataires",
            f"signataire introuvable : « {name} » n'a pas de mandat{when} dans les organismes "
            "signataires de la ligne.",
        )
    else:
        row.error(
            "signataires",
            f"signataire ambigu : « {name} » désigne plusieurs mandats.",
            [f"{m.person} — {m.title_with_body}" for m in matching],
        )
    return None


def _status(row: _Row) -> str:
    text = _text(row.get("statut"))
    for value, label in PactStatus.choices:
        if search_key(text) in (search_key(label), search_key(value)):
            return value
    labels = ", ".join(label for _, label in PactStatus.choices)
    row.error("statut", f"statut inconnu : « {text} » (attendu : {labels}).")
    return PactStatus.PREPARATION


def _programme(row: _Row, programmes: list[Programme]) -> Programme | None:
    text = _text(row.get("programme"))
    if not text:
        row.error("programme", "programme manquant.")
        return None
    for programme in programmes:
        if search_key(text) in (search_key(programme.name), search_key(programme.acronym)):
            return programme
    row.error(
        "programme",
        f"programme inconnu : « {text} ».",
        [f"{p.acronym} — {p.name}" if p.acronym else p.name for p in programmes],
    )
    return None


def _existing_pact(row: _Row, programme: Programme | None, title: str) -> Pact | None:
    slug = _text(row.get("identifiant"))
    if slug:
        pact = Pact.objects.filter(slug=slug).first()
        if pact is None:
            row.error("identifiant", f"identifiant inconnu : « {slug} ».")
        return pact
    if programme is None or not title:
        return None
    key = search_key(title)
    near = Pact.objects.filter(programme=programme, search_text__startswith=key)
    same = [pact for pact in near.order_by("pk")[:100] if search_key(pact.title) == key][:2]
    if len(same) > 1:
        row.error(
            "titre", "plusieurs pactes de ce programme portent ce titre : indiquez son identifiant."
        )
        return None
    return same[0] if same else None


def _plan_row(row: _Row, programmes: list[Programme]) -> None:
    plan = row.plan
    programme = _programme(row, programmes)
    title = plan.title
    if not title:
        row.error("titre", "titre manquant.")
    pact = _existing_pact(row, programme, title)
    if pact is not None and pact.published:
        row.error(
            "titre" if not _text(row.get("identifiant")) else "identifiant",
            "pacte déjà publié : modifiez-le dans l'admin, où ses changements sont relus.",
        )
    plan.pact = pact
    # An empty cell leaves the pact's value as it is (a new pact takes the default): a
    # spreadsheet with fewer columns filled never erases what staff entered in the admin.
    plan.values = {"programme": programme, "title": title}
    optional = {
        "status": ("statut", lambda: _status(row)),
        "start_date": ("debut_validite", lambda: row.date("debut_validite")),
        "end_date": ("fin_validite", lambda: row.date("fin_validite")),
        "summary": ("resume", lambda: _text(row.get("resume"))),
    }
    for name, (header, read) in optional.items():
        if _text(row.get(header)):
            plan.values[name] = read()

    if _text(row.get("territoires")):
        found = [_resolve_territory(row, "territoires", v) for v in _parts(row.get("territoires"))]
        plan.territories = [t for t in found if t is not None]
    resolved = {
        header: [_resolve_body(row, header, value) for value in _parts(row.get(header))]
        for header in BODY_COLUMNS
    }
    listed = {}
    for header, bodies in resolved.items():
        for body in bodies:
            if body is not None:
                # A body listed twice keeps its first role: a party is one row per body.
                listed.setdefault(body, BODY_COLUMNS[header])
    plan.bodies = list(listed.items())
    signatory_bodies = [b for b, role in plan.bodies if role == PartyRole.SIGNATORY]
    # A signatory is looked for in the row's signatory bodies: with one of them unresolved,
    # « not found » would only repeat that error.
    bodies_resolved = None not in resolved["organismes_signataires"]

    date = row.date("date_signature")
    commune_text = _text(row.get("commune_signature"))
    # A file without the column (the pact export has the date, not the commune) gives the
    # date for the signatories' mandates only, and no signing event.
    if date and not commune_text:
        if "commune_signature" in row.cells:
            row.error("commune_signature", "commune de signature manquante (la date est donnée).")
    elif commune_text and not date:
        row.error("date_signature", "date de signature manquante (la commune est donnée).")
    elif date:
        commune = _resolve_territory(row, "commune_signature", commune_text, TerritoryKind.COMMUNE)
        if commune is not None:
            plan.signing = (date, commune, _text(row.get("lieu_signature")))
    for value in _parts(row.get("signataires")) if bodies_resolved else []:
        mandate = _resolve_signatory(row, value, signatory_bodies, date)
        if mandate is not None:
            plan.signatories[mandate.body_id] = mandate

    if programme is not None and not plan.errors:
        _check_model(row)
    if not plan.errors:
        plan.changes = _changes(plan)


MODEL_COLUMNS = {
    "title": "titre",
    "status": "statut",
    "start_date": "debut_validite",
    "end_date": "fin_validite",
    "summary": "resume",
}


def _check_model(row: _Row) -> None:
    """The pact's own rules (lengths, end after start), as the admin form checks them."""
    pact = Pact(**row.plan.values)
    try:
        pact.full_clean(exclude=["slug"], validate_unique=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            for message in messages:
                row.error(MODEL_COLUMNS.get(name, "titre"), message)


def _changes(plan: RowPlan) -> list[str]:
    """What importing the row would change on its existing pact, in French."""
    pact = plan.pact
    if pact is None:
        return []
    changes = [
        FIELD_LABELS[name] for name, value in plan.values.items() if getattr(pact, name) != value
    ]
    if plan.territories is not None and {t.pk for t in plan.territories} != set(
        pact.territories.values_list("pk", flat=True)
    ):
        changes.append("territoires")
    event = _existing_event(pact, plan.signing)
    if plan.signing is not None and (event is None or event.venue != plan.signing[2]):
        changes.append("signature")
    if _parties(plan, pact, event):
        changes.append("organismes")
    return changes


def _parties(plan: RowPlan, pact: Pact, event: SigningEvent | None) -> list[PactParty]:
    """The parties the row asks for that are new or differ, with their new values, unsaved:
    what the preview counts as a change is exactly what the confirmation writes."""
    existing = {p.body_id: p for p in pact.parties.all()} if pact.pk else {}
    order = max((p.order for p in existing.values()), default=0)
    changed = []
    for body, role in plan.bodies:
        party = existing.get(body.pk)
        if party is None:
            order += 1
            party = PactParty(pact=pact, body=body, order=order)
        before = (party.pk, party.role, party.mandate_id, party.signing_event_id)
        party.role = role
        if role == PartyRole.SIGNATORY:
            mandate = plan.signatories.get(body.pk)
            if mandate is not None:
                party.mandate = mandate
            if event is not None:
                party.signing_event = event
        if before != (party.pk, party.role, party.mandate_id, party.signing_event_id):
            changed.append(party)
    return changed


def _existing_event(pact: Pact, signing) -> SigningEvent | None:
    if signing is None:
        return None
    date, commune, _ = signing
    return pact.signing_events.filter(date=date, commune=commune).order_by("pk").first()


def pact_import_plan(name: str, content: bytes) -> ImportPlan:
    """What importing the file would do, row by row; reads only. Raises `ImportFileError`
    for a file that cannot be read at all."""
    table = read_table(name, content)
    header_row, *rows = table
    positions: dict[str, int] = {}
    ignored = []
    known = set(HEADERS) | set(ALTERNATES.values())
    for index, cell in enumerate(header_row):
        key = _header_key(cell)
        if key in known and key not in positions:
            positions[key] = index
        elif _text(cell):
            ignored.append(_text(cell))
    missing = [h for h in REQUIRED if h not in positions]
    if missing:
        raise ImportFileError(
            "Colonnes obligatoires absentes de la première ligne : "
            + ", ".join(f"« {h} »" for h in missing)
            + ". Partez du modèle à télécharger sur cette page."
        )
    from openpyxl.utils import get_column_letter

    letters = {h: get_column_letter(i + 1) for h, i in positions.items()}
    programmes = list(Programme.objects.order_by("name"))
    plans: list[RowPlan] = []
    seen: dict[tuple, int] = {}
    for number, cells in enumerate(rows, start=2):
        values = {h: cells[i] if i < len(cells) else None for h, i in positions.items()}
        plan = RowPlan(line=number, title=_text(values.get("titre")))
        row = _Row(plan, values, letters)
        _plan_row(row, programmes)
        key = (search_key(_text(values.get("programme"))), search_key(plan.title))
        if key in seen:
            row.error("titre", f"ce pacte figure déjà ligne {seen[key]} du fichier.")
        seen.setdefault(key, number)
        plans.append(plan)
    return ImportPlan(rows=plans, ignored_columns=ignored)


# Writing


@dataclass
class ImportResult:
    created: int
    updated: int
    unchanged: int


def _write_row(plan: RowPlan, user) -> None:
    pact = plan.pact or Pact(published=False)
    for name, value in plan.values.items():
        setattr(pact, name, value)
    pact._history_user = user
    if plan.pact is None or plan.changes:
        pact.save()
    if plan.territories is not None and (plan.pact is None or "territoires" in plan.changes):
        pact.territories.set(plan.territories)
    event = None
    if plan.signing is not None:
        date, commune, venue = plan.signing
        existing = _existing_event(pact, plan.signing) if plan.pact else None
        event = existing or SigningEvent(pact=pact, date=date, commune=commune)
        if event.pk is None or event.venue != venue:
            event.venue = venue
            event._history_user = user
            event.full_clean(exclude=["slug"], validate_unique=False)
            event.save()
    for party in _parties(plan, pact, event):
        party._history_user = user
        party.full_clean(validate_unique=False)
        party.save()


def pact_import_apply(
    name: str, content: bytes, user: AbstractBaseUser
) -> tuple[ImportPlan, ImportResult | None]:
    """Plan the file again and, if no row is in error, write it in one transaction as
    drafts in `user`'s name. Returns the plan, and the counts when something was written."""
    with transaction.atomic():
        plan = pact_import_plan(name, content)
        if plan.errors:
            return plan, None
        # The pacts to change are locked: a save from the admin meanwhile waits, and the
        # plan made under the lock is the one written.
        ids = [row.pact.pk for row in plan.rows if row.pact is not None]
        if ids:
            list(Pact.objects.select_for_update().filter(pk__in=ids).values("pk"))
            plan = pact_import_plan(name, content)
            if plan.errors:
                return plan, None
        for row in plan.rows:
            if row.action != "inchangé":
                _write_row(row, user)
        result = ImportResult(
            created=plan.count("création"),
            updated=plan.count("modification"),
            unchanged=plan.count("inchangé"),
        )
    return plan, result


# The template


def template_csv() -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerow(HEADERS)
    return (BOM + buffer.getvalue()).encode("utf-8")


def template_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "pactes"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, header in enumerate(HEADERS, start=1):
        column = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[column].width = max(14, len(header) + 4)
        # Codes keep their leading zeros (« 08105 ») only in text cells.
        sheet.column_dimensions[column].number_format = "@"
    help_sheet = workbook.create_sheet("aide")
    help_sheet.append(["colonne", "contenu"])
    for column in COLUMNS:
        help_sheet.append([column.header, column.help])
    help_sheet.append([])
    help_sheet.append(
        ["", f"Plusieurs valeurs dans une cellule : séparées par « {MULTI_SEPARATOR.strip()} »."]
    )
    help_sheet.column_dimensions["A"].width = 26
    help_sheet.column_dimensions["B"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

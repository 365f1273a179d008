"""Programmes, pacts, their parties, signing events and everything said or done around them."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from simple_history.models import HistoricalRecords

from core.cache import kept_per_data_version
from core.db import LazyIdList
from core.links import slug_url
from core.text import search_key, search_words, unique_slug
from people.models import Mandate, Person
from territories.models import Body, Territory, TerritoryKind


class Programme(models.Model):
    """A family of pacts sharing one framework: POCE, CRTE, Territoires d'industrie…"""

    name = models.CharField("nom", max_length=255, unique=True)
    acronym = models.CharField("sigle", max_length=30, blank=True)
    slug = models.SlugField("identifiant d'URL", max_length=100, unique=True, blank=True)
    # PROTECT: a programme's owner is cited on every pact page.
    owner = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        related_name="programmes",
        null=True,
        blank=True,
        verbose_name="porteur",
    )
    description = models.TextField("description", blank=True)
    url = models.URLField("lien", blank=True)

    class Meta:
        verbose_name = "programme"
        verbose_name_plural = "programmes"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.acronym or self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Programme, self.acronym or self.name, instance_pk=self.pk)
        super().save(*args, **kwargs)


class Theme(models.Model):
    """A subject a pact deals with (développement économique, innovation, emploi…)."""

    name = models.CharField("nom", max_length=100, unique=True)
    slug = models.SlugField("identifiant d'URL", max_length=100, unique=True, blank=True)

    class Meta:
        verbose_name = "thème"
        verbose_name_plural = "thèmes"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Theme, self.name, instance_pk=self.pk)
        super().save(*args, **kwargs)


class Strategy(models.Model):
    """A regional strategy or scheme a pact fits into (SRDEII, SRADDET, CPRDFOP…)."""

    acronym = models.CharField("sigle", max_length=30, unique=True)
    name = models.CharField("nom", max_length=255)
    slug = models.SlugField("identifiant d'URL", max_length=100, unique=True, blank=True)
    url = models.URLField("lien", blank=True)

    class Meta:
        verbose_name = "stratégie"
        verbose_name_plural = "stratégies"
        ordering = ["acronym"]

    def __str__(self) -> str:
        return self.acronym

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Strategy, self.acronym, instance_pk=self.pk)
        super().save(*args, **kwargs)


class PactStatus(models.TextChoices):
    PREPARATION = "preparation", "En préparation"
    SIGNED = "signe", "Signé"
    ONGOING = "en_cours", "En cours"
    COMPLETED = "acheve", "Achevé"
    TERMINATED = "resilie", "Résilié"


class PactQuerySet(models.QuerySet):
    def published(self):
        """Pacts visible to the public. Every public page, count and export starts here."""
        return self.filter(published=True)

    def in_territory(self, territory: Territory):
        """Pacts whose territories are `territory`, lie inside it, contain it or overlap it
        (docs/architecture.md, « Contenance et chevauchement »)."""
        related = Territory.objects.related_to(territory).values("pk")
        covered = Pact.territories.through.objects.filter(territory_id__in=related)
        return self.filter(pk__in=covered.values("pact_id"))

    def signed_in(self, year: int):
        """Pacts with a signing event in `year`."""
        return self.filter(pk__in=SigningEvent.objects.filter(date__year=year).values("pact_id"))

    def with_first_signing(self):
        """Each pact with `first_signing`, the date of its earliest signing event (or None)."""
        first = SigningEvent.objects.filter(pact=OuterRef("pk")).order_by("date").values("date")
        return self.annotate(first_signing=Subquery(first[:1]))

    def matching(self, query: str, ids: "LazyIdList | None" = None):
        """Pacts where every word appears in the title or summary, the commune or venue of a
        signing, a party body's name, or the name of someone who signed or attended — accents
        and case ignored on both databases (docs/architecture.md, « Search »).

        `ids`, the `matching_ids(query)` of an earlier call, shares its reading of the keys
        (a page filters several querysets by the same words: the list and its facets).
        """
        if ids is None:
            ids = matching_ids(query)
        return self if ids is None else self.filter(pk__in=ids)

    def with_body(self, body: Body):
        """Pacts to which `body` is a party."""
        return self.filter(pk__in=PactParty.objects.filter(body=body).values("pact_id"))

    def with_person(self, person: Person):
        """Pacts `person` signed for a party, or whose signing they attended."""
        signed = PactParty.objects.filter(mandate__person=person).values("pact_id")
        attended = Attendance.objects.filter(person=person).values("event__pact_id")
        return self.filter(Q(pk__in=signed) | Q(pk__in=attended))


class Pact(models.Model):
    """A pact between the Région and one or more territories, within a programme."""

    # PROTECT: a programme cannot vanish from under its pacts.
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="pacts", verbose_name="programme"
    )
    title = models.CharField("titre", max_length=255)
    slug = models.SlugField("identifiant d'URL", max_length=220, unique=True, blank=True)
    status = models.CharField(
        "statut", max_length=20, choices=PactStatus.choices, default=PactStatus.PREPARATION
    )
    summary = models.TextField("résumé", blank=True)
    description = models.TextField("description", blank=True)
    territories = models.ManyToManyField(
        Territory, related_name="pacts", blank=True, verbose_name="territoires couverts"
    )
    themes = models.ManyToManyField(Theme, related_name="pacts", blank=True, verbose_name="thèmes")
    strategies = models.ManyToManyField(
        Strategy, related_name="pacts", blank=True, verbose_name="stratégies"
    )
    start_date = models.DateField("début de validité", null=True, blank=True)
    end_date = models.DateField("fin de validité", null=True, blank=True)
    published = models.BooleanField(
        "publié", default=False, help_text="Seuls les pactes publiés sont visibles du public."
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    search_text = models.TextField("texte de recherche", blank=True, editable=False)

    # Who changed what and when; `search_text` and `updated_at` are derived, so only noise.
    history = HistoricalRecords(
        verbose_name="historique de pacte",
        verbose_name_plural="historiques de pactes",
        excluded_fields=["search_text", "updated_at"],
        m2m_fields=[territories, themes, strategies],
    )
    objects = PactQuerySet.as_manager()

    class Meta:
        verbose_name = "pacte"
        verbose_name_plural = "pactes"
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="pact_end_after_start",
                violation_error_message="La fin de validité ne peut pas précéder son début.",
            ),
        ]
        indexes = [models.Index(fields=["published", "status"])]
        # Publishing is its own right: the « Publication » group has it, « Rédaction » not.
        permissions = [("publish_pact", "Peut publier un pacte")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.with_search_text()
        if not self.slug:
            self.slug = unique_slug(Pact, self.title, instance_pk=self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return slug_url("pacts:detail", self.slug)

    def with_search_text(self):
        """Fill `search_text` from the searchable fields; bulk writes call it as save() does."""
        self.search_text = search_key(self.title, self.summary)
        return self

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": "La fin de validité ne peut pas précéder son début."}
            )


SIGNING_SLUG_LENGTH = 100


def signing_slug_base(commune_name: str, date: datetime.date) -> str:
    """What a signing's slug is made of: « chaumont-2019-01-15 », then « -2 »… for a second
    event in the same commune on the same day (`core.text.unique_slug`; bulk writes compute
    the same slugs themselves)."""
    return f"{commune_name} {date:%Y-%m-%d}"


class SigningEvent(models.Model):
    """A public signing ceremony of a pact: a date, a town, a venue."""

    # CASCADE: an event is part of its pact and has no meaning without it.
    pact = models.ForeignKey(
        Pact, on_delete=models.CASCADE, related_name="signing_events", verbose_name="pacte"
    )
    date = models.DateField("date")
    # PROTECT: territories are reference data, marked obsolete rather than deleted.
    commune = models.ForeignKey(
        Territory,
        on_delete=models.PROTECT,
        related_name="signing_events",
        limit_choices_to={"kind": TerritoryKind.COMMUNE},
        verbose_name="commune",
    )
    venue = models.CharField(
        "lieu", max_length=255, blank=True, help_text="« Pépinière d'entreprises Plein'Est »"
    )
    description = models.TextField(
        "déroulé", blank=True, help_text="« suivi d'un temps d'échange avec les élus »"
    )
    # Filled once on the first save from the commune and the date (`signing_slug_base`),
    # then kept when they change: a published address does not move.
    slug = models.SlugField(
        "identifiant d'URL", max_length=SIGNING_SLUG_LENGTH, unique=True, editable=False
    )
    # The venue's key lives here, on the row that owns the venue, rather than inside the
    # pact's key: an event is edited on its own, and a pact key built from its events would
    # go stale at every change. The commune is not copied either: search joins its own key,
    # which the territory imports keep up to date.
    search_text = models.TextField("texte de recherche", blank=True, editable=False)

    history = HistoricalRecords(
        verbose_name="historique de signature",
        verbose_name_plural="historiques de signatures",
        excluded_fields=["search_text"],
    )

    class Meta:
        verbose_name = "signature"
        verbose_name_plural = "signatures"
        ordering = ["-date", "pk"]
        indexes = [models.Index(fields=["date"])]

    def __str__(self) -> str:
        return f"{self.pact} — {self.date:%d/%m/%Y}, {self.commune.name}"

    def save(self, *args, **kwargs):
        self.with_search_text()
        if not self.slug:
            self.slug = unique_slug(
                SigningEvent,
                signing_slug_base(self.commune.name, self.date),
                instance_pk=self.pk,
                max_length=SIGNING_SLUG_LENGTH,
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return slug_url("pacts:signing", self.slug)

    def with_search_text(self):
        """Fill `search_text` from the searchable fields; bulk writes call it as save() does."""
        self.search_text = search_key(self.venue)
        return self

    def clean(self):
        if self.commune_id and self.commune.kind != TerritoryKind.COMMUNE:
            raise ValidationError({"commune": "Le lieu de signature doit être une commune."})
        if self.pk and self.date:
            # Moving an event must not leave signatories or attendees under a mandate they
            # did not hold on the new date.
            cited = [p.mandate for p in self.parties.select_related("mandate__person")] + [
                a.mandate for a in self.attendances.select_related("mandate__person")
            ]
            stale = sorted(
                {str(m.person) for m in cited if m is not None and not m.is_active_on(self.date)}
            )
            if stale:
                raise ValidationError(
                    {
                        "date": f"À cette date, ces personnes n'exerçaient pas le mandat cité : "
                        f"{', '.join(stale)}. Corrigez d'abord leur mandat."
                    }
                )


def _check_mandate(mandate, *, body=None, person=None, date=None, field="mandate"):
    """Shared rule: a mandate cited for a signature or attendance must fit it."""
    if mandate is None:
        return
    if body is not None and mandate.body_id != body.pk:
        raise ValidationError(
            {field: f"Ce mandat est exercé au sein de « {mandate.body} », pas de « {body} »."}
        )
    if person is not None and mandate.person_id != person.pk:
        raise ValidationError({field: f"Ce mandat est celui de {mandate.person}, pas de {person}."})
    if date is not None and not mandate.is_active_on(date):
        raise ValidationError(
            {field: f"Ce mandat n'était pas en cours le {date:%d/%m/%Y}, date de la signature."}
        )


class PartyRole(models.TextChoices):
    SIGNATORY = "signataire", "Signataire"
    PARTNER = "partenaire", "Partenaire associé"


class PactParty(models.Model):
    """A body party to a pact, and who signed for it, under which mandate, at which event."""

    # CASCADE: a party row belongs to its pact.
    pact = models.ForeignKey(
        Pact, on_delete=models.CASCADE, related_name="parties", verbose_name="pacte"
    )
    # PROTECT: a body that is party to a pact cannot be deleted.
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="pact_parties", verbose_name="organisme"
    )
    role = models.CharField("rôle", max_length=20, choices=PartyRole.choices)
    mandate = models.ForeignKey(
        Mandate,
        on_delete=models.PROTECT,
        related_name="signatures",
        null=True,
        blank=True,
        verbose_name="signé par (mandat)",
        help_text="Le mandat au titre duquel la personne a signé pour cet organisme.",
    )
    # RESTRICT rather than PROTECT: deleting the whole pact removes both in one go.
    signing_event = models.ForeignKey(
        SigningEvent,
        on_delete=models.RESTRICT,
        related_name="parties",
        null=True,
        blank=True,
        verbose_name="signature",
    )
    order = models.PositiveSmallIntegerField("ordre", default=0)

    history = HistoricalRecords(
        verbose_name="historique de partie", verbose_name_plural="historiques de parties"
    )

    class Meta:
        verbose_name = "partie"
        verbose_name_plural = "parties"
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pact", "body"],
                name="pact_party_unique_body",
                violation_error_message="Cet organisme est déjà partie à ce pacte.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body} ({self.get_role_display()})"

    def clean(self):
        if self.signing_event_id and self.pact_id and self.signing_event.pact_id != self.pact_id:
            raise ValidationError({"signing_event": "Cette signature concerne un autre pacte."})
        if self.mandate_id and self.body_id:
            # An event entered on the same admin page has no row yet: the page gives its date.
            date = (
                self.signing_event.date
                if self.signing_event_id
                else getattr(self, "pending_signing_date", None)
            )
            _check_mandate(self.mandate, body=self.body, date=date)


class Attendance(models.Model):
    """A person present at a signing event, optionally under a given mandate."""

    # CASCADE: attendance is part of the event.
    event = models.ForeignKey(
        SigningEvent, on_delete=models.CASCADE, related_name="attendances", verbose_name="signature"
    )
    # PROTECT: a person cited as present cannot be deleted.
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="attendances", verbose_name="personne"
    )
    mandate = models.ForeignKey(
        Mandate,
        on_delete=models.PROTECT,
        related_name="attendances",
        null=True,
        blank=True,
        verbose_name="au titre du mandat",
    )

    history = HistoricalRecords(
        verbose_name="historique de présence", verbose_name_plural="historiques de présences"
    )

    class Meta:
        verbose_name = "présence"
        verbose_name_plural = "présences"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"],
                name="attendance_unique_person",
                violation_error_message="Cette personne figure déjà parmi les présents.",
            ),
        ]

    def __str__(self) -> str:
        return str(self.person)

    def clean(self):
        if self.mandate_id and self.person_id:
            date = self.event.date if self.event_id else None
            _check_mandate(self.mandate, person=self.person, date=date)


class Statement(models.Model):
    """A declaration made at a signing event."""

    event = models.ForeignKey(
        SigningEvent, on_delete=models.CASCADE, related_name="statements", verbose_name="signature"
    )
    # PROTECT: a quoted person cannot be deleted.
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="statements", verbose_name="personne"
    )
    text = models.TextField("déclaration")

    history = HistoricalRecords(
        verbose_name="historique de déclaration", verbose_name_plural="historiques de déclarations"
    )

    class Meta:
        verbose_name = "déclaration"
        verbose_name_plural = "déclarations"
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.person} : « {self.text[:60]}… »"


class ActionStatus(models.TextChoices):
    PLANNED = "prevue", "Prévue"
    ONGOING = "en_cours", "En cours"
    DONE = "realisee", "Réalisée"
    ABANDONED = "abandonnee", "Abandonnée"


class Action(models.Model):
    """A structuring action named by a pact."""

    pact = models.ForeignKey(
        Pact, on_delete=models.CASCADE, related_name="actions", verbose_name="pacte"
    )
    title = models.CharField("intitulé", max_length=255)
    description = models.TextField("description", blank=True)
    # PROTECT: a body leading a published action cannot be deleted.
    lead_body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        related_name="led_actions",
        null=True,
        blank=True,
        verbose_name="porteur",
    )
    status = models.CharField(
        "état", max_length=20, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    budget = models.DecimalField(
        "budget (€)", max_digits=14, decimal_places=2, null=True, blank=True
    )

    history = HistoricalRecords(
        verbose_name="historique d'action", verbose_name_plural="historiques d'actions"
    )

    class Meta:
        verbose_name = "action"
        verbose_name_plural = "actions"
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
                name="action_budget_not_negative",
                violation_error_message="Le budget ne peut pas être négatif.",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Source(models.Model):
    """Where facts come from: a press release, a deliberation, a web page."""

    title = models.CharField("titre", max_length=500)
    url = models.URLField(
        "adresse",
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="Une adresse web (https://…).",
    )
    date = models.DateField("date", null=True, blank=True)
    # PROTECT: a publisher cited as a source cannot be deleted.
    publisher = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        related_name="sources",
        null=True,
        blank=True,
        verbose_name="éditeur",
    )
    contact = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="sources",
        null=True,
        blank=True,
        verbose_name="contact",
    )
    pacts = models.ManyToManyField(Pact, related_name="sources", blank=True, verbose_name="pactes")
    text = models.TextField("texte", blank=True, help_text="Texte intégral, s'il est public.")

    # The signed pact, as a PDF staff upload: kept in the database, as everything else, so
    # that app servers hold nothing on disk (README, « Déploiement »); served by
    # `public.views.pacts.source_document` with its type and size.
    document = models.BinaryField("document (PDF)", null=True, blank=True, editable=False)
    document_name = models.CharField("nom du document", max_length=255, blank=True)
    document_size = models.PositiveIntegerField(
        "taille du document (octets)", null=True, blank=True
    )

    # Shown on pact pages: who changed it and when, and a version for the admin's form.
    # Not the document's bytes: a copy of the PDF in every version would only weigh.
    history = HistoricalRecords(
        verbose_name="historique de source",
        verbose_name_plural="historiques de sources",
        m2m_fields=[pacts],
        excluded_fields=["document"],
    )

    class Meta:
        verbose_name = "source"
        verbose_name_plural = "sources"
        ordering = ["-date", "title"]

    def __str__(self) -> str:
        return self.title


class ProposalStatus(models.TextChoices):
    PENDING = "en_attente", "En attente"
    APPROVED = "approuvee", "Approuvée"
    REJECTED = "rejetee", "Rejetée"


class ProposedChange(models.Model):
    """A change to what a published pact's page shows, submitted by someone without the right
    to publish, kept aside until a publisher approves or rejects it (docs/architecture.md,
    « Relecture »).

    What is kept is the admin form as it was sent: approving it sends it again, in the
    publisher's name, through the same form and the same checks (`pacts/review.py`).
    """

    pact = models.ForeignKey(
        Pact, on_delete=models.CASCADE, related_name="proposed_changes", verbose_name="pacte"
    )
    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, verbose_name="type de fiche"
    )
    # None: a row to be added (a signing event, an action).
    object_id = models.PositiveBigIntegerField("identifiant de la fiche", null=True, blank=True)
    object_label = models.CharField("fiche", max_length=500)
    data = models.JSONField("formulaire envoyé")
    # The forms of the page it left as they were (prefixes, "" for the main one): approving
    # it does not write those rows back as they were then (pacts/review.py).
    unchanged_forms = models.JSONField("formulaires inchangés", default=list, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="proposed_changes",
        verbose_name="proposée par",
    )
    created_at = models.DateTimeField("proposée le", auto_now_add=True)
    status = models.CharField(
        "état", max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="decided_changes",
        null=True,
        blank=True,
        verbose_name="décidée par",
    )
    decided_at = models.DateTimeField("décidée le", null=True, blank=True)
    decision_note = models.TextField("motif", blank=True)

    class Meta:
        verbose_name = "modification proposée"
        verbose_name_plural = "modifications proposées"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.object_label} — {self.get_status_display().lower()}"


def matching_ids(query: str) -> LazyIdList | None:
    """The ids of the pacts `PactQuerySet.matching(query)` keeps; None when `query` has no
    word (every pact)."""
    words = search_words(query)
    if not words:
        return None

    # Each pact's keys, its own and those of its related rows, are read once per data
    # version (`pact_search_text`): comparing them with the words here reads the few
    # thousand pacts' keys from the cache, where SQL would look up every party, attendee
    # and signing of every pact for each query. Read when the statement runs.
    def matched() -> list[int]:
        return [
            pk for pk, text in pact_search_text().items() if all(word in text for word in words)
        ]

    return LazyIdList(matched)


@kept_per_data_version
def pact_search_text() -> dict[int, str]:
    """Every pact's search keys (`PactQuerySet.matching`), in one text: its own `search_text`
    and, each read from its own row, the keys of its parties' bodies and signatories, of the
    people who attended its signings, and of those signings (venue) and their communes. Read
    from each row, never copied: no key goes stale when a body or a commune is renamed by an
    import.

    The keys are joined by a line break, which no word holds (`search_words`): each word is
    looked for once in the whole text, and never found across two keys.
    """
    keys: dict[int, list[str]] = {
        pk: [text] for pk, text in Pact.objects.values_list("pk", "search_text")
    }
    related = [
        PactParty.objects.values_list(
            "pact_id", "body__search_text", "mandate__person__search_text"
        ),
        Attendance.objects.values_list("event__pact_id", "person__search_text"),
        SigningEvent.objects.values_list("pact_id", "search_text", "commune__search_text"),
    ]
    for rows in related:
        for pk, *texts in rows.order_by():
            if pk in keys:
                keys[pk].extend(text for text in texts if text)
    return {pk: "\n".join(texts) for pk, texts in keys.items()}

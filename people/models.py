"""People and their mandates: who holds which function in which body, and when."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, When
from django.utils import timezone
from django.utils.formats import date_format
from simple_history.models import HistoricalRecords

from core.links import slug_url
from core.text import SearchQuerySet, search_key, sort_key, unique_slug
from territories.models import Body, BodyKind


class Gender(models.TextChoices):
    FEMALE = "F", "Femme"
    MALE = "M", "Homme"


class PersonQuerySet(SearchQuerySet):
    def holding_mandate_in(self, body: Body):
        """People who hold or held a mandate in `body`."""
        return self.filter(pk__in=Mandate.objects.filter(body=body).values("person_id"))

    def with_current_mandate(self):
        """People holding a mandate today (`Mandate.objects.current()`)."""
        return self.filter(pk__in=Mandate.objects.current().values("person_id"))

    def without_current_mandate(self):
        """People who held a mandate once and hold none today.

        `EXISTS` / `NOT EXISTS` correlated on the person, which PostgreSQL plans as a semi
        join and a hash anti join. Never `exclude(pk__in=...)`: `NOT IN (subquery)` cannot
        become an anti join (NULL semantics), and once the current mandates outgrow
        `work_mem` each person rescans all of them, for minutes (docs/architecture.md,
        « Protection de la base »).
        """
        mandates = Mandate.objects.filter(person=OuterRef("pk"))
        return self.filter(Exists(mandates), ~Exists(mandates.current()))


class Person(models.Model):
    """A person who signs, attends or speaks for a body: mostly elected officials."""

    first_name = models.CharField("prénom", max_length=100)
    last_name = models.CharField("nom", max_length=100)
    slug = models.SlugField("identifiant d'URL", max_length=220, unique=True, blank=True)
    gender = models.CharField(
        "genre",
        max_length=1,
        choices=Gender.choices,
        blank=True,
        help_text="Sert à accorder les titres (Président / Présidente).",
    )
    public_email = models.EmailField("courriel", blank=True)
    public_phone = models.CharField("téléphone", max_length=100, blank=True)
    # A staff member's mobile is not public because a press release printed it: shown only
    # once someone ticks it (docs/architecture.md, « Domain model »).
    email_shown = models.BooleanField("afficher le courriel sur le site", default=False)
    phone_shown = models.BooleanField("afficher le téléphone sur le site", default=False)
    is_contact = models.BooleanField(
        "contact, pas un élu",
        default=False,
        help_text="Agent ou attaché de presse cité comme contact : présenté comme tel, "
        "jamais parmi les élus.",
    )
    birth_date = models.DateField(
        "date de naissance",
        null=True,
        blank=True,
        help_text="Sert seulement à reconnaître une personne d'un import à l'autre : "
        "jamais affichée ni exportée.",
    )
    manually_edited = models.BooleanField(
        "protégé des imports",
        default=False,
        help_text="Cocher après une correction à la main : les imports ne l'écraseront pas.",
    )
    search_text = models.TextField("texte de recherche", blank=True, editable=False)
    # Last name, then first name, as a French reader orders them (`core.text.sort_key`).
    sort_key = models.TextField("clé de tri", blank=True, editable=False, db_default="")

    # The birth date is never shown, so it is not copied into a history that staff browse.
    history = HistoricalRecords(
        verbose_name="historique de personne",
        verbose_name_plural="historiques de personnes",
        excluded_fields=["search_text", "sort_key", "birth_date"],
    )
    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = "personne"
        verbose_name_plural = "personnes"
        ordering = ["last_name", "first_name"]
        # The list of half a million people walks it and stops at its page.
        indexes = [models.Index(fields=["sort_key", "id"])]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.with_search_text()
        if not self.slug:
            self.slug = unique_slug(Person, self.full_name, instance_pk=self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return slug_url("people:detail", self.slug)

    def with_search_text(self):
        """Fill `search_text` from the searchable fields, and `sort_key` from the names; bulk
        writes call it as save() does."""
        self.search_text = search_key(self.first_name, self.last_name)
        self.sort_key = sort_key(self.last_name, self.first_name, reading=False)
        return self

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Function(models.TextChoices):
    PRESIDENT = "president", "Président(e)"
    VICE_PRESIDENT = "vice_president", "Vice-président(e)"
    COMMITTEE_CHAIR = "president_commission", "Président(e) de commission"
    DELEGATE = "conseiller_delegue", "Conseiller(ère) délégué(e)"
    COUNCILLOR = "conseiller", "Conseiller(ère)"
    MAYOR = "maire", "Maire"
    DEPUTY_MAYOR = "adjoint", "Adjoint(e) au maire"
    DIRECTOR = "directeur", "Directeur(rice)"
    STAFF = "agent", "Agent(e)"
    OTHER = "autre", "Autre"


# Masculine and feminine forms, so that titles agree with the person ("Présidente").
FUNCTION_TITLES = {
    Function.PRESIDENT: ("Président", "Présidente"),
    Function.VICE_PRESIDENT: ("Vice-président", "Vice-présidente"),
    Function.COMMITTEE_CHAIR: ("Président de commission", "Présidente de commission"),
    Function.DELEGATE: ("Conseiller délégué", "Conseillère déléguée"),
    Function.COUNCILLOR: ("Conseiller", "Conseillère"),
    Function.MAYOR: ("Maire", "Maire"),
    Function.DEPUTY_MAYOR: ("Adjoint au maire", "Adjointe au maire"),
    Function.DIRECTOR: ("Directeur", "Directrice"),
    Function.STAFF: ("Agent", "Agente"),
    Function.OTHER: ("Membre", "Membre"),
}

# A councillor's title names the council: « Conseillère régionale », « Conseiller municipal ».
COUNCIL_ADJECTIVES = {
    BodyKind.REGION: ("régional", "régionale"),
    BodyKind.DEPARTEMENT: ("départemental", "départementale"),
    BodyKind.COMMUNE: ("municipal", "municipale"),
    BodyKind.EPCI: ("communautaire", "communautaire"),
}


def current_condition(today: datetime.date | None = None) -> Q:
    """The rule behind « en cours » and « actuels »: a mandate the records show held today.

    Stricter than `active_on` on purpose. Checking a signature, an unknown date must not
    refuse a mandate the press release vouches for; telling the public someone holds a title
    today needs a known start, no end or one still ahead, and a mandate its official source
    still lists (an obsolete one vanished from the latest import, whatever its dates say).
    """
    today = today or timezone.localdate()
    return Q(start_date__lte=today, is_obsolete=False) & (
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )


class MandateQuerySet(models.QuerySet):
    def active_on(self, date: datetime.date):
        """Mandates held on `date`; an unknown start or end date does not exclude one."""
        return self.filter(
            Q(start_date__isnull=True) | Q(start_date__lte=date),
            Q(end_date__isnull=True) | Q(end_date__gte=date),
        )

    def current(self):
        """Mandates shown as held today (`current_condition`): undated ones are not."""
        return self.filter(current_condition())

    def undated(self):
        """Mandates no source dates the start of and none says ended: perhaps still held,
        but shown apart as « dates inconnues », never among the current ones."""
        return self.filter(start_date__isnull=True, is_obsolete=False).exclude(
            end_date__lt=timezone.localdate()
        )

    def with_is_current(self):
        """Each mandate with `is_current`, computed by the database with `current()`'s rule."""
        # Case rather than the bare condition: an unknown date makes it NULL, not False.
        return self.annotate(
            is_current=Case(
                When(current_condition(), then=True),
                default=False,
                output_field=models.BooleanField(),
            )
        )


class Mandate(models.Model):
    """A person's function in a body over a period (either end may be unknown)."""

    # PROTECT: mandates are cited by signatures and attendances; remove those first.
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="mandates", verbose_name="personne"
    )
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="mandates", verbose_name="organisme"
    )
    function = models.CharField("fonction", max_length=30, choices=Function.choices)
    label = models.CharField(
        "intitulé",
        max_length=255,
        blank=True,
        help_text="Le titre tel qu'il est écrit : « Vice-Présidente en charge de la "
        "Compétitivité, de l'Innovation et du Numérique ». Laisser vide pour le titre usuel.",
    )
    start_date = models.DateField("début", null=True, blank=True)
    end_date = models.DateField("fin", null=True, blank=True)
    elected = models.BooleanField("mandat électif", default=True)
    source = models.CharField(
        "source",
        max_length=30,
        blank=True,
        help_text="Fichier officiel qui tient ce mandat à jour (ex. « rne-cm ») ; "
        "vide pour une saisie à la main.",
    )
    is_obsolete = models.BooleanField(
        "obsolète",
        default=False,
        help_text="Absent du dernier import de sa source ; conservé pour l'historique.",
    )
    manually_edited = models.BooleanField(
        "protégé des imports",
        default=False,
        help_text="Cocher après une correction à la main : les imports ne l'écraseront pas.",
    )

    history = HistoricalRecords(
        verbose_name="historique de mandat", verbose_name_plural="historiques de mandats"
    )
    objects = MandateQuerySet.as_manager()

    class Meta:
        verbose_name = "mandat"
        verbose_name_plural = "mandats"
        ordering = ["person__last_name", "person__first_name", "-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="mandate_end_after_start",
                violation_error_message="La fin du mandat ne peut pas précéder son début.",
            ),
        ]
        indexes = [models.Index(fields=["body", "function"])]

    def __str__(self) -> str:
        return f"{self.person} — {self.title_with_body}"

    @property
    def title(self) -> str:
        """The title as written, or the usual one agreed with the person's gender."""
        if self.label:
            return self.label
        feminine = self.person.gender == Gender.FEMALE
        word = FUNCTION_TITLES[Function(self.function)][feminine]
        if self.function == Function.COUNCILLOR and self.body.kind in COUNCIL_ADJECTIVES:
            word = f"{word} {COUNCIL_ADJECTIVES[BodyKind(self.body.kind)][feminine]}"
        return word

    @property
    def title_with_body(self) -> str:
        """« Présidente, CA de Chaumont »."""
        return f"{self.title}, {self.body}"

    @property
    def period(self) -> str:
        """The dates as the public pages say them; never implies a mandate is still held."""
        start, end = (
            date_format(d, "j F Y") if d else None for d in (self.start_date, self.end_date)
        )
        if start and end:
            return f"du {start} au {end}"
        if start:
            return f"depuis le {start}"
        if end:
            return f"début inconnu, jusqu'au {end}"
        return "dates inconnues"

    def is_active_on(self, date: datetime.date) -> bool:
        return (self.start_date is None or self.start_date <= date) and (
            self.end_date is None or self.end_date >= date
        )

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "La fin du mandat ne peut pas précéder son début."})

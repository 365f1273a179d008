"""Areas (communes, EPCI, départements…) and the bodies (organisations) that act on them."""

import re

from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import (
    Case,
    Exists,
    F,
    Lookup,
    OuterRef,
    Q,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Collate, Concat, NullIf
from django.db.models.lookups import GreaterThanOrEqual, LessThan
from simple_history.models import HistoricalRecords

from core.links import slug_url
from core.text import (
    SearchQuerySet,
    search_key,
    search_words,
    sort_key,
    unique_slug,
    validate_siren,
)

# La Poste's codes: five digits, the first two close to (not always equal to) the département.
POSTAL_CODE = re.compile(r"[0-9]{5}")


class TerritoryKind(models.TextChoices):
    REGION = "region", "Région"
    DEPARTEMENT = "departement", "Département"
    COMMUNE = "commune", "Commune"
    ARRONDISSEMENT = "arrondissement", "Arrondissement municipal"
    METROPOLE = "metropole", "Métropole"
    CU = "cu", "Communauté urbaine"
    CA = "ca", "Communauté d'agglomération"
    CC = "cc", "Communauté de communes"
    PETR = "petr", "Pôle d'équilibre territorial et rural (PETR)"
    OTHER = "autre", "Autre"


# Intercommunalities with their own taxation (EPCI à fiscalité propre), identified by SIREN.
EPCI_KINDS = (TerritoryKind.METROPOLE, TerritoryKind.CU, TerritoryKind.CA, TerritoryKind.CC)
# Kinds identified by a SIREN rather than an INSEE code.
SIREN_KINDS = {*EPCI_KINDS, TerritoryKind.PETR}
# The official geographic hierarchy (INSEE): commune ⊂ département ⊂ région. An area of any
# other kind lies in one of these only if all its communes do (docs/architecture.md,
# « Contenance et chevauchement »).
GEOGRAPHIC_KINDS = (TerritoryKind.DEPARTEMENT, TerritoryKind.REGION)


class AmongIds(Lookup):
    """`AmongIds(F("pk"), ids)`: the column is one of the ids a subquery returns (a few
    hundred, often a UNION), as `pk__in=ids` but planned from the ids side on PostgreSQL.

    PostgreSQL estimates an `IN (subquery)` from the subquery's statistics and, past a
    couple of thousand expected ids, hashes them and scans the whole outer table (half a
    million people, 36,000 territories) instead of fetching each id by its index.
    `= ANY(ARRAY(subquery))` runs the subquery once and then looks each id up in the index,
    whatever the estimate. SQLite plans `IN` that way already.
    """

    lookup_name = "among_ids"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)
        return f"{lhs} IN {rhs}", (*lhs_params, *rhs_params)


def _keys_between(low: str, high: str) -> Q:
    """`low <= search_text < high` in byte order, read from the byte-order index on the key
    (`core.db.byte_order_index`; SQLite compares bytes already)."""
    text = F("search_text")
    if connection.vendor == "postgresql":
        text = Collate(text, "C")
    return Q(GreaterThanOrEqual(text, low), LessThan(text, high))


def _named_first(query: str) -> models.When:
    """The first rank of `best_matches`: the territories named `query` itself."""
    return models.When(pk__in=Territory.objects.named(query).values("pk"), then=0)


class TerritoryQuerySet(SearchQuerySet):
    """Containment follows true inclusion only (every part of A lies in B); two territories
    that share communes without one containing the other *overlap*. docs/architecture.md,
    « Contenance et chevauchement »."""

    def inside(self, territory):
        """Every territory contained, directly or not, in `territory` (one indexed query)."""
        return self.filter(ancestor_links__ancestor=territory)

    def children_of(self, territory):
        """The territories `territory` directly contains (`territory.children`), each read by
        its id: joined to the link table, PostgreSQL hashes the few hundred communes of a
        département against all 36,000 territories."""
        links = Territory.parents.through.objects.filter(to_territory=territory).order_by()
        return self.filter(AmongIds(F("pk"), links.values("from_territory_id")))

    def within(self, territory):
        """`territory` itself and every territory inside it, directly or not (no duplicates)."""
        inside = TerritoryAncestor.objects.filter(ancestor=territory).order_by()
        itself = Territory.objects.filter(pk=territory.pk).order_by().values("pk")
        # A UNION read through the indexes: `pk = x OR pk IN (…)` scans every territory.
        return self.filter(AmongIds(F("pk"), itself.union(inside.values("territory_id"))))

    def containing(self, territory):
        """Every territory that contains `territory`, directly or not (one indexed query)."""
        return self.filter(descendant_links__territory=territory)

    def overlapping(self, territory):
        """Territories sharing part of `territory` without containing it or lying inside it:
        a communauté de communes straddling two départements overlaps both."""
        return (
            self.related_to(territory)
            .exclude(pk__in=Territory.objects.within(territory).values("pk"))
            .exclude(pk__in=Territory.objects.containing(territory).values("pk"))
        )

    def related_to(self, territory):
        """`territory`, what lies inside it, what contains it and what overlaps it."""
        return self.related_to_any(Territory.objects.filter(pk=territory.pk))

    def related_to_any(self, territories):
        """Territories that are one of `territories`, lie inside one, contain one or overlap one.

        A territory overlaps another when it contains something the other is or contains (a
        commune, an EPCI…), so the rule is: the parts of `territories` (themselves and what
        lies inside them), everything containing one of those parts, and the overlaps the
        imports recorded (`Territory.overlaps`, both ways) where the shared communes are not
        loaded.
        """
        links = TerritoryAncestor.objects.order_by()
        overlaps = Territory.overlaps.through.objects.order_by()
        pks = territories.order_by().values("pk")
        inside = links.filter(ancestor__in=pks).values("territory_id")
        # One UNION of small id lists, each read through an index, rather than an OR of
        # IN subqueries, which makes PostgreSQL scan every territory and every link.
        ids = pks.union(
            inside,
            links.filter(territory__in=pks).values("ancestor_id"),
            links.filter(AmongIds(F("territory"), inside)).values("ancestor_id"),
            overlaps.filter(from_territory__in=pks).values("to_territory_id"),
            overlaps.filter(to_territory__in=pks).values("from_territory_id"),
        )
        return self.filter(AmongIds(F("pk"), ids))

    def related_pairs(self, territories) -> set[tuple[int, int]]:
        """(t, r) for each of `territories` and each territory r of this queryset related to
        it by the rule of `related_to_any` (is, lies inside, contains, overlaps).

        This queryset must hold territories that cannot overlap one another (départements,
        or régions): then a t inside one of them has no part in another, and only the t
        inside none need their parts looked at. Two queries whatever the number of
        territories and départements (what counts pacts per département): this queryset's
        ids, then one UNION of pairs in which `territories` stays a subquery, never a list
        of ids sent back to the database.
        """
        links = TerritoryAncestor.objects.order_by()
        overlaps = Territory.overlaps.through.objects.order_by()
        wanted = list(self.order_by().values_list("pk", flat=True))
        if not wanted:
            return set()
        pks = territories.order_by().values("pk")
        # r holds a part of t (t ⊃ part ⊂ r) while t lies in none of them: t straddles.
        straddling = (
            Territory.objects.order_by()
            .filter(pk__in=pks)
            .exclude(pk__in=wanted)
            # NOT EXISTS, looked up per t: `NOT IN` would read every link to every département.
            .exclude(Exists(links.filter(territory=OuterRef("pk"), ancestor__in=wanted)))
            .values("pk")
        )
        pairs = (
            Territory.objects.order_by()
            .filter(pk__in=pks)
            .filter(pk__in=wanted)
            .annotate(related=F("pk"))
            .values_list("pk", "related")
            .union(
                links.filter(territory__in=pks, ancestor__in=wanted).values_list(
                    "territory_id", "ancestor_id"
                ),
                links.filter(ancestor__in=pks, territory__in=wanted).values_list(
                    "ancestor_id", "territory_id"
                ),
                links.filter(
                    ancestor__in=straddling, territory__ancestor_links__ancestor__in=wanted
                ).values_list("ancestor_id", "territory__ancestor_links__ancestor_id"),
                overlaps.filter(from_territory__in=pks, to_territory__in=wanted).values_list(
                    "from_territory_id", "to_territory_id"
                ),
                overlaps.filter(to_territory__in=pks, from_territory__in=wanted).values_list(
                    "to_territory_id", "from_territory_id"
                ),
            )
        )
        return set(pairs)

    def with_code(self, code: str):
        """Territories whose official code is `code` (a code is unique only within a kind)."""
        return self.filter(code=code.strip().upper()) if code.strip() else self.none()

    def with_postal_code(self, postal_code: str):
        """Communes and arrondissements served by `postal_code` (a code serves several)."""
        postal_code = postal_code.strip()
        if not POSTAL_CODE.fullmatch(postal_code):
            return self.none()
        # The search key holds the postal codes, so the trigram index narrows the scan first.
        return self.filter(search_text__contains=postal_code, postal_codes__contains=postal_code)

    # Exact name first, then names starting with the words, then the rest; the most populated
    # first within each.
    BEST_ORDER = (
        "match_rank",
        models.F("population").desc(nulls_last=True),
        "sort_key",
        "code",
    )

    def best_matches(self, query: str):
        """Territories matching `query` by the search rule, best first: the name itself, then
        names starting with the words, then the most populated — « saint » puts
        Saint-Denis before Abbeville-Saint-Lucien, « chaumont » Chaumont before Bréchaumont."""
        key = " ".join(search_words(query))
        return (
            self.search(query)
            .annotate(
                match_rank=models.Case(
                    _named_first(query), models.When(search_text__startswith=key, then=1), default=2
                )
            )
            .order_by(*self.BEST_ORDER)
        )

    def first_best_matches(self, query: str, limit: int) -> list:
        """`best_matches(query)[:limit]`, read without ranking every match when it can be.

        A common word (« saint ») is held by thousands of names, most of which start with it:
        the first matches are then among the names starting with the words (the name itself
        ranks first among them), read from the byte-order index on the key
        (`core.db.byte_order_index`) rather than by finding, ranking and sorting every name
        that holds the word. When fewer than `limit` names start with the words, the others are
        read by `best_matches` itself: the same rows in the same order either way.
        """
        key = " ".join(search_words(query))
        if not key:
            return list(self.best_matches(query)[:limit])
        # Every key starting with `key` lies between it and `key` with its last character
        # incremented, in byte order (which UTF-8 keeps from code points).
        starting = (
            self.filter(_keys_between(key, key[:-1] + chr(ord(key[-1]) + 1)))
            .annotate(match_rank=models.Case(_named_first(query), default=1))
            .order_by(*self.BEST_ORDER)
        )
        # Their ids first, then the rows (with what `self` prefetches): two statements either
        # way, whatever the data.
        ids = list(starting.values_list("pk", flat=True)[:limit])
        if len(ids) < limit:
            return list(self.best_matches(query)[:limit])
        rows = {row.pk: row for row in self.filter(pk__in=ids)}
        return [rows[pk] for pk in ids]

    def identified_by(self, value: str):
        """Territories a visitor may mean by `value`: its identifier in URLs (slug), else its
        official code, else a postal code it is served by, else its name (see `named`). The
        first of these that matches anything wins; several rows mean the value is ambiguous.
        """
        value = value.strip()
        if not value:
            return self.none()
        for candidates in (
            self.filter(slug=value.lower()),
            self.with_code(value),
            self.with_postal_code(value),
            self.named(value),
        ):
            if candidates.exists():
                return candidates
        return self.none()

    def named(self, name: str):
        """Territories whose name is `name`, accents, case, hyphens and « St » ignored."""
        key = " ".join(search_words(name, limit=None))
        if not key:
            return self.none()
        # `search_text` is the name's key, then the code and postal codes: the name is the
        # whole key or the part before a code (a word holding a digit).
        pattern = "^" + re.escape(key) + r"( [^ ]*[0-9][^ ]*)*$"
        # Every code starts with a digit (« 52121 », « 2a004 », a SIREN) and keys hold only
        # letters, digits and spaces: in byte order, the key and the key followed by codes lie
        # between the key and the key followed by " :" (« : » comes after « 9 »). That range is
        # read from a byte-order index (`core.db.byte_order_index`), and the pattern tried on
        # its few rows, not on the thousands of names starting with a common word (« saint »).
        return self.filter(
            _keys_between(key, key + " :"), Q(search_text=key) | Q(search_text__regex=pattern)
        )


class Territory(models.Model):
    """An area: région, département, commune, EPCI or PETR, from the official references."""

    kind = models.CharField("type", max_length=20, choices=TerritoryKind.choices)
    code = models.CharField(
        "code officiel",
        max_length=9,
        blank=True,
        help_text="Code INSEE (région, département, commune) ou SIREN (EPCI, PETR). "
        "Laisser vide s'il n'est pas connu.",
    )
    name = models.CharField("nom", max_length=200)
    slug = models.SlugField("identifiant d'URL", max_length=220, unique=True, blank=True)
    parents = models.ManyToManyField(
        "self",
        symmetrical=False,
        related_name="children",
        blank=True,
        verbose_name="contenu dans",
        help_text="Territoires qui contiennent directement celui-ci "
        "(département et EPCI d'une commune, PETR d'une communauté de communes…).",
    )
    # Not containment: the closure never follows it. Imports record it from the member
    # communes' codes, so it is known even when those communes are not loaded (the Grand Est
    # extract lists an EPCI's members in Haute-Saône without importing them).
    overlaps = models.ManyToManyField(
        "self",
        symmetrical=False,
        related_name="overlapped_by",
        blank=True,
        verbose_name="chevauche",
        help_text="Départements et régions où se trouve une partie seulement de ses communes "
        "(tenu à jour par les imports).",
    )
    is_obsolete = models.BooleanField(
        "obsolète",
        default=False,
        help_text="Ne figure plus dans le référentiel officiel ; conservé pour l'historique.",
    )
    manually_edited = models.BooleanField(
        "protégé des imports",
        default=False,
        help_text="Cocher après une correction à la main : les imports ne l'écraseront pas.",
    )
    population = models.PositiveIntegerField(
        "population",
        null=True,
        blank=True,
        help_text="Population municipale (INSEE) : celle de la commune, de l'EPCI, ou la somme "
        "des communes importées pour un département ou une région.",
    )
    postal_codes = models.CharField(
        "codes postaux",
        max_length=255,
        blank=True,
        help_text="Codes postaux de la commune (La Poste), séparés par des espaces.",
    )
    search_text = models.TextField("texte de recherche", blank=True, editable=False)
    # The name as a French reader orders it (`core.text.sort_key`): homonyms by code.
    sort_key = models.TextField("clé de tri", blank=True, editable=False, db_default="")

    objects = TerritoryQuerySet.as_manager()

    class Meta:
        verbose_name = "territoire"
        verbose_name_plural = "territoires"
        ordering = ["name", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "code"],
                condition=~Q(code=""),
                name="territory_unique_code_per_kind",
                violation_error_message="Un territoire de ce type porte déjà ce code officiel.",
            ),
            # Without a code, the name is what tells two territories of a kind apart.
            models.UniqueConstraint(
                fields=["kind", "name"],
                condition=Q(code=""),
                name="territory_unique_name_without_code",
                violation_error_message="Un territoire de ce type et de ce nom existe déjà "
                "sans code officiel.",
            ),
        ]
        # `kind`: the hundred départements (or régions) are read among 36,000 territories on
        # most public pages (filter choices, pacts per département).
        indexes = [
            models.Index(fields=["code"]),
            models.Index(fields=["kind"]),
            # The list pages walk it in reading order and stop at their page.
            models.Index(fields=["sort_key", "code"]),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})" if self.code else self.name

    def save(self, *args, **kwargs):
        self.with_search_text()
        if not self.slug:
            self.slug = unique_slug(Territory, f"{self.name} {self.code}", instance_pk=self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return slug_url("territories:detail", self.slug)

    def with_search_text(self):
        """Fill `search_text` from the searchable fields, and `sort_key` from the name; bulk
        writes call it as save() does."""
        self.search_text = search_key(self.name, self.code, self.postal_codes)
        self.sort_key = sort_key(self.name)
        return self

    def clean(self):
        self.code = self.code.strip().upper()
        if self.code and self.kind in SIREN_KINDS:
            try:
                validate_siren(self.code)
            except ValidationError as error:
                raise ValidationError({"code": error.messages}) from error


class TerritoryAncestor(models.Model):
    """Derived closure of `Territory.parents`: one row per (territory, any container).

    Maintained by `territories.services.containment_rebuild`, never edited by hand. It turns
    "everything inside Haute-Marne" and "everything containing Chaumont" into one join each.
    """

    # Both sides cascade: the row is derived data about the two territories and nothing else.
    territory = models.ForeignKey(
        Territory, on_delete=models.CASCADE, related_name="ancestor_links"
    )
    ancestor = models.ForeignKey(
        Territory, on_delete=models.CASCADE, related_name="descendant_links"
    )

    class Meta:
        verbose_name = "inclusion (calculée)"
        verbose_name_plural = "inclusions (calculées)"
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "ancestor"], name="territory_ancestor_unique"
            ),
            models.CheckConstraint(
                condition=~Q(territory=models.F("ancestor")), name="territory_not_own_ancestor"
            ),
        ]
        indexes = [models.Index(fields=["ancestor", "territory"])]

    def __str__(self) -> str:
        return f"{self.territory} ⊂ {self.ancestor}"


def territory_label(path: str = ""):
    """`str(territory)` computed by the database (« Chaumont (52121) »), for the exports;
    `path` leads to the territory from the queried model (`"commune__"`)."""
    return Case(
        When(**{f"{path}code": ""}, then=F(f"{path}name")),
        default=Concat(F(f"{path}name"), Value(" ("), F(f"{path}code"), Value(")")),
        output_field=TextField(),
    )


def body_label(path: str = ""):
    """`str(body)` computed by the database: its short name, else its name."""
    return Coalesce(NullIf(F(f"{path}short_name"), Value("")), F(f"{path}name"))


def departement_links_prefetch(through: str = "") -> models.Prefetch:
    """A territory's links to the départements containing it, as `departement_links`;
    `through` reaches the territory from another model (`"territory__"` from a body)."""
    return models.Prefetch(
        f"{through}ancestor_links",
        queryset=TerritoryAncestor.objects.filter(
            ancestor__kind=TerritoryKind.DEPARTEMENT
        ).select_related("ancestor"),
        to_attr="departement_links",
    )


def territory_departements(territory: Territory) -> list[Territory]:
    """The département itself, or those containing it (from the prefetched ancestor links)."""
    if territory.kind == TerritoryKind.DEPARTEMENT:
        return [territory]
    return [link.ancestor for link in territory.departement_links]


def territory_located_in(territory: Territory) -> list[Territory]:
    """The départements a territory is, lies in or, for an EPCI in none, overlaps.

    Reads `departement_links` (`departement_links_prefetch`) and `overlaps` as prefetched.
    """
    return territory_departements(territory) or [
        t for t in territory.overlaps.all() if t.kind == TerritoryKind.DEPARTEMENT
    ]


def territory_description(territory: Territory) -> str:
    """« Commune · 52121 · Haute-Marne (52) »: what tells homonyms apart (same prefetches as
    `territory_located_in`)."""
    places = [] if territory.kind == TerritoryKind.DEPARTEMENT else territory_located_in(territory)
    where = ", ".join(f"{d.name} ({d.code})" for d in places)
    return " · ".join(p for p in (territory.get_kind_display(), territory.code, where) if p)


class BodyKind(models.TextChoices):
    REGION = "region", "Région"
    DEPARTEMENT = "departement", "Département"
    COMMUNE = "commune", "Commune"
    EPCI = "epci", "Intercommunalité (EPCI)"
    PETR = "petr", "PETR"
    STATE = "etat", "Service de l'État"
    CHAMBER = "chambre", "Chambre consulaire"
    COMPANY = "entreprise", "Entreprise"
    ASSOCIATION = "association", "Association"
    OTHER = "autre", "Autre"


class Body(models.Model):
    """An organisation that can sign, host or employ: a collectivity, a PETR, a company…"""

    kind = models.CharField("type", max_length=20, choices=BodyKind.choices)
    name = models.CharField("nom", max_length=255)
    short_name = models.CharField(
        "nom court",
        max_length=100,
        blank=True,
        help_text="Sigle ou nom d'usage (« CA de Chaumont »).",
    )
    siren = models.CharField(
        "SIREN",
        max_length=9,
        blank=True,
        validators=[validate_siren],
        help_text="9 chiffres, vérifiés par la clé de Luhn. Laisser vide s'il n'est pas connu.",
    )
    # PROTECT: a body's area is reference data; territories are marked obsolete, never deleted.
    territory = models.ForeignKey(
        Territory,
        on_delete=models.PROTECT,
        related_name="bodies",
        null=True,
        blank=True,
        verbose_name="territoire administré",
    )
    slug = models.SlugField("identifiant d'URL", max_length=220, unique=True, blank=True)
    website = models.URLField("site internet", blank=True)
    is_obsolete = models.BooleanField(
        "obsolète",
        default=False,
        help_text="N'existe plus dans le référentiel officiel ; conservé pour l'historique.",
    )
    manually_edited = models.BooleanField(
        "protégé des imports",
        default=False,
        help_text="Cocher après une correction à la main : les imports ne l'écraseront pas.",
    )
    search_text = models.TextField("texte de recherche", blank=True, editable=False)
    # The name as a French reader orders it (`core.text.sort_key`).
    sort_key = models.TextField("clé de tri", blank=True, editable=False, db_default="")

    history = HistoricalRecords(
        verbose_name="historique d'organisme",
        verbose_name_plural="historiques d'organismes",
        excluded_fields=["search_text", "sort_key"],
    )
    objects = SearchQuerySet.as_manager()

    class Meta:
        verbose_name = "organisme"
        verbose_name_plural = "organismes"
        ordering = ["name"]
        # Lists and selects read bodies in reading (or name) order, the first page or first
        # 151 only: walked along these indexes, they stop early instead of sorting 36,000.
        indexes = [models.Index(fields=["name"]), models.Index(fields=["sort_key", "id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["siren"],
                condition=~Q(siren=""),
                name="body_unique_siren",
                violation_error_message="Un organisme porte déjà ce SIREN.",
            ),
            # The Luhn key is checked by forms; the database still refuses a wrong length.
            models.CheckConstraint(
                condition=Q(siren="") | Q(siren__regex=r"^[0-9]{9}$"),
                name="body_siren_nine_digits",
                violation_error_message="Un SIREN comporte exactement 9 chiffres.",
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    def save(self, *args, **kwargs):
        self.with_search_text()
        if not self.slug:
            self.slug = unique_slug(Body, self.short_name or self.name, instance_pk=self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return slug_url("territories:body_detail", self.slug)

    def with_search_text(self):
        """Fill `search_text` from the searchable fields, and `sort_key` from the name; bulk
        writes call it as save() does."""
        self.search_text = search_key(self.name, self.short_name, self.siren)
        self.sort_key = sort_key(self.name)
        return self

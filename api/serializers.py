"""What the API shows of each row, in French field names close to the CSV columns.

Every serializer reads only what its selector prefetched (`public/selectors/`), so a page of
the API runs as many queries as the HTML page of the same list. Every object, nested ones
included, carries `url` (its public page) and `api` (its API address, « API »).
"""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.addresses import api_path
from territories.models import territory_departements


@extend_schema_field(OpenApiTypes.URI)
class PageUrlField(serializers.Field):
    """The row's public page, as an absolute address."""

    def __init__(self, source="*", **kwargs):
        super().__init__(source=source, read_only=True, **kwargs)

    def to_representation(self, value):
        return self.context["request"].build_absolute_uri(value.get_absolute_url())


@extend_schema_field(OpenApiTypes.URI)
class ApiUrlField(PageUrlField):
    """The row's API address, as an absolute address."""

    def to_representation(self, value):
        return self.context["request"].build_absolute_uri(api_path(value))


# --- References: what a nested object shows ---------------------------------------------------


class TerritoryRefSerializer(serializers.Serializer):
    identifiant = serializers.CharField(source="slug")
    nom = serializers.CharField(source="name")
    type = serializers.CharField(source="kind")
    code = serializers.CharField(help_text="Code INSEE, ou SIREN d'un EPCI ou d'un PETR.")
    url = PageUrlField()
    api = ApiUrlField()


class BodyRefSerializer(serializers.Serializer):
    identifiant = serializers.CharField(source="slug")
    nom = serializers.CharField(source="name")
    siren = serializers.CharField()
    url = PageUrlField()
    api = ApiUrlField()


class PersonRefSerializer(serializers.Serializer):
    identifiant = serializers.CharField(source="slug")
    prenom = serializers.CharField(source="first_name")
    nom = serializers.CharField(source="last_name")
    url = PageUrlField()
    api = ApiUrlField()


class PactRefSerializer(serializers.Serializer):
    identifiant = serializers.CharField(source="slug")
    titre = serializers.CharField(source="title")
    url = PageUrlField()
    api = ApiUrlField()


class SigningRefSerializer(serializers.Serializer):
    identifiant = serializers.CharField(source="slug")
    date = serializers.DateField()
    commune = TerritoryRefSerializer()
    lieu = serializers.CharField(source="venue")
    url = PageUrlField()
    api = ApiUrlField()


class ProgrammeSerializer(serializers.Serializer):
    identifiant = serializers.CharField(source="slug")
    nom = serializers.CharField(source="name")
    sigle = serializers.CharField(source="acronym")


class PartySerializer(serializers.Serializer):
    organisme = BodyRefSerializer(source="body")
    role = serializers.CharField(help_text="signataire ou partenaire")
    role_libelle = serializers.CharField(source="get_role_display")


# --- Pacts -------------------------------------------------------------------------------------


class PactSerializer(serializers.Serializer):
    """A pact as a row of `/api/v1/pactes/` (what a card of `/pactes/` shows)."""

    identifiant = serializers.CharField(source="slug")
    titre = serializers.CharField(source="title")
    programme = ProgrammeSerializer()
    statut = serializers.CharField(source="status")
    statut_libelle = serializers.CharField(source="get_status_display")
    date_signature = serializers.DateField(
        source="first_signing", allow_null=True, help_text="Date de la première signature."
    )
    debut_validite = serializers.DateField(source="start_date", allow_null=True)
    fin_validite = serializers.DateField(source="end_date", allow_null=True)
    resume = serializers.CharField(source="summary")
    themes = serializers.SerializerMethodField()
    # What `public.selectors.pacts.pact_cards` prefetched, as a card of `/pactes/` reads it.
    territoires = TerritoryRefSerializer(source="card_territories", many=True)
    parties = PartySerializer(source="card_parties", many=True)
    signatures = SigningRefSerializer(source="card_signings", many=True)
    url = PageUrlField()
    api = ApiUrlField()

    def get_themes(self, pact) -> list[str]:
        return [theme.name for theme in pact.card_themes]


class StrategySerializer(serializers.Serializer):
    sigle = serializers.CharField(source="acronym")
    nom = serializers.CharField(source="name")
    lien = serializers.CharField(source="url")


class ActionSerializer(serializers.Serializer):
    titre = serializers.CharField(source="title")
    description = serializers.CharField()
    statut = serializers.CharField(source="status")
    statut_libelle = serializers.CharField(source="get_status_display")
    budget = serializers.DecimalField(
        max_digits=14, decimal_places=2, coerce_to_string=False, allow_null=True
    )
    pilote = BodyRefSerializer(source="lead_body", allow_null=True)


class SourceSerializer(serializers.Serializer):
    titre = serializers.CharField(source="title")
    lien = serializers.CharField(source="url")
    date = serializers.DateField(allow_null=True)
    document = serializers.SerializerMethodField(help_text="Le document PDF, s'il est publié.")

    @extend_schema_field(OpenApiTypes.URI)
    def get_document(self, source) -> str | None:
        if not source.document_size:
            return None
        path = reverse("pacts:source_document", kwargs={"pk": source.pk})
        return self.context["request"].build_absolute_uri(path)


class SignatorySerializer(serializers.Serializer):
    """A party as it signed: the person who signed for it and their titles that day."""

    organisme = BodyRefSerializer(source="party.body")
    role = serializers.CharField(source="party.role")
    date_signature = serializers.DateField(source="signed_on", allow_null=True)
    signataire = PersonRefSerializer(source="party.mandate.person", allow_null=True)
    titres = serializers.ListField(source="titles", child=serializers.CharField())


class AttendeeSerializer(serializers.Serializer):
    personne = PersonRefSerializer(source="attendance.person")
    titres = serializers.ListField(source="titles", child=serializers.CharField())


class StatementSerializer(serializers.Serializer):
    personne = PersonRefSerializer(source="person")
    texte = serializers.CharField(source="text")


class SigningPartSerializer(serializers.Serializer):
    """A signing of a pact's page: who signed there, who attended, what was said."""

    identifiant = serializers.CharField(source="event.slug")
    date = serializers.DateField(source="event.date")
    commune = TerritoryRefSerializer(source="event.commune")
    lieu = serializers.CharField(source="event.venue")
    description = serializers.CharField(source="event.description")
    signataires = SignatorySerializer(source="signatories", many=True)
    presents = AttendeeSerializer(source="attendees", many=True)
    declarations = StatementSerializer(source="event.statements.all", many=True)
    url = PageUrlField(source="event")
    api = ApiUrlField(source="event")


class PactDetailSerializer(PactSerializer):
    """One pact with everything its page shows."""

    description = serializers.CharField()
    # The pact page's own reads (`public.selectors.pacts.pact_detail`), not a card's.
    territoires = TerritoryRefSerializer(source="territories.all", many=True)
    strategies = StrategySerializer(source="strategies.all", many=True)
    parties = SignatorySerializer(source="api_signatories", many=True)
    signatures = SigningPartSerializer(source="api_signings", many=True)
    actions = ActionSerializer(source="actions.all", many=True)
    sources = SourceSerializer(source="sources.all", many=True)
    mis_a_jour = serializers.DateTimeField(source="updated_at")

    def get_themes(self, pact) -> list[str]:
        return [theme.name for theme in pact.themes.all()]


# --- Signing events ----------------------------------------------------------------------------


class EventPartySerializer(serializers.Serializer):
    organisme = BodyRefSerializer(source="body")
    signataire = PersonRefSerializer(source="mandate.person", allow_null=True)


class SigningSerializer(serializers.Serializer):
    """A signing event as a row of `/api/v1/signatures/`."""

    identifiant = serializers.CharField(source="slug")
    date = serializers.DateField()
    commune = TerritoryRefSerializer()
    lieu = serializers.CharField(source="venue")
    pacte = PactRefSerializer(source="pact")
    programme = ProgrammeSerializer(source="pact.programme")
    parties = EventPartySerializer(source="listed_parties", many=True)
    url = PageUrlField()
    api = ApiUrlField()


class SigningDetailSerializer(serializers.Serializer):
    """One signing event with everything its page shows (read from `signing_detail`)."""

    identifiant = serializers.CharField(source="event.slug")
    date = serializers.DateField(source="event.date")
    commune = TerritoryRefSerializer(source="event.commune")
    lieu = serializers.CharField(source="event.venue")
    description = serializers.CharField(source="event.description")
    pacte = PactRefSerializer(source="pact")
    programme = ProgrammeSerializer(source="pact.programme")
    signataires = SignatorySerializer(source="signing.signatories", many=True)
    presents = AttendeeSerializer(source="signing.attendees", many=True)
    declarations = StatementSerializer(source="event.statements.all", many=True)
    autres_signatures = SigningRefSerializer(source="pact.other_signings", many=True)
    sources = SourceSerializer(source="pact.sources.all", many=True)
    url = PageUrlField(source="event")
    api = ApiUrlField(source="event")


# --- Territories -------------------------------------------------------------------------------


class TerritorySerializer(serializers.Serializer):
    """A territory as a row of `/api/v1/territoires/`."""

    identifiant = serializers.CharField(source="slug")
    nom = serializers.CharField(source="name")
    type = serializers.CharField(source="kind")
    type_libelle = serializers.CharField(source="get_kind_display")
    code = serializers.CharField(help_text="Code INSEE, ou SIREN d'un EPCI ou d'un PETR.")
    population = serializers.IntegerField(allow_null=True)
    obsolete = serializers.BooleanField(source="is_obsolete")
    contenu_dans = TerritoryRefSerializer(source="parents.all", many=True)
    departements = serializers.SerializerMethodField()
    url = PageUrlField()
    api = ApiUrlField()

    @extend_schema_field(TerritoryRefSerializer(many=True))
    def get_departements(self, territory):
        rows = territory_departements(territory)
        return TerritoryRefSerializer(rows, many=True, context=self.context).data


class PactsOfSerializer(serializers.Serializer):
    """The published pacts of a territory, body or person page: how many, the first ones,
    and the API list holding all of them."""

    nombre = serializers.IntegerField(source="count")
    premiers = PactRefSerializer(source="first", many=True)
    liste = serializers.URLField(source="list_url")


class TerritoryDetailSerializer(TerritorySerializer):
    contenants = TerritoryRefSerializer(source="api_containers", many=True)
    chevauche = TerritoryRefSerializer(source="api_overlapping", many=True)
    contient = TerritoryRefSerializer(
        source="api_children", many=True, help_text="Les 60 premiers territoires contenus."
    )
    nombre_contenus = serializers.IntegerField(source="api_children_count")
    pactes = PactsOfSerializer(source="api_pacts")


# --- Bodies ------------------------------------------------------------------------------------


class BodySerializer(serializers.Serializer):
    """A body as a row of `/api/v1/organismes/`."""

    identifiant = serializers.CharField(source="slug")
    nom = serializers.CharField(source="name")
    nom_court = serializers.CharField(source="short_name")
    type = serializers.CharField(source="kind")
    type_libelle = serializers.CharField(source="get_kind_display")
    siren = serializers.CharField()
    territoire = TerritoryRefSerializer(source="territory", allow_null=True)
    pactes_publies = serializers.IntegerField(source="published_pacts")
    site_internet = serializers.CharField(source="website")
    url = PageUrlField()
    api = ApiUrlField()


class OfficialSerializer(serializers.Serializer):
    personne = PersonRefSerializer(source="person")
    titre = serializers.CharField(source="title")
    debut = serializers.DateField(source="start_date", allow_null=True)
    fin = serializers.DateField(source="end_date", allow_null=True)


class BodyDetailSerializer(BodySerializer):
    pactes_publies = None  # the page counts them in `pactes`
    elus_actuels = OfficialSerializer(source="api_officials", many=True)
    elus_dates_inconnues = OfficialSerializer(source="api_undated_officials", many=True)
    pactes = PactsOfSerializer(source="api_pacts")


# --- People ------------------------------------------------------------------------------------


class MandateSerializer(serializers.Serializer):
    titre = serializers.CharField(source="title")
    fonction = serializers.CharField(source="function")
    organisme = BodyRefSerializer(source="body")
    debut = serializers.DateField(source="start_date", allow_null=True)
    fin = serializers.DateField(source="end_date", allow_null=True)
    elu = serializers.BooleanField(source="elected")


class PersonSerializer(serializers.Serializer):
    """A person as a row of `/api/v1/personnes/`."""

    identifiant = serializers.CharField(source="slug")
    prenom = serializers.CharField(source="first_name")
    nom = serializers.CharField(source="last_name")
    titres_actuels = serializers.SerializerMethodField()
    mandats = MandateSerializer(source="mandates.all", many=True)
    url = PageUrlField()
    api = ApiUrlField()

    def get_titres_actuels(self, person) -> list[str]:
        return [mandate.title_with_body for mandate in person.current_mandates]


class PersonSignatureSerializer(serializers.Serializer):
    pacte = PactRefSerializer(source="pact")
    organisme = BodyRefSerializer(source="body")
    signature = SigningRefSerializer(source="signing_event", allow_null=True)


class PersonAttendanceSerializer(serializers.Serializer):
    pacte = PactRefSerializer(source="event.pact")
    signature = SigningRefSerializer(source="event")


class PersonDetailSerializer(serializers.Serializer):
    """One person with everything their page shows (read from `person_detail`)."""

    identifiant = serializers.CharField(source="person.slug")
    prenom = serializers.CharField(source="person.first_name")
    nom = serializers.CharField(source="person.last_name")
    mandats = MandateSerializer(source="mandates", many=True)
    signatures = PersonSignatureSerializer(many=True)
    presences = PersonAttendanceSerializer(source="attendances", many=True)
    url = PageUrlField(source="person")
    api = ApiUrlField(source="person")

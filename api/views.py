"""The read-only JSON API (docs/architecture.md, « API »).

Each list is the public list of the same name served as JSON: the same `PublicList` (its
selector, hence its FilterSet and its published-only queryset, and what its page prefetches),
so the API returns the rows of the HTML list in the same order. Each detail reads the public
page's own selector. Nothing here filters or orders rows itself.
"""

from types import SimpleNamespace

from django.db.models import prefetch_related_objects
from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from api import serializers
from api.errors import RequestRefused
from api.pagination import ApiPagination
from core.cache import held_row
from public.filters.pacts import PactFilter
from public.filters.people import PersonFilter
from public.filters.signings import SigningEventFilter
from public.filters.territories import BodyFilter, TerritoryFilter
from public.selection import Selection
from public.selectors import bodies, pacts, people, signings, territories
from public.selectors.scope import HeldRow, RankedRows
from public.views.pacts import PACT_LIST, SIGNING_LIST
from public.views.people import PERSON_LIST
from public.views.territories import BODY_LIST, TERRITORY_LIST
from territories.models import Body, Territory, TerritoryKind, departement_links_prefetch

# How many of a territory's, body's pacts a detail answer names; `liste` gives them all.
FIRST_PACTS = 20


def refusals(selection: Selection) -> list[str]:
    """Why the API cannot answer these filters as asked: the export's reasons (malformed
    values, unknown parameters, an ambiguous territory), and a malformed sort too, which
    the page and the export replace by the default order but a program should hear about."""
    filterset = selection.filterset
    malformed_order = [
        f"Paramètre « {label} » : la valeur « {value} » n'est pas reconnue ({reason})."
        for name, label, value, reason in filterset.invalid_values()
        if name in filterset.ordering_parameters
    ]
    return selection.refusals + malformed_order


def filter_parameters(filterset_class) -> list[OpenApiParameter]:
    """The OpenAPI description of a list's filters, from its FilterSet (labels in French)."""
    parameters = []
    for name, declared in filterset_class.base_filters.items():
        # Fixed choices (statuses, sorts) become an enum; lazy ones (`public/choices.py`,
        # read from the data) are left out: the schema must not query the database.
        choices = declared.extra.get("choices")
        enum = [key for key, _ in choices] if isinstance(choices, list | tuple) else None
        parameters.append(
            OpenApiParameter(
                name,
                str,
                OpenApiParameter.QUERY,
                description=str(declared.label or name),
                enum=enum or None,
            )
        )
    return parameters


def path_parameter(name: str, description: str, **kwargs) -> OpenApiParameter:
    return OpenApiParameter(name, str, OpenApiParameter.PATH, description=description, **kwargs)


class ApiListView(GenericAPIView):
    """One public list as JSON: its filters, its rows in its order, paginated."""

    spec = None  # the `PublicList` of the HTML page
    pagination_class = ApiPagination

    def get(self, request):
        # `taille` is the API's own parameter: the list's selector does not know it.
        filters = request.GET.copy()
        filters.pop(ApiPagination.page_size_query_param, None)
        selection = self.spec.selector(filters=filters)
        reasons = refusals(selection)
        if reasons:
            raise RequestRefused(reasons)
        # Each row as the process last represented it for this data version and this address
        # of the site (every row names its absolute URLs), when the list's rows may be kept.
        held_as = f"api:{self.serializer_class.__name__}:{request.build_absolute_uri('/')}"
        source = self.spec.page_source(selection, holding=held_as)
        page = self.paginate_queryset(source)
        serializer = self.get_serializer()
        if not (isinstance(source, RankedRows) and source.held):  # rows not kept
            rows = [serializer.to_representation(row) for row in page]
        else:
            rows = [
                row.shown
                if isinstance(row, HeldRow)
                else held_row((held_as, row.pk), lambda row=row: serializer.to_representation(row))
                for row in page
            ]
        response = self.get_paginated_response(rows)
        # A well-formed value matching nothing: an empty list, and why (« Filters never widen »).
        response.data["constats"] = selection.findings
        return response


def list_view(spec, serializer, filterset_class, tag: str, description: str):
    """The API view of the public list `spec`, with its OpenAPI description under `tag`."""
    view = type(
        f"{filterset_class.__name__}ApiList",
        (ApiListView,),
        {"spec": spec, "serializer_class": serializer},
    )
    return extend_schema_view(
        get=extend_schema(
            operation_id=tag.lower(),
            summary=f"Liste des {tag.lower()}",
            description=description,
            parameters=filter_parameters(filterset_class),
            responses={200: serializer(many=True), 400: REFUSED},
            tags=[tag],
        )
    )(view).as_view()


REFUSED = OpenApiResponse(
    description="Filtre mal formé, paramètre inconnu ou territoire ambigu : `erreurs` dit "
    "pourquoi, en français."
)
NOT_FOUND = OpenApiResponse(description="Identifiant inconnu (ou pacte non publié).")

pact_list = list_view(
    PACT_LIST,
    serializers.PactSerializer,
    PactFilter,
    "Pactes",
    "Les pactes publiés, filtrés et triés comme la liste `/pactes/` du site.",
)
signing_list = list_view(
    SIGNING_LIST,
    serializers.SigningSerializer,
    SigningEventFilter,
    "Signatures",
    "Les signatures des pactes publiés, la plus récente d'abord, comme `/signatures/`.",
)
territory_list = list_view(
    TERRITORY_LIST,
    serializers.TerritorySerializer,
    TerritoryFilter,
    "Territoires",
    "Les territoires (régions, départements, communes, EPCI, PETR…), comme `/territoires/`.",
)
body_list = list_view(
    BODY_LIST,
    serializers.BodySerializer,
    BodyFilter,
    "Organismes",
    "Les organismes, par défaut ceux qui sont parties à un pacte publié, comme `/organismes/`.",
)
person_list = list_view(
    PERSON_LIST,
    serializers.PersonSerializer,
    PersonFilter,
    "Personnes",
    "Les personnes, par défaut celles qui ont signé un pacte publié ou assisté à sa "
    "signature, comme `/personnes/`.",
)


def _not_found(message: str):
    """Read a public selector, turning its 404 into a French one naming the key."""

    def wrap(read, **kwargs):
        try:
            return read(**kwargs)
        except Http404:
            raise NotFound(message) from None

    return wrap


def _pacts_of(request, queryset, filter_name: str, value: str) -> SimpleNamespace:
    """How many published pacts, the first ones, and the API list of them all."""
    first = list(queryset.prefetch_related(None)[:FIRST_PACTS])
    count = len(first) if len(first) < FIRST_PACTS else queryset.count()
    url = request.build_absolute_uri(f"{reverse('api:pact-list')}?{filter_name}={value}")
    return SimpleNamespace(count=count, first=first, list_url=url)


class PactDetailView(APIView):
    @extend_schema(
        summary="Un pacte",
        operation_id="pacte",
        parameters=[path_parameter("slug", "Identifiant du pacte (celui de sa page).")],
        description="Un pacte publié avec tout ce que montre sa page : parties et "
        "signataires avec leurs titres le jour de la signature, signatures, présents, "
        "déclarations, actions, sources.",
        responses={200: serializers.PactDetailSerializer, 404: NOT_FOUND},
        tags=["Pactes"],
    )
    def get(self, request, slug):
        read = _not_found(f"Aucun pacte publié n'a l'identifiant « {slug} ».")
        context = read(pacts.pact_detail, slug=slug)
        pact = context["pact"]
        pact.api_signatories = context["signatories"]
        pact.api_signings = context["signings"]
        data = serializers.PactDetailSerializer(pact, context={"request": request}).data
        return Response(data)


class SigningDetailView(APIView):
    @extend_schema(
        summary="Une signature",
        operation_id="signature",
        parameters=[
            path_parameter("slug", "Identifiant de la signature (« chaumont-2019-01-15 »).")
        ],
        description="Une signature d'un pacte publié : date, commune, lieu, signataires et "
        "présents avec leurs titres ce jour-là, déclarations, autres signatures du pacte.",
        responses={200: serializers.SigningDetailSerializer, 404: NOT_FOUND},
        tags=["Signatures"],
    )
    def get(self, request, slug):
        read = _not_found(f"Aucune signature d'un pacte publié n'a l'identifiant « {slug} ».")
        context = read(signings.signing_detail, slug=slug)
        data = serializers.SigningDetailSerializer(context, context={"request": request}).data
        return Response(data)


def _territory_response(request, slug: str, message: str) -> Response:
    context = _not_found(message)(territories.territory_detail, slug=slug)
    territory = context["territory"]
    prefetch_related_objects([territory], "parents", departement_links_prefetch())
    territory.api_containers = context["containers"]
    territory.api_overlapping = context["overlapping"]
    territory.api_children = context["children"]
    territory.api_children_count = context["children_count"]
    territory.api_pacts = _pacts_of(request, context["pacts"], "territoire", territory.slug)
    data = serializers.TerritoryDetailSerializer(territory, context={"request": request}).data
    return Response(data)


TERRITORY_DETAIL_SCHEMA = {
    "responses": {200: serializers.TerritoryDetailSerializer, 404: NOT_FOUND},
    "tags": ["Territoires"],
}


class TerritoryDetailView(APIView):
    @extend_schema(
        summary="Un territoire, par son type et son code officiel",
        operation_id="territoire_par_code",
        parameters=[
            path_parameter("type", "Type de territoire.", enum=TerritoryKind.values),
            path_parameter("code", "Code INSEE ou SIREN."),
        ],
        description="Le code INSEE d'une région, d'un département ou d'une commune, le SIREN "
        "d'un EPCI ou d'un PETR. Le type lève les homonymies : `region/52` (Pays de la "
        "Loire) et `departement/52` (Haute-Marne). Types : "
        + ", ".join(f"`{kind.value}`" for kind in TerritoryKind)
        + ".",
        **TERRITORY_DETAIL_SCHEMA,
    )
    def get(self, request, code, **kwargs):
        kind = kwargs["type"]  # the French name of the address's part
        if kind not in TerritoryKind.values:
            raise NotFound(
                f"Type de territoire « {kind[:40]} » inconnu. Types : "
                + ", ".join(TerritoryKind.values)
                + "."
            )
        slug = Territory.objects.filter(kind=kind, code=code).values_list("slug", flat=True)
        message = f"Aucun territoire de type « {kind} » n'a le code « {code[:40]} »."
        slug = slug.first()
        if slug is None:
            raise NotFound(message)
        return _territory_response(request, slug, message)


class TerritorySlugView(APIView):
    @extend_schema(
        summary="Un territoire, par son identifiant",
        operation_id="territoire_par_identifiant",
        parameters=[path_parameter("slug", "Identifiant du territoire (« chaumont-52121 »).")],
        description="Pour les territoires sans code officiel ; l'identifiant est celui de "
        "la page du site (`chaumont-52121`).",
        **TERRITORY_DETAIL_SCHEMA,
    )
    def get(self, request, slug):
        return _territory_response(request, slug, f"Aucun territoire n'a l'identifiant « {slug} ».")


class BodyDetailView(APIView):
    @extend_schema(
        summary="Un organisme, par son SIREN",
        operation_id="organisme",
        parameters=[path_parameter("siren", "SIREN, ou identifiant pour un organisme sans SIREN.")],
        description="Le SIREN (9 chiffres) de l'organisme, ou l'identifiant de sa page "
        "pour un organisme sans SIREN : ses élus en fonction et ses pactes publiés.",
        responses={200: serializers.BodyDetailSerializer, 404: NOT_FOUND},
        tags=["Organismes"],
    )
    def get(self, request, siren):
        key = siren  # a SIREN, or the slug of a body without one
        if key.isascii() and key.isdigit():
            slug = Body.objects.filter(siren=key).values_list("slug", flat=True).first()
            message = f"Aucun organisme n'a le SIREN « {key[:40]} »."
        else:
            slug, message = key, f"Aucun organisme n'a l'identifiant « {key[:40]} »."
        if slug is None:
            raise NotFound(message)
        context = _not_found(message)(bodies.body_detail, slug=slug)
        body = context["body"]
        body.api_officials = context["officials"]
        body.api_undated_officials = context["undated_officials"]
        body.api_pacts = _pacts_of(request, context["pacts"], "organisme", body.slug)
        data = serializers.BodyDetailSerializer(body, context={"request": request}).data
        return Response(data)


class PersonDetailView(APIView):
    @extend_schema(
        summary="Une personne",
        operation_id="personne",
        parameters=[path_parameter("slug", "Identifiant de la personne (celui de sa page).")],
        description="Une personne, ses mandats dans le temps, les pactes publiés qu'elle a "
        "signés et les signatures auxquelles elle a assisté.",
        responses={200: serializers.PersonDetailSerializer, 404: NOT_FOUND},
        tags=["Personnes"],
    )
    def get(self, request, slug):
        read = _not_found(f"Aucune personne n'a l'identifiant « {slug} ».")
        context = read(people.person_detail, slug=slug)
        data = serializers.PersonDetailSerializer(context, context={"request": request}).data
        return Response(data)


class ApiRootView(APIView):
    @extend_schema(exclude=True)
    def get(self, request):
        names = {
            "pactes": "api:pact-list",
            "signatures": "api:signing-list",
            "territoires": "api:territory-list",
            "organismes": "api:body-list",
            "personnes": "api:person-list",
            "schema": "api:schema",
            "documentation": "api:docs",
        }
        return Response(
            {key: request.build_absolute_uri(reverse(name)) for key, name in names.items()}
        )

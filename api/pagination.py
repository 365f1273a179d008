"""Pages of an API list: the HTML list's pages (20 rows) unless `taille` asks for up to 100,
with links to the next and previous pages carrying the same filters.

Unlike the HTML page, which falls back to an existing page with a notice, the API refuses a
malformed number (400) and a page past the end (404) in French: a program walking the pages
must learn that it asked for something else than it gets.
"""

from django.core.paginator import Paginator
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from api.errors import RequestRefused
from public.pagination import PAGE_SIZE

MAX_PAGE_SIZE = 100


def _positive(value: str, name: str, limit: int | None = None) -> int:
    if not value.isascii() or not value.isdigit() or int(value) < 1:
        raise RequestRefused(
            [f"Paramètre « {name} » : « {value[:40]} » n'est pas un entier positif."]
        )
    number = int(value)
    if limit is not None and number > limit:
        raise RequestRefused([f"Paramètre « {name} » : {limit} au plus (« {number} » demandé)."])
    return number


class ApiPagination(PageNumberPagination):
    page_size = PAGE_SIZE
    page_query_param = "page"
    page_size_query_param = "taille"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param, "")
        if not value:
            return self.page_size
        return _positive(value, self.page_size_query_param, self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        size = self.get_page_size(request)
        value = request.query_params.get(self.page_query_param, "")
        number = _positive(value, self.page_query_param) if value else 1
        paginator = Paginator(queryset, size)
        if number > 1 and number > paginator.num_pages:
            raise NotFound(
                f"La page {number} n'existe pas : cette liste compte {paginator.num_pages} "
                f"page(s) de {size} lignes."
            )
        self.page = paginator.page(number)
        return list(self.page)

    def get_paginated_response(self, data):
        return Response(
            {
                "total": self.page.paginator.count,
                "page": self.page.number,
                "pages": self.page.paginator.num_pages,
                "suivante": self.get_next_link(),
                "precedente": self.get_previous_link(),
                "resultats": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": [
                "total",
                "page",
                "pages",
                "suivante",
                "precedente",
                "resultats",
                "constats",
            ],
            "properties": {
                "total": {"type": "integer", "description": "Nombre de lignes de la liste."},
                "page": {"type": "integer", "description": "Numéro de cette page."},
                "pages": {"type": "integer", "description": "Nombre de pages."},
                "suivante": {
                    "type": "string",
                    "format": "uri",
                    "nullable": True,
                    "description": "Adresse de la page suivante, mêmes filtres.",
                },
                "precedente": {
                    "type": "string",
                    "format": "uri",
                    "nullable": True,
                    "description": "Adresse de la page précédente, mêmes filtres.",
                },
                "resultats": schema,
                "constats": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": "Pourquoi un filtre bien formé ne trouve rien (liste vide).",
                },
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "Numéro de page (1 par défaut).",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Lignes par page, {PAGE_SIZE} par défaut, {MAX_PAGE_SIZE} au plus.",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            },
        ]

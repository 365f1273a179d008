"""One page of a list, with a French message when the page asked for does not exist."""

from django.core.paginator import Paginator
from django.db.models import QuerySet

PAGE_SIZE = 20


def paginate(queryset: QuerySet, page_param: str, notices: list[str], per_page: int = PAGE_SIZE):
    """The requested page; a malformed or out-of-range number falls back with a message."""
    paginator = Paginator(queryset, per_page)
    number = page_param or "1"
    page = paginator.get_page(number)
    if str(page.number) != number and page_param:
        notices.append(
            f"Numéro de page « {page_param} » invalide ou hors limites : "
            f"page {page.number} affichée."
        )
    return page

"""One page of a list, with a French message when the page asked for does not exist.

The page also carries what `_pagination.html` shows: the numbered links (`window`: first,
last, the pages around the current one, `None` for an ellipsis) and the range of rows shown
(`range_text`, « 21–40 sur 1 255 »).
"""

from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

PAGE_SIZE = 20

# Pages shown on each side of the current one: 1 … 4 5 [6] 7 8 … 63.
AROUND = 2


def page_window(number: int, num_pages: int, around: int = AROUND) -> list[int | None]:
    """Page numbers to link, `None` where an ellipsis stands for two pages or more.

    The window always holds the same number of slots (`2 * around + 5`), so near either end
    it stretches instead of shrinking: from page 1 of 63 it reads 1 2 3 4 5 6 7 … 63, and
    page 5 is one click away. An ellipsis never hides a single page (its number is shown).
    """
    slots = 2 * around + 5
    if num_pages <= slots:
        return list(range(1, num_pages + 1))
    number = min(max(number, 1), num_pages)
    if number <= around + 3:  # close to the start: no ellipsis before
        return [*range(1, slots - 1), None, num_pages]
    if number >= num_pages - around - 2:  # close to the end: no ellipsis after
        return [1, None, *range(num_pages - slots + 3, num_pages + 1)]
    return [1, None, *range(number - around, number + around + 1), None, num_pages]


def range_text(page: Page) -> str:
    """« 21–40 sur 1 255 »: the rows of this page and the total, French digits; '' if none."""
    count = page.paginator.count
    if not count:
        return ""
    return f"{intcomma(page.start_index())}–{intcomma(page.end_index())} sur {intcomma(count)}"


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
    page.window = page_window(page.number, paginator.num_pages)
    page.range_text = range_text(page)
    return page

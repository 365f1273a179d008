"""Parts of a page rendered once per data version and day (docs/architecture.md, « Cache »).

`{% keptrow "name" row %}…{% endkeptrow %}`: a row of a list, held by the process under
(name, the row's pk) for the current data version (`core.cache.held_row`): what the block
shows must depend on the row alone, never on the page around it (filters, request, loop). A
page cut with `RankedRows.holding(name)` passes a `HeldRow` for a row whose HTML is already
held, without reading it from the database: the block then writes that HTML.

`{% kept "name" [key] %}…{% endkept %}`: any part of a page that depends on the published data
alone, or on it and `key` (the map of départements and the départements it focuses on).
"""

from django import template

from core.cache import held_row
from public.selectors.scope import HeldRow

register = template.Library()


class KeptNode(template.Node):
    """A block held under (name, key): `key` resolved, or the pk of the row `row`."""

    def __init__(self, nodelist, name, key=None, row=None):
        self.nodelist, self.name, self.key, self.row = nodelist, name, key, row

    def render(self, context):
        if self.row is not None:
            row = self.row.resolve(context)
            if isinstance(row, HeldRow):
                return row.shown
            key = row.pk
        else:
            key = self.key.resolve(context) if self.key else None
        return held_row((self.name.resolve(context), key), lambda: self.nodelist.render(context))


def _arguments(parser, token, counts: tuple[int, ...], message: str) -> tuple[list, list]:
    """The block's nodes until its end tag, and its arguments compiled."""
    bits = token.split_contents()
    if len(bits) - 1 not in counts:
        raise template.TemplateSyntaxError(f"« {bits[0]} » prend {message}.")
    nodelist = parser.parse((f"end{bits[0]}",))
    parser.delete_first_token()
    return nodelist, [parser.compile_filter(bit) for bit in bits[1:]]


@register.tag
def kept(parser, token):
    nodelist, (name, *key) = _arguments(parser, token, (1, 2), "un nom et, au besoin, une clé")
    return KeptNode(nodelist, name, key=key[0] if key else None)


@register.tag
def keptrow(parser, token):
    nodelist, (name, row) = _arguments(parser, token, (2,), "un nom et une ligne")
    return KeptNode(nodelist, name, row=row)

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


class KeptRowNode(template.Node):
    def __init__(self, nodelist, name, row):
        self.nodelist, self.name, self.row = nodelist, name, row

    def render(self, context):
        row = self.row.resolve(context)
        if isinstance(row, HeldRow):
            return row.shown
        return held_row((self.name.resolve(context), row.pk), lambda: self.nodelist.render(context))


class KeptNode(template.Node):
    def __init__(self, nodelist, name, key):
        self.nodelist, self.name, self.key = nodelist, name, key

    def render(self, context):
        key = (self.name.resolve(context), self.key.resolve(context) if self.key else None)
        return held_row(key, lambda: self.nodelist.render(context))


@register.tag
def kept(parser, token):
    bits = token.split_contents()
    if len(bits) not in (2, 3):
        raise template.TemplateSyntaxError(f"« {bits[0]} » prend un nom et, au besoin, une clé.")
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    key = parser.compile_filter(bits[2]) if len(bits) == 3 else None
    return KeptNode(nodelist, parser.compile_filter(bits[1]), key)


@register.tag
def keptrow(parser, token):
    bits = token.split_contents()
    if len(bits) != 3:
        raise template.TemplateSyntaxError(f"« {bits[0]} » prend un nom et une ligne.")
    nodelist = parser.parse(("endkeptrow",))
    parser.delete_first_token()
    return KeptRowNode(nodelist, parser.compile_filter(bits[1]), parser.compile_filter(bits[2]))

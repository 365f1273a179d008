"""The API address of each kind of row, keyed on what a reuser knows rather than on ids
(docs/architecture.md, « API »): a pact's or a signing's slug, a territory's kind and
official code, a body's SIREN, a person's slug.
"""

from core.links import page_url
from pacts.models import Pact, SigningEvent
from people.models import Person
from territories.models import Body, Territory


def api_path(row) -> str:
    """The path of `row`'s API page (a slug where no official code identifies it)."""
    if isinstance(row, Pact):
        return page_url("api:pact-detail", slug=row.slug)
    if isinstance(row, SigningEvent):
        return page_url("api:signing-detail", slug=row.slug)
    if isinstance(row, Territory):
        if row.code:
            return page_url("api:territory-detail", type=row.kind, code=row.code)
        return page_url("api:territory-slug", slug=row.slug)
    if isinstance(row, Body):
        return page_url("api:body-detail", siren=row.siren or row.slug)
    if isinstance(row, Person):
        return page_url("api:person-detail", slug=row.slug)
    raise TypeError(f"No API address for {type(row).__name__}")

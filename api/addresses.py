"""The API address of each kind of row, keyed on what a reuser knows rather than on ids
(docs/architecture.md, « API »): a pact's or a signing's slug, a territory's kind and
official code, a body's SIREN, a person's slug.
"""

from django.urls import reverse

from pacts.models import Pact, SigningEvent
from people.models import Person
from territories.models import Body, Territory


def api_path(row) -> str:
    """The path of `row`'s API page (a slug where no official code identifies it)."""
    if isinstance(row, Pact):
        return reverse("api:pact-detail", kwargs={"slug": row.slug})
    if isinstance(row, SigningEvent):
        return reverse("api:signing-detail", kwargs={"slug": row.slug})
    if isinstance(row, Territory):
        if row.code:
            return reverse("api:territory-detail", kwargs={"type": row.kind, "code": row.code})
        return reverse("api:territory-slug", kwargs={"slug": row.slug})
    if isinstance(row, Body):
        return reverse("api:body-detail", kwargs={"siren": row.siren or row.slug})
    if isinstance(row, Person):
        return reverse("api:person-detail", kwargs={"slug": row.slug})
    raise TypeError(f"No API address for {type(row).__name__}")

"""Writes on pacts that follow a rule of the product (docs/architecture.md, « Admin »)."""

from django.db import transaction
from django.db.models import QuerySet

from pacts.models import Pact


def pacts_set_published(pacts: QuerySet, *, published: bool) -> int:
    """Publish (or withdraw) `pacts`; returns how many changed.

    One save per pact rather than one UPDATE, so that each change enters the history with its
    author and a reason (« Publication », « Dépublication »): a handful of pacts at a time, the
    cost does not matter.
    """
    reason = "Publication" if published else "Dépublication"
    with transaction.atomic():
        changed = list(pacts.filter(published=not published))
        for pact in changed:
            pact.published = published
            pact._change_reason = reason
            pact.save(update_fields=["published", "updated_at"])
    return len(changed)


def pact_keep_visibility(pact: Pact) -> None:
    """Set `pact.published` back to what is stored: for a save by someone not allowed to publish.

    A form, or the restore of an old version from the history, may carry another value; a new
    pact starts unpublished.
    """
    stored = Pact.objects.filter(pk=pact.pk).values_list("published", flat=True).first()
    pact.published = bool(pact.pk and stored)

"""The titles a person held on a date, read from their prefetched mandates."""

import datetime

from django.db.models import Prefetch

from people.models import Mandate, Person


def person_mandates_prefetch(lookup: str) -> Prefetch:
    """Every mandate of the people at `lookup`, with its body, to compute titles in Python."""
    return Prefetch(lookup, queryset=Mandate.objects.select_related("body"))


def titles_on(person: Person, date: datetime.date | None, first: Mandate | None = None):
    """Titles `person` held on `date` (« Présidente, CA de Chaumont »), `first` leading.

    Reads `person.mandates` as prefetched: no query. Without a date, only `first` is known.
    """
    if date is None:
        return [first.title_with_body] if first else []
    held = [m for m in person.mandates.all() if m.is_active_on(date)]
    first_pk = first.pk if first else None
    held.sort(key=lambda m: (m.pk != first_pk, m.start_date or datetime.date.min))
    return [m.title_with_body for m in held]

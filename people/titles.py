"""The titles a person held on a date, read from their prefetched mandates."""

import datetime

from django.db.models import Case, F, Prefetch, Q, TextField, Value, When
from django.db.models.functions import Concat, Trim

from people.models import (
    COUNCIL_ADJECTIVES,
    FUNCTION_TITLES,
    Function,
    Gender,
    Mandate,
    Person,
)
from territories.models import body_label


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


def full_name(path: str = ""):
    """`Person.full_name` computed by the database; `path` leads to the person."""
    return Trim(Concat(F(f"{path}first_name"), Value(" "), F(f"{path}last_name")))


def mandate_title(path: str = ""):
    """`Mandate.title` computed by the database, from the same tables of words: the label
    as written, else the usual title agreed with the person's gender (« Conseillère
    régionale »). `path` leads to the mandate from the queried model (`"mandate__"`)."""
    whens = [When(~Q(**{f"{path}label": ""}), then=F(f"{path}label"))]
    for feminine in (True, False):
        gender = Q(**{f"{path}person__gender": Gender.FEMALE})
        gender = gender if feminine else ~gender
        word = FUNCTION_TITLES[Function.COUNCILLOR][feminine]
        for kind, adjectives in COUNCIL_ADJECTIVES.items():
            council = Q(**{f"{path}function": Function.COUNCILLOR, f"{path}body__kind": kind})
            whens.append(When(council & gender, then=Value(f"{word} {adjectives[feminine]}")))
        for function, words in FUNCTION_TITLES.items():
            condition = Q(**{f"{path}function": function}) & gender
            whens.append(When(condition, then=Value(words[feminine])))
    return Case(*whens, default=Value(""), output_field=TextField())


def mandate_title_with_body(path: str = ""):
    """`Mandate.title_with_body` computed by the database (« Présidente, CA de Chaumont »)."""
    return Concat(
        mandate_title(path), Value(", "), body_label(f"{path}body__"), output_field=TextField()
    )

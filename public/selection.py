"""From raw GET parameters to a filtered queryset and what the page must tell the user.

One rule for every filter of every list: a filter never widens. A well-formed value is
always applied, even when it matches nothing (the answer is then an empty list and a sentence
saying so); only a malformed value is ignored, and then the page says so and the CSV export
refuses (400) rather than hand over an unfiltered file that looks filtered.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import QueryDict

from public.filters.base import PublicFilterSet
from public.params import clean_value, query_string


@dataclass
class Selection:
    """What a selector returns: the filtered queryset and what the page must tell the user."""

    queryset: QuerySet
    filterset: PublicFilterSet
    params: dict[str, str]
    # What was ignored (unknown parameters, malformed values), for the page.
    notices: list[str] = field(default_factory=list)
    # Why the export cannot be the list asked for: it answers 400 with these.
    refusals: list[str] = field(default_factory=list)
    # Why well-formed values match nothing (an unknown body, territory…).
    findings: list[str] = field(default_factory=list)
    # A `territoire` value naming several territories: (value, candidates).
    ambiguous: tuple[str, list] | None = None
    # `params` without what was ignored: what the page shows and its export link carries.
    applied_params: dict[str, str] = field(default_factory=dict)
    # The rows a page shows, with what it shows of them, when read more cheaply than from
    # `queryset` (same rows, same order: `public.selectors.scope.show_ranked`); None:
    # `queryset`.
    rows_shown: Sequence | None = None

    @property
    def applied_query(self) -> str:
        """The applied filters as a query string without the page (« a=1&b=2 », or ""): what
        the export, spreadsheet and feed links of a list carry, so they hold the list shown."""
        return query_string({k: v for k, v in self.applied_params.items() if k != "page"})


def select(
    filterset_class: type[PublicFilterSet],
    raw: QueryDict | dict,
    queryset: QuerySet,
    *,
    extra_known: tuple[str, ...] = ("page",),
) -> Selection:
    """Clean `raw` GET parameters, run the FilterSet, and collect messages for the user."""
    known = set(filterset_class.base_filters) | set(extra_known)
    params: dict[str, str] = {}
    unknown: list[str] = []
    for key in raw:
        value = raw.get(key) if hasattr(raw, "getlist") else raw[key]
        key_clean = clean_value(str(key))
        if key_clean in known:
            params[key_clean] = clean_value(str(value or ""))
        elif key_clean:
            unknown.append(key_clean[:40])
    filter_data = {k: v for k, v in params.items() if k in filterset_class.base_filters and v}
    filterset = filterset_class(data=filter_data, queryset=queryset)
    queryset = filterset.qs
    notices, refusals = [], []
    if unknown:
        names = ", ".join(f"« {k} »" for k in unknown)
        notices.append(f"Paramètre(s) inconnu(s) ignoré(s) : {names}.")
        # A misspelt filter in an export link would otherwise yield the whole list.
        refusals.append(
            f"Paramètre(s) inconnu(s) : {names}. Paramètres reconnus : "
            + ", ".join(sorted(known))
            + "."
        )
    invalid = {name for name, *_ in filterset.invalid_values()}
    notices.extend(filterset.ignored_messages())
    refusals.extend(filterset.refusal_messages())
    filterset.show_applied_values()
    return Selection(
        queryset=queryset,
        filterset=filterset,
        params=params,
        notices=notices,
        refusals=refusals,
        findings=filterset.findings,
        ambiguous=filterset.ambiguous,
        applied_params={k: v for k, v in params.items() if k not in invalid},
    )

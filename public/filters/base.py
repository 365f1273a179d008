"""The FilterSet every public list uses: malformed values ignored and reported, in French."""

from functools import cached_property

import django_filters
from django_filters.constants import EMPTY_VALUES

from core.cache import per_data_version
from core.db import id_list
from public.filters.fields import OfferedSelect
from public.filters.resolution import Resolution

# Up to this many rows, the facets read the rows of the other filters by id (a list sent back);
# beyond, as a subquery.
CORE_IDS = 5000


class PublicFilterSet(django_filters.FilterSet):
    """A FilterSet whose malformed values are ignored and reported, never silently fatal.

    django-filter drops invalid fields from `cleaned_data` and filters on the rest; the
    fields above make "invalid" mean malformed only, and we turn the form errors into
    French messages for the page and reasons for the export to refuse.
    """

    # The start of the sentence shown when the filters match nothing.
    nothing_found = "Aucun résultat ne correspond à votre recherche"
    # Parameters that order the rows rather than choose them: a malformed one falls back to
    # the default order, and an export of it is still the list asked for.
    ordering_parameters = frozenset({"tri"})
    # A name when the filter set always starts from the same rows (the published pacts): its
    # facet counts with nothing chosen are then kept per data version under it.
    facets_kept: str = ""

    @cached_property
    def resolutions(self) -> dict[str, Resolution]:
        """What each valid value names, looked up once, before any row is filtered.

        A value is looked up by the FilterSet's `resolve_<name>(value)` method, else by its
        filter's `resolve(value)`; other values filter as they are.
        """
        if not self.is_bound:
            return {}
        self.form.is_valid()  # keeps the well-formed values in `cleaned_data`
        resolutions = {}
        for name, value in self.form.cleaned_data.items():
            if value in EMPTY_VALUES:
                continue
            resolve = getattr(self, f"resolve_{name}", None) or getattr(
                self.filters[name], "resolve", None
            )
            if resolve is not None:
                resolutions[name] = resolve(value)
        return resolutions

    # Filters whose choices show how many rows each would give (« Emploi (12) »): name → a
    # function counting the rows of a queryset by that filter's values (`facet_counts`).
    facets: dict = {}

    def filter_queryset(self, queryset, *, names: set[str] | None = None):
        """Each valid value narrows the rows: by its resolution when it names something.
        `names` applies only those filters (`facet_counts`)."""
        for name, value in self.form.cleaned_data.items():
            if names is not None and name not in names:
                continue
            resolution = self.resolutions.get(name)
            if resolution is not None:
                queryset = resolution.narrow(queryset)
            else:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def facet_counts(self) -> dict[str, dict[str, int]]:
        """For each facet, the rows each of its values would give, the other filters kept:
        what choosing it would show, so a choice leading to nothing says so before it is
        made. One grouped query per facet, whatever the number of rows or choices.

        The filters that are not facets (a search, a territory) narrow every facet's rows
        alike: their rows are read once, by id, rather than searched again for each facet.
        """
        if not self.facets:
            return {}
        self.form.is_valid()
        facets = set(self.facets)
        others = {
            name
            for name, value in self.form.cleaned_data.items()
            if name not in facets | self.ordering_parameters
            and (value not in EMPTY_VALUES or name in self.resolutions)
        }
        chosen = {
            name
            for name, value in self.form.cleaned_data.items()
            if name in facets and (value not in EMPTY_VALUES or name in self.resolutions)
        }
        if self.facets_kept and not others and len(chosen) <= 1:
            # Nothing chosen: the same counts for every such page until the data changes. One
            # facet chosen alone: its own counts leave it out, so they are those same ones.
            kept = per_data_version(f"facets:{self.facets_kept}", self._facet_counts)
            return {**kept, **self._facet_counts(counted=facets - chosen)} if chosen else kept
        return self._facet_counts(others)

    def _facet_counts(
        self, others: frozenset[str] = frozenset(), counted: set[str] | None = None
    ) -> dict[str, dict[str, int]]:
        """The counts of each facet, or of those `counted`, the `others` filters kept."""
        facets = set(self.facets)
        base = self.queryset
        if others:
            core = self.filter_queryset(self.queryset, names=others).order_by()
            ids = list(core.values_list("pk", flat=True)[: CORE_IDS + 1])
            base = base.filter(pk__in=id_list(ids) if len(ids) <= CORE_IDS else core.values("pk"))
        counts = {}
        for name, count in self.facets.items():
            if counted is None or name in counted:
                rows = self.filter_queryset(base, names=facets - {name})
                counts[name] = count(self, rows.order_by())
        return counts

    def show_counts(self) -> None:
        """Write the facet counts beside the choices of the form (the page, never an export)."""
        for name, counts in self.facet_counts().items():
            widget = self.form.fields[name].widget
            if isinstance(widget, OfferedSelect):
                widget.counts = counts

    @property
    def findings(self) -> list[str]:
        """Why well-formed values match nothing (an unknown slug or territory)."""
        return [r.finding for r in self.resolutions.values() if r.finding]

    @property
    def refusals(self) -> list[str]:
        """Why the request cannot be exported as asked (an ambiguous territory)."""
        return [r.refusal for r in self.resolutions.values() if r.refusal]

    @property
    def ambiguous(self) -> tuple[str, list] | None:
        """A value naming several territories, with them: (value, candidates)."""
        for name, resolution in self.resolutions.items():
            if resolution.candidates:
                return self.form.cleaned_data[name], list(resolution.candidates)
        return None

    @property
    def shown_values(self) -> dict[str, str]:
        """What each value names, better said than the raw value (a territory's name)."""
        return {name: r.shown for name, r in self.resolutions.items() if r.shown}

    def invalid_values(self) -> list[tuple[str, str, str, str]]:
        """(parameter, label, value, reason) of each malformed value."""
        invalid = []
        for name, errors in self.form.errors.items():
            label = self.filters[name].label or name if name in self.filters else name
            reason = " ".join(str(e) for e in errors)
            invalid.append((name, str(label), self.data.get(name, ""), reason))
        return invalid

    def ignored_messages(self) -> list[str]:
        return [
            f"Filtre « {label} » ignoré : la valeur « {value} » n'est pas reconnue ({reason})."
            for _, label, value, reason in self.invalid_values()
        ]

    def refusal_messages(self) -> list[str]:
        """Why an export of this request would not be the list asked for."""
        messages = [
            f"Filtre « {label} » : la valeur « {value} » n'est pas reconnue ({reason})."
            for name, label, value, reason in self.invalid_values()
            if name not in self.ordering_parameters
        ]
        return messages + self.refusals

    def show_applied_values(self) -> None:
        """Make the form show the filters as applied: a malformed value goes back to « Tous »,
        and a chosen value the select does not offer is named as on the active filters."""
        if self.form.errors:
            self.form.data = {k: v for k, v in self.form.data.items() if k not in self.form.errors}
        for name, shown in self.shown_values.items():
            widget = self.form.fields[name].widget
            if isinstance(widget, OfferedSelect):
                value = str(self.form.cleaned_data[name])
                widget.extra_labels = {**widget.extra_labels, value: shown}

    def active_filters(self) -> list[tuple[str, str, str]]:
        """(parameter, label, value as shown) for each valid, non-empty filter."""
        if not self.is_bound or not hasattr(self.form, "cleaned_data"):
            return []
        active = []
        for name, value in self.form.cleaned_data.items():
            if value in EMPTY_VALUES:
                continue
            form_field = self.form.fields[name]
            if name in self.shown_values:
                shown = self.shown_values[name]
            elif hasattr(form_field, "label_for"):
                shown = form_field.label_for(value)
            elif getattr(form_field, "choices", None) is not None:
                shown = {str(k): v for k, v in form_field.choices}.get(str(value), str(value))
            else:
                shown = str(value)
            active.append((name, str(self.filters[name].label or name), str(shown)))
        return active

    def nothing_found_message(self, active: list[tuple[str, str, str]]) -> str:
        """« Aucun pacte … : Année de signature « 2017 », Département « 57 ». »"""
        asked = [
            f"{label} « {shown} »"
            for name, label, shown in active
            if name not in self.ordering_parameters
        ]
        return f"{self.nothing_found} : {', '.join(asked)}." if asked else ""

"""Form fields and filters that validate a value on its shape, and offer what matches.

A well-formed value is always applied, even when it matches nothing; the select offers the
values worth choosing and still shows a chosen value it lacks.
"""

import functools
import re
from collections.abc import Callable

import django_filters
from django import forms
from django.db.models import Model, QuerySet

from core.cache import per_data_version
from public.filters.resolution import Resolution
from public.params import SLUG, SLUG_HINT
from public.widgets import Select, SuggestInput

# Past this many options a select is slower to render and to use than a typed identifier.
MAX_SELECT_OPTIONS = 150


# Said of a chosen value the select does not offer: it matches nothing.
NONE = "(aucun résultat)"


class OfferedSelect(Select):
    """A select of the values worth offering, which still shows a chosen value it lacks.

    The options are the values that match something (years with a published signing…); a
    well-formed value outside them was applied all the same, so the select shows it as
    chosen instead of pretending nothing is.
    """

    # Labels of values that may be chosen without being offered (e.g. every pact status).
    extra_labels: dict = {}
    # The rows each value would give (`PublicFilterSet.show_counts`), shown beside it.
    counts: dict | None = None

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        if self.counts is not None and value not in ("", None) and not label.endswith(NONE):
            label = f"{label} ({self.counts.get(str(value), 0)})"
        return super().create_option(name, value, label, selected, index, subindex, attrs)

    def optgroups(self, name, value, attrs=None):
        groups = super().optgroups(name, value, attrs)
        offered = {str(option["value"]) for _, options, _ in groups for option in options}
        for missing in [v for v in value if v and v not in offered]:
            label = f"{self.extra_labels.get(missing, missing)} {NONE}"
            option = self.create_option(name, missing, label, True, len(groups), attrs=attrs)
            groups.append((None, [option], len(groups)))
        return groups


class SelectOrTextInput(OfferedSelect):
    """An `OfferedSelect`, or a text field when there are too many options to list.

    Decided when rendering, from at most MAX_SELECT_OPTIONS + 1 rows: an export or a filter
    never pays for the options, and all of France's people never reach a page. The text field
    suggests matches as one types when `suggest_url` is set (`SuggestInput`).
    """

    placeholder = ""
    suggest_url = None
    list_label = None

    def render(self, name, value, attrs=None, renderer=None):
        offered = sum(1 for option_value, _ in self.choices if option_value not in ("", None))
        if offered > MAX_SELECT_OPTIONS:
            if self.suggest_url:
                text = SuggestInput(
                    self.attrs,
                    suggest_url=self.suggest_url,
                    list_label=self.list_label,
                    placeholder=self.placeholder,
                )
            else:
                text = forms.TextInput(attrs={**self.attrs, "placeholder": self.placeholder})
            return text.render(name, value, attrs, renderer)
        return super().render(name, value, attrs, renderer)


class WellFormedChoiceField(django_filters.fields.ChoiceField):
    """A select offering `choices` that accepts any well-formed value, offered or not.

    Well-formed means matching `pattern` (a regular expression) or, when `allowed` is given,
    being one of those values (every value the model knows, offered or not).
    """

    widget = OfferedSelect

    def __init__(self, *, hint, pattern=None, allowed=None, normalize=None, **kwargs):
        self.pattern = re.compile(pattern) if pattern else None
        self.allowed = {str(value): label for value, label in allowed} if allowed else None
        self.normalize = normalize
        kwargs.setdefault("error_messages", {"invalid_choice": hint})
        super().__init__(**kwargs)
        self.widget.extra_labels = self.allowed or {}

    def to_python(self, value):
        value = super().to_python(value)
        return self.normalize(value) if value and self.normalize else value

    def bound_data(self, data, initial):
        # The select compares the normalised value (« 2a » is the option « 2A »).
        return self.to_python(data) if isinstance(data, str) else data

    def valid_value(self, value):
        if self.allowed is not None:
            return value in self.allowed
        return bool(self.pattern.fullmatch(value))

    def label_for(self, value) -> str:
        return str((self.allowed or {}).get(str(value), value))


class WellFormedChoiceFilter(django_filters.Filter):
    """A `WellFormedChoiceField` filter; callable `choices` are computed lazily, once.

    Lazily: only when the form is shown, so an export or a filtered query does not pay for
    the choices of the page (validation checks the shape, not the choices). Once: rendering
    may read them more than once, and the cache lives as long as this request's filter set.
    """

    field_class = WellFormedChoiceField

    @property
    def field(self):
        if not hasattr(self, "_field") and callable(self.extra.get("choices")):
            self.extra["choices"] = functools.cache(self.extra["choices"])
        return super().field


class SlugChoiceField(WellFormedChoiceField):
    widget = SelectOrTextInput

    def __init__(self, *, placeholder="", suggest_url=None, list_label=None, **kwargs):
        super().__init__(pattern=SLUG, hint=SLUG_HINT, **kwargs)
        self.widget.placeholder = placeholder
        self.widget.suggest_url = suggest_url
        self.widget.list_label = list_label


class SlugFilter(django_filters.Filter):
    """Rows related to one object named by its slug (`organisme=region-grand-est`).

    `known()` is the queryset of the objects that can match at all (those of published
    pacts…): it feeds the select and resolves the slug. A well-formed slug outside it gives
    an empty list and the `unknown` sentence, never the whole list. `match(queryset, obj)`
    keeps the rows of `obj`.
    """

    field_class = SlugChoiceField

    def __init__(
        self,
        *,
        known: Callable[[], QuerySet],
        match: Callable[[QuerySet, Model], QuerySet],
        unknown: str,
        **kwargs,
    ):
        self.known = known
        self.match = match
        self.unknown = unknown
        super().__init__(**kwargs)

    @property
    def field(self):
        if not hasattr(self, "_field"):
            known = self.known

            def offered():
                # One more row than a select may hold: enough to know it must be a text input.
                return [(obj.slug, str(obj)) for obj in known()[: MAX_SELECT_OPTIONS + 1]]

            # The same for every page until the data changes, and at national scale it
            # sorts thousands of people to keep 151: kept per data version (`per_data_version`).
            name = f"slug-choices:{known.__module__}.{known.__qualname__}"
            self.extra["choices"] = functools.cache(lambda: per_data_version(name, offered))
        return super().field

    def resolve(self, value) -> Resolution:
        """The object the slug names among `known()`, or why there is none."""
        obj = self.known().filter(slug=value).first()
        if obj is None:
            return Resolution.not_found(self.unknown.format(value=value))
        return Resolution.found(lambda rows: self.match(rows, obj), shown=str(obj))

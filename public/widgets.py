"""Form widgets of the public site."""

import html

from django import forms
from django.forms.utils import flatatt
from django.urls import reverse_lazy
from django.utils.safestring import mark_safe


class Select(forms.Select):
    """Django's select, with its options written in Python rather than one template each.

    The same HTML as `django/forms/widgets/select.html`; Django includes a template per
    option, which made the hundred départements of a filter cost as much as the rows of the
    page.
    """

    template_name = "widgets/select.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["options_html"] = options_html(context["widget"]["optgroups"])
        return context


def _escaped(text) -> str:
    """`conditional_escape` without its lazy-string wrapper, which cost more than the
    escaping itself for the hundreds of options of a page."""
    if hasattr(text, "__html__"):
        return text.__html__()
    return html.escape(str(text))


def _attributes(attrs: dict) -> str:
    """`flatatt` for an option's attributes: nearly always none, or `selected` alone."""
    if not attrs:
        return ""
    if attrs == {"selected": True}:
        return " selected"
    return flatatt(attrs)


def options_html(optgroups) -> str:
    """The `<option>`s (in their `<optgroup>`s) of `Select.optgroups`, escaped."""
    parts = []
    for group_name, options, _ in optgroups:
        if group_name:
            parts.append(f'<optgroup label="{_escaped(group_name)}">')
        for option in options:
            value = "" if option["value"] is None else option["value"]
            parts.append(
                f'<option value="{_escaped(value)}"{_attributes(option["attrs"])}>'
                f"{_escaped(option['label'])}</option>"
            )
        if group_name:
            parts.append("</optgroup>")
    return mark_safe("".join(parts))  # every value, label and attribute escaped above


class SuggestInput(forms.TextInput):
    """A plain text field that suggests matches as one types.

    Without JavaScript it stays a text field, which the filter reads as it is. With it,
    `public/static/js/territory-suggest.js` turns every input carrying `data-suggest-url` into
    an ARIA combobox fed by that JSON endpoint (`{"results": [{slug, name, details}]}`).
    """

    template_name = "widgets/suggest_input.html"
    # Names the list of suggestions for screen readers.
    list_label = "Suggestions"

    def __init__(self, attrs=None, *, suggest_url, list_label=None, placeholder=""):
        defaults = {
            "autocomplete": "off",
            "spellcheck": "false",
            "placeholder": placeholder,
            "data-suggest-url": suggest_url,
        }
        super().__init__({**defaults, **(attrs or {})})
        if list_label:
            self.list_label = list_label

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["list_label"] = self.list_label
        return context


class TerritorySuggestInput(SuggestInput):
    """The territory field: the filter understands a name, a postal code, an official code or a
    slug, and `territories:suggestions` suggests territories, best match first."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs,
            suggest_url=reverse_lazy("territories:suggestions"),
            list_label="Territoires suggérés",
            placeholder="Commune, code postal, département…",
        )

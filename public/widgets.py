"""Form widgets of the public site."""

from django import forms
from django.urls import reverse_lazy


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

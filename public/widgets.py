"""Form widgets of the public site."""

from django import forms
from django.urls import reverse_lazy


class TerritorySuggestInput(forms.TextInput):
    """A plain text field for a territory, which suggests matches as one types.

    Without JavaScript it stays a text field: the filter understands a name, a postal code, an
    official code or a slug. With it, `static/js/territory-suggest.js` turns it into an ARIA
    combobox fed by `territories:suggestions`.
    """

    template_name = "territories/widgets/territory_suggest.html"

    def __init__(self, attrs=None):
        defaults = {
            "autocomplete": "off",
            "spellcheck": "false",
            "placeholder": "Commune, code postal, département…",
            "data-suggest-url": reverse_lazy("territories:suggestions"),
        }
        super().__init__({**defaults, **(attrs or {})})

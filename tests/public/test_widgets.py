"""The public select writes the same HTML as Django's, escaped, without a template per option."""

import re

from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from public.widgets import Select

CHOICES = [
    ("", "Tous"),
    ("52", "Haute-Marne (52)"),
    ('"><script>alert(1)</script>', "<b>Chaumont & Langres</b>"),
    ("Grand Est", [("57", "Moselle"), ("88", "Vosges")]),
    (2019, gettext_lazy("Année « 2019 »")),
    ("sur", mark_safe("<em>déjà</em> sûr")),
]


def compact(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


def test_the_select_renders_what_django_renders():
    for value in ("", "52", "88", '"><script>alert(1)</script>', "2019", 2019):
        ours = Select(choices=CHOICES, attrs={"id": "id_x"}).render("x", value)
        django = forms.Select(choices=CHOICES, attrs={"id": "id_x"}).render("x", value)
        assert compact(ours) == compact(django)


def test_labels_values_and_group_names_are_escaped():
    html = Select(choices=[*CHOICES, ("<g>", [("1", "un")])]).render("x", "52")
    assert "<script>" not in html and "<b>" not in html and "<g>" not in html
    assert "&lt;b&gt;Chaumont &amp; Langres&lt;/b&gt;" in html
    assert '<option value="52" selected>Haute-Marne (52)</option>' in html

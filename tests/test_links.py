"""`core.links.slug_url` gives the address `reverse` gives."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from core.links import page_url, slug_url

NAMES = ["pacts:detail", "pacts:signing", "territories:detail", "territories:body_detail"]


@pytest.mark.parametrize("name", [*NAMES, "people:detail"])
@pytest.mark.parametrize("slug", ["chaumont-52121", "ca-de-chaumont-200068658", "x", "a_b-9"])
def test_the_address_is_the_one_reverse_gives(name, slug):
    assert slug_url(name, slug) == reverse(name, kwargs={"slug": slug})


def test_under_a_script_prefix_the_address_follows_it():
    try:
        set_script_prefix("/pactes-grand-est/")
        assert (
            slug_url("people:detail", "jean-rottner") == "/pactes-grand-est/personnes/jean-rottner/"
        )
    finally:
        set_script_prefix("/")
    assert slug_url("people:detail", "jean-rottner") == "/personnes/jean-rottner/"


def test_a_value_the_slug_converter_refuses_is_refused_as_reverse_does():
    for slug in ("", "a/b", "é"):
        with pytest.raises(NoReverseMatch):
            slug_url("people:detail", slug)


@pytest.mark.parametrize(
    "kwargs",
    [{"type": "commune", "code": "52121"}, {"type": "departement", "code": "2A"}],
)
def test_an_address_of_several_arguments_is_the_one_reverse_gives(kwargs):
    assert page_url("api:territory-detail", **kwargs) == reverse(
        "api:territory-detail", kwargs=kwargs
    )
    assert page_url("api:body-detail", siren="200068658") == reverse(
        "api:body-detail", kwargs={"siren": "200068658"}
    )

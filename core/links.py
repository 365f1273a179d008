"""The address of an object's page, from its slug, without resolving the URLconf each time."""

import functools
import re

from django.urls import get_script_prefix, get_urlconf, reverse

# What Django's `slug` path converter accepts; anything else goes through `reverse`.
SLUG = re.compile(r"[-a-zA-Z0-9_]+")
# Stands for the slug in the address reversed once; a slug the converter accepts.
PLACEHOLDER = "0slug0placeholder0"


@functools.lru_cache(maxsize=128)
def _address(name: str, prefix: str, urlconf) -> str:
    return reverse(name, kwargs={"slug": PLACEHOLDER}, urlconf=urlconf)


def slug_url(name: str, slug: str) -> str:
    """`reverse(name, kwargs={"slug": slug})` for a URL whose only argument is `<slug:slug>`.

    A list page links every row it shows (a pact, its territories, bodies, signatories):
    `reverse` walks the resolver for each, which on a page of 20 cards cost as much as its
    queries. The address is reversed once per name (and script prefix, and URLconf) with a
    placeholder, then the slug put in its place; the slug converter never quotes anything.
    """
    if not SLUG.fullmatch(slug):
        return reverse(name, kwargs={"slug": slug})
    return _address(name, get_script_prefix(), get_urlconf()).replace(PLACEHOLDER, slug, 1)

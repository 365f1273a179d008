"""Addresses of pages from a few short arguments, without resolving the URLconf each time."""

import functools
import re

from django.urls import get_script_prefix, get_urlconf, reverse

# Arguments put in place as they are: what the `slug` converter accepts, which neither it nor
# `str` quotes. Anything else goes through `reverse`.
PLAIN = re.compile(r"[-a-zA-Z0-9_]+")


def _placeholder(key: str) -> str:
    # Accepted by `slug` and `str`, and found nowhere else in an address.
    return f"0{key}0placeholder0"


@functools.lru_cache(maxsize=256)
def _address(name: str, keys: tuple[str, ...], prefix: str, urlconf) -> str:
    return reverse(name, kwargs={key: _placeholder(key) for key in keys}, urlconf=urlconf)


def page_url(name: str, **kwargs: str) -> str:
    """`reverse(name, kwargs=kwargs)` for a URL of `slug` or `str` arguments.

    A list links every row it shows (a pact, its territories, bodies, signatories), and the
    API gives each nested row its address: `reverse` walks the resolver for each, which on a
    page of 20 cards cost as much as its queries. The address is reversed once per name (and
    script prefix, and URLconf) with placeholders, then the arguments put in their place.
    """
    if not all(isinstance(value, str) and PLAIN.fullmatch(value) for value in kwargs.values()):
        return reverse(name, kwargs=kwargs)
    address = _address(name, tuple(sorted(kwargs)), get_script_prefix(), get_urlconf())
    for key, value in kwargs.items():
        address = address.replace(_placeholder(key), value, 1)
    return address


def slug_url(name: str, slug: str) -> str:
    """`reverse(name, kwargs={"slug": slug})`, as `page_url`."""
    return page_url(name, slug=slug)

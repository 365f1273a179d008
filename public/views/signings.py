"""The page of one signing event (its list, `/signatures/`, is `pacts.SIGNING_LIST`)."""

from django.shortcuts import render

from public.selectors import signings


def signing_detail(request, slug):
    return render(request, "pacts/signingevent_detail.html", signings.signing_detail(slug=slug))

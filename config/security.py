"""Admin lock-out helpers for django-axes: who the client is, and what a locked-out user reads."""

from django.conf import settings
from django.http import HttpResponse
from django.utils.html import escape

LOCKOUT_MESSAGE = (
    "Trop de tentatives de connexion infructueuses : l'accès est bloqué pendant "
    "{minutes} minutes. Réessayez plus tard ou demandez à un administrateur de le débloquer."
)


def client_ip(request) -> str:
    """The client's address, trusting X-Forwarded-For only as far as our own proxies.

    Behind a reverse proxy every request comes from the proxy: counting failures per
    REMOTE_ADDR would lock every member of staff out at once. Each trusted proxy appends the
    address it received from, so with N proxies the client is the N-th entry from the right;
    anything further left was written by the client and is not trusted.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        header = request.META.get("HTTP_X_FORWARDED_FOR", "")
        forwarded = [a.strip() for a in header.split(",") if a.strip()]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """HTTP 429 with a French explanation and the delay before the next attempt."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = LOCKOUT_MESSAGE.format(minutes=minutes)
    body = (
        '<!doctype html><html lang="fr"><head><meta charset="utf-8">'
        "<title>Connexion bloquée</title></head>"
        f"<body><main><h1>Connexion bloquée</h1><p>{escape(message)}</p></main></body></html>"
    )
    response = HttpResponse(body, status=429, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response

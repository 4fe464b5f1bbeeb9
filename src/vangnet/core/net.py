"""Client address as seen by Vangnet: never taken on trust from a header a client can set."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR, or with N trusted reverse proxies the address the outermost proxy saw.

    With VANGNET_TRUSTED_PROXY_COUNT=0 (default) X-Forwarded-For is ignored entirely, so a client
    cannot dodge a lock-out or falsify the audit trail by sending that header.
    """
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [
        p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()
    ]
    # Each trusted proxy appended the address it received from; the client is that many from the end.
    if len(forwarded) >= proxies:
        return forwarded[-proxies]
    return remote

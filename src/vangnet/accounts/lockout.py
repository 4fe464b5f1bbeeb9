"""The account name django-axes counts failed sign-ins against.

The sign-in form of django-two-factor-auth posts the name as ``auth-username``, while Django's
authenticate() reports the failure with ``credentials["username"]``. With only
AXES_USERNAME_FORM_FIELD set, axes finds no name in the credentials and records the attempt
without one, so only the client address is locked and an attacker who spreads attempts over many
addresses is never stopped. Point AXES_USERNAME_CALLABLE at :func:`lockout_username` to count
per account as well. Names are lower-cased, as e-mail addresses are stored.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

FORM_FIELD = "auth-username"


def lockout_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str | None:
    name = None
    if credentials:
        name = credentials.get("username") or credentials.get("email")
    if not name and request is not None:
        name = getattr(request, "POST", {}).get(FORM_FIELD)
    return str(name).strip().lower() if name else None

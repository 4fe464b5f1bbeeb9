"""Form helpers shared by every app."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _

SESSION_KEY = "vangnet_used_form_tokens"
FIELD = "form_token"


def new_form_token() -> str:
    return secrets.token_urlsafe(16)


def idempotency_check(request: HttpRequest) -> HttpResponse | None:
    """Refuse a form that was posted before (double click, back button, resubmit).

    Every POST form carries a one-time token ({% form_token %}); the first POST with a token
    consumes it. A second POST with the same token changes nothing and is sent back.
    """
    token = request.POST.get(FIELD, "")
    used: list[str] = request.session.get(SESSION_KEY, [])
    if not token or token in used:
        messages.warning(request, _("This form was already sent; nothing has been changed."))
        return HttpResponseRedirect(request.path)
    used.append(token)
    request.session[SESSION_KEY] = used[-200:]
    return None

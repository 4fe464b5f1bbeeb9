"""Form helpers shared by every app."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.signals import got_request_exception
from django.db import IntegrityError, transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext as _

FIELD = "form_token"
TOKEN_MAX_LENGTH = 64
# A spent token is remembered this long; a form kept open for longer can be sent once more.
TOKEN_MEMORY = timedelta(days=2)
_SPENT_ATTRIBUTE = "_vangnet_spent_form_tokens"


def new_form_token() -> str:
    return secrets.token_urlsafe(16)


def idempotency_check(request: HttpRequest) -> HttpResponse | None:
    """Refuse a form that was posted before (double click, back button, resubmit).

    Every POST form carries a one-time token ({% form_token %}); the first POST with a token
    spends it by inserting it into UsedFormToken. A second POST with the same token, also one
    racing the first, fails that insert, changes nothing and is sent back with a message. A
    request that crashes gives its token back, so the user can send the form again.
    """
    from .models import UsedFormToken

    token = request.POST.get(FIELD, "")
    if token and len(token) <= TOKEN_MAX_LENGTH:
        try:
            with transaction.atomic():
                UsedFormToken.objects.create(token=token)
        except IntegrityError:
            pass
        else:
            spent: list[str] = getattr(request, _SPENT_ATTRIBUTE, [])
            setattr(request, _SPENT_ATTRIBUTE, [*spent, token])
            UsedFormToken.objects.filter(used_at__lt=timezone.now() - TOKEN_MEMORY).delete()
            return None
    messages.warning(request, _("This form was already sent; nothing has been changed."))
    return HttpResponseRedirect(request.path)


@receiver(got_request_exception)
def _give_tokens_back(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """A request that ended in a server error changed nothing, so its tokens are not spent."""
    tokens = getattr(request, _SPENT_ATTRIBUTE, None)
    if tokens:
        from .models import UsedFormToken

        UsedFormToken.objects.filter(token__in=tokens).delete()

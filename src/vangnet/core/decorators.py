"""View decorators: anonymous visitors go to the login page; signed-in users without the right get 403."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from rules.contrib.views import permission_required as rules_permission_required


def permission_required(
    perm: str, fn: Callable[..., Any] | None = None
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Like rules' permission_required, but an anonymous visitor is sent to sign in first.

    `fn` (optional) receives (request, *args, **kwargs) and returns the object to check the
    permission against, as in django-rules.
    """

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        return login_required(rules_permission_required(perm, fn=fn, raise_exception=True)(view))

    return decorator

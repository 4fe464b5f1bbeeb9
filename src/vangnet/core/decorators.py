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


def student_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Student portal pages: anonymous visitors sign in at the student login first; any account
    that is not an active student's gets 404 (the page does not exist for staff)."""
    import functools
    from urllib.parse import quote

    from django.http import Http404, HttpResponseRedirect
    from django.urls import reverse

    from vangnet.accounts.models import AccountKind, User

    @functools.wraps(view)
    def wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
        user = request.user
        if not user.is_authenticated:
            login_url = reverse("students:login")
            return HttpResponseRedirect(f"{login_url}?next={quote(request.get_full_path())}")
        if not isinstance(user, User) or user.kind != AccountKind.STUDENT or not user.is_active:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper

"""Typed access to the signed-in user and their organisation, for views, selectors and services.

Views sit behind login_required / permission_required, and most permissions already require an
organisation of a certain kind, so the "no user" and "no organisation" branches below are not
reached in practice; they exist so that callers get precise types (User, Organisation, int)
instead of the optional ones of the model and of request.user.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from vangnet.accounts.models import User

if TYPE_CHECKING:
    from vangnet.organisations.models import Organisation


def signed_in_user(request: HttpRequest) -> User:
    """The signed-in user of the request; PermissionDenied for an anonymous visitor."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def organisation_of(user: User) -> Organisation:
    """The user's organisation; PermissionDenied for an account without one."""
    if user.organisation is None:
        raise PermissionDenied
    return user.organisation


def organisation_id_of(user: User) -> int:
    """The id of the user's organisation; PermissionDenied for an account without one."""
    if user.organisation_id is None:
        raise PermissionDenied
    return user.organisation_id


def region_id_of(user: User) -> int | None:
    """The region of the user's organisation; None without an organisation or region (platform)."""
    return user.organisation.region_id if user.organisation is not None else None

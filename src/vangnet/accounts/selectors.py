from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import AccountKind, Role, User, UserRole

USER_STATUSES = ("actief", "inactief", "alle")


def user_list_for_admin(*, user: User) -> QuerySet[User]:
    """Users of the administrator's own organisation, with their roles in one extra query."""
    if user.organisation_id is None:
        return User.objects.none()
    return (
        User.objects.filter(organisation_id=user.organisation_id, kind=AccountKind.STAFF)
        .annotate(
            has_authenticator=Exists(
                TOTPDevice.objects.filter(user_id=OuterRef("pk"), confirmed=True)
            ),
            is_admin=Exists(UserRole.objects.filter(user_id=OuterRef("pk"), role=Role.ADMIN)),
        )
        .prefetch_related(Prefetch("roles", queryset=UserRole.objects.order_by("role")))
        .order_by("last_name", "first_name", "pk")
    )


def user_list_filtered(*, user: User, q: str = "", status: str = "actief") -> QuerySet[User]:
    """The administrator's user list, searched on name or e-mail and filtered on status."""
    qs = user_list_for_admin(user=user)
    if status == "actief":
        qs = qs.filter(is_active=True)
    elif status == "inactief":
        qs = qs.filter(is_active=False)
    for word in q.split()[:5]:
        qs = qs.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
        )
    return qs


def user_get_for_admin(*, user: User, user_id: int) -> User | None:
    """One user of the administrator's own organisation, or None (another organisation's user)."""
    return user_list_for_admin(user=user).filter(pk=user_id).first()


def organisation_has_active_admin(*, organisation_id: int) -> bool:
    """Whether the organisation has an active administrator (then platform management invites
    nobody into it: its administrator adds the users)."""
    return User.objects.filter(
        organisation_id=organisation_id, is_active=True, roles__role=Role.ADMIN
    ).exists()

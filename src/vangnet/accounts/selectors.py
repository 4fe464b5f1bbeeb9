from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from .models import User, UserRole


def user_list_for_admin(*, user: User) -> QuerySet[User]:
    """Users of the administrator's own organisation, with their roles in one extra query."""
    return (
        User.objects.filter(organisation_id=user.organisation_id, kind="staff")
        .prefetch_related(Prefetch("roles", queryset=UserRole.objects.order_by("role")))
        .order_by("last_name", "first_name")
    )

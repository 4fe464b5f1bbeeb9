from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import ContactDesignation, Organisation


def user_region_id(user: Any) -> int | None:
    org = getattr(user, "organisation", None)
    return org.region_id if org is not None else None


def designated_contacts_for_user(*, user: Any) -> QuerySet[ContactDesignation]:
    """Designated contacts per municipality and perspective in the user's region (seed 000 §8.2)."""
    region_id = user_region_id(user)
    qs = ContactDesignation.objects.select_related("municipality", "user", "user__organisation")
    if region_id is None:
        return (
            qs.none()
            if not getattr(user, "organisation", None) or not user.organisation.is_platform
            else qs
        )
    return qs.filter(municipality__region_id=region_id).order_by(
        "municipality__name", "perspective", "user__last_name"
    )


def organisation_by_code(*, code: str) -> Organisation | None:
    return Organisation.objects.filter(code=code).first()

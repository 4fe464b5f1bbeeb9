from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, Model, OuterRef, QuerySet
from django.http import Http404

from .models import Location, Municipality, Organisation, Region

# --- Master data overview (platform management) -------------------------------------------------


def master_regions() -> QuerySet[Region]:
    return Region.objects.annotate(
        municipality_count=Count("municipalities", distinct=True),
        organisation_count=Count("organisations", distinct=True),
    ).order_by("name")


def master_region_overview(*, region: Region | None) -> dict[str, Any]:
    """The municipalities and organisations of one region (or those without a region: the
    platform), with the numbers of locations and users. A handful of queries whatever the size."""
    organisations = Organisation.objects.select_related("municipality").annotate(
        location_count=Count("locations", distinct=True),
        user_count=Count("users", distinct=True),
    )
    if region is None:
        return {
            "municipalities": Municipality.objects.none(),
            "organisations": organisations.filter(region__isnull=True).order_by("name"),
        }
    return {
        "municipalities": Municipality.objects.filter(region=region).order_by("name"),
        "organisations": organisations.filter(region=region).order_by("kind", "name"),
    }


def master_record_get(*, model: type[Model], pk: int) -> Model:
    record = model._default_manager.filter(pk=pk).first()
    if record is None:
        raise Http404
    return record


def organisation_locations(*, organisation: Organisation) -> QuerySet[Location]:
    return Location.objects.filter(organisation=organisation).select_related("municipality")


def organisation_users(*, organisation: Organisation) -> QuerySet[Any]:
    from vangnet.accounts.models import Role, UserRole

    return organisation.users.annotate(
        is_admin=Exists(UserRole.objects.filter(user_id=OuterRef("pk"), role=Role.ADMIN))
    ).order_by("last_name", "first_name")

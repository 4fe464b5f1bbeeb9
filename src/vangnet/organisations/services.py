from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from vangnet.audit.models import AuditAction
from vangnet.audit.services import audit_record

from .models import (
    CHAIN_PARTNER_KINDS,
    ContactDesignation,
    Location,
    Municipality,
    Organisation,
    OrganisationKind,
    Perspective,
    Region,
)

SETTING_FIELDS = ("auto_monitor_education", "auto_monitor_work", "auto_monitor_day_care")
# An MBO institution sets whether it takes part in the Digitaal Doorstroomdossier (seed 001).
MBO_SETTING_FIELDS = ("takes_part_in_ddd",)
DESIGNATABLE_KINDS = frozenset({*CHAIN_PARTNER_KINDS, OrganisationKind.MUNICIPALITY})


@transaction.atomic
def organisation_settings_update(
    *, organisation: Organisation, data: dict[str, Any], acting_user: Any
) -> Organisation:
    """Save the preferences (Instellingen, seed 000 §9) of the acting user's own organisation."""
    if acting_user.organisation_id != organisation.pk:
        raise PermissionDenied
    allowed = MBO_SETTING_FIELDS if organisation.kind == OrganisationKind.MBO else SETTING_FIELDS
    changed = {k: v for k, v in data.items() if k in allowed and getattr(organisation, k) != v}
    for key, value in changed.items():
        setattr(organisation, key, value)
    if changed:
        organisation.save(update_fields=list(changed))
        audit_record(
            user=acting_user,
            action=AuditAction.UPDATE,
            obj=organisation,
            description="settings",
            detail={"fields": sorted(changed)},
        )
    return organisation


def _may_manage_region(acting_user: Any, region_id: int) -> bool:
    """Platform management manages every region; a municipality's administrator its own."""
    from vangnet.core import roles

    if roles.is_platform_admin(acting_user):
        return True
    return (
        roles.is_municipality_user(acting_user)
        and roles.is_org_admin(acting_user)
        and acting_user.organisation.region_id == region_id
    )


@transaction.atomic
def designation_add(
    *, municipality: Municipality, perspective: str, user: Any, acting_user: Any
) -> ContactDesignation:
    """Designate a contact person for a municipality and an uitstroomperspectief (seed 000 §8.2).

    The contact is an active staff member of a chain partner or municipality in the same region;
    schools ask the designated chain partner to work together (§4.5).
    """
    if not _may_manage_region(acting_user, municipality.region_id):
        raise PermissionDenied
    if perspective not in Perspective.values:
        raise ValidationError(_("Choose an uitstroomperspectief."))
    organisation = user.organisation
    if (
        not user.is_active
        or organisation is None
        or organisation.kind not in DESIGNATABLE_KINDS
        or organisation.region_id != municipality.region_id
    ):
        raise ValidationError(
            _(
                "Choose an active user of a chain partner or municipality in the region of this municipality."
            )
        )
    try:
        with transaction.atomic():
            designation = ContactDesignation.objects.create(
                municipality=municipality, perspective=perspective, user=user
            )
    except IntegrityError as exc:
        raise ValidationError(
            _("This person is already a contact for this municipality and perspective.")
        ) from exc
    audit_record(
        user=acting_user,
        action=AuditAction.CREATE,
        obj=designation,
        description="contact designated",
        detail={
            "municipality": municipality.pk,
            "perspective": perspective,
            "user": user.pk,
        },
    )
    return designation


@transaction.atomic
def designation_remove(*, designation: ContactDesignation, acting_user: Any) -> None:
    if not _may_manage_region(acting_user, designation.municipality.region_id):
        raise PermissionDenied
    audit_record(
        user=acting_user,
        action=AuditAction.DELETE,
        obj=designation,
        description="contact designation removed",
        detail={
            "municipality": designation.municipality_id,
            "perspective": designation.perspective,
            "user": designation.user_id,
        },
    )
    designation.delete()


# --- Master data (platform management): regions, gemeenten, organisations, locations ----------


@transaction.atomic
def master_data_save(
    *,
    instance: Region | Municipality | Organisation | Location,
    fields: list[str],
    acting_user: Any,
) -> Region | Municipality | Organisation | Location:
    """Create or change a region, municipality, organisation or location; platform management only.

    The caller has validated the instance (a ModelForm); a unique value taken meanwhile by a
    concurrent save is reported as a ValidationError and nothing is written.
    """
    from vangnet.core import roles

    if not roles.is_platform_admin(acting_user):
        raise PermissionDenied
    created = instance.pk is None
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        raise ValidationError(
            _("A record with this name or code already exists; nothing has been saved.")
        ) from exc
    audit_record(
        user=acting_user,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=instance,
        description=f"{instance._meta.model_name} {'created' if created else 'changed'}",
        detail={"fields": sorted(fields), "name": str(instance)},
    )
    return instance

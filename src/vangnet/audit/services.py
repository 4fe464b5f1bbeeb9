"""Writing audit events. Call inside the transaction of the action being audited."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import models, transaction

from .context import current_ip
from .models import AuditAction, AuditEvent
from .selectors import youth_find_for_audit

if TYPE_CHECKING:
    from vangnet.youth.models import Youth


def _actor_fields(user: Any) -> dict[str, Any]:
    if user is None or not getattr(user, "is_authenticated", False):
        return {
            "user_id": None,
            "user_email": "",
            "organisation_id": None,
            "organisation_name": "",
            "role": "",
        }
    org = user.organisation
    return {
        "user_id": user.pk,
        "user_email": user.email,
        "organisation_id": org.pk if org else None,
        "organisation_name": org.name if org else "",
        "role": user.primary_role,
    }


def audit_event_build(
    *,
    user: Any,
    action: AuditAction | str,
    obj: models.Model | None = None,
    youth_id: int | None = None,
    description: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    return AuditEvent(
        **_actor_fields(user),
        action=str(action),
        youth_id=youth_id,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        description=description[:300],
        detail=detail or {},
        ip=current_ip.get(),
    )


def audit_record(
    *,
    user: Any,
    action: AuditAction | str,
    obj: models.Model | None = None,
    youth_id: int | None = None,
    description: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    event = audit_event_build(
        user=user, action=action, obj=obj, youth_id=youth_id, description=description, detail=detail
    )
    event.save(force_insert=True)
    return event


def audit_many(
    *,
    user: Any,
    action: AuditAction | str,
    youth_ids: Iterable[int],
    description: str = "",
    detail: dict[str, Any] | None = None,
) -> int:
    """One event per youth (a list page or export shows many records at once)."""
    events = [
        audit_event_build(
            user=user, action=action, youth_id=yid, description=description, detail=detail
        )
        for yid in youth_ids
    ]
    AuditEvent.objects.bulk_create(events, batch_size=2000)
    return len(events)


@transaction.atomic
def audit_trail_consult(*, query: str, reason: str, acting_user: Any) -> Youth | None:
    """Platform management looks up who viewed a youth. The search and its reason are audited
    (also when nobody is found), in the same transaction as the read."""
    found = youth_find_for_audit(query=query)
    youth = found[0] if found else None
    audit_record(
        user=acting_user,
        action=AuditAction.SEARCH,
        obj=youth,
        youth_id=youth.pk if youth is not None else None,
        description="audit trail consulted",
        detail={"reason": reason.strip(), "found": youth is not None},
    )
    return youth

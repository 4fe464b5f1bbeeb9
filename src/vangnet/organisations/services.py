from __future__ import annotations

from typing import Any

from django.db import transaction

from vangnet.audit.models import AuditAction
from vangnet.audit.services import audit_record

from .models import Organisation


@transaction.atomic
def organisation_settings_update(
    *, organisation: Organisation, data: dict[str, Any], acting_user: Any
) -> Organisation:
    changed = {k: v for k, v in data.items() if getattr(organisation, k) != v}
    for key, value in changed.items():
        setattr(organisation, key, value)
    if changed:
        organisation.save(update_fields=list(changed))
        audit_record(
            user=acting_user,
            action=AuditAction.UPDATE,
            obj=organisation,
            detail={"fields": sorted(changed)},
        )
    return organisation

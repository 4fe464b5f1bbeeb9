from __future__ import annotations

from django.db.models import QuerySet

from vangnet.core import crypto
from vangnet.youth.domain.identifiers import (
    is_valid_bsn,
    is_valid_onderwijsnummer,
    normalise_number,
)
from vangnet.youth.models import Youth

from .models import AuditEvent


def youth_find_for_audit(*, query: str) -> list[Youth]:
    """Platform management looks a person up by BSN, onderwijsnummer or record number."""
    query = query.strip()
    number = normalise_number(query)
    if is_valid_bsn(number):
        return list(Youth.objects.filter(bsn_index=crypto.blind_index(number))[:1])
    if is_valid_onderwijsnummer(number):
        return list(Youth.objects.filter(onderwijsnummer=number)[:1])
    if query.isascii() and query.isdigit():  # "²".isdigit() is True, int("²") fails
        return list(Youth.objects.filter(pk=int(query))[:1])
    return []


def audit_events_for_youth(*, youth_id: int) -> QuerySet[AuditEvent]:
    """Every event about one person, newest first (uses the youth/time index)."""
    return AuditEvent.objects.filter(youth_id=youth_id).order_by("-at", "-id")

"""The nightly job: everything that the product promises happens 'the next day'."""

from __future__ import annotations

from datetime import date

from vangnet.notifications.services import outbox_deliver_due
from vangnet.youth.services import enrolments_process_unenrolments


def run_nightly(*, today: date | None = None) -> dict[str, int]:
    return {
        "unenrolments_processed": enrolments_process_unenrolments(today=today),
        "messages_sent": outbox_deliver_due(),
    }

"""The nightly job: everything that the product promises happens 'the next day'."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from vangnet.jikp.services import monitoring_start_for_processed_unenrolments
from vangnet.notifications.services import outbox_deliver_due
from vangnet.youth.services import enrolments_process_unenrolments


def run_nightly(*, today: date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    # Processing an unenrolment and starting the monitoring the school asked for (§9) belong
    # together: either both happen or, on a failure, both are retried the next night.
    with transaction.atomic():
        processed = enrolments_process_unenrolments(today=today)
        monitoring_started = monitoring_start_for_processed_unenrolments(
            enrolment_ids=processed, today=today
        )
    return {
        "unenrolments_processed": len(processed),
        "monitoring_started": monitoring_started,
        "messages_sent": outbox_deliver_due(),
    }

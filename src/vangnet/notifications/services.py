"""Queueing and delivering outbox messages.

Delivery claims a message with a conditional UPDATE (pending -> sending), so two workers never send
the same message; a message stuck in 'sending' (worker died) is released again after
STALE_CLAIM and retried. Each message carries a stable Message-ID so receiving servers can drop a
duplicate if a worker died after handing the message over but before recording it.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
STALE_CLAIM = timedelta(minutes=10)


def outbox_enqueue(
    *,
    to: str,
    subject: str,
    body: str,
    kind: str = "",
    attachment: tuple[str, bytes, str] | None = None,
) -> OutboxMessage:
    """Write a message to the outbox; delivery is scheduled when the surrounding transaction commits.

    `attachment` is (file name, content, MIME type).
    """
    name, content, mimetype = attachment if attachment is not None else ("", None, "")
    message = OutboxMessage.objects.create(
        to=to,
        subject=subject[:200],
        body=body,
        kind=kind,
        attachment_name=name,
        attachment_type=mimetype,
        attachment=content,
    )
    transaction.on_commit(lambda: _schedule(message.pk))
    return message


def _schedule(message_id: int) -> None:
    from .tasks import deliver_message

    try:
        deliver_message.delay(message_id)
    except Exception:  # broker down: the periodic sweep delivers it later
        logger.warning(
            "Outbox message %s could not be scheduled; the sweep will pick it up.", message_id
        )


def _retry_delay(attempts: int) -> timedelta:
    return timedelta(seconds=min(60 * 2 ** max(attempts - 1, 0), 6 * 3600))


def outbox_deliver(*, message_id: int) -> bool:
    """Deliver one message. Returns True when this call sent it."""
    now = timezone.now()
    claimed = OutboxMessage.objects.filter(
        Q(status__in=[OutboxStatus.PENDING, OutboxStatus.FAILED])
        & Q(next_attempt_at__lte=now)
        & Q(attempts__lt=MAX_ATTEMPTS)
        | Q(status=OutboxStatus.SENDING, claimed_at__lt=now - STALE_CLAIM),
        pk=message_id,
    ).update(status=OutboxStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return False
    message = OutboxMessage.objects.get(pk=message_id)
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        headers={
            "Message-ID": f"<outbox-{message.pk}-{int(message.created_at.timestamp())}@vangnet>"
        },
    )
    if message.attachment_name and message.attachment is not None:
        email.attach(
            message.attachment_name, bytes(message.attachment), message.attachment_type or None
        )
    try:
        email.send(fail_silently=False)
    except Exception as exc:
        OutboxMessage.objects.filter(pk=message_id).update(
            status=OutboxStatus.FAILED,
            last_error=type(exc).__name__,
            next_attempt_at=timezone.now() + _retry_delay(message.attempts),
        )
        logger.warning(
            "Delivery of outbox message %s failed (attempt %s).", message_id, message.attempts
        )
        return False
    OutboxMessage.objects.filter(pk=message_id, status=OutboxStatus.SENDING).update(
        status=OutboxStatus.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


def outbox_deliver_due(*, limit: int = 500) -> int:
    """Sweep: deliver everything that is due, including stale claims. Returns the number sent."""
    now = timezone.now()
    ids = list(
        OutboxMessage.objects.filter(
            Q(
                status__in=[OutboxStatus.PENDING, OutboxStatus.FAILED],
                next_attempt_at__lte=now,
                attempts__lt=MAX_ATTEMPTS,
            )
            | Q(status=OutboxStatus.SENDING, claimed_at__lt=now - STALE_CLAIM)
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(1 for pk in ids if outbox_deliver(message_id=pk))

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from vangnet.notifications.models import OutboxMessage, OutboxStatus
from vangnet.notifications.services import (
    STALE_CLAIM,
    outbox_deliver,
    outbox_deliver_due,
    outbox_enqueue,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_message_is_delivered_when_the_transaction_commits():
    with transaction.atomic():
        message = outbox_enqueue(to="mentor@example.test", subject="Signaal", body="Tekst")
        assert mail.outbox == []
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["mentor@example.test"]


def test_message_of_a_rolled_back_transaction_is_never_sent():
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox_enqueue(to="mentor@example.test", subject="Signaal", body="Tekst")
        raise RuntimeError("cause fails")
    assert OutboxMessage.objects.count() == 0
    assert mail.outbox == []


def test_delivered_message_is_never_sent_twice():
    message = outbox_enqueue(to="a@example.test", subject="s", body="b")
    assert len(mail.outbox) == 1
    assert outbox_deliver(message_id=message.pk) is False
    assert outbox_deliver_due() == 0
    assert len(mail.outbox) == 1


def test_failed_delivery_is_retried_later():
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=ConnectionError("smtp down")):
        message = outbox_enqueue(to="a@example.test", subject="s", body="b")
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert message.attempts == 1
    assert outbox_deliver_due() == 0  # not due yet (backoff)
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert outbox_deliver_due() == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT and message.attempts == 2


def test_crashed_delivery_is_picked_up_again_after_the_claim_goes_stale():
    with mock.patch("vangnet.notifications.services._schedule"):
        message = outbox_enqueue(to="a@example.test", subject="s", body="b")
    # A worker claimed it and died before recording the result.
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.SENDING, claimed_at=timezone.now() - timedelta(minutes=1), attempts=1
    )
    assert outbox_deliver_due() == 0  # a fresh claim belongs to a live worker
    OutboxMessage.objects.filter(pk=message.pk).update(
        claimed_at=timezone.now() - STALE_CLAIM - timedelta(seconds=1)
    )
    assert outbox_deliver_due() == 1
    assert len(mail.outbox) == 1

"""A message with an attachment (e.g. the completed transfer dossier as PDF) is mailed with it."""

import pytest
from django.core import mail
from django.db import transaction

from vangnet.notifications.models import OutboxMessage, OutboxStatus
from vangnet.notifications.services import outbox_deliver, outbox_enqueue

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.7\n% test dossier\n%%EOF\n"


def test_delivered_message_carries_its_attachment():
    with transaction.atomic():
        message = outbox_enqueue(
            to="leerling@example.test",
            subject="Dossier afgerond",
            body="Tekst",
            kind="dossier_afgerond",
            attachment=("doorstroomdossier-1-volledig.pdf", PDF, "application/pdf"),
        )
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert len(mail.outbox) == 1
    assert mail.outbox[0].attachments == [
        ("doorstroomdossier-1-volledig.pdf", PDF, "application/pdf")
    ]


def test_attachment_is_stored_until_a_later_delivery():
    message = OutboxMessage.objects.create(
        to="leerling@example.test",
        subject="Dossier afgerond",
        body="Tekst",
        attachment_name="dossier.pdf",
        attachment_type="application/pdf",
        attachment=PDF,
    )
    assert outbox_deliver(message_id=message.pk) is True
    (sent,) = mail.outbox
    name, content, mimetype = sent.attachments[0]
    assert (name, bytes(content), mimetype) == ("dossier.pdf", PDF, "application/pdf")


def test_message_without_attachment_has_none():
    outbox_enqueue(to="mentor@example.test", subject="Signaal", body="Tekst")
    assert mail.outbox[0].attachments == []

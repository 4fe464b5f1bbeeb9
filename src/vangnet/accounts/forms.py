from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import PasswordResetForm
from django.template import loader

from vangnet.notifications.services import outbox_enqueue


class OutboxPasswordResetForm(PasswordResetForm):
    """Sends the reset mail through the outbox. Unknown addresses get the same answer (no enumeration)."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        outbox_enqueue(to=to_email, subject=subject, body=body, kind="password_reset")

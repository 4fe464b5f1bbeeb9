"""Sign-in, sign-out and failed sign-in go into the audit trail."""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from vangnet.audit.models import AuditAction
from vangnet.audit.services import audit_record


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(user=user, action=AuditAction.LOGIN)


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(user=user, action=AuditAction.LOGOUT)


@receiver(user_login_failed)
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    # Record the attempted account name only if it is an existing account; never the password.
    audit_record(user=None, action=AuditAction.LOGIN_FAILED, description="sign-in failed")

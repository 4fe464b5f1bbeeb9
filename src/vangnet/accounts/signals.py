"""Sign-in, sign-out and failed sign-in go into the audit trail; a new authenticator brings backup codes."""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver
from django_otp.forms import otp_verification_failed
from django_otp.plugins.otp_totp.models import TOTPDevice

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
    # Name the account only if it exists; a typed name that matches no account is never stored
    # (it is often a password typed in the wrong field). The password is never recorded.
    from .models import User

    typed = str(credentials.get("username") or credentials.get("email") or "").strip()
    account = User.objects.filter(email__iexact=typed).first() if typed else None
    audit_record(
        user=None,
        action=AuditAction.LOGIN_FAILED,
        obj=account,
        description="sign-in failed",
        detail={"step": "password"},
    )


@receiver(otp_verification_failed)
def _second_step_failed(sender: Any, user: Any, **kwargs: Any) -> None:
    audit_record(
        user=None,
        action=AuditAction.LOGIN_FAILED,
        obj=user,
        description="sign-in failed: wrong verification code",
        detail={"step": "verification code"},
    )


@receiver(post_save, sender=TOTPDevice)
def _authenticator_saved(
    sender: Any, instance: TOTPDevice, created: bool = False, **kwargs: Any
) -> None:
    # Whoever sets up an authenticator app also gets backup codes, shown right after setup.
    # Only on creation: the device is saved again at every sign-in.
    if created and instance.confirmed:
        from .services import backup_codes_ensure

        backup_codes_ensure(user=instance.user)

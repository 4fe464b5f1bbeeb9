from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.http import HttpRequest
from django.template import loader
from django.utils.translation import gettext_lazy as _

from vangnet.core.net import client_ip
from vangnet.core.throttle import throttle_hit
from vangnet.notifications.services import outbox_enqueue
from vangnet.organisations.models import Organisation

from . import services
from .models import User

# Reset mails: at most this many per account and per client address in the window. Over the limit
# the page answers as always (no enumeration), but no mail is sent.
RESET_LIMIT_PER_ACCOUNT = 3
RESET_LIMIT_PER_IP = 20
RESET_WINDOW_SECONDS = 60 * 60


class OutboxPasswordResetForm(PasswordResetForm):
    """Sends the reset mail through the outbox. Unknown addresses get the same answer (no enumeration)."""

    def save(self, *args: Any, **kwargs: Any) -> None:
        request: HttpRequest | None = kwargs.get("request")
        ip = client_ip(request) if request is not None else ""
        if throttle_hit(
            "password_reset:ip", ip, limit=RESET_LIMIT_PER_IP, window=RESET_WINDOW_SECONDS
        ):
            services.password_reset_refused(email=self.cleaned_data["email"], reason="ip")
            return
        super().save(*args, **kwargs)

    def get_users(self, email: str) -> Iterator[Any]:
        # Unlike Django's default, an account that never chose a password (a new colleague who
        # lost the welcome mail) may ask for a link too. Deactivated accounts get nothing.
        for user in get_user_model()._default_manager.filter(email__iexact=email, is_active=True):
            if throttle_hit(
                "password_reset:account",
                str(user.pk),
                limit=RESET_LIMIT_PER_ACCOUNT,
                window=RESET_WINDOW_SECONDS,
            ):
                services.password_reset_refused(email=email, reason="account", user=user)
                continue
            yield user

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


class _AuditedPasswordMixin:
    """Stores the new password through the service, so that the change is audited."""

    user: User
    cleaned_data: dict[str, Any]

    def save(self, commit: bool = True) -> User:
        password = self.cleaned_data["new_password1"]
        if commit:
            services.user_password_set(user=self.user, raw_password=password, acting_user=self.user)
        else:
            self.user.set_password(password)
        return self.user


class AuditedSetPasswordForm(_AuditedPasswordMixin, SetPasswordForm):
    pass


class AuditedPasswordChangeForm(_AuditedPasswordMixin, PasswordChangeForm):
    pass


class UserForm(forms.Form):
    """Add or edit a colleague. Roles are offered as checkboxes, limited to what may be handed out."""

    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    job_title = forms.CharField(label=_("Job title"), max_length=150, required=False)
    phone = forms.CharField(label=_("Telephone"), max_length=30, required=False)
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("An administrator manages the users of your organisation."),
        error_messages={"required": _("Choose at least one role.")},
    )

    def __init__(
        self, *args: Any, organisation: Organisation, instance: User | None = None, **kwargs: Any
    ) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "email": instance.email,
                "first_name": instance.first_name,
                "last_name": instance.last_name,
                "job_title": instance.job_title,
                "phone": instance.phone,
                "roles": sorted(instance.role_set()),
            }
        super().__init__(*args, **kwargs)
        self.instance = instance
        roles_field = self.fields["roles"]
        assert isinstance(roles_field, forms.MultipleChoiceField)
        roles_field.choices = [
            (role.value, role.label) for role in services.assignable_roles(organisation)
        ]
        self.fields["email"].widget.attrs.update({"autocomplete": "off"})
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "off"})
        for name, field in self.fields.items():
            if name != "roles":
                field.widget.attrs.setdefault(
                    "class", "utrecht-textbox utrecht-textbox--html-input"
                )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        others = User.objects.filter(email__iexact=email)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("There already is an account with this e-mail address."))
        return email

    def clean_phone(self) -> str:
        phone = self.cleaned_data.get("phone", "").strip()
        allowed = set("0123456789+-() ")
        if phone and (not set(phone) <= allowed or sum(c.isdigit() for c in phone) < 6):
            raise forms.ValidationError(
                _("Enter a telephone number with digits only, e.g. 030-1234567.")
            )
        return phone

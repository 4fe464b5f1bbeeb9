"""Writing accounts: users of an organisation, their roles, activation and two-step verification.

Every function checks that the acting user administers the organisation concerned (the views
check it too) and writes an audit event in the same transaction as the change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template import loader
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from vangnet.audit.models import AuditAction
from vangnet.audit.services import audit_record
from vangnet.core import roles as role_checks
from vangnet.notifications.services import outbox_enqueue
from vangnet.organisations.models import Organisation, OrganisationKind

from .models import AccountKind, Role, User, UserRole
from .tokens import WELCOME_LINK_DAYS, welcome_token_generator

PROFILE_FIELDS = ("email", "first_name", "last_name", "job_title", "phone")
BACKUP_CODE_COUNT = 10


def assignable_roles(organisation: Organisation) -> list[Role]:
    """Roles an administrator may hand out: platform management only within the platform itself."""
    return [
        role
        for role in Role
        if role != Role.PLATFORM_ADMIN or organisation.kind == OrganisationKind.PLATFORM
    ]


def _require_admin_of(acting_user: User, organisation_id: int | None) -> None:
    if (
        organisation_id is None
        or not role_checks.is_org_admin(acting_user)
        or acting_user.organisation_id != organisation_id
    ):
        raise PermissionDenied


def _require_managed(acting_user: User, user: User) -> None:
    _require_admin_of(acting_user, user.organisation_id)
    if user.kind != AccountKind.STAFF:
        raise PermissionDenied


def _normalise_email(value: str) -> str:
    return User.objects.normalize_email((value or "").strip()).lower()


def _check_email_free(email: str, *, exclude_pk: int | None = None) -> None:
    taken = User.objects.filter(email__iexact=email)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError({"email": _("There already is an account with this e-mail address.")})


def _active_admin_count(organisation_id: int) -> int:
    return (
        User.objects.filter(organisation_id=organisation_id, is_active=True, roles__role=Role.ADMIN)
        .distinct()
        .count()
    )


def _welcome_mail(*, user: User, site_url: str) -> None:
    path = reverse(
        "accounts:welcome",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": welcome_token_generator.make_token(user),
        },
    )
    context = {
        "user": user,
        "link": f"{site_url.rstrip('/')}{path}",
        "days": WELCOME_LINK_DAYS,
        "organisation": user.organisation,
    }
    subject = "".join(loader.render_to_string("accounts/welcome_subject.txt", context).splitlines())
    body = loader.render_to_string("accounts/welcome_email.txt", context)
    outbox_enqueue(to=user.email, subject=subject, body=body, kind="welcome")


def _email_changed_notice(*, user: User, old_email: str, acting_user: User) -> None:
    """A notice to the OLD address: if someone took over the account by changing its address,
    the owner hears of it where they still read their mail."""
    context = {
        "user": user,
        "acting_user": acting_user,
        "organisation": user.organisation,
        "new_email": user.email,
    }
    subject = "".join(
        loader.render_to_string("accounts/email_changed_subject.txt", context).splitlines()
    )
    body = loader.render_to_string("accounts/email_changed_email.txt", context)
    outbox_enqueue(to=old_email, subject=subject, body=body, kind="email_changed")


@transaction.atomic
def user_create(
    *,
    organisation: Organisation,
    data: Mapping[str, Any],
    acting_user: User,
    site_url: str = "",
) -> User:
    """Add a staff account to the organisation and mail the new user a link to choose a password.

    The account has no usable password until the user follows that link. Platform management
    invites only the first administrator of an organisation that has no active one
    (organisations:manage_user_add); every other account is made by the organisation's own
    administrator. Otherwise platform management, which sees no person records, could invite an
    address of its own into a school and read them.
    """
    wanted = set(data.get("roles") or [])
    if (
        role_checks.is_platform_admin(acting_user)
        and acting_user.organisation_id != organisation.pk
    ):
        # Locked, so two invitations sent at the same moment cannot both be the "first".
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        if _active_admin_count(organisation.pk) > 0:
            raise ValidationError(
                _(
                    "This organisation already has an administrator. Its administrator adds "
                    "the other users."
                )
            )
        if Role.ADMIN not in wanted:
            raise ValidationError(
                {"roles": _("Platform management invites only an organisation's administrator.")}
            )
    else:
        _require_admin_of(acting_user, organisation.pk)
    email = _normalise_email(data["email"])
    _check_email_free(email)
    allowed = {str(r) for r in assignable_roles(organisation)}
    if not wanted:
        raise ValidationError({"roles": _("Choose at least one role.")})
    if not wanted <= allowed:
        raise ValidationError(
            {"roles": _("This role cannot be given to users of your organisation.")}
        )
    user = User(
        email=email,
        first_name=data["first_name"].strip(),
        last_name=data["last_name"].strip(),
        job_title=(data.get("job_title") or "").strip(),
        phone=(data.get("phone") or "").strip(),
        organisation=organisation,
        kind=AccountKind.STAFF,
    )
    user.set_unusable_password()
    user.save()
    UserRole.objects.bulk_create([UserRole(user=user, role=role) for role in sorted(wanted)])
    audit_record(
        user=acting_user,
        action=AuditAction.CREATE,
        obj=user,
        description="user created",
        detail={"email": email, "roles": sorted(wanted)},
    )
    _welcome_mail(user=user, site_url=site_url)
    return user


@transaction.atomic
def user_roles_set(*, user: User, roles: Iterable[str], acting_user: User) -> bool:
    """Give the user exactly these roles. Returns True when something changed.

    Refuses an empty set, roles the organisation may not hand out, and leaving the organisation
    without an active administrator (so an administrator cannot strip their own last rights).
    """
    _require_managed(acting_user, user)
    assert user.organisation is not None  # guaranteed by _require_managed
    allowed = {str(r) for r in assignable_roles(user.organisation)}
    wanted = {str(r) for r in roles}
    if not wanted:
        raise ValidationError({"roles": _("Choose at least one role.")})
    if not wanted <= allowed:
        raise ValidationError(
            {"roles": _("This role cannot be given to users of your organisation.")}
        )
    current = set(user.roles.values_list("role", flat=True))
    # Roles this organisation cannot hand out are neither granted nor taken away here.
    wanted |= current - allowed
    added, removed = wanted - current, current - wanted
    if not added and not removed:
        return False
    UserRole.objects.filter(user=user, role__in=removed).delete()
    UserRole.objects.bulk_create([UserRole(user=user, role=role) for role in sorted(added)])
    user.forget_roles()
    if Role.ADMIN in removed and _active_admin_count(user.organisation.pk) == 0:
        raise ValidationError(
            {
                "roles": _(
                    "You are the last administrator of your organisation. Make someone else "
                    "administrator first."
                )
            }
        )
    audit_record(
        user=acting_user,
        action=AuditAction.UPDATE,
        obj=user,
        description="roles changed",
        detail={"added": sorted(added), "removed": sorted(removed)},
    )
    if user.pk == acting_user.pk:
        acting_user.forget_roles()
    return True


@transaction.atomic
def user_update(*, user: User, data: Mapping[str, Any], acting_user: User) -> bool:
    """Change name, e-mail, job title, phone and (when given) roles. Returns True on a change."""
    _require_managed(acting_user, user)
    changes: dict[str, list[str]] = {}
    for field in PROFILE_FIELDS:
        if field not in data:
            continue
        value = (data[field] or "").strip()
        if field == "email":
            value = _normalise_email(value)
        old = getattr(user, field)
        if value != old:
            changes[field] = [old, value]
            setattr(user, field, value)
    if "email" in changes:
        _check_email_free(user.email, exclude_pk=user.pk)
        _email_changed_notice(user=user, old_email=changes["email"][0], acting_user=acting_user)
    if changes:
        user.save(update_fields=list(changes))
        audit_record(
            user=acting_user,
            action=AuditAction.UPDATE,
            obj=user,
            description="user changed",
            detail={"changed": changes},
        )
    roles_changed = False
    if "roles" in data:
        roles_changed = user_roles_set(user=user, roles=data["roles"], acting_user=acting_user)
    return bool(changes) or roles_changed


@transaction.atomic
def user_set_active(*, user: User, active: bool, acting_user: User) -> bool:
    """(De)activate an account. A deactivated user cannot sign in; nothing is deleted."""
    _require_managed(acting_user, user)
    if not active and user.pk == acting_user.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    assert user.organisation is not None  # guaranteed by _require_managed
    if user.is_active == active:
        return False
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active and _active_admin_count(user.organisation.pk) == 0:
        raise ValidationError(_("Your organisation must keep at least one active administrator."))
    audit_record(
        user=acting_user,
        action=AuditAction.UPDATE,
        obj=user,
        description="user activated" if active else "user deactivated",
        detail={"is_active": active},
    )
    return True


@transaction.atomic
def user_two_factor_reset(*, user: User, acting_user: User) -> int:
    """Remove the user's authenticator app and backup codes; setup is asked again at next sign-in.

    Returns the number of devices removed.
    """
    _require_managed(acting_user, user)
    removed = 0
    for model in (TOTPDevice, StaticDevice):
        count, _details = model.objects.filter(user=user).delete()
        removed += count
    audit_record(
        user=acting_user,
        action=AuditAction.UPDATE,
        obj=user,
        description="two-step verification reset",
        detail={"objects_removed": removed},
    )
    return removed


@transaction.atomic
def backup_codes_ensure(*, user: User) -> bool:
    """Give a user a set of one-time backup codes if they have none. Returns True when made."""
    if StaticToken.objects.filter(device__user=user).exists():
        return False
    device, _created = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": "backup", "confirmed": True}
    )
    StaticToken.objects.bulk_create(
        [
            StaticToken(device=device, token=StaticToken.random_token())
            for _i in range(BACKUP_CODE_COUNT)
        ]
    )
    return True


@transaction.atomic
def user_password_set(*, user: User, raw_password: str, acting_user: User) -> None:
    """Store a new password (chosen by the user: reset link, welcome link or change form)."""
    user.set_password(raw_password)
    user.save(update_fields=["password"])
    audit_record(
        user=acting_user,
        action=AuditAction.UPDATE,
        obj=user,
        description="password set",
    )


@transaction.atomic
def password_reset_refused(*, email: str, reason: str, user: User | None = None) -> None:
    """A reset mail not sent because of the rate limit (per account or per client address)."""
    audit_record(
        user=None,
        action=AuditAction.LOGIN_FAILED,
        obj=user,
        description="password reset mail refused: too many requests",
        detail={"limit": reason},
    )

"""Demo staff accounts: one shared demo password and a confirmed TOTP device with a fixed key."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from vangnet.accounts.models import User, UserRole
from vangnet.organisations.models import Organisation

DEMO_PASSWORD = "Vangnet-demo-2026"  # noqa: S105 - published demo password, demo mode only
DEMO_DOMAIN = "demo.vangnet.nl"


@dataclass(frozen=True)
class AccountSpec:
    email: str
    first_name: str
    last_name: str
    job_title: str
    organisation: Organisation | None
    roles: tuple[str, ...]


def is_demo_email(email: str) -> bool:
    domain = email.rpartition("@")[2].lower()
    return domain == DEMO_DOMAIN or domain.endswith("." + DEMO_DOMAIN)


def demo_totp_key(email: str) -> str:
    """A 20-byte TOTP secret (hex) derived from the secret key and the e-mail address.

    Re-seeding gives every account the same secret again, so an authenticator app that scanned it
    keeps working. The derivation depends on VANGNET_SECRET_KEY, so demo keys differ per install.
    """
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"vangnet-demo-totp:{email.lower()}".encode(), hashlib.sha256
    ).digest()
    return digest[:20].hex()


def create_accounts(specs: Sequence[AccountSpec]) -> list[User]:
    """Create users, their roles and a confirmed TOTP device each, in three bulk inserts."""
    password_hash = make_password(DEMO_PASSWORD)  # hash once: the hasher is slow on purpose
    users = User.objects.bulk_create(
        [
            User(
                email=spec.email.lower(),
                first_name=spec.first_name,
                last_name=spec.last_name,
                job_title=spec.job_title,
                organisation=spec.organisation,
                password=password_hash,
            )
            for spec in specs
        ]
    )
    UserRole.objects.bulk_create(
        [
            UserRole(user=user, role=role)
            for user, spec in zip(users, specs, strict=True)
            for role in spec.roles
        ]
    )
    TOTPDevice.objects.bulk_create(
        [
            TOTPDevice(user=user, name="default", confirmed=True, key=demo_totp_key(user.email))
            for user in users
        ]
    )
    return users


class DemoOtpError(Exception):
    """Why no code can be given; the message is meant for the person at the terminal."""


def current_demo_code(email: str) -> str:
    """The current TOTP code of a seeded demo account (demo mode only)."""
    if not settings.DEMO:
        raise DemoOtpError(
            "demo_otp only works in demo mode (set VANGNET_DEMO=1); it never prints codes of "
            "production accounts."
        )
    email = email.strip().lower()
    if not is_demo_email(email):
        raise DemoOtpError(f"{email} is not a demo account (only @{DEMO_DOMAIN} addresses).")
    device = TOTPDevice.objects.filter(user__email=email, confirmed=True).order_by("pk").first()
    if device is None:
        raise DemoOtpError(
            f"No demo account with a confirmed TOTP device for {email}; run `vangnet seed --scale "
            "demo` first."
        )
    code = totp(
        device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift
    )
    return f"{code:0{device.digits}d}"


def describe_roles(roles: Iterable[str]) -> str:
    """Role codes as stored (gebruiker, beheerder, decaan, ...): the same in every language."""
    return ", ".join(str(r) for r in roles)

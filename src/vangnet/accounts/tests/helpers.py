"""Driving the real sign-in wizard (password, then code) from the Django test client."""

from __future__ import annotations

import re
from base64 import b32decode

from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "geheim-wachtwoord-123"  # the password of tests.factories.UserFactory
LOGIN_URL = "/account/login/"


def code_for(device: TOTPDevice) -> str:
    """The six-digit code the user's authenticator app shows right now."""
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{value:0{device.digits}d}"


def code_from_secret(b32_secret: str) -> str:
    return f"{totp(b32decode(b32_secret)):06d}"


def post_password(client, email: str, password: str = PASSWORD, **extra):
    return client.post(
        LOGIN_URL,
        {"login_view-current_step": "auth", "auth-username": email, "auth-password": password},
        **extra,
    )


def post_code(client, code: str):
    return client.post(LOGIN_URL, {"login_view-current_step": "token", "token-otp_token": code})


def post_backup_code(client, code: str):
    return client.post(LOGIN_URL, {"login_view-current_step": "backup", "backup-otp_token": code})


def form_token(client, url: str) -> str:
    html = client.get(url).content.decode()
    return re.search(r'name="form_token" value="([^"]+)"', html).group(1)


def home_url() -> str:
    return reverse("core:home")

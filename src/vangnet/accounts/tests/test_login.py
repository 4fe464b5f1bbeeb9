"""Sign-in: password, then a code from the authenticator app (handleiding §1.1 and §1.3)."""

from __future__ import annotations

from base64 import b32decode

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import TOTPDeviceFactory, UserFactory
from vangnet.accounts.models import Role
from vangnet.audit.models import AuditAction, AuditEvent

from .helpers import code_for, post_backup_code, post_code, post_password

pytestmark = pytest.mark.django_db


def _wrong_code(device: TOTPDevice) -> str:
    """A code that is not valid now, in the step before or in the step after."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    now = totp.t()
    valid = set()
    for t in (now - 1, now, now + 1):
        totp.time = t * device.step + device.t0
        valid.add(totp.token())
    candidate = 123456
    while candidate in valid:
        candidate += 1
    return f"{candidate:06d}"


@pytest.fixture
def user_with_device(world):
    user = world.users["school_gebruiker"]
    return user, TOTPDeviceFactory(user=user)


def _signed_in(client) -> bool:
    return client.get(reverse("core:home")).status_code == 200


def test_login_page_is_dutch_and_offers_password_reset(client):
    html = client.get("/account/login/").content.decode()
    assert "<h1" in html and "Inloggen" in html
    assert 'lang="nl"' in html
    assert reverse("accounts:password_reset") in html
    assert "Wachtwoord vergeten?" in html
    assert "utrecht-button" in html


def test_first_sign_in_with_password_only_leads_to_setup_and_nothing_else(client, world):
    user = world.users["school_gebruiker"]
    response = post_password(client, user.email)
    assert response.status_code == 302
    setup = reverse("two_factor:setup")
    for url in (
        reverse("core:home"),
        reverse("youth:list"),
        reverse("core:general"),
        reverse("two_factor:profile"),
        reverse("two_factor:backup_tokens"),
        reverse("accounts:password_change"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(setup), url
    page = client.get(setup).content.decode()
    assert "Tweestapsverificatie instellen" in page


def test_setup_with_a_correct_code_ends_with_the_backup_codes(client, world):
    user = world.users["school_gebruiker"]
    post_password(client, user.email)
    setup = reverse("two_factor:setup")
    client.get(setup)
    response = client.post(setup, {"setup_view-current_step": "welcome"})
    html = response.content.decode()
    assert "Scan deze QR-code" in html
    secret = client.session["django_two_factor-qr_secret_key"]
    code = f"{TOTP(b32decode(secret)).token():06d}"
    response = client.post(setup, {"setup_view-current_step": "generator", "generator-token": code})
    assert response.status_code == 302
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed
    page = client.get(response.url).content.decode()
    assert "Tweestapsverificatie is ingesteld" in page
    codes = list(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(codes) == 10
    assert all(c in page for c in codes)
    assert _signed_in(client)


def test_setup_refuses_a_wrong_code_in_dutch(client, world):
    user = world.users["school_gebruiker"]
    post_password(client, user.email)
    setup = reverse("two_factor:setup")
    client.get(setup)
    client.post(setup, {"setup_view-current_step": "welcome"})
    secret = client.session["django_two_factor-qr_secret_key"]
    right = TOTP(b32decode(secret)).token()
    response = client.post(
        setup,
        {"setup_view-current_step": "generator", "generator-token": f"{(right + 7) % 10**6:06d}"},
    )
    assert "De ingevulde code is onjuist." in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_sign_in_with_device_needs_the_code(client, user_with_device):
    user, device = user_with_device
    response = post_password(client, user.email)
    assert response.status_code == 200
    assert "zescijferige code" in response.content.decode()
    # Password alone is not enough: the session is not signed in yet.
    assert not _signed_in(client)
    response = post_code(client, code_for(device))
    assert response.status_code == 302
    assert _signed_in(client)


def test_wrong_code_is_refused_with_a_dutch_message(client, user_with_device):
    user, device = user_with_device
    post_password(client, user.email)
    response = post_code(client, _wrong_code(device))
    assert response.status_code == 200
    assert "Deze code is onjuist of al gebruikt." in response.content.decode()
    assert not _signed_in(client)
    assert AuditEvent.objects.filter(
        action=AuditAction.LOGIN_FAILED, object_id=str(user.pk), detail__step="verification code"
    ).exists()


def test_a_code_cannot_be_replayed_in_a_second_sign_in(client, user_with_device):
    user, device = user_with_device
    code = code_for(device)
    post_password(client, user.email)
    assert post_code(client, code).status_code == 302
    # Someone who saw the code tries it in another browser within the same 30 seconds.
    other = Client()
    post_password(other, user.email)
    response = post_code(other, code)
    assert response.status_code == 200
    assert "Deze code is onjuist of al gebruikt." in response.content.decode()
    assert not _signed_in(other)


def test_backup_code_works_once(client, user_with_device):
    user, _device = user_with_device
    backup = StaticToken.objects.filter(device__user=user).first().token
    post_password(client, user.email)
    page = client.post("/account/login/", {"wizard_goto_step": "backup"}).content.decode()
    assert "herstelcode" in page
    assert post_backup_code(client, backup).status_code == 302
    assert _signed_in(client)
    assert not StaticToken.objects.filter(token=backup, device__user=user).exists()

    other = Client()
    post_password(other, user.email)
    other.post("/account/login/", {"wizard_goto_step": "backup"})
    response = post_backup_code(other, backup)
    assert response.status_code == 200
    assert not _signed_in(other)


def test_backup_codes_page_is_in_the_account_menu(client, user_with_device):
    from conftest import login_verified

    user, _device = user_with_device
    login_verified(client, user)
    profile = client.get(reverse("two_factor:profile")).content.decode()
    assert "Mijn account" in profile
    assert reverse("two_factor:backup_tokens") in profile
    page = client.get(reverse("two_factor:backup_tokens")).content.decode()
    first = StaticToken.objects.filter(device__user=user).first().token
    assert first in page
    menu = client.get(reverse("core:home")).content.decode()
    assert reverse("two_factor:profile") in menu


def test_five_wrong_passwords_lock_the_account(client, world):
    user = world.users["school_gebruiker"]
    for _ in range(5):
        post_password(client, user.email, "verkeerd-wachtwoord")
    response = post_password(client, user.email)
    assert response.status_code == 429
    assert "Tijdelijk geblokkeerd" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_different_forwarded_for_header_per_attempt_does_not_dodge_the_lock_out(world):
    user = world.users["school_gebruiker"]
    for i in range(5):
        attacker = Client()
        post_password(
            attacker, user.email, "verkeerd-wachtwoord", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}"
        )
    attacker = Client()
    response = post_password(attacker, user.email, HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert response.status_code == 429
    assert "_auth_user_id" not in attacker.session


def test_the_lock_out_also_holds_for_other_accounts_from_the_same_address(world):
    victims = [UserFactory(organisation=world.pro, roles=[Role.USER]) for _ in range(5)]
    attacker = Client()
    for i, victim in enumerate(victims):
        post_password(
            attacker, victim.email, "verkeerd-wachtwoord", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}"
        )
    response = post_password(
        attacker, world.users["vso_gebruiker"].email, HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    assert response.status_code == 429


def test_the_account_stays_locked_when_attempts_come_from_many_addresses(world):
    user = world.users["school_gebruiker"]
    for i in range(5):
        post_password(Client(), user.email, "verkeerd-wachtwoord", REMOTE_ADDR=f"192.0.2.{i}")
    response = post_password(Client(), user.email, REMOTE_ADDR="192.0.2.200")
    assert response.status_code == 429


def test_sign_in_sign_out_and_failed_sign_in_are_audited(client, user_with_device):
    user, device = user_with_device
    post_password(client, user.email, "verkeerd-wachtwoord")
    failed = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert failed.object_id == str(user.pk)
    assert "verkeerd" not in str(failed.detail) + failed.description

    post_password(client, "onbekend@example.test", "verkeerd-wachtwoord")
    unknown = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).latest("id")
    assert unknown.object_id == ""
    assert "onbekend" not in str(unknown.detail) + unknown.description

    post_password(client, user.email)
    post_code(client, code_for(device))
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, user_id=user.pk).count() == 1
    client.post(reverse("accounts:logout"))
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT, user_id=user.pk).count() == 1
    assert not _signed_in(client)


def test_lockout_counts_per_account_with_the_name_from_the_form_or_the_credentials(rf):
    from vangnet.accounts.lockout import lockout_username

    request = rf.post("/account/login/", {"auth-username": " Iemand@Example.TEST "})
    assert lockout_username(request, None) == "iemand@example.test"
    assert lockout_username(request, {"username": "Ander@example.test"}) == "ander@example.test"
    assert lockout_username(rf.get("/"), None) is None


def test_with_account_counting_on_a_distributed_attack_is_locked_out(settings, world):
    settings.AXES_USERNAME_CALLABLE = "vangnet.accounts.lockout.lockout_username"
    user = world.users["school_gebruiker"]
    for i in range(5):
        post_password(Client(), user.email, "verkeerd-wachtwoord", REMOTE_ADDR=f"192.0.2.{i}")
    response = post_password(Client(), user.email, REMOTE_ADDR="192.0.2.200")
    assert response.status_code == 429
    # Another account from yet another address is not affected.
    other = world.users["vso_gebruiker"]
    assert post_password(Client(), other.email, REMOTE_ADDR="192.0.2.201").status_code == 302

"""Signing in with two-step verification, in a real browser."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from .helpers import (
    KNOWN_KEY,
    assert_accessible,
    enter_credentials,
    give_device,
    setup_secret_hex,
    submit,
    totp_code,
)

pytestmark = pytest.mark.browser


def _nav_labels(page) -> list[str]:
    return [t.strip() for t in page.locator("nav.vn-nav a").all_inner_texts()]


def test_first_login_forces_totp_setup_then_lands_on_dashboard(page, world):
    user = world.users["gemeente_consulent"]
    assert not TOTPDevice.objects.filter(user=user).exists()

    enter_credentials(page, user.email)

    # Without a device the user is sent to the setup wizard; other pages stay closed.
    assert urlparse(page.url).path.startswith("/account/two_factor/setup/")
    assert page.locator("nav.vn-nav").count() == 0
    page.goto("/jongeren/")
    assert urlparse(page.url).path.startswith("/account/two_factor/setup/")

    # Step through the wizard until it shows the secret for the authenticator app.
    for _ in range(3):
        if page.locator("input[name='generator-token']").count():
            break
        if page.locator("input[name='method-method'][value='generator']").count():
            page.check("input[name='method-method'][value='generator']")
        submit(page)
    assert_accessible(page, "two-step setup page")
    key_hex = setup_secret_hex(page)
    page.fill("input[name='generator-token']", totp_code(key_hex))
    submit(page)

    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed
    assert device.key == key_hex

    if urlparse(page.url).path != "/":  # the wizard may end on its own "done" page
        page.goto("/")
    assert urlparse(page.url).path == "/"
    assert page.locator("h1").inner_text() == "Dashboard"
    assert _nav_labels(page) == ["Dashboard", "Jongeren", "Algemeen"]


def test_login_with_confirmed_device_asks_for_code(page, world):
    user = world.users["school_gebruiker"]
    give_device(user, KNOWN_KEY)

    enter_credentials(page, user.email)
    code_field = page.locator("input[name='token-otp_token']")
    assert code_field.is_visible()
    assert_accessible(page, "code step of the login")

    # A wrong code keeps the user on the code step, in Dutch, without access.
    wrong = f"{(int(totp_code(KNOWN_KEY)) + 1) % 1_000_000:06d}"
    code_field.fill(wrong)
    submit(page)
    assert page.locator("input[name='token-otp_token']").is_visible()
    assert page.locator("nav.vn-nav").count() == 0
    errors = page.locator("main [role=alert], main .utrecht-form-field-error-message")
    assert errors.count() > 0
    assert_accessible(page, "code step with an error")

    page.wait_for_timeout(1_100)  # django-otp throttles the next attempt for one second
    page.fill("input[name='token-otp_token']", totp_code(KNOWN_KEY))
    submit(page)
    assert urlparse(page.url).path == "/"
    assert page.locator("h1").inner_text() == "Dashboard"
    assert "Uitloggen" in page.locator("header").inner_text()

    # Signing out ends the session: the dashboard asks for a login again.
    with page.expect_navigation():
        page.get_by_role("button", name="Uitloggen").click()
    page.goto("/")
    assert urlparse(page.url).path == "/account/login/"

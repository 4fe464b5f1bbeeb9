"""Helpers for the browser tests: the real sign-in (password + TOTP) and axe-core checks."""

from __future__ import annotations

import base64
import os
import re
from typing import Any
from urllib.parse import parse_qs, urlparse

CHROMIUM = os.environ.get("VANGNET_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "geheim-wachtwoord-123"
# A fixed TOTP secret (hex, as django-otp stores it) for users who already have a device.
KNOWN_KEY = "3132333435363738393031323334353637383930"
BLOCKING_IMPACTS = {"serious", "critical"}


def totp_code(key_hex: str) -> str:
    from django_otp.oath import totp

    return f"{totp(bytes.fromhex(key_hex)):06d}"


def submit(page: Any) -> None:
    """Press the form's forward button (not the wizard's "back" or a device switch) and wait."""
    form = page.locator("main form:has(input[name$='current_step'])")
    if not form.count():
        form = page.locator("main form[method=post]:not([action*='uitloggen'])")
    buttons = form.first.locator(
        "button[type=submit]:not([name=wizard_goto_step]):not([name=challenge_device])"
    )
    primary = buttons.and_(page.locator(".utrecht-button--primary-action"))
    button = primary.first if primary.count() else buttons.last
    with page.expect_navigation():
        button.click()


def enter_credentials(page: Any, email: str, password: str = PASSWORD) -> None:
    page.goto("/account/login/")
    page.fill("input[name='auth-username']", email)
    page.fill("input[name='auth-password']", password)
    submit(page)


def setup_secret_hex(page: Any) -> str:
    """The TOTP secret the setup wizard shows for manual entry, as hex."""
    link = page.locator("a[href^='otpauth://']")
    if link.count():
        secret = parse_qs(urlparse(link.first.get_attribute("href")).query)["secret"][0]
    else:  # a template without the otpauth link still shows the base32 secret as text
        match = re.search(r"\b([A-Z2-7]{16,})\b", page.locator("main").inner_text())
        assert match, "the two-step setup page shows no secret to enter manually"
        secret = match.group(1)
    secret += "=" * (-len(secret) % 8)
    return base64.b32decode(secret).hex()


def give_device(user: Any, key_hex: str = KNOWN_KEY) -> Any:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=user, name="default", confirmed=True, key=key_hex)


def sign_in(page: Any, user: Any) -> None:
    """The real login: password, then the code of a (new) device with a known secret."""
    give_device(user)
    enter_credentials(page, user.email)
    page.fill("input[name='token-otp_token']", totp_code(KNOWN_KEY))
    submit(page)
    assert urlparse(page.url).path == "/", f"not on the dashboard after signing in: {page.url}"


def axe_violations(page: Any) -> list[dict[str, Any]]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return results.response["violations"]


def assert_accessible(page: Any, what: str = "") -> None:
    """axe-core finds nothing serious or critical on the current page."""
    bad = [v for v in axe_violations(page) if v.get("impact") in BLOCKING_IMPACTS]
    report = "\n".join(
        f"  [{v['impact']}] {v['id']}: {v['help']} -> "
        + ", ".join(" ".join(n["target"]) for n in v["nodes"][:5])
        for v in bad
    )
    assert not bad, f"axe violations on {what or page.url}:\n{report}"


# --- More than one person: own browser contexts, the student portal, downloads ------------------


def new_page(browser: Any, base_url: str) -> Any:
    """A page in a fresh browser context (own cookies), set up like the `page` fixture. Close it
    with ``page.context.close()``."""
    context = browser.new_context(
        base_url=base_url,
        locale="nl-NL",
        timezone_id="Europe/Amsterdam",
        viewport={"width": 1280, "height": 900},
        accept_downloads=True,
    )
    context.set_default_timeout(15_000)
    return context.new_page()


def sign_in_student(page: Any, email: str, password: str = PASSWORD) -> None:
    """The student portal's sign-in: e-mail address and password, no second factor."""
    page.goto("/leerling/inloggen/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    with page.expect_navigation():
        page.locator("main form").get_by_role("button", name="Inloggen").click()
    assert urlparse(page.url).path == "/leerling/", (
        f"not on the portal after signing in: {page.url}"
    )


def download(page: Any, locator: Any) -> tuple[str, bytes]:
    """Click a download link; the suggested file name and the content."""
    with page.expect_download() as info:
        locator.click()
    item = info.value
    path = item.path()
    assert path is not None, f"the download of {item.suggested_filename} failed"
    with open(path, "rb") as handle:
        return item.suggested_filename, handle.read()


def download_pdf(page: Any, locator: Any) -> tuple[str, bytes]:
    """Click a download link and check that a PDF arrives."""
    name, content = download(page, locator)
    assert name.endswith(".pdf"), f"the download is not named as a PDF: {name}"
    assert content.startswith(b"%PDF-"), f"the download {name} is not a PDF"
    return name, content

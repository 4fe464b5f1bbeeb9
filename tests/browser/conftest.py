"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's live_server.

The live server runs in another thread, so every test here uses a transactional database (pytest-
django switches to it automatically for tests that request ``live_server``) and builds its own
world. Playwright's own browser downloads are never used: without /usr/bin/chromium (or the binary
named in VANGNET_CHROMIUM) the tests fail with a clear message instead of being skipped.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from .helpers import CHROMIUM, CHROMIUM_ARGS, sign_in


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).is_file() or not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"Browser tests need Chromium at {CHROMIUM} (Debian package 'chromium'; or set "
            "VANGNET_CHROMIUM to the binary). Playwright's own browser downloads are not used.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser, live_server) -> Iterator[Any]:
    """A fresh browser context (own cookies) that speaks Dutch, on a desktop-sized window."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="nl-NL",
        timezone_id="Europe/Amsterdam",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(15_000)
    pg = context.new_page()
    try:
        yield pg
    finally:
        context.close()


@pytest.fixture
def signed_in(page) -> Callable[[Any], Any]:
    def _sign_in(user: Any) -> Any:
        sign_in(page, user)
        return page

    return _sign_in

"""Shared pytest fixtures: organisations in one region, a user per role, signed-in clients."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Every test starts with empty rate-limit counters (all tests share one client address)."""
    from django.core.cache import cache

    cache.clear()


def login_verified(client, user):
    """Sign a user in as if both password and TOTP code were given."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(
        user=user, confirmed=True
    ).first() or TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def world(db):
    """One region with two municipalities, organisations of each kind and a user per role."""
    from tests.world import build_world

    return build_world()


# --- No BSN in logs -------------------------------------------------------------------------
# Every log record the whole suite produces is kept (unfiltered) and, when the run ends, scanned
# for nine-digit numbers that pass the elfproef. One hit fails the run.

import logging  # noqa: E402

_LOG_LINES: list[str] = []


class _KeepEverything(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        try:
            _LOG_LINES.append(self.format(record))
        except Exception:
            _LOG_LINES.append(str(record.msg))


_HANDLER = _KeepEverything(level=logging.DEBUG)
_HANDLER.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))


def pytest_configure(config):
    logging.getLogger().addHandler(_HANDLER)


def bsns_in_log_lines(lines: list[str]) -> list[str]:
    import re

    from vangnet.youth.domain.identifiers import is_valid_bsn

    hits = []
    for line in lines:
        for number in re.findall(r"(?<!\d)\d{9}(?!\d)", line):
            if is_valid_bsn(number):
                hits.append(line[:200])
    return hits


def pytest_sessionfinish(session, exitstatus):
    hits = bsns_in_log_lines(_LOG_LINES)
    if hits:
        print("\nBSN found in log output of the test run:")
        for line in hits[:20]:
            print("  ", line)
        session.exitstatus = 1

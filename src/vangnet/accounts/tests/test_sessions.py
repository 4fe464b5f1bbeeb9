"""Sessions end after 30 minutes without activity and, however active, after 12 hours."""

from __future__ import annotations

import time
from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from conftest import login_verified
from vangnet.accounts.middleware import SESSION_STARTED_KEY

pytestmark = pytest.mark.django_db


def _at(moment):
    """Let the session machinery believe it is `moment`."""
    return mock.patch("django.utils.timezone.now", return_value=moment)


def test_settings_give_a_sliding_thirty_minute_session():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_ABSOLUTE_SECONDS == 12 * 60 * 60


def test_activity_keeps_the_session_alive_and_thirty_idle_minutes_end_it(client, world):
    login_verified(client, world.users["school_gebruiker"])
    home = reverse("core:home")
    start = timezone.now()
    with _at(start):
        assert client.get(home).status_code == 200
    # Every request pushes the end 30 minutes further: 29 + 29 minutes is still signed in.
    with _at(start + timedelta(minutes=29)):
        assert client.get(home).status_code == 200
    with _at(start + timedelta(minutes=58)):
        assert client.get(home).status_code == 200
    # Then 31 minutes without a request: the session is gone.
    with _at(start + timedelta(minutes=89)):
        response = client.get(home)
    assert response.status_code == 302
    assert response.url.startswith(reverse("two_factor:login"))


def test_session_ends_after_twelve_hours_however_active(client, world):
    login_verified(client, world.users["school_gebruiker"])
    home = reverse("core:home")
    assert client.get(home).status_code == 200
    session = client.session
    session[SESSION_STARTED_KEY] = int(time.time()) - 12 * 60 * 60 + 60
    session.save()
    assert client.get(home).status_code == 200

    session = client.session
    session[SESSION_STARTED_KEY] = int(time.time()) - 12 * 60 * 60 - 1
    session.save()
    response = client.get(home, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[0][1] == 302
    assert response.redirect_chain[-1][0].startswith(reverse("two_factor:login"))
    assert "Je sessie is beëindigd. Log opnieuw in." in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get(home).status_code == 302

"""An organisation that platform beheer switched off takes its users with it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import login_verified
from tests.factories import TOTPDeviceFactory

from .helpers import post_password

pytestmark = pytest.mark.django_db


def test_user_of_inactive_organisation_cannot_sign_in(client, world):
    user = world.users["school_gebruiker"]
    TOTPDeviceFactory(user=user)
    world.pro.is_active = False
    world.pro.save()
    response = post_password(client, user.email)
    assert response.status_code == 200  # the password form again, with the usual message
    assert client.get(reverse("core:home")).status_code == 302


def test_open_session_ends_when_the_organisation_is_deactivated(client, world):
    user = world.users["school_gebruiker"]
    login_verified(client, user)
    assert client.get(reverse("core:home")).status_code == 200
    world.pro.is_active = False
    world.pro.save()
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_users_of_active_organisations_are_not_affected(client, world):
    login_verified(client, world.users["vo_mentor"])
    assert client.get(reverse("core:home")).status_code == 200

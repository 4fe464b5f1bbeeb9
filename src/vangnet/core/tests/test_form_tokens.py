"""One-time form tokens: a form posted twice changes things once, also when both posts race."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from conftest import login_verified
from tests.factories import EnrolmentFactory
from vangnet.core.models import UsedFormToken
from vangnet.jikp import services as jikp_services
from vangnet.jikp.models import Traject

pytestmark = pytest.mark.django_db

TRAJECT = {"kind": "taal", "starts_on": "2025-09-01", "form_token": "token-of-one-form"}


@pytest.fixture
def traject_url(world):
    youth = EnrolmentFactory(organisation=world.pro, youth__municipality=world.gem_a).youth
    return reverse("jikp:detail_traject_add", kwargs={"youth_id": youth.pk})


def test_a_resent_form_changes_nothing_and_says_so(client, world, traject_url):
    login_verified(client, world.users["school_gebruiker"])
    assert client.post(traject_url, TRAJECT).status_code == 302
    response = client.post(traject_url, TRAJECT, follow=True)
    assert "al verstuurd" in response.content.decode()
    assert Traject.objects.count() == 1


def test_two_racing_posts_of_one_form_change_things_once(client, world, traject_url):
    """A double click: the second request read the session before the first one saved it."""
    login_verified(client, world.users["school_gebruiker"])
    session_before = dict(client.session.items())
    client.post(traject_url, TRAJECT)
    session = client.session
    session.clear()
    session.update(session_before)
    session.save()
    client.post(traject_url, TRAJECT)
    assert Traject.objects.count() == 1


def test_the_token_is_spent_for_every_session_of_the_user(world, traject_url):
    first = login_verified(Client(), world.users["school_gebruiker"])
    second = login_verified(Client(), world.users["school_gebruiker"])
    first.post(traject_url, TRAJECT)
    second.post(traject_url, TRAJECT)
    assert Traject.objects.count() == 1


def test_a_post_that_fails_does_not_spend_its_token(world, traject_url, monkeypatch):
    client = login_verified(Client(raise_request_exception=False), world.users["school_gebruiker"])

    def broken(**kwargs):
        raise RuntimeError("database went away")

    with monkeypatch.context() as patch:
        patch.setattr(jikp_services, "traject_add", broken)
        assert client.post(traject_url, TRAJECT).status_code == 500
    assert client.post(traject_url, TRAJECT).status_code == 302
    assert Traject.objects.count() == 1


def test_a_post_without_token_is_refused(client, world, traject_url):
    login_verified(client, world.users["school_gebruiker"])
    client.post(traject_url, {k: v for k, v in TRAJECT.items() if k != "form_token"})
    assert Traject.objects.count() == 0


def test_old_tokens_are_cleared_when_new_ones_are_spent(client, world, traject_url):
    import datetime as dt

    from django.utils import timezone

    UsedFormToken.objects.create(token="old", used_at=timezone.now() - dt.timedelta(days=3))
    login_verified(client, world.users["school_gebruiker"])
    client.post(traject_url, TRAJECT)
    assert list(UsedFormToken.objects.values_list("token", flat=True)) == [TRAJECT["form_token"]]

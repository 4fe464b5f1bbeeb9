"""Wachtwoord vergeten? (handleiding §1.2): a mail with a single-use link, no account enumeration."""

from __future__ import annotations

import datetime as dt
import re
from unittest import mock

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse

from tests.factories import UserFactory
from vangnet.accounts.models import Role
from vangnet.audit.models import AuditAction, AuditEvent
from vangnet.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

RESET_URL = "/account/wachtwoord/vergeten/"
NEW_PASSWORD = "een-heel-nieuw-wachtwoord-7"


def _request_link(client, email):
    return client.post(RESET_URL, {"email": email})


def _link(message) -> str:
    return re.search(r"https?://testserver(/account/wachtwoord/nieuw/\S+)", message.body).group(1)


def _choose(client, link, password=NEW_PASSWORD):
    page = client.get(link, follow=True)
    target = page.redirect_chain[-1][0] if page.redirect_chain else link
    return page, client.post(target, {"new_password1": password, "new_password2": password})


def test_form_is_in_dutch(client):
    html = client.get(RESET_URL).content.decode()
    assert "Wachtwoord vergeten?" in html
    assert "Versturen" in html


def test_unknown_address_gets_the_same_page_and_no_mail(client, world):
    known = _request_link(client, world.users["school_gebruiker"].email)
    OutboxMessage.objects.all().delete()
    unknown = _request_link(client, "niemand@example.test")
    assert unknown.status_code == known.status_code == 302
    assert unknown.url == known.url
    assert not OutboxMessage.objects.exists()
    assert "Kijk in je e-mail" in client.get(unknown.url).content.decode()


def test_deactivated_account_gets_no_mail(client, world):
    user = UserFactory(organisation=world.pro, roles=[Role.USER], is_active=False)
    _request_link(client, user.email)
    assert not OutboxMessage.objects.exists()


def test_known_address_gets_one_message_and_the_link_works_once(client, world):
    user = world.users["school_gebruiker"]
    _request_link(client, user.email.upper())
    message = OutboxMessage.objects.get()
    assert message.to == user.email
    assert message.kind == "password_reset"
    assert "wachtwoord" in message.subject.lower()
    link = _link(message)

    page, done = _choose(client, link)
    assert "Kies een nieuw wachtwoord" in page.content.decode()
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_id=str(user.pk), description="password set"
    ).exists()

    again = client.get(link, follow=True).content.decode()
    assert "Deze link is niet meer geldig" in again
    assert "verlopen of al gebruikt" in again


def test_an_invited_user_without_password_can_ask_for_a_link(client, world):
    user = UserFactory(organisation=world.pro, roles=[Role.USER])
    user.set_unusable_password()
    user.save()
    _request_link(client, user.email)
    assert OutboxMessage.objects.filter(to=user.email).count() == 1


def test_an_expired_link_shows_the_no_longer_valid_page(client, world):
    user = world.users["school_gebruiker"]
    _request_link(client, user.email)
    link = _link(OutboxMessage.objects.get())
    later = dt.datetime.now() + dt.timedelta(hours=1, minutes=1)
    with mock.patch.object(default_token_generator, "_now", return_value=later):
        page = client.get(link, follow=True).content.decode()
    assert "Deze link is niet meer geldig" in page
    user.refresh_from_db()
    assert not user.check_password(NEW_PASSWORD)


def test_a_link_is_refused_once_a_newer_password_was_set(client, world):
    user = world.users["school_gebruiker"]
    _request_link(client, user.email)
    _request_link(client, user.email)
    first, second = (_link(m) for m in OutboxMessage.objects.order_by("pk"))
    _choose(client, second)
    page = client.get(first, follow=True).content.decode()
    assert "Deze link is niet meer geldig" in page


def test_a_welcome_link_is_not_a_reset_link(client, world):
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from vangnet.accounts.tokens import welcome_token_generator

    user = world.users["school_gebruiker"]
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    welcome = welcome_token_generator.make_token(user)
    reset_url = reverse("accounts:password_reset_confirm", args=[uid, welcome])
    assert "Deze link is niet meer geldig" in client.get(reset_url, follow=True).content.decode()
    reset = default_token_generator.make_token(user)
    welcome_url = reverse("accounts:welcome", args=[uid, reset])
    assert "Deze link is niet meer geldig" in client.get(welcome_url, follow=True).content.decode()


def test_a_welcome_link_lasts_a_week_but_not_longer(world):
    from vangnet.accounts.tokens import welcome_token_generator

    user = world.users["school_gebruiker"]
    token = welcome_token_generator.make_token(user)
    now = dt.datetime.now()
    with mock.patch.object(
        welcome_token_generator, "_now", return_value=now + dt.timedelta(days=6)
    ):
        assert welcome_token_generator.check_token(user, token)
    with mock.patch.object(
        welcome_token_generator, "_now", return_value=now + dt.timedelta(days=7, minutes=1)
    ):
        assert not welcome_token_generator.check_token(user, token)


def test_a_burst_of_reset_requests_sends_at_most_a_few_mails(client, world):
    """Eight requests for one account in a second used to send eight mails."""
    user = world.users["school_gebruiker"]
    for _ in range(9):
        response = _request_link(client, user.email)
        assert response.status_code == 302
    sent = OutboxMessage.objects.filter(to=user.email, kind="password_reset").count()
    assert sent == 3
    assert AuditEvent.objects.filter(
        action=AuditAction.LOGIN_FAILED, object_id=str(user.pk)
    ).exists()


def test_reset_requests_are_limited_per_client_address(client, world):
    users = [UserFactory(organisation=world.pro, roles=[Role.USER]) for _ in range(22)]
    for user in users:
        _request_link(client, user.email)
    assert OutboxMessage.objects.filter(kind="password_reset").count() == 20
    # Another address is not held back by this one.
    other = client.post(RESET_URL, {"email": users[-1].email}, REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 302
    assert OutboxMessage.objects.filter(to=users[-1].email, kind="password_reset").exists()

"""Signing in at the student portal, and the wall between the student portal and staff pages."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from conftest import login_verified
from tests.factories import StudentAccountFactory, StudentUserFactory
from vangnet.accounts.middleware import SESSION_STARTED_KEY
from vangnet.audit.models import AuditAction, AuditEvent

from .helpers import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/leerling/inloggen/"


@pytest.fixture
def student():
    return StudentAccountFactory().user


def _staff_login(client, email, password=PASSWORD):
    return client.post(
        reverse("two_factor:login"),
        {"login_view-current_step": "auth", "auth-username": email, "auth-password": password},
    )


def test_the_login_url_is_named():
    assert reverse("students:login") == LOGIN


def test_a_student_signs_in_with_email_and_password_and_lands_on_the_portal(client, student):
    response = client.post(LOGIN, {"username": student.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("students:home")
    assert client.get(reverse("students:home")).status_code == 200
    assert AuditEvent.objects.filter(user_id=student.pk, action=AuditAction.LOGIN).exists()


def test_the_email_address_is_not_case_sensitive_but_a_wrong_password_is_refused(client, student):
    response = client.post(LOGIN, {"username": student.email, "password": "verkeerd-wachtwoord"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "niet juist" in response.content.decode()


def test_a_safe_next_address_under_the_portal_is_followed(client, student):
    response = client.post(
        LOGIN, {"username": student.email, "password": PASSWORD, "next": "/leerling/ddd/"}
    )
    assert response["Location"] == "/leerling/ddd/"


def test_a_next_address_outside_the_portal_is_ignored(client, student):
    for target in ("https://evil.example/", "/jongeren/", "//evil.example/leerling/"):
        client.logout()
        response = client.post(
            LOGIN, {"username": student.email, "password": PASSWORD, "next": target}
        )
        assert response["Location"] == reverse("students:home")


def test_a_staff_account_is_refused_at_the_student_login_with_a_hint(client, world):
    staff = world.users["vo_decaan"]
    response = client.post(LOGIN, {"username": staff.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    body = response.content.decode()
    assert "medewerkers" in body.lower()
    assert reverse("two_factor:login") in body


def test_the_staff_login_refuses_a_student_account(client, student):
    response = _staff_login(client, student.email)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_the_staff_login_still_accepts_staff(client, world):
    response = _staff_login(client, world.users["vo_mentor"].email)
    assert response.status_code in (200, 302)
    # The password step passed: the wizard goes on to set up or ask the second factor.
    assert "auth-password" not in response.content.decode() or response.status_code == 302


def test_repeated_wrong_passwords_lock_the_student_login(client, student, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": student.email, "password": "fout-wachtwoord-123"})
    response = client.post(LOGIN, {"username": student.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_student_needs_no_second_factor_and_opens_portal_pages(client, student):
    client.force_login(student)
    assert client.get(reverse("students:home")).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/jongeren/",
        "/jikp/schoolgaand/",
        "/account/two_factor/setup/",
        "/ddd/accounts/",
        "/audit/",
    ],
)
def test_a_student_is_sent_back_to_the_portal_from_any_staff_page(client, student, path):
    client.force_login(student)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == reverse("students:home")


def test_staff_get_not_found_on_the_student_pages(client, world):
    login_verified(client, world.users["vo_decaan"])
    assert client.get(reverse("students:home")).status_code == 404


def test_an_anonymous_visitor_is_sent_to_the_student_login(client):
    response = client.get(reverse("students:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN + "?next=")


def test_logout_is_a_post_and_ends_the_session(client, student):
    client.force_login(student)
    assert client.get(reverse("students:logout")).status_code == 405
    response = client.post(reverse("students:logout"))
    assert response["Location"] == LOGIN
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(user_id=student.pk, action=AuditAction.LOGOUT).exists()


def test_the_absolute_session_limit_applies_to_students(client, student, settings):
    client.force_login(student)
    session = client.session
    session[SESSION_STARTED_KEY] = int(time.time()) - settings.SESSION_ABSOLUTE_SECONDS - 5
    session.save()
    response = client.get(reverse("students:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN + "?sessie_verlopen=1")
    assert "_auth_user_id" not in client.session


def test_the_portal_header_has_the_student_logout_and_no_staff_menu(client, student):
    client.force_login(student)
    body = client.get(reverse("students:home")).content.decode()
    assert reverse("students:logout") in body
    assert reverse("accounts:logout") not in body
    assert reverse("two_factor:profile") not in body
    assert "/leerling/ddd/" in body  # "Mijn dossiers" in the side menu


def test_a_student_without_linked_record_sees_a_notice(client):
    user = StudentUserFactory()
    client.force_login(user)
    response = client.get(reverse("students:home"))
    assert response.status_code == 200
    assert "decaan" in response.content.decode()

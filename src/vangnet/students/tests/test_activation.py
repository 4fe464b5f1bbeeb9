"""Activating a student account: school + leerlingnummer + geboortedatum, a mail with a one-time
link, choosing a password. The page never tells whether a student exists."""

from __future__ import annotations

import datetime as dt
import re
from unittest import mock

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.factories import StudentAccountFactory, UserFactory
from vangnet.accounts.models import AccountKind, User
from vangnet.audit.models import AuditAction, AuditEvent
from vangnet.dossiers.models import StudentAccount
from vangnet.notifications.models import OutboxMessage
from vangnet.students import services, views
from vangnet.students.tokens import student_password_token

from .helpers import enrol, post_form

pytestmark = pytest.mark.django_db

ACTIVATE = "/leerling/activeren/"
NEUTRAL = "Als de gegevens kloppen"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def enrolment(world):
    return enrol(
        world.vo,
        student_number="L-4711",
        student_email="Sanne.Smit@School.test",
        youth__first_name="Sanne",
        youth__last_name="Smit",
        youth__birth_date=dt.date(2009, 3, 14),
    )


def _activate(client, school, number, birth_date):
    return post_form(
        client,
        ACTIVATE,
        {"school": school.pk, "student_number": number, "birth_date": birth_date},
    )


def _link(message: OutboxMessage) -> str:
    match = re.search(r"http://testserver(/leerling/wachtwoord/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.fixture(autouse=True)
def _public_url(settings):
    settings.VANGNET_PUBLIC_URL = "http://testserver"


def test_the_activation_url_is_named():
    assert reverse("students:activate") == ACTIVATE


def test_the_school_list_offers_schools_with_students_with_email_by_name(client, world, enrolment):
    enrol(world.pro, student_email="")  # a school whose students have no e-mail address
    body = client.get(ACTIVATE).content.decode()
    assert world.vo.name in body
    assert world.pro.name not in body
    assert world.mbo.name not in body


def test_a_matching_student_gets_an_account_and_a_mail_with_a_link(client, world, enrolment):
    response = _activate(client, world.vo, "L-4711", "2009-03-14")
    assert response.status_code == 302
    assert response["Location"] == reverse("students:activate_sent")
    assert NEUTRAL in client.get(response["Location"]).content.decode()

    user = User.objects.get(email="sanne.smit@school.test")
    assert user.kind == AccountKind.STUDENT
    assert user.organisation is None
    assert not user.has_usable_password()
    assert (user.first_name, user.last_name) == ("Sanne", "Smit")
    assert StudentAccount.objects.get(user=user).youth == enrolment.youth
    message = OutboxMessage.objects.get()
    assert message.to == "sanne.smit@school.test"
    assert _link(message).startswith("/leerling/wachtwoord/")
    assert "http://testserver/leerling/wachtwoord/" in message.body  # absolute link


def test_the_link_sets_the_password_signs_the_student_in_and_works_once(client, world, enrolment):
    _activate(client, world.vo, "L-4711", "2009-03-14")
    link = _link(OutboxMessage.objects.get())
    form_url = client.get(link)["Location"]  # Django moves the token into the session
    response = client.post(
        form_url,
        {"new_password1": "lange zin als wachtwoord", "new_password2": "lange zin als wachtwoord"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("students:home")
    assert client.get(reverse("students:home")).status_code == 200
    user = User.objects.get(email="sanne.smit@school.test")
    assert user.check_password("lange zin als wachtwoord")

    client.logout()
    response = client.get(link, follow=True)
    assert "niet meer geldig" in response.content.decode()


def test_a_weak_password_is_refused_and_nothing_changes(client, world, enrolment):
    _activate(client, world.vo, "L-4711", "2009-03-14")
    form_url = client.get(_link(OutboxMessage.objects.get()))["Location"]
    response = client.post(form_url, {"new_password1": "kort", "new_password2": "kort"})
    assert response.status_code == 200
    assert "utrecht-form-field-error-message" in response.content.decode()
    assert not User.objects.get(email="sanne.smit@school.test").has_usable_password()


def test_the_link_expires_after_seven_days(client, world, enrolment):
    _activate(client, world.vo, "L-4711", "2009-03-14")
    link = _link(OutboxMessage.objects.get())
    later = dt.datetime.now() + dt.timedelta(days=8)
    with mock.patch.object(student_password_token, "_now", return_value=later):
        response = client.get(link, follow=True)
    assert "niet meer geldig" in response.content.decode()
    earlier = dt.datetime.now() + dt.timedelta(days=6)
    with mock.patch.object(student_password_token, "_now", return_value=earlier):
        response = client.get(link, follow=True)
    assert "Kies je wachtwoord" in response.content.decode()


def test_a_staff_welcome_link_token_is_no_student_link(client, world):
    staff = world.users["vo_mentor"]
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from vangnet.accounts.tokens import welcome_token_generator

    uid = urlsafe_base64_encode(force_bytes(staff.pk))
    link = reverse("students:set_password", args=[uid, welcome_token_generator.make_token(staff)])
    assert "niet meer geldig" in client.get(link, follow=True).content.decode()
    # Even with a student-style token, a staff account cannot set its password here.
    link = reverse("students:set_password", args=[uid, student_password_token.make_token(staff)])
    assert "niet meer geldig" in client.get(link, follow=True).content.decode()


@pytest.mark.parametrize(
    ("number", "birth_date"),
    [("L-4711", "2009-03-15"), ("L-9999", "2009-03-14"), ("l-4711 ", "2010-01-01")],
    ids=["wrong birth date", "unknown number", "both wrong"],
)
def test_wrong_details_give_the_same_answer_and_no_mail(
    client, world, enrolment, number, birth_date
):
    response = _activate(client, world.vo, number, birth_date)
    assert response["Location"] == reverse("students:activate_sent")
    assert not OutboxMessage.objects.exists()
    assert not User.objects.filter(kind=AccountKind.STUDENT).exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.LOGIN_FAILED, description="student account activation refused"
    ).exists()


def test_the_number_of_another_school_is_refused(client, world, enrolment):
    enrol(world.pro, student_number="P-1")
    _activate(client, world.pro, "L-4711", "2009-03-14")
    assert not OutboxMessage.objects.exists()


def test_an_unenrolled_student_cannot_activate(client, world, enrolment):
    enrolment.unenrolment_processed = True
    enrolment.unenrolled_on = dt.date(2024, 1, 1)
    enrolment.save()
    _activate(client, world.vo, "L-4711", "2009-03-14")
    assert not OutboxMessage.objects.exists()


def test_a_student_without_email_cannot_activate(client, world):
    enrol(world.vo, student_number="N-1", student_email="", youth__birth_date=dt.date(2009, 1, 1))
    enrol(world.vo, student_number="N-2")  # keeps the school in the list
    _activate(client, world.vo, "N-1", "2009-01-01")
    assert not OutboxMessage.objects.exists()


def test_a_student_who_has_an_account_gets_a_new_password_link_instead(client, world, enrolment):
    account = StudentAccountFactory(
        youth=enrolment.youth, user__email="sanne.vorigjaar@example.test"
    )
    response = _activate(client, world.vo, "L-4711", "2009-03-14")
    assert response["Location"] == reverse("students:activate_sent")
    message = OutboxMessage.objects.get()
    assert message.to == "sanne.vorigjaar@example.test"
    assert "al een account" in message.body
    assert User.objects.filter(kind=AccountKind.STUDENT).count() == 1
    form_url = client.get(_link(message))["Location"]
    client.post(
        form_url, {"new_password1": "nieuw en lang genoeg", "new_password2": "nieuw en lang genoeg"}
    )
    account.user.refresh_from_db()
    assert account.user.check_password("nieuw en lang genoeg")


def test_an_address_that_belongs_to_a_staff_account_is_refused(client, world, enrolment):
    UserFactory(email="sanne.smit@school.test", organisation=world.vo)
    _activate(client, world.vo, "L-4711", "2009-03-14")
    assert not OutboxMessage.objects.exists()
    assert not StudentAccount.objects.exists()


def test_a_double_submit_sends_one_mail(client, world, enrolment):
    from .helpers import form_token

    token = form_token(client, ACTIVATE)
    data = {
        "school": world.vo.pk,
        "student_number": "L-4711",
        "birth_date": "2009-03-14",
        "form_token": token,
    }
    client.post(ACTIVATE, data)
    client.post(ACTIVATE, data)
    assert OutboxMessage.objects.count() == 1


def test_guessing_is_stopped_after_a_few_attempts_per_number(client, world, enrolment):
    for day in range(1, 6):
        _activate(client, world.vo, "L-4711", f"2009-01-{day:02d}")
    response = _activate(client, world.vo, "L-4711", "2009-03-14")
    assert response.status_code == 200
    assert "Te veel pogingen" in response.content.decode()
    assert not OutboxMessage.objects.exists()


def test_guessing_is_stopped_per_client_address(client, world, enrolment, monkeypatch):
    # The real ceiling is generous (a class activates behind one address, test_rate_limits.py).
    monkeypatch.setattr(views, "ACTIVATION_LIMIT_PER_IP", 10)
    for n in range(10):
        _activate(client, world.vo, f"X-{n}", "2009-03-14")
    response = _activate(client, world.vo, "L-4711", "2009-03-14")
    assert "Te veel pogingen" in response.content.decode()
    assert not OutboxMessage.objects.exists()


def test_bad_input_gives_dutch_messages_and_changes_nothing(client, world, enrolment):
    response = post_form(
        client, ACTIVATE, {"school": "999999", "student_number": "", "birth_date": "gisteren"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Kies je school uit de lijst" in body
    assert "geboortedatum" in body.lower()
    assert not OutboxMessage.objects.exists()


def test_the_service_reports_what_happened(world, enrolment):
    outcome = services.student_account_activate(
        school=world.vo, student_number="L-4711", birth_date=dt.date(2009, 3, 14)
    )
    assert outcome == services.Activation.LINK_SENT
    outcome = services.student_account_activate(
        school=world.vo, student_number="L-4711", birth_date=dt.date(2009, 3, 14)
    )
    assert outcome == services.Activation.ALREADY_ACTIVE
    outcome = services.student_account_activate(
        school=world.vo, student_number="L-0000", birth_date=dt.date(2009, 3, 14)
    )
    assert outcome == services.Activation.REFUSED

"""Rate limits of the student portal: they stop guessing for one student, not a whole class.

Activation was limited to 10 per client address an hour, so a class behind the school's one
address was locked out; "Activeer DDD" let a student try other people's BSNs unaudited and
without limit."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import StudentAccountFactory, YouthFactory
from vangnet.audit.models import AuditAction, AuditEvent
from vangnet.dossiers.models import StudentAccount
from vangnet.notifications.models import OutboxMessage
from vangnet.students import views

from .helpers import enrol, post_form

pytestmark = pytest.mark.django_db

ACTIVATE = "/leerling/activeren/"
ACTIVATE_DDD = "/leerling/ddd-activeren/"


def _activate(client, school, number, birth_date):
    return post_form(
        client,
        ACTIVATE,
        {"school": school.pk, "student_number": number, "birth_date": birth_date},
    )


def test_a_class_of_thirty_activates_from_the_school_address(client, world):
    students = [
        enrol(
            world.vo,
            student_number=f"K-{n:03d}",
            student_email=f"leerling{n}@school.test",
            youth__birth_date=dt.date(2009, 1, 1) + dt.timedelta(days=n),
        )
        for n in range(30)
    ]
    for n, enrolment in enumerate(students):
        response = _activate(
            client, world.vo, enrolment.student_number, str(enrolment.youth.birth_date)
        )
        assert response.status_code == 302, n
    assert OutboxMessage.objects.count() == 30
    assert StudentAccount.objects.count() == 30


def test_guessing_one_students_details_is_stopped_per_school_and_number(client, world):
    enrol(world.vo, student_number="L-1", youth__birth_date=dt.date(2009, 3, 14))
    for day in range(1, 6):
        _activate(client, world.vo, "L-1", f"2009-01-{day:02d}")
    # From another address the same student number is still held back.
    response = post_form(
        client,
        ACTIVATE,
        {"school": world.vo.pk, "student_number": "l-1", "birth_date": "2009-03-14"},
        REMOTE_ADDR="10.9.9.9",
    )
    assert "Te veel pogingen" in response.content.decode()
    assert not OutboxMessage.objects.exists()


def test_the_per_address_ceiling_still_stops_a_flood(client, world, monkeypatch):
    monkeypatch.setattr(views, "ACTIVATION_LIMIT_PER_IP", 12)
    enrolment = enrol(world.vo, student_number="L-2", youth__birth_date=dt.date(2009, 3, 14))
    for n in range(12):
        _activate(client, world.vo, f"X-{n}", "2009-03-14")
    response = _activate(client, world.vo, enrolment.student_number, "2009-03-14")
    assert "Te veel pogingen" in response.content.decode()
    assert not OutboxMessage.objects.exists()


@pytest.fixture
def without_bsn(world):
    enrolment = enrol(world.vo, youth__bsn=None, youth__identified_by_school=True)
    return StudentAccountFactory(youth=enrolment.youth)


def test_activeer_ddd_with_another_persons_bsn_is_audited_on_that_person(client, without_bsn):
    other = YouthFactory()
    client.force_login(without_bsn.user)
    post_form(client, ACTIVATE_DDD, {"bsn": other.bsn}, token_url=ACTIVATE_DDD)
    on_other = AuditEvent.objects.get(youth_id=other.pk)
    assert on_other.action == AuditAction.SEARCH
    assert on_other.user_id == without_bsn.user_id
    refusal = AuditEvent.objects.get(youth_id=without_bsn.youth_id, action=AuditAction.LOGIN_FAILED)
    assert refusal.detail["bsn_of_another_record"] is True
    assert other.bsn not in str(refusal.detail) + refusal.description


def test_activeer_ddd_stops_after_a_few_wrong_bsns(client, without_bsn):
    others = [YouthFactory() for _ in range(views.DDD_BSN_LIMIT_PER_ACCOUNT + 2)]
    client.force_login(without_bsn.user)
    for other in others[: views.DDD_BSN_LIMIT_PER_ACCOUNT]:
        post_form(client, ACTIVATE_DDD, {"bsn": other.bsn}, token_url=ACTIVATE_DDD)
    probe = others[-1]
    response = post_form(client, ACTIVATE_DDD, {"bsn": probe.bsn}, token_url=ACTIVATE_DDD)
    assert "Te veel pogingen" in response.content.decode()
    # Over the limit the BSN is not even looked up: nothing recorded on the probed person.
    assert not AuditEvent.objects.filter(youth_id=probe.pk).exists()
    assert StudentAccount.objects.get(pk=without_bsn.pk).ddd_activated_at is None

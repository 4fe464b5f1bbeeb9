"""One definition of "schoolgaand" (issue 8): enrolled and the unenrolment not yet processed, so a
pending (future) uitschrijfdatum counts. Checked in every list that shows schoolgoing youth."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import login_verified
from tests.factories import EnrolmentFactory
from vangnet.dossiers import selectors as dossier_selectors
from vangnet.dossiers import services as dossier_services
from vangnet.dossiers.tests.helpers import make_student
from vangnet.jikp import selectors as jikp_selectors
from vangnet.jikp.selectors import SchoolListFilters
from vangnet.students import selectors as student_selectors
from vangnet.youth.models import Enrolment

pytestmark = pytest.mark.django_db


def _leaving_soon(enrolment) -> None:
    enrolment.unenrolled_on = timezone.localdate() + dt.timedelta(days=30)
    enrolment.save()


def test_the_queryset_method_keeps_a_pending_uitschrijfdatum_and_drops_processed(world):
    current = EnrolmentFactory(organisation=world.pro)
    leaving = EnrolmentFactory(organisation=world.pro)
    _leaving_soon(leaving)
    gone = EnrolmentFactory(
        organisation=world.pro, unenrolled_on=dt.date(2024, 7, 1), unenrolment_processed=True
    )
    ids = set(Enrolment.objects.schoolgoing().values_list("pk", flat=True))
    assert {current.pk, leaving.pk} <= ids
    assert gone.pk not in ids


def test_a_pending_uitschrijfdatum_is_schoolgaand_in_jikp(client, world):
    enrolment = EnrolmentFactory(organisation=world.pro, youth__last_name="Vertrekkend")
    _leaving_soon(enrolment)
    user = world.users["school_gebruiker"]
    rows = jikp_selectors.school_list_rows(user=user, filters=SchoolListFilters(tab="alle"))
    assert enrolment.pk in [r.pk for r in rows]
    assert jikp_selectors.school_dashboard_counts(user=user)["schoolgoing"] == 1
    login_verified(client, user)
    html = client.get(reverse("jikp:schoolgaand"), {"tab": "alle"}).content.decode()
    assert "Vertrekkend" in html


def test_a_student_with_a_pending_uitschrijfdatum_starts_a_dossier_and_is_in_alle_leerlingen(
    world,
):
    student = make_student(world.vo, last_name="Vertrekkend")
    _leaving_soon(student.enrolment)
    dossier = dossier_services.dossier_start(youth=student.youth, acting_user=student.user)
    assert dossier.school == world.vo
    assert student_selectors.student_enrolment(youth_id=student.youth.pk) == student.enrolment
    dean = world.users["vo_decaan"]
    assert student.enrolment.pk in [e.pk for e in dossier_selectors.staff_students(user=dean)]
    assert student.enrolment.class_name in dossier_selectors.school_classes(school_id=world.vo.pk)


def test_alle_leerlingen_shows_only_the_deans_own_school(world):
    own = make_student(world.vo)
    elsewhere = EnrolmentFactory(organisation=world.other_school)
    dean = world.users["vo_decaan"]
    shown = [e.pk for e in dossier_selectors.staff_students(user=dean)]
    assert own.enrolment.pk in shown
    assert elsewhere.pk not in shown

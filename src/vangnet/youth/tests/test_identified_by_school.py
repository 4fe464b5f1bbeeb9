"""Students loaded from a leerlinglijst without BSN or onderwijsnummer (identified_by_school)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from conftest import login_verified
from tests.factories import EnrolmentFactory, UserFactory
from vangnet.accounts.models import Role
from vangnet.youth.models import Youth

pytestmark = pytest.mark.django_db


@pytest.fixture
def student(world):
    youth = Youth(
        first_name="Noor",
        last_name="Visser",
        birth_date=dt.date(2009, 3, 4),
        gender="x",
        identified_by_school=True,
    )
    youth.save()
    return EnrolmentFactory(
        youth=youth, organisation=world.vo, supplied_bsn=False, student_number="100"
    )


@pytest.fixture
def school_client(client, world):
    return login_verified(client, UserFactory(organisation=world.vo, roles=[Role.USER]))


def test_detail_says_there_is_no_bsn_yet(school_client, student):
    response = school_client.get(reverse("youth:detail", args=[student.youth_id]))
    assert response.status_code == 200
    assert "(nog geen BSN)" in response.content.decode()


def test_a_youth_with_a_bsn_does_not_say_so(school_client, world):
    enrolment = EnrolmentFactory(organisation=world.vo)
    html = school_client.get(reverse("youth:detail", args=[enrolment.youth_id])).content.decode()
    assert "(nog geen BSN)" not in html


@pytest.mark.parametrize(
    "name", ["youth:edit", "jikp:schoolgaand", "jikp:schoolgaand_export", "youth:list"]
)
def test_pages_that_show_identifiers_work_for_such_a_student(school_client, student, name):
    args = [student.youth_id] if name == "youth:edit" else []
    url = reverse(name, args=args)
    if name.endswith("_export"):
        url += "?formaat=csv"
    response = school_client.get(url)
    assert response.status_code in {200, 302}

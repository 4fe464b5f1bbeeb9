"""The portal home (blocks) and "Activeer DDD"."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import StudentAccountFactory, YouthFactory, make_bsn
from vangnet.audit.models import AuditAction, AuditEvent
from vangnet.dossiers.models import StudentAccount
from vangnet.youth.models import Youth

from .helpers import enrol, form_token, post_form

pytestmark = pytest.mark.django_db

ACTIVATE_DDD = "/leerling/ddd-activeren/"
DDD_LIST = "/leerling/ddd/"


def _student(school, **youth):
    enrolment = enrol(school, **{f"youth__{k}": v for k, v in youth.items()})
    account = StudentAccountFactory(youth=enrolment.youth)
    return account


@pytest.fixture
def with_bsn(world):
    return _student(world.vo)


@pytest.fixture
def without_bsn(world):
    return _student(world.vo, bsn=None, identified_by_school=True)


def _press_activate(client):
    return post_form(client, ACTIVATE_DDD, {}, token_url=reverse("students:home"))


def test_the_home_page_shows_the_blocks_with_masked_bsn_and_is_audited(client, with_bsn):
    client.force_login(with_bsn.user)
    body = client.get(reverse("students:home")).content.decode()
    youth = with_bsn.youth
    assert "Digitaal Doorstroomdossier" in body
    assert "Activeer DDD" in body
    assert "Mijn gegevens" in body
    assert youth.bsn not in body
    assert youth.masked_bsn in body
    enrolment = youth.enrolments.get()
    assert enrolment.student_number in body
    assert AuditEvent.objects.filter(
        user_id=with_bsn.user.pk, action=AuditAction.VIEW, youth_id=youth.pk
    ).exists()


def test_the_home_page_has_a_fixed_number_of_queries(
    client, with_bsn, django_assert_max_num_queries
):
    client.force_login(with_bsn.user)
    client.get(reverse("students:home"))
    with django_assert_max_num_queries(12):
        client.get(reverse("students:home"))


def test_a_student_whose_bsn_is_known_is_activated_at_once(client, with_bsn):
    client.force_login(with_bsn.user)
    response = _press_activate(client)
    assert response.status_code == 302
    assert response["Location"] == DDD_LIST
    with_bsn.refresh_from_db()
    assert with_bsn.ddd_activated_at is not None
    assert AuditEvent.objects.filter(
        description="DDD activated", youth_id=with_bsn.youth_id
    ).exists()
    body = client.get(reverse("students:home")).content.decode()
    assert "Naar mijn doorstroomdossiers" in body
    assert "Activeer DDD</button>" not in body


def test_a_student_without_bsn_is_asked_for_it(client, without_bsn):
    client.force_login(without_bsn.user)
    response = _press_activate(client)
    assert response.status_code == 200
    assert 'name="bsn"' in response.content.decode()
    without_bsn.refresh_from_db()
    assert without_bsn.ddd_activated_at is None


def test_a_valid_bsn_is_linked_and_the_ddd_activated(client, without_bsn):
    client.force_login(without_bsn.user)
    bsn = make_bsn()
    response = post_form(client, ACTIVATE_DDD, {"bsn": bsn}, token_url=ACTIVATE_DDD)
    assert response["Location"] == DDD_LIST
    youth = Youth.objects.get(pk=without_bsn.youth_id)
    assert youth.bsn == bsn
    assert not youth.identified_by_school
    assert StudentAccount.objects.get(pk=without_bsn.pk).ddd_activated_at is not None
    event = AuditEvent.objects.get(description="DDD activated")
    assert bsn not in str(event.detail)


def test_a_bsn_with_spaces_or_dots_is_accepted(client, without_bsn):
    client.force_login(without_bsn.user)
    bsn = make_bsn()
    post_form(
        client, ACTIVATE_DDD, {"bsn": f"{bsn[:4]}.{bsn[4:6]}.{bsn[6:]}"}, token_url=ACTIVATE_DDD
    )
    assert Youth.objects.get(pk=without_bsn.youth_id).bsn == bsn


@pytest.mark.parametrize("bad", ["123456789", "12345", "abcdefghi", "000000000", "١٢٣٤٥٦٧٨٢"])
def test_a_bsn_that_fails_the_elfproef_is_refused(client, without_bsn, bad):
    client.force_login(without_bsn.user)
    response = post_form(client, ACTIVATE_DDD, {"bsn": bad}, token_url=ACTIVATE_DDD)
    assert response.status_code == 200
    assert "geen geldig BSN" in response.content.decode()
    youth = Youth.objects.get(pk=without_bsn.youth_id)
    assert youth.bsn_index is None
    assert StudentAccount.objects.get(pk=without_bsn.pk).ddd_activated_at is None


def test_a_bsn_of_another_person_record_is_refused(client, without_bsn):
    other = YouthFactory()
    client.force_login(without_bsn.user)
    response = post_form(client, ACTIVATE_DDD, {"bsn": other.bsn}, token_url=ACTIVATE_DDD)
    assert response.status_code == 200
    assert "neem contact op met je decaan" in response.content.decode().lower()
    assert Youth.objects.get(pk=without_bsn.youth_id).bsn_index is None
    assert StudentAccount.objects.get(pk=without_bsn.pk).ddd_activated_at is None


def test_the_bsn_is_never_in_the_address(client, without_bsn):
    client.force_login(without_bsn.user)
    bsn = make_bsn()
    response = client.get(ACTIVATE_DDD, {"bsn": bsn})
    assert Youth.objects.get(pk=without_bsn.youth_id).bsn_index is None
    assert response.status_code == 200


def test_an_activated_student_goes_straight_to_the_dossiers(client, with_bsn):
    client.force_login(with_bsn.user)
    _press_activate(client)
    assert client.get(ACTIVATE_DDD)["Location"] == DDD_LIST
    assert client.post(ACTIVATE_DDD, {"form_token": "again"})["Location"] == DDD_LIST


def test_a_double_submit_changes_nothing(client, without_bsn):
    client.force_login(without_bsn.user)
    token = form_token(client, ACTIVATE_DDD)
    bsn = make_bsn()
    client.post(ACTIVATE_DDD, {"bsn": bsn, "form_token": token})
    client.post(ACTIVATE_DDD, {"bsn": make_bsn(), "form_token": token})
    assert Youth.objects.get(pk=without_bsn.youth_id).bsn == bsn
    assert AuditEvent.objects.filter(description="DDD activated").count() == 1


def test_staff_cannot_activate_a_ddd(client, world):
    from conftest import login_verified

    login_verified(client, world.users["vo_decaan"])
    assert client.post(ACTIVATE_DDD, {"form_token": "x"}).status_code == 404

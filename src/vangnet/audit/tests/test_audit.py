import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from conftest import login_verified
from tests.factories import EnrolmentFactory
from vangnet.audit.models import AuditAction, AuditEvent
from vangnet.audit.services import audit_record

pytestmark = pytest.mark.django_db


REASON = "Verzoek van de jongere om inzage (klacht 2026-014)"


def test_viewing_a_youth_writes_an_event_with_all_nen7513_fields(client, world):
    enrolment = EnrolmentFactory(organisation=world.pro)
    user = world.users["school_gebruiker"]
    login_verified(client, user)
    client.get(reverse("youth:detail", args=[enrolment.youth_id]), REMOTE_ADDR="10.1.2.3")
    event = AuditEvent.objects.get(action=AuditAction.VIEW, youth_id=enrolment.youth_id)
    assert event.user_id == user.pk
    assert event.user_email == user.email
    assert event.organisation_id == world.pro.pk
    assert event.role == "gebruiker"
    assert event.ip == "10.1.2.3"
    assert event.at is not None


def test_list_page_audits_every_youth_shown(client, world):
    shown = [EnrolmentFactory(organisation=world.pro).youth_id for _ in range(3)]
    login_verified(client, world.users["school_gebruiker"])
    client.get(reverse("youth:list"))
    assert set(
        AuditEvent.objects.filter(action=AuditAction.SEARCH).values_list("youth_id", flat=True)
    ) == set(shown)


def test_forged_forwarded_for_header_does_not_change_the_recorded_address(client, world):
    enrolment = EnrolmentFactory(organisation=world.pro)
    login_verified(client, world.users["school_gebruiker"])
    client.get(
        reverse("youth:detail", args=[enrolment.youth_id]),
        REMOTE_ADDR="10.9.9.9",
        HTTP_X_FORWARDED_FOR="1.2.3.4",
    )
    assert AuditEvent.objects.get(action=AuditAction.VIEW).ip == "10.9.9.9"


def test_a_failed_change_leaves_no_audit_event(world):
    user = world.users["school_gebruiker"]
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(user=user, action=AuditAction.UPDATE, description="x")
        raise RuntimeError
    assert not AuditEvent.objects.filter(action=AuditAction.UPDATE).exists()


def test_platform_admin_finds_who_viewed_a_youth_by_bsn_without_bsn_in_url(client, world):
    enrolment = EnrolmentFactory(organisation=world.pro)
    viewer = world.users["school_gebruiker"]
    login_verified(client, viewer)
    client.get(reverse("youth:detail", args=[enrolment.youth_id]))
    client.logout()
    login_verified(client, world.users["platformbeheer"])
    response = client.post(reverse("audit:search"), {"q": enrolment.youth.bsn, "reason": REASON})
    html = response.content.decode()
    assert viewer.email in html
    assert enrolment.youth.bsn not in html
    assert enrolment.youth.bsn not in response.request["PATH_INFO"]
    # The consultation of the audit trail is itself audited.
    assert AuditEvent.objects.filter(
        user_id=world.users["platformbeheer"].pk, youth_id=enrolment.youth_id
    ).exists()


def test_other_roles_cannot_search_the_audit_log(client, world):
    login_verified(client, world.users["gemeente_beheerder"])
    assert client.post(reverse("audit:search"), {"q": "123", "reason": REASON}).status_code == 403


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the append-only trigger exists on PostgreSQL only"
)
def test_postgresql_refuses_update_and_delete_of_audit_events(world):
    event = audit_record(user=world.users["school_gebruiker"], action=AuditAction.VIEW)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="delete")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk, action="view").exists()


def test_a_long_audit_trail_is_paged_by_record_number_without_the_bsn(client, world):
    youth = EnrolmentFactory(organisation=world.pro).youth
    for _ in range(150):
        audit_record(
            user=world.users["school_gebruiker"], action=AuditAction.VIEW, youth_id=youth.pk
        )
    login_verified(client, world.users["platformbeheer"])
    first = client.post(
        reverse("audit:search"), {"q": youth.bsn, "reason": REASON}
    ).content.decode()
    assert "Pagina 1 van 2" in first
    assert youth.bsn not in first
    second = client.post(
        reverse("audit:search"), {"q": str(youth.pk), "page": "2", "reason": REASON}
    )
    assert "Pagina 2 van 2" in second.content.decode()
    assert len(second.context["page"].object_list) > 0


def test_the_audit_search_shows_no_name_without_a_reason_and_keeps_the_reason(client, world):
    youth = EnrolmentFactory(
        organisation=world.pro, youth__first_name="Ilse", youth__last_name="Wijnbergen"
    ).youth
    login_verified(client, world.users["platformbeheer"])
    url = reverse("audit:search")
    for reason in ("", "   ", "want"):
        before = AuditEvent.objects.filter(action=AuditAction.SEARCH).count()
        html = client.post(url, {"q": str(youth.pk), "reason": reason}).content.decode()
        assert "Wijnbergen" not in html
        assert "Ilse" not in html
        assert "reden" in html.lower()
        assert AuditEvent.objects.filter(action=AuditAction.SEARCH).count() == before
    html = client.post(url, {"q": str(youth.pk), "reason": REASON}).content.decode()
    assert "Wijnbergen" in html
    event = AuditEvent.objects.get(action=AuditAction.SEARCH, youth_id=youth.pk)
    assert event.detail["reason"] == REASON
    assert event.user_id == world.users["platformbeheer"].pk


def test_the_next_page_of_the_audit_trail_keeps_the_reason(client, world):
    youth = EnrolmentFactory(organisation=world.pro).youth
    for _ in range(120):
        audit_record(
            user=world.users["school_gebruiker"], action=AuditAction.VIEW, youth_id=youth.pk
        )
    login_verified(client, world.users["platformbeheer"])
    html = client.post(reverse("audit:search"), {"q": youth.bsn, "reason": REASON})
    assert f'name="reason" value="{REASON}"' in html.content.decode()


def test_a_search_that_finds_nobody_is_audited_with_its_reason(client, world):
    login_verified(client, world.users["platformbeheer"])
    client.post(reverse("audit:search"), {"q": "999999", "reason": REASON})
    event = AuditEvent.objects.get(action=AuditAction.SEARCH)
    assert event.detail == {"reason": REASON, "found": False}
    assert event.youth_id is None

"""Only GET, HEAD and POST reach a view; HEAD is audited like GET.

Before, OPTIONS and TRACE fell into each view's "not POST, so show the page" branch: the whole
record (name, birth date, address) came back and no audit event was written.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import login_verified
from tests.factories import EnrolmentFactory
from tests.test_access_matrix import MATRIX, STUDENT, user_for
from vangnet.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

REFUSED_METHODS = ["OPTIONS", "TRACE", "PUT", "PATCH", "DELETE", "PROPFIND"]


def _send(client, method: str, url: str):
    return client.generic(method, url)


@pytest.fixture
def pro_youth(world):
    return EnrolmentFactory(
        organisation=world.pro,
        youth__municipality=world.gem_a,
        youth__first_name="Zoë",
        youth__last_name="Vermeulenstra",
    ).youth


@pytest.mark.parametrize("method", REFUSED_METHODS)
@pytest.mark.parametrize(
    "url_name",
    [
        "youth:detail",
        "youth:edit",
        "jikp:detail_contact_add",
        "jikp:detail_perspective_set",
        "jikp:detail_samenwerking_request",
        "jikp:detail_traject_add",
    ],
)
def test_other_methods_on_a_record_page_are_405_without_the_record(
    client, world, pro_youth, url_name, method
):
    login_verified(client, world.users["school_gebruiker"])
    before = AuditEvent.objects.count()
    response = _send(client, method, reverse(url_name, args=[pro_youth.pk]))
    assert response.status_code == 405
    body = response.content.decode()
    assert "Vermeulenstra" not in body
    assert pro_youth.postcode not in body
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD", "POST"}
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("url_name", ["youth:detail", "youth:edit"])
def test_head_on_a_record_page_writes_the_same_audit_event_as_get(
    client, world, pro_youth, url_name
):
    login_verified(client, world.users["school_gebruiker"])
    url = reverse(url_name, args=[pro_youth.pk])

    def reads() -> list[tuple[str, int | None, str]]:
        return list(
            AuditEvent.objects.filter(action=AuditAction.VIEW, youth_id=pro_youth.pk)
            .order_by("id")
            .values_list("object_type", "youth_id", "description")
        )

    assert client.get(url).status_code == 200
    after_get = reads()
    assert after_get
    assert client.head(url).status_code == 200
    after_head = reads()
    assert after_head[len(after_get) :] == after_get


def test_every_url_refuses_options_and_trace(client, world):
    """A sweep over every URL of the project (the access matrix lists them all), signed out and
    signed in as a role that may open the page."""
    failures = []
    for url_name, row in sorted(MATRIX.items()):
        url = reverse(url_name, kwargs=row.kwargs(world) if row.kwargs else None)
        allowed = sorted(row.allowed - {STUDENT}) or sorted(row.allowed)
        for who in [None, *allowed[:1]]:
            client.logout()
            if who is not None:
                login_verified(client, user_for(world, who))
            for method in ("OPTIONS", "TRACE"):
                response = _send(client, method, url)
                if response.status_code != 405 or response.content:
                    failures.append(f"{method} {url_name} as {who}: {response.status_code}")
    assert failures == []

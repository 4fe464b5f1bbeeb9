"""Whether an MBO takes part in the Digitaal Doorstroomdossier: set by its own administrator on
the Instellingen page and by platform management on the organisation form, audited both ways."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import login_verified
from tests.factories import UserFactory
from vangnet.accounts.models import Role
from vangnet.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

SETTINGS = reverse("organisations:settings")


def _audited(organisation) -> list[dict]:
    return [
        e.detail
        for e in AuditEvent.objects.filter(
            action=AuditAction.UPDATE,
            object_type="organisations.organisation",
            object_id=str(organisation.pk),
        )
    ]


def test_mbo_administrator_switches_participation_on_and_off(client, world):
    admin = UserFactory(organisation=world.mbo, roles=[Role.USER, Role.ADMIN])
    login_verified(client, admin)
    page = client.get(SETTINGS)
    assert page.status_code == 200
    assert 'name="takes_part_in_ddd"' in page.content.decode()
    response = client.post(SETTINGS, {"takes_part_in_ddd": "on"})
    assert response.status_code == 302
    world.mbo.refresh_from_db()
    assert world.mbo.takes_part_in_ddd is True
    assert _audited(world.mbo) == [{"fields": ["takes_part_in_ddd"]}]
    client.post(SETTINGS, {})
    world.mbo.refresh_from_db()
    assert world.mbo.takes_part_in_ddd is False
    assert len(_audited(world.mbo)) == 2


def test_mbo_user_without_admin_role_only_reads_the_setting(client, world):
    login_verified(client, world.users["mbo_gebruiker"])
    page = client.get(SETTINGS)
    assert page.status_code == 200
    assert "disabled" in page.content.decode()
    assert client.post(SETTINGS, {"takes_part_in_ddd": "on"}).status_code == 403
    world.mbo.refresh_from_db()
    assert world.mbo.takes_part_in_ddd is False


def test_school_cannot_switch_itself_into_the_ddd_as_mbo(client, world):
    login_verified(client, world.users["school_beheerder"])
    page = client.get(SETTINGS).content.decode()
    assert 'name="takes_part_in_ddd"' not in page
    client.post(SETTINGS, {"takes_part_in_ddd": "on", "auto_monitor_work": "on"})
    world.pro.refresh_from_db()
    assert world.pro.takes_part_in_ddd is False
    assert world.pro.auto_monitor_work is True


def _organisation_data(org, **overrides):
    return {
        "name": org.name,
        "region": org.region_id,
        "municipality": org.municipality_id or "",
        "brin": org.brin,
        "has_entree": "on" if org.has_entree else "",
        "email": org.email,
        "phone": org.phone,
        "form_token": "t1",
        **overrides,
    }


def test_platform_management_sets_participation_of_an_mbo(client, world):
    login_verified(client, world.users["platformbeheer"])
    url = reverse("organisations:manage_edit", args=["organisatie", world.mbo.pk])
    assert 'name="takes_part_in_ddd"' in client.get(url).content.decode()
    response = client.post(url, _organisation_data(world.mbo, takes_part_in_ddd="on"))
    assert response.status_code == 302
    world.mbo.refresh_from_db()
    assert world.mbo.takes_part_in_ddd is True
    assert any("takes_part_in_ddd" in d.get("fields", []) for d in _audited(world.mbo))


def test_platform_management_cannot_mark_a_school_as_ddd_mbo(client, world):
    login_verified(client, world.users["platformbeheer"])
    url = reverse("organisations:manage_edit", args=["organisatie", world.vo.pk])
    response = client.post(url, _organisation_data(world.vo, takes_part_in_ddd="on"))
    assert response.status_code == 200
    errors = " ".join(str(e) for e in response.context["form"].errors["takes_part_in_ddd"])
    assert "Alleen een MBO-instelling" in errors
    world.vo.refresh_from_db()
    assert world.vo.takes_part_in_ddd is False

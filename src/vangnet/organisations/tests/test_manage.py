"""Platform management keeps the master data: regions, gemeenten, organisations and locations,
and invites the first administrator of a new organisation. Everything audited, nothing deleted."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import login_verified
from vangnet.accounts.models import Role, User
from vangnet.audit.models import AuditAction, AuditEvent
from vangnet.notifications.models import OutboxMessage
from vangnet.organisations.models import Location, Municipality, Organisation, Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def platform(client, world):
    return login_verified(client, world.users["platformbeheer"])


def _add(kind):
    return reverse("organisations:manage_add", args=[kind])


def _post(client, url, data, once="t1", **kwargs):
    return client.post(url, {**data, "form_token": once}, **kwargs)


def _school(world, **overrides):
    return {
        "name": "Praktijkschool Nieuwstad",
        "kind": "pro",
        "code": "pro-nieuwstad",
        "region": world.region.pk,
        "municipality": world.gem_b.pk,
        "brin": "77xy",
        "email": "info@nieuwstad.example",
        **overrides,
    }


def test_platform_management_builds_a_region_with_a_school_and_its_location(platform, world):
    response = _post(platform, _add("regio"), {"name": "Regio Nieuw", "code": "rmc99"}, "a")
    region = Region.objects.get(name="Regio Nieuw")
    assert response.status_code == 302
    assert region.code == "RMC99"
    _post(
        platform,
        _add("gemeente"),
        {"name": "Nieuwstad", "region": region.pk, "cbs_code": "gm0999"},
        "b",
    )
    municipality = Municipality.objects.get(cbs_code="GM0999")
    _post(
        platform,
        _add("organisatie"),
        _school(world, region=region.pk, municipality=municipality.pk),
        "c",
    )
    school = Organisation.objects.get(code="pro-nieuwstad")
    assert (school.region, school.municipality, school.brin) == (region, municipality, "77XY")
    _post(
        platform,
        _add("locatie"),
        {
            "organisation": school.pk,
            "name": "Hoofdgebouw",
            "brin_vestiging": "77XY00",
            "municipality": municipality.pk,
            "street": "Schoolstraat 1",
            "postcode": "9999zz",
            "city": "Nieuwstad",
        },
        "d",
    )
    location = Location.objects.get(organisation=school)
    assert location.postcode == "9999 ZZ"

    overview = platform.get(reverse("organisations:manage") + f"?regio={region.pk}")
    html = overview.content.decode()
    assert "Nieuwstad" in html and "Praktijkschool Nieuwstad" in html
    created = AuditEvent.objects.filter(
        action=AuditAction.CREATE, user_id=world.users["platformbeheer"].pk
    )
    assert sorted(created.values_list("object_type", flat=True)) == [
        "organisations.location",
        "organisations.municipality",
        "organisations.organisation",
        "organisations.region",
    ]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"brin": "ABCD"}, "brin", "BRIN-nummer van vier tekens"),
        ({"brin": ""}, "brin", "Een school heeft een BRIN-nummer nodig"),
        ({"municipality": "gem_x"}, "municipality", "hoort niet bij"),
        ({"region": ""}, "region", "Kies de regio"),
        ({"has_entree": "on"}, "has_entree", "Alleen een MBO-instelling"),
        ({"kind": "gemeente", "brin": "", "municipality": ""}, "municipality", "Kies de gemeente"),
        ({"kind": "toegang"}, "brin", "Alleen scholen en MBO-instellingen"),
        ({"code": "org-1", "name": "Dubbel"}, "code", "bestaat al"),
        ({"email": "geen-adres"}, "email", "geldig e-mailadres"),
    ],
)
def test_bad_organisation_input_gets_a_dutch_message_and_saves_nothing(
    platform, world, overrides, field, message
):
    Organisation.objects.filter(pk=world.pro.pk).update(code="org-1")
    if overrides.get("municipality") == "gem_x":
        overrides = {**overrides, "municipality": world.gem_x.pk}
    before = Organisation.objects.count()
    response = _post(platform, _add("organisatie"), _school(world, **overrides))
    assert response.status_code == 200
    assert message in " ".join(str(e) for e in response.context["form"].errors[field])
    assert Organisation.objects.count() == before


@pytest.mark.parametrize(
    ("kind", "data", "field", "message"),
    [
        ("gemeente", {"name": "X", "cbs_code": "0363"}, "cbs_code", "CBS-code zoals GM0363"),
        ("regio", {"name": "Regio Test", "code": "R1"}, "name", "bestaat al"),
        (
            "locatie",
            {"name": "L", "brin_vestiging": "99ZZ00", "postcode": "0123 AB"},
            "postcode",
            "postcode in, zoals 1234 AB",
        ),
        ("locatie", {"name": "L", "brin_vestiging": "99ZZ00"}, "brin_vestiging", "12AB"),
    ],
)
def test_bad_master_data_gets_a_dutch_message_and_saves_nothing(
    platform, world, kind, data, field, message
):
    extra = {"region": world.region.pk} if kind == "gemeente" else {}
    if kind == "locatie":
        extra = {"organisation": world.pro.pk}
    counts = (Region.objects.count(), Municipality.objects.count(), Location.objects.count())
    response = _post(platform, _add(kind), {**data, **extra})
    assert response.status_code == 200
    assert message in " ".join(str(e) for e in response.context["form"].errors[field])
    assert counts == (
        Region.objects.count(),
        Municipality.objects.count(),
        Location.objects.count(),
    )


def test_an_add_form_posted_twice_creates_one_record(platform):
    data = {"name": "Regio Dubbel", "code": "RD"}
    _post(platform, _add("regio"), data, "same")
    response = _post(platform, _add("regio"), data, "same")
    assert response.status_code in {200, 302}
    assert Region.objects.filter(code="RD").count() == 1


def test_kind_and_code_of_an_organisation_stay_as_they_are(platform, world):
    url = reverse("organisations:manage_edit", args=["organisatie", world.pro.pk])
    data = _school(world, name="PrO De Brug (nieuw)", kind="toegang", code="anders", brin="12AB")
    response = _post(platform, url, {**data, "municipality": world.gem_a.pk})
    assert response.status_code == 302
    world.pro.refresh_from_db()
    assert (world.pro.name, world.pro.kind) == ("PrO De Brug (nieuw)", "pro")
    assert world.pro.code != "anders"
    event = AuditEvent.objects.get(
        action=AuditAction.UPDATE, object_type="organisations.organisation"
    )
    assert "name" in event.detail["fields"]


def test_platform_management_invites_the_first_administrator(platform, world):
    url = reverse("organisations:manage_user_add", args=[world.vso.pk])
    response = _post(
        platform,
        url,
        {
            "email": "Directie@Horizon.example",
            "first_name": "Dana",
            "last_name": "Dijk",
            "roles": [Role.ADMIN, Role.USER],
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="directie@horizon.example")
    assert user.organisation == world.vso
    assert user.role_set() == {Role.ADMIN, Role.USER}
    assert not user.has_usable_password()
    assert OutboxMessage.objects.filter(to="directie@horizon.example", kind="welcome").exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="accounts.user"
    ).exists()


def test_the_menu_of_platform_management_offers_organisations(platform):
    html = platform.get(reverse("core:home")).content.decode()
    assert reverse("organisations:manage") in html
    assert "Organisaties" in html


def test_other_users_cannot_change_master_data(client, world):
    login_verified(client, world.users["gemeente_beheerder"])
    response = _post(client, _add("regio"), {"name": "Regio Stiekem", "code": "RS"})
    assert response.status_code == 403
    assert not Region.objects.filter(code="RS").exists()


def test_platform_management_cannot_invite_into_an_organisation_with_an_administrator(
    platform, world
):
    """The PrO school has its beheerder: platform management cannot add an account of its own
    there (it would see the school's person records); the page says who adds users."""
    url = reverse("organisations:manage_user_add", args=[world.pro.pk])
    page = platform.get(url).content.decode()
    assert 'name="email"' not in page
    assert "heeft al een beheerder" in page
    response = _post(
        platform,
        url,
        {
            "email": "mijzelf@platform.example",
            "first_name": "Pim",
            "last_name": "Platform",
            "roles": [Role.ADMIN, Role.USER],
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="mijzelf@platform.example").exists()
    assert not OutboxMessage.objects.filter(to="mijzelf@platform.example").exists()
    assert (
        "Eerste beheerder uitnodigen"
        not in platform.get(
            reverse("organisations:manage_edit", args=["organisatie", world.pro.pk])
        ).content.decode()
    )


def test_platform_management_invites_only_an_administrator(platform, world):
    url = reverse("organisations:manage_user_add", args=[world.vso.pk])
    response = _post(
        platform,
        url,
        {
            "email": "medewerker@horizon.example",
            "first_name": "Mo",
            "last_name": "Mulder",
            "roles": [Role.USER],
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="medewerker@horizon.example").exists()


def test_platform_management_does_not_invite_a_second_administrator(platform, world):
    url = reverse("organisations:manage_user_add", args=[world.vso.pk])
    first = {"email": "a@horizon.example", "first_name": "An", "last_name": "A"}
    assert _post(platform, url, {**first, "roles": [Role.ADMIN]}, once="t1").status_code == 302
    second = {"email": "b@horizon.example", "first_name": "Bo", "last_name": "B"}
    assert _post(platform, url, {**second, "roles": [Role.ADMIN]}, once="t2").status_code == 200
    assert not User.objects.filter(email="b@horizon.example").exists()

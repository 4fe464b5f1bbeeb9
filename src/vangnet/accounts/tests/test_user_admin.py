"""The organisation's administrator manages the users of their own organisation (handleiding §8.1)."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import login_verified
from tests.factories import TOTPDeviceFactory, UserFactory
from vangnet.accounts import services
from vangnet.accounts.models import Role, User
from vangnet.audit.models import AuditAction, AuditEvent
from vangnet.notifications.models import OutboxMessage

from .helpers import form_token, post_password

pytestmark = pytest.mark.django_db

ADD_URL = "/account/gebruikers/toevoegen/"


def _new_user_data(client, **overrides):
    data = {
        "email": "Nieuwe.Collega@Example.test",
        "first_name": "Nora",
        "last_name": "de Vries",
        "job_title": "Zorgcoördinator",
        "phone": "030-1234567",
        "roles": [Role.USER, Role.MENTOR],
        "form_token": form_token(client, ADD_URL),
    }
    data.update(overrides)
    return data


@pytest.fixture
def admin_client(client, world):
    login_verified(client, world.users["school_beheerder"])
    return client


def test_list_shows_own_organisation_users_with_function_and_administrator_flag(
    admin_client, world
):
    colleague = world.users["school_gebruiker"]
    colleague.job_title = "Stagecoördinator"
    colleague.save()
    html = admin_client.get(reverse("accounts:user_list")).content.decode()
    assert colleague.email in html
    assert "Stagecoördinator" in html
    assert world.users["school_beheerder"].email in html
    assert world.users["other_school"].email not in html
    assert world.users["gemeente_beheerder"].email not in html
    assert "Beheerder" in html and "Ja" in html


def test_list_is_refused_to_a_user_without_the_administrator_role(client, world):
    login_verified(client, world.users["school_gebruiker"])
    assert client.get(reverse("accounts:user_list")).status_code == 403


def test_list_search_and_status_filter(admin_client, world):
    gone = UserFactory(organisation=world.pro, last_name="Vertrokken", is_active=False)
    html = admin_client.get(reverse("accounts:user_list")).content.decode()
    assert gone.email not in html
    html = admin_client.get(reverse("accounts:user_list") + "?status=inactief").content.decode()
    assert gone.email in html
    assert world.users["school_gebruiker"].email not in html
    html = admin_client.get(
        reverse("accounts:user_list") + "?status=alle&q=vertrok"
    ).content.decode()
    assert gone.email in html


def test_list_query_count_does_not_grow_with_the_number_of_users(
    admin_client, world, django_assert_max_num_queries
):
    for _ in range(15):
        UserFactory(organisation=world.pro, roles=[Role.USER, Role.MENTOR])
    with django_assert_max_num_queries(12):
        admin_client.get(reverse("accounts:user_list"))


def test_add_form_marks_required_fields_and_offers_roles_as_checkboxes(admin_client):
    html = admin_client.get(ADD_URL).content.decode()
    for label in ("E-mailadres", "Voornaam", "Achternaam"):
        assert re.search(label + r' <span aria-hidden="true">\*</span>', html), label
    assert re.search(r"Functie</label>", html)
    assert 'type="checkbox"' in html and 'value="beheerder"' in html
    assert 'value="platformbeheer"' not in html


def test_administrator_adds_user_with_roles_and_welcome_mail(admin_client, world):
    response = admin_client.post(ADD_URL, _new_user_data(admin_client))
    assert response.status_code == 302
    user = User.objects.get(email="nieuwe.collega@example.test")
    assert user.organisation == world.pro
    assert user.job_title == "Zorgcoördinator"
    assert user.role_set() == {Role.USER, Role.MENTOR}
    assert not user.has_usable_password()
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_id=str(user.pk))
    assert event.user_id == world.users["school_beheerder"].pk
    assert event.object_type == "accounts.user"
    mail = OutboxMessage.objects.get(to=user.email)
    assert mail.kind == "welcome"
    assert "/account/welkom/" in mail.body
    assert "http://testserver/account/welkom/" in mail.body
    assert "PrO De Brug" in mail.body


def test_welcome_link_sets_the_first_password_once(admin_client, client, world):
    admin_client.post(ADD_URL, _new_user_data(admin_client))
    admin_client.logout()
    body = OutboxMessage.objects.get(kind="welcome").body
    link = re.search(r"http://testserver(/account/welkom/\S+)", body).group(1)
    page = client.get(link, follow=True)
    assert "Welkom bij Vangnet" in page.content.decode()
    new_password = "een-lang-nieuw-wachtwoord-42"
    done = client.post(
        page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.status_code == 302
    user = User.objects.get(email="nieuwe.collega@example.test")
    assert user.check_password(new_password)
    assert AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_id=str(user.pk), description="password set"
    ).exists()
    again = client.get(link, follow=True).content.decode()
    assert "Deze link is niet meer geldig" in again
    # With the new password the user signs in and is sent to set up two-step verification.
    response = post_password(client, user.email, new_password)
    assert response.status_code == 302
    assert client.get(reverse("core:home")).url == reverse("two_factor:setup")


def test_missing_required_fields_give_dutch_errors_and_create_nothing(admin_client):
    data = _new_user_data(admin_client, email="", first_name="", last_name="", roles=[])
    response = admin_client.post(ADD_URL, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("Dit veld is verplicht.") >= 3
    assert "Kies ten minste één rol." in html
    assert User.objects.filter(first_name="").count() == 0
    assert not OutboxMessage.objects.exists()


def test_existing_email_is_refused(admin_client, world):
    taken = world.users["gemeente_beheerder"].email.upper()
    response = admin_client.post(ADD_URL, _new_user_data(admin_client, email=taken))
    assert response.status_code == 200
    assert "Er bestaat al een account met dit e-mailadres." in response.content.decode()


def test_double_submit_creates_one_user(admin_client):
    data = _new_user_data(admin_client)
    admin_client.post(ADD_URL, data)
    admin_client.post(ADD_URL, data)
    assert User.objects.filter(email="nieuwe.collega@example.test").count() == 1
    assert OutboxMessage.objects.filter(kind="welcome").count() == 1


def test_platform_role_cannot_be_given_outside_the_platform(admin_client):
    data = _new_user_data(admin_client, roles=[Role.USER, Role.PLATFORM_ADMIN])
    response = admin_client.post(ADD_URL, data)
    assert response.status_code == 200
    assert not User.objects.filter(email="nieuwe.collega@example.test").exists()


def test_platform_administrator_may_give_the_platform_role(client, world):
    admin = UserFactory(organisation=world.platform, roles=[Role.ADMIN, Role.PLATFORM_ADMIN])
    login_verified(client, admin)
    assert 'value="platformbeheer"' in client.get(ADD_URL).content.decode()
    client.post(ADD_URL, _new_user_data(client, roles=[Role.PLATFORM_ADMIN]))
    assert User.objects.get(email="nieuwe.collega@example.test").role_set() == {Role.PLATFORM_ADMIN}


def test_administrator_edits_details_and_roles_and_it_is_audited(admin_client, world):
    target = world.users["school_gebruiker"]
    url = reverse("accounts:user_edit", args=[target.pk])
    assert target.email in admin_client.get(url).content.decode()
    response = admin_client.post(
        url,
        {
            "email": target.email,
            "first_name": "Anders",
            "last_name": target.last_name,
            "job_title": "Mentor klas 2",
            "phone": "",
            "roles": [Role.USER, Role.ADMIN],
        },
    )
    assert response.status_code == 302
    target.refresh_from_db()
    target.forget_roles()
    assert target.first_name == "Anders"
    assert target.role_set() == {Role.USER, Role.ADMIN}
    events = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(target.pk))
    details = {e.description: e.detail for e in events}
    assert details["user changed"]["changed"]["first_name"][1] == "Anders"
    assert details["roles changed"] == {"added": [Role.ADMIN], "removed": []}


def test_administrator_removes_a_role(admin_client, world):
    target = UserFactory(organisation=world.pro, roles=[Role.USER, Role.ADMIN])
    url = reverse("accounts:user_edit", args=[target.pk])
    data = {"email": target.email, "first_name": "T", "last_name": "G", "roles": [Role.USER]}
    admin_client.post(url, data)
    assert set(target.roles.values_list("role", flat=True)) == {Role.USER}


@pytest.mark.parametrize(
    "name",
    [
        "accounts:user_edit",
        "accounts:user_deactivate",
        "accounts:user_reactivate",
        "accounts:user_two_factor_reset",
    ],
)
def test_user_of_another_organisation_is_not_found(admin_client, world, name):
    stranger = world.users["other_school"]
    url = reverse(name, args=[stranger.pk])
    assert admin_client.get(url).status_code == 404
    assert (
        admin_client.post(url, {"email": "x@example.test", "roles": [Role.USER]}).status_code == 404
    )
    stranger.refresh_from_db()
    assert stranger.is_active
    assert stranger.email != "x@example.test"


def test_deactivated_user_cannot_sign_in_and_can_be_reactivated(admin_client, client, world):
    from django.test import Client

    target = world.users["school_gebruiker"]
    url = reverse("accounts:user_deactivate", args=[target.pk])
    assert "kan niet meer inloggen" in admin_client.get(url).content.decode()
    assert admin_client.post(url).status_code == 302
    target.refresh_from_db()
    assert not target.is_active
    assert AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_id=str(target.pk), description="user deactivated"
    ).exists()

    other = Client()
    response = post_password(other, target.email)
    assert response.status_code == 200
    assert "_auth_user_id" not in other.session

    admin_client.post(reverse("accounts:user_reactivate", args=[target.pk]))
    target.refresh_from_db()
    assert target.is_active


def test_deactivation_ends_a_running_session(admin_client, world):
    from django.test import Client

    target = world.users["school_gebruiker"]
    theirs = login_verified(Client(), target)
    assert theirs.get(reverse("core:home")).status_code == 200
    admin_client.post(reverse("accounts:user_deactivate", args=[target.pk]))
    assert theirs.get(reverse("core:home")).status_code == 302


def test_administrator_cannot_deactivate_themselves(admin_client, world):
    me = world.users["school_beheerder"]
    response = admin_client.post(reverse("accounts:user_deactivate", args=[me.pk]), follow=True)
    assert "Je kunt je eigen account niet deactiveren." in response.content.decode()
    me.refresh_from_db()
    assert me.is_active


def test_last_administrator_cannot_remove_own_administrator_role(admin_client, world):
    me = world.users["school_beheerder"]
    url = reverse("accounts:user_edit", args=[me.pk])
    data = {
        "email": me.email,
        "first_name": me.first_name,
        "last_name": me.last_name,
        "roles": [Role.USER],
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "laatste beheerder" in response.content.decode()
    assert set(me.roles.values_list("role", flat=True)) == {Role.USER, Role.ADMIN}


def test_administrator_may_step_down_when_another_administrator_remains(admin_client, world):
    UserFactory(organisation=world.pro, roles=[Role.ADMIN])
    me = world.users["school_beheerder"]
    url = reverse("accounts:user_edit", args=[me.pk])
    data = {
        "email": me.email,
        "first_name": me.first_name,
        "last_name": me.last_name,
        "roles": [Role.USER],
    }
    response = admin_client.post(url, data)
    assert response.url == reverse("core:home")
    assert admin_client.get(reverse("accounts:user_list")).status_code == 403


def test_two_factor_reset_removes_devices_and_setup_is_asked_at_next_sign_in(
    admin_client, client, world
):
    from django.test import Client

    target = world.users["school_gebruiker"]
    TOTPDeviceFactory(user=target)
    assert StaticToken.objects.filter(device__user=target).count() == 10
    url = reverse("accounts:user_two_factor_reset", args=[target.pk])
    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url).status_code == 302
    assert not TOTPDevice.objects.filter(user=target).exists()
    assert not StaticDevice.objects.filter(user=target).exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.UPDATE,
        object_id=str(target.pk),
        description="two-step verification reset",
    ).exists()

    fresh = Client()
    post_password(fresh, target.email)
    assert fresh.get(reverse("core:home")).url == reverse("two_factor:setup")


def test_services_refuse_a_user_who_is_not_administrator_of_that_organisation(world):
    target = world.users["school_gebruiker"]
    for actor in (
        world.users["vso_gebruiker"],
        world.users["other_school"],
        world.users["school_gebruiker"],
    ):
        with pytest.raises(PermissionDenied):
            services.user_set_active(user=target, active=False, acting_user=actor)
        with pytest.raises(PermissionDenied):
            services.user_two_factor_reset(user=target, acting_user=actor)
        with pytest.raises(PermissionDenied):
            services.user_create(
                organisation=world.pro,
                data={
                    "email": "a@example.test",
                    "first_name": "A",
                    "last_name": "B",
                    "roles": [Role.USER],
                },
                acting_user=actor,
            )


def test_two_factor_reset_ends_the_running_session_of_that_user(admin_client, world):
    from django.test import Client

    target = world.users["school_gebruiker"]
    theirs = login_verified(Client(), target)
    assert theirs.get(reverse("core:home")).status_code == 200
    admin_client.post(reverse("accounts:user_two_factor_reset", args=[target.pk]))
    # Not even the setup page: a new authenticator is only linked after the password.
    response = theirs.get(reverse("two_factor:setup"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("two_factor:login"))
    assert "_auth_user_id" not in theirs.session


def test_changing_a_colleagues_address_sends_a_notice_to_the_old_address(admin_client, world):
    target = world.users["school_gebruiker"]
    old = target.email
    url = reverse("accounts:user_edit", args=[target.pk])
    response = admin_client.post(
        url,
        {
            "email": "nieuw.adres@elders.example",
            "first_name": target.first_name,
            "last_name": target.last_name,
            "job_title": "",
            "phone": "",
            "roles": [Role.USER],
        },
    )
    assert response.status_code == 302
    notice = OutboxMessage.objects.get(kind="email_changed")
    assert notice.to == old
    assert "nieuw.adres@elders.example" in notice.body
    assert "e-mailadres" in notice.subject
    assert world.users["school_beheerder"].full_name in notice.body


def test_a_change_without_a_new_address_sends_no_notice(admin_client, world):
    target = world.users["school_gebruiker"]
    services.user_update(
        user=target,
        data={"first_name": "Anders"},
        acting_user=world.users["school_beheerder"],
    )
    assert not OutboxMessage.objects.filter(kind="email_changed").exists()

import pytest
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse

from conftest import login_verified
from vangnet.core.views import error_500

pytestmark = pytest.mark.django_db


def test_error_500_page_renders_without_touching_the_database():
    request = RequestFactory().get("/")
    queries_before = len(connection.queries)
    response = error_500(request)
    assert response.status_code == 500
    assert "Er ging iets mis" in response.content.decode()
    assert len(connection.queries) == queries_before


def test_menu_marks_the_section_of_the_current_page(client, world):
    login_verified(client, world.users["school_gebruiker"])
    html = client.get(reverse("jikp:uitgeschreven")).content.decode()
    current = [
        line
        for line in html.splitlines()
        if 'aria-current="page"' in line and "vn-nav__link" in line
    ]
    assert len(current) == 1
    assert reverse("jikp:uitgeschreven") in current[0]


def test_pages_are_dutch_even_when_the_browser_asks_for_english(client):
    html = client.get(
        reverse("two_factor:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"
    ).content.decode()
    assert "Inloggen" in html
    assert "Sign in" not in html


def test_a_nul_character_in_the_query_string_is_ignored(client, world):
    # PostgreSQL refuses NUL in text; the user list and youth list read ?q= straight from GET.
    login_verified(client, world.users["gemeente_beheerder"])
    for url in (reverse("youth:list"), reverse("accounts:user_list")):
        response = client.get(url + "?q=%00&status%00=x%00")
        assert response.status_code == 200
        assert response.wsgi_request.GET.dict() == {"q": "", "status": "x"}


def test_mbo_beheerder_reaches_the_settings_from_the_menu(client, world):
    from tests.factories import UserFactory
    from vangnet.accounts.models import Role

    settings_url = reverse("organisations:settings")
    admin = UserFactory(organisation=world.mbo, roles=[Role.USER, Role.ADMIN])
    login_verified(client, admin)
    menu_link = f'class="vn-nav__link" href="{settings_url}"'
    assert menu_link in client.get(reverse("core:home")).content.decode()
    client.logout()
    login_verified(client, world.users["mbo_gebruiker"])
    html = client.get(reverse("core:home")).content.decode()
    assert menu_link not in html

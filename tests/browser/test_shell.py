"""The page shell: language, landmarks, skip link, public pages, error pages, small screens."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from django.template.loader import render_to_string

from tests.factories import EnrolmentFactory, YouthFactory

from .helpers import assert_accessible, axe_violations, sign_in

browser = pytest.mark.browser


@browser
def test_axe_is_really_running(page):
    page.goto("/account/login/")
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=x>')")
    assert "image-alt" in {v["id"] for v in axe_violations(page)}


@browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("path", "heading"),
    [("/account/login/", "Inloggen"), ("/account/wachtwoord/vergeten/", "Wachtwoord vergeten?")],
)
def test_public_pages_are_dutch_and_accessible(page, path, heading):
    response = page.goto(path)
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.locator("main h1").inner_text() == heading
    for role in ("banner", "main", "contentinfo"):
        assert page.get_by_role(role).count() == 1, role
    assert page.get_by_role("navigation", name="Hoofdmenu").count() == 0  # not signed in
    assert_accessible(page, path)


@browser
def test_skip_link_moves_focus_to_the_content(page, world):
    sign_in(page, world.users["gemeente_consulent"])
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text() == "Direct naar de inhoud"
    box = skip.bounding_box()
    assert box is not None and box["y"] >= 0 and box["x"] >= 0  # visible once focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    for role in ("banner", "navigation", "main", "contentinfo"):
        assert page.get_by_role(role).count() >= 1, role


@browser
def test_not_found_page_is_dutch_with_menu(page, world):
    sign_in(page, world.users["school_gebruiker"])
    response = page.goto("/bestaat-niet/")
    assert response.status == 404
    assert page.locator("main h1").inner_text() == "Pagina niet gevonden"
    assert page.get_by_role("navigation", name="Hoofdmenu").count() == 1
    assert_accessible(page, "404 page")


@browser
def test_small_screen_has_no_sideways_scrolling(page, world):
    for _ in range(3):
        EnrolmentFactory(organisation=world.pro, youth=YouthFactory(municipality=world.gem_a))
    sign_in(page, world.users["school_gebruiker"])
    page.set_viewport_size({"width": 360, "height": 740})
    for path in ("/", "/jikp/schoolgaand/", "/jongeren/?state=schoolgaand", "/jongeren/toevoegen/"):
        page.goto(path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 360px"
        nav = page.get_by_role("navigation", name="Hoofdmenu")
        assert nav.get_by_role("link", name="Schoolgaand").is_visible()
        assert_accessible(page, f"{path} at 360px")
    assert urlparse(page.url).path == "/jongeren/toevoegen/"


def test_server_error_page_is_standalone():
    """The 500 page renders without a request, context processors or a database.

    No django_db mark: pytest-django makes any database access here raise.
    """
    html = render_to_string("errors/500.html")
    assert "<html" in html and "Er ging iets mis" in html
    assert "{%" not in html and "extends" not in html
    assert "/static/" not in html  # no static files: nothing that can fail to load

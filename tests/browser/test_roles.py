"""Every role signs in, sees its own menu in Dutch, and every page it reaches passes axe-core."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlparse

import pytest

from tests.factories import EnrolmentFactory, YouthFactory

from .helpers import assert_accessible, sign_in

pytestmark = pytest.mark.browser

# School menus are fixed by the JIKP manual and checked exactly; the other roles must show at
# least these entries, in this order (modules may add their own, e.g. Samenwerkingen).
SCHOOL_MENU = ["Dashboard", "Schoolgaand", "Entree", "Uitgeschreven", "Algemeen", "Instellingen"]
# A VO school's mentor and decaan also get the Digitaal Doorstroomdossier (seed 001).
DDD = ["Doorstroomdossier", "Dossiers"]
DEAN_MENU = [*SCHOOL_MENU[:4], *DDD, "Alle leerlingen", *SCHOOL_MENU[4:]]
MENTOR_MENU = [*SCHOOL_MENU[:4], *DDD, "Mijn leerlingen", *SCHOOL_MENU[4:]]
YOUTH_MENU = ["Dashboard", "Jongeren", "Algemeen"]
PLATFORM_MENU = ["Dashboard", "Auditlog", "Organisaties", "Algemeen"]

ROLE_MENUS = {
    "school_gebruiker": SCHOOL_MENU,
    "school_beheerder": SCHOOL_MENU,
    "vso_gebruiker": SCHOOL_MENU,
    "vo_decaan": DEAN_MENU,
    "vo_mentor": MENTOR_MENU,
    "mbo_gebruiker": YOUTH_MENU,
    "gemeente_consulent": YOUTH_MENU,
    "gemeente_beheerder": YOUTH_MENU,
    "ketenpartner": YOUTH_MENU,
    "platformbeheer": PLATFORM_MENU,
}

DETAIL_PATH = re.compile(r"/jongeren/\d+/$")
# Platform management: the add form and the page of an organisation.
MASTER_DATA_PATH = re.compile(r"/organisatie/beheer/(organisatie/(?:toevoegen|\d+))/$")


def _seed_youth(world) -> None:
    """A current and an unenrolled pupil at every school and the MBO, living in the region."""
    for org in (world.pro, world.vso, world.vo, world.mbo):
        EnrolmentFactory(organisation=org, youth=YouthFactory(municipality=world.gem_a))
        EnrolmentFactory(
            organisation=org,
            youth=YouthFactory(municipality=world.gem_b),
            unenrolled_on=dt.date.today() - dt.timedelta(days=60),
        )


def _visit(page, href: str, what: str) -> None:
    response = page.goto(href)
    assert response is not None and response.status == 200, f"{what}: HTTP {response.status}"
    assert page.locator("main h1").count() == 1, f"{what}: expected one h1"
    assert_accessible(page, what)


@pytest.mark.parametrize("role", list(ROLE_MENUS))
def test_role_sees_its_menu_and_every_page_passes_axe(page, world, role):
    _seed_youth(world)
    sign_in(page, world.users[role])

    assert page.locator("html").get_attribute("lang") == "nl"
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    links = nav.get_by_role("link")
    labels = [t.strip() for t in links.all_inner_texts()]
    expected = ROLE_MENUS[role]
    if expected in (SCHOOL_MENU, DEAN_MENU, MENTOR_MENU):
        assert labels == expected
    else:
        assert labels[0] == "Dashboard"
        assert [label for label in labels if label in expected] == expected, labels
    assert nav.locator("[aria-current=page]").inner_text().strip() == "Dashboard"
    assert_accessible(page, f"{role}: Dashboard")

    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    extra: dict[str, str] = {}
    for label, href in zip(labels, hrefs, strict=True):
        _visit(page, href, f"{role}: {label}")
        current = page.get_by_role("navigation", name="Hoofdmenu").locator("[aria-current=page]")
        assert current.inner_text().strip() == label
        main = page.locator("main")
        for link in main.locator("a[href]").all():
            path = urlparse(link.get_attribute("href")).path
            if DETAIL_PATH.search(path):
                extra.setdefault("youth detail", path)
            elif path.endswith("/jongeren/toevoegen/"):
                extra.setdefault("add youth", path)
            elif path.endswith("/account/gebruikers/"):
                extra.setdefault("users", path)
            elif MASTER_DATA_PATH.search(path):
                extra.setdefault(f"master data {MASTER_DATA_PATH.search(path)[1]}", path)

    if role.startswith(("school", "vso", "vo_", "mbo", "gemeente")):
        assert "youth detail" in extra, f"{role} sees no youth to open"
    if role in {"school_gebruiker", "school_beheerder", "vso_gebruiker"}:
        assert "add youth" in extra

    for what, path in extra.items():
        _visit(page, path, f"{role}: {what}")
        if what == "youth detail":
            edit = page.locator("main a[href$='/bewerken/']")
            if edit.count():
                _visit(page, edit.first.get_attribute("href"), f"{role}: edit youth")

"""Adding a youth through the form in a browser, with the "Geheim adres?" toggle."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from tests.factories import EnrolmentFactory, make_bsn
from vangnet.youth.models import Enrolment, Youth

from .helpers import assert_accessible, sign_in

pytestmark = pytest.mark.browser

ADDRESS_FIELDS = ("street", "house_number", "postcode", "city")


def _address_visible(page) -> dict[str, bool]:
    return {name: page.locator(f"#field-{name}").is_visible() for name in ADDRESS_FIELDS}


def test_add_youth_with_secret_address_hides_and_skips_the_address(page, world):
    user = world.users["school_gebruiker"]
    sign_in(page, user)
    page.goto("/jongeren/?state=schoolgaand")
    with page.expect_navigation():
        page.locator("main a[href$='/jongeren/toevoegen/']").click()
    assert page.locator("main h1").inner_text() == "Jongere toevoegen"

    # Address fields are shown until the box is ticked, hidden while it is, and back after.
    assert all(_address_visible(page).values())
    toggle = page.get_by_label("Geheim adres?")
    toggle.check()
    assert not any(_address_visible(page).values())
    toggle.uncheck()
    assert all(_address_visible(page).values())

    # Submitting without an address (and without the box) gets a Dutch error and saves nothing.
    bsn = make_bsn()
    page.fill("#id_bsn", bsn)
    page.fill("#id_first_name", "Sanne")
    page.fill("#id_last_name", "Jansen")
    page.fill("#id_birth_date", "2009-03-04")
    page.select_option("#id_municipality", label="Aastad")
    page.fill("#id_enrolled_on", "2024-08-20")
    page.fill("#id_class_name", "3B")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert Youth.objects.count() == 0
    assert page.locator("#field-street.utrecht-form-field--invalid").is_visible()
    assert page.locator("#id_street").get_attribute("aria-invalid") == "true"
    assert "verplicht" in page.locator("#field-street").inner_text()
    assert page.locator("main [role=alert]").count() >= 1
    assert_accessible(page, "add youth form with errors")

    # With the box ticked the (still hidden) address is not asked for.
    page.get_by_label("Geheim adres?").check()
    assert not any(_address_visible(page).values())
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()

    youth = Youth.objects.get()
    assert urlparse(page.url).path == f"/jongeren/{youth.pk}/"
    assert youth.secret_address is True
    assert (youth.street, youth.house_number, youth.postcode, youth.city) == ("", "", "", "")
    assert youth.bsn == bsn
    assert Enrolment.objects.filter(youth=youth, organisation=user.organisation).exists()

    main = page.locator("main")
    assert main.locator("h1").inner_text() == "Sanne Jansen"
    assert "Geheim" in main.inner_text()
    assert main.locator(".utrecht-alert--ok").count() == 1  # "... is toegevoegd."
    assert_accessible(page, "youth detail after adding")


def test_adding_a_youth_enrolled_at_another_school_asks_for_confirmation(page, world):
    theirs = EnrolmentFactory(
        organisation=world.other_school,
        youth__first_name="Noor",
        youth__last_name="Bakker",
        youth__birth_date="2009-05-06",
        youth__municipality=world.gem_x,
        youth__supplied_by=world.other_school,
    ).youth
    user = world.users["school_gebruiker"]
    sign_in(page, user)
    page.goto("/jongeren/?state=schoolgaand")
    with page.expect_navigation():
        page.locator("main a[href$='/jongeren/toevoegen/']").click()
    page.fill("#id_bsn", theirs.bsn)
    page.fill("#id_first_name", "Anders")
    page.fill("#id_last_name", "Bakker")
    page.fill("#id_birth_date", "2009-05-06")
    page.select_option("#id_municipality", label="Aastad")
    page.get_by_label("Geheim adres?").check()
    page.fill("#id_enrolled_on", "2024-08-20")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    alert = page.locator("main [role=alert]").first.inner_text()
    assert "al ingeschreven bij een andere school" in alert
    assert not Enrolment.objects.filter(youth=theirs, organisation=user.organisation).exists()
    assert_accessible(page, "add youth form asking for confirmation")

    page.get_by_label(
        "Ik bevestig dat deze jongere ook bij mijn school staat ingeschreven."
    ).check()
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert urlparse(page.url).path == f"/jongeren/{theirs.pk}/"
    assert Enrolment.objects.filter(youth=theirs, organisation=user.organisation).exists()
    theirs.refresh_from_db()
    assert (theirs.first_name, theirs.secret_address) == ("Noor", False)

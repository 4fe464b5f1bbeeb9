"""A PrO school's whole year with one youth, through the Dutch UI only (seed 000 §3-§7).

The school adds the youth, becomes its contact person, chooses Arbeid with details, asks the
designated chain partner to work together; the chain partner (in its own browser) links a contact
person whom the school then sees; the school sets the final status and finally unenrols the youth,
which the nightly job moves to Uitgeschreven, where the profile is read-only.

Services are only used to build the starting world; the end state is read from the mail outbox
and the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.factories import ContactDesignationFactory, UserFactory, make_bsn
from vangnet.accounts.models import Role
from vangnet.jikp.models import ContactPerson, Samenwerking, SamenwerkingStatus
from vangnet.organisations.models import Perspective
from vangnet.youth.models import Enrolment, Youth

from .helpers import assert_accessible, sign_in

pytestmark = pytest.mark.browser

FIRST, PREFIX, LAST = "Noor", "van", "Dijk"
FULL_NAME = f"{FIRST} {PREFIX} {LAST}"

NO_CONTACT = "Nog geen contactpersoon van de school toegevoegd"
NO_PERSPECTIVE = "Nog geen uitstroomperspectief toegevoegd"
DETAILS_MISSING = "Details van het uitstroomperspectief nog niet ingevuld"
NONE = "\u2013"  # an en dash: the empty "From" of the first change
NOT_FINAL = "Status is nog niet “Arbeidsovereenkomst”"


# --- Starting world -----------------------------------------------------------------------------


@pytest.fixture
def year_world(world) -> Any:
    """The test region plus who the school year needs: named people and the designated partner."""
    school = world.users["school_gebruiker"]
    school.first_name, school.last_name = "Mirjam", "de Boer"
    school.job_title, school.phone = "Mentor", "0318 111 222"
    school.save()
    designated = world.users["ketenpartner"]
    designated.first_name, designated.last_name = "Karin", "Smit"
    designated.save()
    # Aastad's designated contact for Arbeid is the chain partner's generalist (Werkplein Aastad).
    ContactDesignationFactory(
        municipality=world.gem_a, perspective=Perspective.WORK, user=designated
    )
    world.jobcoach = UserFactory(
        organisation=world.partner,
        roles=[Role.GENERALIST],
        first_name="Joost",
        last_name="Jobcoach",
        email="joost.jobcoach@werkplein.example.test",
        job_title="Jobcoach",
        phone="0318 555 123",
    )
    return world


@pytest.fixture
def partner_page(browser, live_server) -> Iterator[Any]:
    """A second browser (own cookies) for the chain partner, set up like the school's `page`."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="nl-NL",
        timezone_id="Europe/Amsterdam",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(15_000)
    try:
        yield context.new_page()
    finally:
        context.close()


# --- Small UI helpers ---------------------------------------------------------------------------


def _click(page: Any, locator: Any) -> None:
    with page.expect_navigation():
        locator.click()


def _save(page: Any, name: str = "Opslaan") -> None:
    _click(page, page.locator("main form").get_by_role("button", name=name, exact=True))


def _menu(page: Any, label: str) -> None:
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    _click(page, nav.get_by_role("link", name=label, exact=True))


def _tab(page: Any, label: str) -> None:
    tabs = page.get_by_role("navigation", name="Overzichten schoolgaand")
    _click(page, tabs.get_by_role("link", name=label, exact=True))
    assert tabs.locator("[aria-current=page]").inner_text().strip() == label


def _row(page: Any, name: str = FULL_NAME) -> Any:
    return page.locator("main table tbody tr").filter(has_text=name)


def _reasons(page: Any) -> list[str]:
    row = _row(page)
    assert row.count() == 1, f"{FULL_NAME} is not listed once under Te behandelen"
    return [t.strip() for t in row.locator(".jikp-reasons li").all_inner_texts()]


def _flash(page: Any) -> str:
    return page.locator(".utrecht-alert--ok").inner_text()


def _open_detail(page: Any, youth: Youth) -> None:
    _click(page, _row(page).get_by_role("link", name=f"Details {FULL_NAME}", exact=True))
    assert urlparse(page.url).path == f"/jongeren/{youth.pk}/"
    assert page.locator("main h1").inner_text() == FULL_NAME


def _panel(page: Any, heading: str) -> Any:
    """The section of the detail page under this h2 (personal data or a JIKP panel)."""
    return page.locator("main section").filter(
        has=page.get_by_role("heading", level=2, name=heading, exact=True)
    )


def _table_rows(section: Any) -> list[list[str]]:
    rows = section.locator("table tbody tr")
    return [
        [c.strip() for c in rows.nth(i).locator("td").all_inner_texts()]
        for i in range(rows.count())
    ]


# --- The year -----------------------------------------------------------------------------------


def test_pro_school_year_through_the_ui(page, partner_page, year_world):
    w = year_world
    school_user, designated, jobcoach = (
        w.users["school_gebruiker"],
        w.users["ketenpartner"],
        w.jobcoach,
    )
    bsn = make_bsn()
    today = timezone.localdate()
    mail.outbox.clear()

    # 1. Two-step sign-in; Schoolgaand → "+ Jongere toevoegen"; the form; the new youth is to handle.
    sign_in(page, school_user)
    _menu(page, "Schoolgaand")
    assert page.locator("main h1").inner_text() == "Schoolgaand"
    _click(page, page.get_by_role("link", name="+ Jongere toevoegen"))
    assert page.locator("main h1").inner_text() == "Jongere toevoegen"
    page.get_by_label("BSN").fill(bsn)
    page.get_by_label("Voornaam").fill(FIRST)
    page.get_by_label("Tussenvoegsel").fill(PREFIX)
    page.get_by_label("Achternaam").fill(LAST)
    page.get_by_label("Geboortedatum").fill("2008-06-12")
    page.get_by_label("Woongemeente").select_option(label="Aastad")
    page.get_by_label("Straat").fill("Kerkstraat")
    page.get_by_label("Huisnummer").fill("12")
    page.get_by_label("Postcode").fill("1234ab")
    page.get_by_label("Woonplaats").fill("Aastad")
    page.get_by_label("Klas").fill("4A")
    page.get_by_label("Leerjaar").fill("4")
    page.get_by_label("Inschrijfdatum").fill("2024-08-19")
    assert_accessible(page, "add youth form, filled in")
    _save(page)

    youth = Youth.objects.get()
    assert youth.bsn == bsn and youth.full_name == FULL_NAME
    assert urlparse(page.url).path == f"/jongeren/{youth.pk}/"
    assert FULL_NAME in _flash(page)
    assert page.get_by_test_id("bsn").inner_text() == bsn  # the school supplied it, so it sees it
    assert bsn not in page.url

    _menu(page, "Schoolgaand")  # opens on "Te behandelen jongeren"
    assert (
        page.get_by_role("navigation", name="Overzichten schoolgaand")
        .locator("[aria-current=page]")
        .inner_text()
        .strip()
        == "Te behandelen jongeren"
    )
    assert _reasons(page) == [NO_CONTACT, NO_PERSPECTIVE]
    assert_accessible(page, "Schoolgaand: Te behandelen jongeren")

    # 2. Detail page: the school links itself as contact, adds Arbeid and fills in its details.
    _open_detail(page, youth)
    assert_accessible(page, "detail page of a new youth")
    _click(page, _panel(page, "Contactpersonen").get_by_role("link", name="+ Contactpersoon"))
    assert page.locator("main h1").inner_text() == "Contactpersoon toevoegen"
    page.get_by_label("Contactpersoon").select_option(label="Mirjam de Boer (Mentor)")
    _save(page)
    assert "Mirjam de Boer" in _flash(page)
    contacts = _table_rows(_panel(page, "Contactpersonen"))
    assert contacts and contacts[0][:2] == ["PrO De Brug", "Mirjam de Boer"]

    _click(page, page.get_by_role("link", name="+ Uitstroom"))
    assert page.locator("main h1").inner_text() == "Uitstroomperspectief toevoegen"
    # The choices are a named group (fieldset + legend), not loose radio buttons.
    page.get_by_role("group", name="Uitstroomperspectief").get_by_label(
        "Arbeid", exact=True
    ).check()
    assert_accessible(page, "choose the uitstroomperspectief")
    _save(page)
    assert "Arbeid" in _flash(page)
    perspective = page.get_by_test_id("jikp-perspective").inner_text()
    assert "Arbeid" in perspective and "Oriënterend" in perspective

    _click(page, page.get_by_role("link", name="Details bewerken"))
    assert page.locator("main h1").inner_text() == "Details van het uitstroomperspectief Arbeid"
    page.get_by_label("Werkgever").fill("Groenbedrijf Aastad")
    page.get_by_label("Functie").fill("Medewerker groenonderhoud")
    page.get_by_label("Uren per week").fill("32")
    page.get_by_label("Contractvorm").select_option(label="Tijdelijk contract")
    page.get_by_label("Begeleiding op het werk").fill("Jobcoach van het Werkplein")
    _save(page)
    perspective = page.get_by_test_id("jikp-perspective").inner_text()
    for text in ("Groenbedrijf Aastad", "Medewerker groenonderhoud", "32", "Tijdelijk contract"):
        assert text in perspective
    assert "nog niet ingevuld" not in _panel(page, "Huidig uitstroomperspectief").inner_text()

    _menu(page, "Schoolgaand")
    assert _reasons(page) == [NOT_FINAL]

    # 3. Samenwerking: the confirmation names the designated partner; its contact gets a mail
    #    without the youth's name or BSN.
    _open_detail(page, youth)
    _click(page, page.get_by_role("link", name="Samenwerking aanvragen"))
    assert page.locator("main h1").inner_text() == "Samenwerking aanvragen"
    intro = page.locator("main").inner_text()
    assert "Werkplein Aastad" in intro and "Aastad" in intro
    assert "Karin Smit" in intro  # the designated contact person
    assert_accessible(page, "samenwerking confirmation")
    _save(page, "Samenwerking bevestigen")
    assert "Werkplein Aastad" in _flash(page)
    samenwerkingen = _table_rows(_panel(page, "Samenwerkingen"))
    assert samenwerkingen and samenwerkingen[0][:3] == ["Werkplein Aastad", "Arbeid", "PrO De Brug"]
    assert samenwerkingen[0][4] == "Aangevraagd"

    assert [m.to for m in mail.outbox] == [[designated.email]]
    signal = mail.outbox[0]
    assert signal.subject == "Vangnet: nieuwe aanvraag voor samenwerking"
    assert "PrO De Brug" in signal.body and "Arbeid" in signal.body
    text = f"{signal.subject}\n{signal.body}"
    for secret in (FIRST, LAST, FULL_NAME, bsn, youth.birth_date.strftime("%d-%m-%Y")):
        assert secret not in text, f"the signal mail contains {secret!r}"

    # 4. The chain partner, in its own browser, sees the request and links its jobcoach.
    sign_in(partner_page, designated)
    _menu(partner_page, "Samenwerkingen")
    assert partner_page.locator("main h1").inner_text() == "Samenwerkingen"
    request_row = _row(partner_page)
    assert request_row.count() == 1
    assert "PrO De Brug" in request_row.inner_text() and "Arbeid" in request_row.inner_text()
    assert_accessible(partner_page, "chain partner: Samenwerkingen")
    _click(
        partner_page,
        request_row.get_by_role("link", name=f"Contactpersoon koppelen {FULL_NAME}"),
    )
    assert partner_page.locator("main h1").inner_text() == "Contactpersoon koppelen"
    partner_page.get_by_label("Contactpersoon").select_option(label="Joost Jobcoach (Jobcoach)")
    _click(partner_page, partner_page.get_by_role("button", name="Koppelen", exact=True))
    assert urlparse(partner_page.url).path == reverse("jikp:partner_samenwerkingen")
    assert "Joost Jobcoach" in _row(partner_page).inner_text()

    page.reload()
    contacts = {row[1]: row for row in _table_rows(_panel(page, "Contactpersonen"))}
    assert set(contacts) == {"Mirjam de Boer", "Joost Jobcoach"}
    organisation, _name, job, phone, email, _roles, *_ = contacts["Joost Jobcoach"]
    assert (organisation, job, phone, email) == (
        "Werkplein Aastad",
        "Jobcoach",
        "0318 555 123",
        "joost.jobcoach@werkplein.example.test",
    )
    panel = _panel(page, "Contactpersonen")
    assert (
        panel.get_by_role("link", name="joost.jobcoach@werkplein.example.test").get_attribute(
            "href"
        )
        == "mailto:joost.jobcoach@werkplein.example.test"
    )
    # The school removes only its own contact persons.
    assert not panel.get_by_role("link", name="Verwijderen Joost Jobcoach").count()
    assert _table_rows(_panel(page, "Samenwerkingen"))[0][4] == "Contactpersoon gekoppeld"
    assert_accessible(page, "detail page with contacts and a samenwerking")

    # 5. Final status: the youth leaves "Te behandelen", stays in "Alle jongeren"; the timeline.
    _click(page, page.get_by_role("link", name="Status wijzigen"))
    assert (
        page.locator("main h1").inner_text()
        == "Status van het uitstroomperspectief Arbeid wijzigen"
    )
    statuses = page.get_by_role("group", name="Status")
    assert [t.strip() for t in statuses.locator("label").all_inner_texts()] == [
        "Oriënterend",
        "Stage / werkervaringsplaats",
        "Proefplaatsing",
        "Arbeidsovereenkomst",
    ]
    statuses.get_by_label("Arbeidsovereenkomst", exact=True).check()
    _save(page)
    assert "Arbeidsovereenkomst" in _flash(page)
    assert "Arbeidsovereenkomst" in page.get_by_test_id("jikp-perspective").inner_text()
    timeline = _table_rows(_panel(page, "Tijdlijn"))
    changes = sorted((row[2], row[3]) for row in timeline)
    assert changes == sorted(
        [
            (NONE, "Arbeid: Oriënterend"),
            ("Arbeid: Oriënterend", "Arbeid: Arbeidsovereenkomst"),
        ]
    ), timeline
    assert all(row[1] == "Mirjam de Boer (PrO De Brug)" for row in timeline)

    _menu(page, "Schoolgaand")
    assert _row(page).count() == 0
    assert "Geen jongeren gevonden" in page.locator("main table").inner_text()
    _tab(page, "Alle jongeren")
    row = _row(page)
    assert row.count() == 1
    assert "Arbeidsovereenkomst" in row.inner_text() and "Werkplein Aastad" in row.inner_text()
    assert_accessible(page, "Schoolgaand: Alle jongeren")
    _tab(page, "Openstaande samenwerkingen")
    assert _row(page).count() == 1
    assert_accessible(page, "Schoolgaand: Openstaande samenwerkingen")

    # 6. Personal data edited with an unenrolment date of yesterday; after the nightly job the
    #    youth is under Uitgeschreven (not Schoolgaand) and its profile is read-only.
    _tab(page, "Alle jongeren")
    _open_detail(page, youth)
    person = _panel(page, "Persoonsgegevens")
    _click(page, person.get_by_role("link", name="Bewerken", exact=True))
    assert page.locator("main h1").inner_text() == f"Persoonsgegevens van {FULL_NAME} bewerken"
    page.get_by_label("Huisnummer").fill("14")
    page.get_by_label("Klas").fill("4B")
    yesterday = today - dt.timedelta(days=1)
    page.get_by_label("Uitschrijfdatum").fill(yesterday.isoformat())
    assert_accessible(page, "edit personal data")
    _save(page)
    assert "De wijzigingen zijn opgeslagen." in _flash(page)
    person_text = _panel(page, "Persoonsgegevens").inner_text()
    assert "Kerkstraat 14, 1234 AB Aastad" in person_text
    assert yesterday.strftime("%d-%m-%Y") in person_text
    # Processed only by the nightly job: until then the youth is still schoolgoing.
    _menu(page, "Uitgeschreven")
    assert _row(page).count() == 0

    call_command("nightly")

    enrolment = Enrolment.objects.get(youth=youth, organisation=w.pro)
    assert enrolment.unenrolment_processed and enrolment.unenrolled_on == yesterday
    _menu(page, "Schoolgaand")
    _tab(page, "Alle jongeren")
    assert _row(page).count() == 0
    _menu(page, "Uitgeschreven")
    assert page.locator("main h1").inner_text() == "Uitgeschreven"
    row = _row(page)
    assert row.count() == 1 and yesterday.strftime("%d-%m-%Y") in row.inner_text()
    assert_accessible(page, "Uitgeschreven")

    _open_detail(page, youth)
    profile = _panel(page, "Huidig uitstroomperspectief")
    assert "Deze jongere is uitgeschreven (nazorg)" in profile.inner_text()
    for action in ("+ Uitstroom", "Details bewerken", "Status wijzigen", "Samenwerking aanvragen"):
        assert page.get_by_role("link", name=action).count() == 0, f"{action} still offered"
    assert page.get_by_role("link", name="+ Contactpersoon").count() == 0
    assert "Groenbedrijf Aastad" in profile.inner_text()
    assert_accessible(page, "detail page in nazorg")
    # Changing the profile by address is refused as well.
    response = page.goto(reverse("jikp:detail_perspective_status", args=[youth.pk]))
    assert response is not None and response.status == 403

    # The end state in the database.
    youth.refresh_from_db()
    assert (youth.house_number, youth.bsn) == ("14", bsn)
    assert set(ContactPerson.objects.filter(youth=youth).values_list("user_id", flat=True)) == {
        school_user.pk,
        jobcoach.pk,
    }
    samenwerking = Samenwerking.objects.get(youth=youth)
    assert (samenwerking.partner_id, samenwerking.status) == (
        w.partner.pk,
        SamenwerkingStatus.CONTACT_LINKED,
    )
    assert len(mail.outbox) == 1  # the nightly sweep sent nothing twice

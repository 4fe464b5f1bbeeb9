"""A Digitaal Doorstroomdossier's whole life with three people, each in their own browser (seed 001).

The student (portal account, no second factor) activates the DDD, starts a dossier, fills in every
step of deel A and sends it to the mentor of their class; the mentor (staff, password + TOTP) sends
it back, the student changes an answer and sends it again; the mentor fills in deel B (both parts)
and sends it to the student, who reads both parts, fills in the akkoordverklaring with the consent
of a parent (the student is 16) and agrees. The MBO the student applied to, which takes part in the
DDD, then sees the dossier with the warme-overdracht and contact flags, but never the BSN.

Every signaalmail is read from the captured outbox (delivered through the notifications outbox and
Celery's eager mode) and followed; no mail carries the student's name or BSN.
"""

from __future__ import annotations

import io
import random
import re
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from docx import Document
from playwright.sync_api import expect

from tests.factories import AanmeldingFactory, EnrolmentFactory, StudentAccountFactory, make_bsn
from vangnet.dossiers.models import (
    ClassMentor,
    Consent,
    Dossier,
    EventKind,
    Phase,
    StudentAccount,
)
from vangnet.dossiers.tests.helpers import pdf_text, years_ago

from .helpers import (
    KNOWN_KEY,
    PASSWORD,
    assert_accessible,
    download_pdf,
    give_device,
    new_page,
    sign_in,
    sign_in_student,
    submit,
    totp_code,
)

pytestmark = pytest.mark.browser

FIRST, LAST = "Sanne", "Bakker"
FULL_NAME = f"{FIRST} {LAST}"
CLASS = "4H"
STUDENT_EMAIL = "sanne.bakker@leerling.example.test"
MENTOR_FIRST, MENTOR_LAST = "Marieke", "Mentor"
PROGRAMME = "Verzorgende IG"
CHANGED_ANSWER = "Ik sport graag en ik help mijn opa in de tuin. (aangevuld)"
REMARK = "Mijn ouders en ik zijn het eens met het dossier."
GUARDIAN = "Petra Bakker"
STEPS_A = ["Over jezelf", "Schoolloopbaan", "LOB en keuzemotivatie", "Gekozen mbo-opleiding"]

SENT_BACK_STATUS = "Teruggestuurd naar jou: pas deel A aan waar nodig en stuur het opnieuw op."
SUBJECT_DEEL_A = "Vangnet: een leerling heeft deel A van een doorstroomdossier opgestuurd"
SUBJECT_SENT_BACK = "Vangnet: je doorstroomdossier is naar je teruggezet"
SUBJECT_AKKOORD = "Vangnet: vul de akkoordverklaring van je doorstroomdossier in"
SUBJECT_COMPLETED = "Vangnet: je doorstroomdossier is afgerond"


# --- Starting world -----------------------------------------------------------------------------


@pytest.fixture
def ddd_world(world) -> Any:
    """A 16-year-old student of the VO school with a portal account and a BSN (so "Activeer DDD"
    needs none), the mentor of their class, and an application at an MBO taking part in the DDD."""
    w = world
    w.mbo.takes_part_in_ddd = True
    w.mbo.save(update_fields=["takes_part_in_ddd"])
    w.mentor = w.users["vo_mentor"]
    w.mentor.first_name, w.mentor.last_name = MENTOR_FIRST, MENTOR_LAST
    w.mentor.save()
    w.mbo_user = w.users["mbo_gebruiker"]
    w.bsn = _distinctive_bsn()
    enrolment = EnrolmentFactory(
        organisation=w.vo,
        class_name=CLASS,
        school_year_level=4,
        youth__first_name=FIRST,
        youth__last_name=LAST,
        youth__birth_date=years_ago(16),
        youth__municipality=w.gem_a,
        youth__bsn=w.bsn,
    )
    w.youth = enrolment.youth
    w.student = StudentAccountFactory(
        youth=w.youth, user__email=STUDENT_EMAIL, user__first_name=FIRST, user__last_name=LAST
    ).user
    ClassMentor.objects.create(organisation=w.vo, class_name=CLASS, mentor=w.mentor)
    AanmeldingFactory(youth=w.youth, institution=w.mbo, programme=PROGRAMME, level="3")
    return w


@pytest.fixture
def pages(browser, live_server) -> Iterator[Any]:
    """Makes more browsers (own cookies), like `page`; all are closed at the end."""
    made: list[Any] = []

    def _new() -> Any:
        made.append(new_page(browser, live_server.url))
        return made[-1]

    try:
        yield _new
    finally:
        for pg in made:
            pg.context.close()


def _distinctive_bsn() -> str:
    """A BSN whose last four digits cannot pass for a year, a date or a count on the pages, so
    finding them means the BSN (or its masked form) leaked."""
    rng = random.Random(1)
    while True:
        bsn = make_bsn(rng)
        if bsn[-4] in "5678" and len(set(bsn[-4:])) == 4:
            return bsn


def _assert_no_bsn(page: Any, bsn: str, what: str) -> None:
    html = page.content()
    assert bsn not in html, f"{what} contains the BSN"
    assert f"*{bsn[-4:]}" not in html, f"{what} contains the masked BSN"
    visible = page.locator("body").inner_text()
    assert not re.search(rf"(?<!\d){bsn[-4:]}(?!\d)", visible), (
        f"{what} shows the BSN's last digits"
    )


# --- Small UI helpers ---------------------------------------------------------------------------


def _path(page: Any) -> str:
    return urlparse(page.url).path


def _click(page: Any, locator: Any) -> None:
    with page.expect_navigation():
        locator.click()


def _button(page: Any, name: str) -> Any:
    return page.locator("main").get_by_role("button", name=name, exact=True)


def _link(page: Any, name: str) -> Any:
    return page.locator("main").get_by_role("link", name=name, exact=True)


def _menu(page: Any, label: str) -> None:
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    _click(page, nav.get_by_role("link", name=label, exact=True))


def _flash(page: Any) -> str:
    return page.locator(".utrecht-alert--ok").inner_text()


def _h1(page: Any) -> str:
    return page.locator("main h1").first.inner_text().strip()


class Outbox:
    """The signaalmails, read one by one in the order they were sent."""

    def __init__(self) -> None:
        mail.outbox.clear()
        self.read = 0

    def next(self, to: str, subject: str) -> Any:
        deadline = time.monotonic() + 5
        while len(mail.outbox) <= self.read and time.monotonic() < deadline:
            time.sleep(0.05)  # delivered by the live server's thread when its transaction commits
        new = mail.outbox[self.read :]
        assert len(new) == 1, f"expected one new mail to {to}, got {[m.subject for m in new]}"
        self.read += 1
        message = new[0]
        assert message.to == [to] and message.subject == subject, (message.to, message.subject)
        return message

    def nothing_new(self) -> None:
        assert len(mail.outbox) == self.read, [m.subject for m in mail.outbox[self.read :]]


def _link_in(message: Any, path: str) -> str:
    """The one link in a signaalmail: on the public address, to `path`. Returns the path, which
    the browsers open on the live server."""
    links = re.findall(r"https?://\S+", message.body)
    assert len(links) == 1, f"the mail {message.subject!r} has links {links}"
    assert links[0] == f"{settings.VANGNET_PUBLIC_URL}{path}", links[0]
    return urlparse(links[0]).path


def _no_personal_data(message: Any, bsn: str) -> None:
    text = f"{message.subject}\n{message.body}"
    for secret in (FIRST, LAST, bsn, bsn[-4:]):
        assert secret not in text, f"the mail {message.subject!r} contains {secret!r}"


def _fill_form(form: Any, values: dict[str, str] | None = None) -> list[str]:
    """Answer every question of a step by its kind; `values` overrides text or a radio's value.
    Returns the names of the fields answered."""
    values = values or {}
    names: list[str] = []
    for field in form.locator("textarea").all():
        name = field.get_attribute("name")
        field.fill(values.get(name, f"Een antwoord op de vraag {name}."))
        names.append(name)
    for field in form.locator("input[type=text], input[type=email], input[type=tel]").all():
        name = field.get_attribute("name")
        default = {"email": STUDENT_EMAIL, "telefoon": "06 12345678"}.get(name, f"Antwoord {name}")
        field.fill(values.get(name, default))
        names.append(name)
    for field in form.locator("input[type=date]").all():
        name = field.get_attribute("name")
        field.fill(values.get(name, "2026-01-15"))
        names.append(name)
    for field in form.locator("select").all():
        options = [v for v in field.locator("option").evaluate_all("os => os.map(o => o.value)")]
        real = [v for v in options if v]
        field.select_option(values.get(field.get_attribute("name"), real[0]))
        names.append(field.get_attribute("name"))
    radio_names = form.locator("input[type=radio]").evaluate_all(
        "rs => [...new Set(rs.map(r => r.name))]"
    )
    for name in radio_names:
        wanted = values.get(name)
        radios = form.locator(f"input[type=radio][name='{name}']")
        radio = (
            radios.and_(form.locator(f"[value='{wanted}']"))
            if wanted
            else radios.and_(form.locator(":not([value=''])")).first
        )
        radio.check()
        names.append(name)
    checkbox_names = form.locator("input[type=checkbox]").evaluate_all(
        "cs => [...new Set(cs.map(c => c.name))]"
    )
    for name in checkbox_names:
        form.locator(f"input[type=checkbox][name='{name}']").first.check()
        names.append(name)
    form.page.keyboard.press("Tab")  # leave the last field, as a person does: its "change" fires
    return names


def _part_a_percentages(page: Any) -> dict[str, str]:
    nav = page.get_by_role("navigation", name="Stappen van deel A")
    return {
        s.get_attribute("data-step"): s.inner_text().strip()
        for s in nav.locator("[data-step]").all()
    }


def _counter(page: Any, phase: str) -> int:
    counters = page.get_by_role("list", name="Dossiers per fase")
    return int(counters.locator(f"a[data-phase='{phase}'] .vn-ddd-counter__number").inner_text())


# --- The life of one dossier --------------------------------------------------------------------


def test_ddd_whole_life_with_student_mentor_and_mbo(page, pages, ddd_world):
    w = ddd_world
    student_page, mentor_page, mbo_page = page, pages(), pages()
    mentor_name = f"{MENTOR_FIRST} {MENTOR_LAST}"
    outbox = Outbox()

    # 1. The student signs in (no second factor), activates the DDD and starts a new dossier.
    sign_in_student(student_page, STUDENT_EMAIL)
    assert FIRST in _h1(student_page)
    assert_accessible(student_page, "student portal home")
    block = student_page.get_by_test_id("block-ddd")
    _click(student_page, block.get_by_role("button", name="Activeer DDD", exact=True))
    assert _path(student_page) == "/leerling/ddd/"
    assert "Het Digitaal Doorstroomdossier is geactiveerd." in _flash(student_page)
    assert _h1(student_page) == "Mijn dossiers"
    assert "Je hebt nog geen dossiers." in student_page.locator("main table").inner_text()
    _click(student_page, _button(student_page, "Nieuw dossier"))
    dossier = Dossier.objects.get(youth=w.youth)
    assert _path(student_page) == f"/leerling/ddd/{dossier.pk}/deel-a/"
    assert "Je nieuwe dossier is gestart. Begin met deel A." in _flash(student_page)

    # 2. Deel A, step by step: every question answered through the form; the step's percentage
    #    goes from 0 % to 100 % (live while typing, and after saving).
    nav = student_page.get_by_role("navigation", name="Stappen van deel A")
    step_keys = nav.locator("[data-step]").evaluate_all("ss => ss.map(s => s.dataset.step)")
    titles = [t.strip() for t in nav.locator("a, button").all_inner_texts()]
    assert titles[: len(STEPS_A)] == STEPS_A and len(step_keys) == len(titles) >= 5
    assert set(_part_a_percentages(student_page).values()) == {"0%"}
    assert _button(student_page, "Opsturen").is_disabled()  # not before 100 %
    assert_accessible(student_page, "deel A, first step")
    for index, key in enumerate(step_keys):
        assert student_page.locator("main h2").first.inner_text().strip() == titles[index]
        assert _part_a_percentages(student_page)[key] == "0%"
        form = student_page.locator("main form.vn-form")
        answered = _fill_form(form)
        assert answered, f"step {key} has no questions"
        expect(nav.locator(f"[data-step='{key}']")).to_have_text("100%")  # the live percentage
        last = index == len(step_keys) - 1
        _click(student_page, _button(student_page, "Opslaan" if last else "Opslaan en volgende"))
        assert "Je antwoorden zijn opgeslagen." in _flash(student_page)
        assert _part_a_percentages(student_page)[key] == "100%"
        expected_next = step_keys[index if last else index + 1]
        assert _path(student_page) == f"/leerling/ddd/{dossier.pk}/deel-a/{expected_next}/"
    assert set(_part_a_percentages(student_page).values()) == {"100%"}
    assert not student_page.locator("#send-why").count()

    # 3. "Opsturen": the student chooses the mentor of their class; the mentor gets a mail.
    _click(student_page, _link(student_page, "Opsturen"))
    assert _h1(student_page) == "Deel A opsturen"
    recipient = student_page.get_by_label("Opsturen naar")
    assert f"{mentor_name} (mentor)" in recipient.locator("option").all_inner_texts()
    assert recipient.input_value() == ""  # nobody chosen for the student the first time
    recipient.select_option(label=f"{mentor_name} (mentor)")
    _click(student_page, _button(student_page, "Opsturen"))
    assert _path(student_page) == "/leerling/ddd/"
    assert f"Deel A is opgestuurd naar {mentor_name}." in _flash(student_page)
    assert_accessible(student_page, "Mijn dossiers with a sent dossier")

    signal = outbox.next(w.mentor.email, SUBJECT_DEEL_A)
    assert f"Beste {MENTOR_FIRST}," in signal.body and "Lyceum Aastad" in signal.body
    _no_personal_data(signal, w.bsn)

    # 4. The mentor follows the mail's link: signs in (password and code) and lands on the
    #    dossier overview; the DDD dashboard counts one dossier in deel B.
    mentor_page.goto(_link_in(signal, "/ddd/dossiers/"))
    assert _path(mentor_page) == "/account/login/", mentor_page.url
    give_device(w.mentor)
    mentor_page.fill("input[name='auth-username']", w.mentor.email)
    mentor_page.fill("input[name='auth-password']", PASSWORD)
    submit(mentor_page)
    mentor_page.fill("input[name='token-otp_token']", totp_code(KNOWN_KEY))
    submit(mentor_page)
    assert _path(mentor_page) == "/ddd/dossiers/", mentor_page.url
    assert mentor_page.locator(f"main tr[data-dossier='{dossier.pk}']").count() == 1
    _menu(mentor_page, "Doorstroomdossier")
    assert _path(mentor_page) == "/ddd/"
    assert _counter(mentor_page, "deel_b") == 1
    assert _counter(mentor_page, "akkoordverklaring") == 0
    assert_accessible(mentor_page, "DDD dashboard")
    _click(mentor_page, mentor_page.locator("a[data-phase='deel_b']"))
    assert _h1(mentor_page) == "Dossiers in deel B"
    row = mentor_page.locator(f"main tr[data-dossier='{dossier.pk}']")
    assert FULL_NAME in row.inner_text() and CLASS in row.inner_text()

    # 5. The mentor looks at the verloop, opens the dossier (deel B not started yet), reads deel A
    #    and chooses "Terugzetten naar leerling" with a note; the student gets a mail.
    assert row.get_by_role("button", name=f"Start deel B {FULL_NAME}").count() == 1
    _click(mentor_page, row.get_by_role("link", name=f"Verloop {FULL_NAME}"))
    assert _h1(mentor_page) == "Verloop van het dossier"
    assert "Deel A opgestuurd" in mentor_page.locator("main table").inner_text()
    _click(mentor_page, _link(mentor_page, "Dossier openen"))
    assert _path(mentor_page) == f"/ddd/dossiers/{dossier.pk}/"
    assert _button(mentor_page, "Start deel B").count() == 1
    deel_a = mentor_page.locator("details.vn-ddd-deel-a")
    deel_a.locator("summary").click()  # "Deel A (ingevuld door de leerling)" unfolds
    assert STUDENT_EMAIL in deel_a.inner_text()
    _click(mentor_page, _link(mentor_page, "Terugzetten naar leerling"))
    assert _h1(mentor_page) == "Terugzetten naar leerling"
    mentor_page.get_by_label("Toelichting voor de leerling (niet verplicht)").fill(
        "Vertel iets meer over je hobby's."
    )
    _click(mentor_page, _button(mentor_page, "Terugzetten naar leerling"))
    assert "Het dossier is teruggezet naar de leerling." in _flash(mentor_page)

    back = outbox.next(STUDENT_EMAIL, SUBJECT_SENT_BACK)
    _no_personal_data(back, w.bsn)
    assert "Er staat een opmerking van je mentor voor je klaar" in back.body
    assert "hobby" not in back.body  # the note itself stays in Vangnet

    # 6. Second round: the mail's link leads the student to Mijn dossiers; they change an answer
    #    of deel A and send it again.
    student_page.goto(_link_in(back, "/leerling/ddd/"))
    assert _h1(student_page) == "Mijn dossiers"
    student_row = student_page.locator("main tbody tr").first
    assert SENT_BACK_STATUS in student_row.inner_text()
    assert "Vertel iets meer over je hobby's." in student_row.inner_text()  # the mentor's note
    _click(student_page, student_row.get_by_role("link", name="Verder invullen"))
    assert _part_a_percentages(student_page)[step_keys[0]] == "100%"
    over_mij = student_page.get_by_label("Vertel iets over jezelf", exact=False)
    over_mij.fill(CHANGED_ANSWER)
    _click(student_page, _button(student_page, "Opslaan"))
    assert "Je antwoorden zijn opgeslagen." in _flash(student_page)
    assert student_page.get_by_label("Vertel iets over jezelf", exact=False).input_value() == (
        CHANGED_ANSWER
    )
    _click(student_page, _link(student_page, "Opsturen"))
    # After terugzetten the mentor it went to is chosen already.
    assert student_page.get_by_label("Opsturen naar").input_value() == str(w.mentor.pk)
    _click(student_page, _button(student_page, "Opsturen"))
    assert f"Deel A is opgestuurd naar {mentor_name}." in _flash(student_page)

    again = outbox.next(w.mentor.email, SUBJECT_DEEL_A)
    _no_personal_data(again, w.bsn)
    mentor_page.goto(_link_in(again, "/ddd/dossiers/"))  # signed in already
    row = mentor_page.locator(f"main tr[data-dossier='{dossier.pk}']")
    assert "Deel B (mentor)" in row.inner_text()

    # 7. The mentor starts deel B and fills in both parts to 100 %, including "OPP en nader
    #    contact".
    _menu(mentor_page, "Doorstroomdossier")
    assert _counter(mentor_page, "deel_b") == 1
    _click(mentor_page, mentor_page.locator("a[data-phase='deel_b']"))
    row = mentor_page.locator(f"main tr[data-dossier='{dossier.pk}']")
    _click(mentor_page, row.get_by_role("button", name=f"Start deel B {FULL_NAME}"))
    assert _path(mentor_page) == f"/ddd/dossiers/{dossier.pk}/"
    assert "Deel B is gestart." in _flash(mentor_page)
    deel_a = mentor_page.locator("details.vn-ddd-deel-a")
    deel_a.locator("summary").click()  # "Deel A (ingevuld door de leerling)" unfolds
    deel_a_text = deel_a.inner_text()
    assert CHANGED_ANSWER in deel_a_text  # the second round's answer
    steps_b = mentor_page.get_by_role("navigation", name="Stappen van deel B")
    b_keys = steps_b.locator("[data-step]").evaluate_all("ss => ss.map(s => s.dataset.step)")
    assert len(b_keys) >= 3 and "ondersteuning" in b_keys
    for index, key in enumerate(b_keys):
        assert mentor_page.locator("#vn-ddd-step-title").inner_text().strip()
        form = mentor_page.locator("main form.vn-form:has(input[name=stap])")
        overrides = {"warme_overdracht": "ja", "contact_mbo_gewenst": "ja", "opp": "nee"}
        answered = _fill_form(form, overrides)
        if key == "ondersteuning":
            assert {"warme_overdracht", "contact_mbo_gewenst"} <= set(answered)
            assert "zichtbaar voor het mbo" in mentor_page.locator("main").inner_text()
        _click(mentor_page, _button(mentor_page, "Opslaan en volgende"))
        assert "Je antwoorden zijn opgeslagen." in _flash(mentor_page)
        steps_b = mentor_page.get_by_role("navigation", name="Stappen van deel B")
        assert steps_b.locator(f"[data-step='{key}']").inner_text().strip() == "100%"
        if index < len(b_keys) - 1:
            assert f"stap={b_keys[index + 1]}" in mentor_page.url
    for part in ("b_leerling", "b_dossier"):
        assert steps_b.locator(f"[data-part='{part}']").inner_text().strip() == "100%"
    assert _button(mentor_page, "Opsturen naar leerling").is_enabled()
    assert_accessible(mentor_page, "deel B filled in")

    # The mentor downloads deel A as PDF, then sends the dossier to the student.
    name, _pdf = download_pdf(mentor_page, _link(mentor_page, "Deel A (pdf)"))
    assert name == f"doorstroomdossier-{dossier.pk}-deel-a.pdf"  # no name of the student
    _click(mentor_page, _button(mentor_page, "Opsturen naar leerling"))
    assert "Het dossier is naar de leerling gestuurd voor de akkoordverklaring." in _flash(
        mentor_page
    )
    _menu(mentor_page, "Doorstroomdossier")
    assert _counter(mentor_page, "deel_b") == 0
    assert _counter(mentor_page, "akkoordverklaring") == 1

    akkoord = outbox.next(STUDENT_EMAIL, SUBJECT_AKKOORD)
    _no_personal_data(akkoord, w.bsn)

    # 8. The student reads deel A and deel B (also as PDF) and fills in the akkoordverklaring with
    #    the consent of a parent; "Akkoord" completes the dossier.
    student_page.goto(_link_in(akkoord, "/leerling/ddd/"))
    assert _h1(student_page) == "Mijn dossiers"
    _click(student_page, _link(student_page, "Start de akkoordverklaring"))
    assert _h1(student_page) == "Akkoordverklaring"
    box = _button(student_page, "Akkoord").bounding_box()  # seen without scrolling (issue 8)
    assert box is not None and box["y"] + box["height"] <= 900, box
    consent_text = student_page.locator("main").inner_text()
    assert CHANGED_ANSWER in consent_text and "Beeld van de leerling" in consent_text
    for part in ("A", "B"):
        name, _pdf = download_pdf(student_page, _link(student_page, f"Deel {part} (pdf)"))
        assert name == f"doorstroomdossier-{dossier.pk}-deel-{part.lower()}.pdf"
    assert "jonger dan 18" in consent_text
    student_page.get_by_label("Naam van ouder of verzorger").fill(GUARDIAN)
    relation = student_page.get_by_label("Relatie tot jou")
    relation.select_option(index=1)
    student_page.get_by_label("Datum van hun toestemming").fill(timezone.localdate().isoformat())
    student_page.get_by_label("Opmerkingen").fill(REMARK)
    assert_accessible(student_page, "akkoordverklaring")
    _click(student_page, _button(student_page, "Akkoord"))
    assert "Dank je. Je dossier is afgerond; je ontvangt het als pdf per e-mail." in _flash(
        student_page
    )
    assert _path(student_page) == f"/leerling/ddd/{dossier.pk}/"
    detail = student_page.locator("main").inner_text()
    assert "Afgerond" in detail and GUARDIAN in detail and REMARK in detail
    assert_accessible(student_page, "completed dossier")

    done = outbox.next(STUDENT_EMAIL, SUBJECT_COMPLETED)
    _no_personal_data(done, w.bsn)
    assert len(done.attachments) == 1
    name, content, mimetype = done.attachments[0]
    assert name == f"doorstroomdossier-{dossier.pk}-volledig.pdf" and mimetype == "application/pdf"
    assert bytes(content).startswith(b"%PDF-")

    # The mail's link leads to "Mijn dossiers", which offers "Print": the whole dossier as PDF.
    student_page.goto(_link_in(done, "/leerling/ddd/"))
    student_row = student_page.locator("main tbody tr").first
    assert "Afgerond" in student_row.inner_text()
    name, _pdf = download_pdf(student_page, student_row.get_by_role("link", name="Print (PDF)"))
    assert name == f"doorstroomdossier-{dossier.pk}-volledig.pdf"

    # 9. The mentor's verloop lists the events of both rounds.
    _menu(mentor_page, "Dossiers")
    row = mentor_page.locator(f"main tr[data-dossier='{dossier.pk}']")
    _click(mentor_page, row.get_by_role("link", name=f"Verloop {FULL_NAME}"))
    assert _h1(mentor_page) == "Verloop van het dossier"
    events = [
        [c.strip() for c in r.locator("td").all_inner_texts()]
        for r in mentor_page.locator("main tbody tr").all()
    ]
    kinds = [e[1] for e in events]
    with translation.override("nl"):
        expected = {
            str(EventKind.STARTED.label): 1,
            str(EventKind.DEEL_A_SENT.label): 2,
            str(EventKind.DEEL_B_STARTED.label): 1,
            str(EventKind.SENT_BACK.label): 1,
            str(EventKind.SENT_TO_STUDENT.label): 1,
            str(EventKind.CONSENT_GIVEN.label): 1,
            str(EventKind.COMPLETED.label): 1,
        }
        saved = str(EventKind.ANSWERS_SAVED.label)
    for kind, count in expected.items():
        assert kinds.count(kind) == count, (kind, kinds)
    assert saved not in kinds
    assert any(e[2] == "De leerling" for e in events) and any(e[2] == mentor_name for e in events)
    assert any("hobby" in e[5] for e in events)  # the note of "terugzetten"
    assert_accessible(mentor_page, "verloop")

    # 10. The MBO sees the completed dossier with the flags, the answers, never the BSN.
    sign_in(mbo_page, w.mbo_user)
    _menu(mbo_page, "Doorstroomdossiers")
    assert _path(mbo_page) == "/mbo/ddd/"
    mbo_row = mbo_page.locator("main tbody tr").filter(has_text=FULL_NAME)
    assert mbo_row.count() == 1
    cells = [c.strip() for c in mbo_row.locator("td").all_inner_texts()]
    assert cells[1] == "Lyceum Aastad" and cells[3] == PROGRAMME
    assert cells[4] == "Ja" and cells[5] == "Ja"  # warme overdracht, contact gewenst
    assert_accessible(mbo_page, "MBO: doorstroomdossiers")
    _assert_no_bsn(mbo_page, w.bsn, "the MBO's list")
    _click(mbo_page, mbo_row.get_by_role("link", name=FULL_NAME, exact=True))
    assert _h1(mbo_page) == f"Doorstroomdossier van {FULL_NAME}"
    highlights = mbo_page.locator(".vn-dossier-highlights .vn-answers__row")
    flags = {
        row.locator("dt").inner_text().strip(): row.locator("dd").inner_text().strip()
        for row in highlights.all()
    }
    assert flags["Is er sprake van een warme overdracht van een zorgdossier?"] == "Ja", flags
    assert flags["Is er behoefte aan contact met het mbo over deze leerling?"] == "Ja", flags
    assert flags["Heeft de leerling een ontwikkelingsperspectiefplan (OPP)?"] == "Nee", flags
    text = mbo_page.locator("main").inner_text()
    assert CHANGED_ANSWER in text and REMARK in text and GUARDIAN in text
    _assert_no_bsn(mbo_page, w.bsn, "the MBO's dossier page")
    assert_accessible(mbo_page, "MBO: one dossier")
    name, content = download_pdf(mbo_page, _link(mbo_page, "PDF downloaden"))
    assert name == f"doorstroomdossier-{dossier.pk}-volledig.pdf"
    pdf = pdf_text(content)  # the real document: the answers, the MBO, the mentor's address
    assert CHANGED_ANSWER in pdf and REMARK in pdf and PROGRAMME in pdf and w.mentor.email in pdf
    assert w.bsn not in pdf

    # The end state.
    dossier.refresh_from_db()
    assert dossier.phase == Phase.AFGEROND and dossier.mentor_id == w.mentor.pk
    consent = Consent.objects.get(dossier=dossier)
    assert (consent.given_by_id, consent.guardian_name, consent.remark) == (
        w.student.pk,
        GUARDIAN,
        REMARK,
    )
    outbox.nothing_new()


# --- Alle leerlingen → Accountgegevens: the three buttons ---------------------------------------


ACCOUNTS_CLASS = "4K"
ACCOUNTS_EMAIL = "ruben.smit@leerling.example.test"
ACTIVATE_PATH = "/leerling/activeren/"


def _accounts_page(page: Any) -> None:
    """From "Alle leerlingen" to "Accountgegevens", class ACCOUNTS_CLASS chosen."""
    page.goto("/ddd/leerlingen/")
    _click(page, _link(page, "Accountgegevens"))
    assert _path(page) == "/ddd/accounts/"
    page.get_by_label("Een klas").check()
    page.get_by_label("Klas", exact=True).select_option(ACCOUNTS_CLASS)


def test_account_details_each_button_sends_or_prints(page, world):
    """Issue 8: "Mail opstellen", "Mail met accountgegevens" and "Print accountgegevens" each do
    what they say (they submitted an empty action before)."""
    decaan = world.users["vo_decaan"]
    EnrolmentFactory(
        organisation=world.vo,
        class_name=ACCOUNTS_CLASS,
        student_number="K4-0042",
        student_email=ACCOUNTS_EMAIL,
        youth__first_name="Ruben",
        youth__last_name="Smit",
    )
    outbox = Outbox()
    sign_in(page, decaan)

    # 1. Mail opstellen: the decaan's own subject and text, placeholders filled per student.
    _accounts_page(page)
    page.get_by_label("Onderwerp").fill("Je account voor het doorstroomdossier")
    page.get_by_label("Tekst").fill("Hoi {voornaam}, activeer je account:\n{activatielink}\n")
    _click(page, _button(page, "Mail opstellen"))
    assert "Kies hoe je de instructies wilt versturen" not in page.locator("main").inner_text()
    assert "1 e-mail" in _flash(page)
    own = outbox.next(ACCOUNTS_EMAIL, "Je account voor het doorstroomdossier")
    assert own.body.startswith("Hoi Ruben, activeer je account:")
    page.goto(_link_in(own, reverse("students:activate")))
    assert _path(page) == reverse("students:activate") and page.locator("main form").count()

    # 2. Mail met accountgegevens: the standard instructions, with the student number.
    _accounts_page(page)
    _click(page, _button(page, "Mail met accountgegevens"))
    assert "1 e-mail" in _flash(page)
    standard = outbox.next(ACCOUNTS_EMAIL, "Activeer je account in het leerlingenportaal")
    assert "K4-0042" in standard.body
    links = re.findall(r"https?://\S+", standard.body)
    assert links and links[0].rstrip(",.") == f"{settings.VANGNET_PUBLIC_URL}{ACTIVATE_PATH}"
    page.goto(urlparse(links[0].rstrip(",.")).path)
    assert _path(page) == ACTIVATE_PATH

    # 3. Print accountgegevens: a Word document with one page per student.
    _accounts_page(page)
    with page.expect_download() as info:
        _button(page, "Print accountgegevens").click()
    item = info.value
    assert item.suggested_filename.startswith("accountgegevens-")
    assert item.suggested_filename.endswith(".docx")
    with open(item.path(), "rb") as handle:
        document = Document(io.BytesIO(handle.read()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Ruben Smit" in text and ACCOUNTS_CLASS in text and "K4-0042" in text
    assert "Activeer je account in het leerlingenportaal" in text
    outbox.nothing_new()


# --- Deel A: what the student types is kept when they open another step ------------------------


def test_typed_deel_a_answers_survive_opening_another_step(page, ddd_world):
    """Issue 8: answers typed in a step were lost when the student clicked another step in the
    list. Opening a step from the list saves the step first, without pressing Opslaan."""
    w = ddd_world
    StudentAccount.objects.filter(user=w.student).update(ddd_activated_at=timezone.now())
    sign_in_student(page, STUDENT_EMAIL)
    page.goto("/leerling/ddd/")
    _click(page, _button(page, "Nieuw dossier"))
    dossier = Dossier.objects.get(youth=w.youth)
    nav = page.get_by_role("navigation", name="Stappen van deel A")
    typed = "Ik werk op zaterdag bij de fietsenmaker."
    page.get_by_label("Vertel iets over jezelf", exact=False).fill(typed)
    # Straight to the next step in the list, without Opslaan.
    _click(page, nav.get_by_role("button", name=STEPS_A[1], exact=True))
    assert page.locator("main h2").first.inner_text().strip() == STEPS_A[1]
    _click(page, nav.get_by_role("button", name=STEPS_A[0], exact=True))
    assert page.get_by_label("Vertel iets over jezelf", exact=False).input_value() == typed
    assert dossier.answers.filter(value=typed).exists()


def test_all_students_shows_email_and_activation_and_sends_again(page, world):
    """Issue 8: the decaan sees who has no e-mail and who activated, and sends the instructions
    again to one student."""
    decaan = world.users["vo_decaan"]
    EnrolmentFactory(
        organisation=world.vo,
        class_name=ACCOUNTS_CLASS,
        student_number="K4-0042",
        student_email=ACCOUNTS_EMAIL,
        youth__first_name="Ruben",
        youth__last_name="Smit",
    )
    EnrolmentFactory(
        organisation=world.vo,
        class_name=ACCOUNTS_CLASS,
        student_email="",
        youth__first_name="Zonder",
        youth__last_name="Adres",
    )
    outbox = Outbox()
    sign_in(page, decaan)
    page.goto("/ddd/leerlingen/")
    headers = page.locator("main thead th").all_inner_texts()
    assert "E-mail bekend" in headers and "Geactiveerd" in headers
    ruben = page.locator("main tbody tr").filter(has_text="Ruben Smit")
    zonder = page.locator("main tbody tr").filter(has_text="Zonder Adres")
    assert ruben.locator("[data-column=email]").inner_text().strip() == "Ja"
    assert zonder.locator("[data-column=email]").inner_text().strip() == "Nee"
    assert zonder.get_by_role("link", name="Opnieuw versturen Zonder Adres").count() == 0
    _click(page, ruben.get_by_role("link", name="Opnieuw versturen Ruben Smit"))
    assert _h1(page) == "Instructies opnieuw versturen"
    _click(page, _button(page, "Opnieuw versturen"))
    assert _path(page) == "/ddd/leerlingen/"
    assert "De instructies zijn opnieuw verstuurd." in _flash(page)
    again = outbox.next(ACCOUNTS_EMAIL, "Activeer je account in het leerlingenportaal")
    assert "K4-0042" in again.body
    outbox.nothing_new()

"""Alle leerlingen → Accountgegevens: the decaan sends or prints the account instructions."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils.html import escape

from conftest import login_verified
from tests.factories import StudentAccountFactory, UserFactory
from vangnet.accounts.models import Role
from vangnet.audit.models import AuditAction, AuditEvent
from vangnet.notifications.models import OutboxMessage

from .helpers import enrol, form_token

pytestmark = pytest.mark.django_db

URL = "/ddd/accounts/"
SUGGEST = "/ddd/accounts/leerlingen-zoeken/"


@pytest.fixture
def decaan(client, world):
    login_verified(client, world.users["vo_decaan"])
    return world.users["vo_decaan"]


@pytest.fixture
def school(world):
    """Class 4A (year 4): three students, one without e-mail; class 3B (year 3): two students."""
    s = {
        "anna": enrol(world.vo, class_name="4A", school_year_level=4, youth__first_name="Annabel"),
        "bram": enrol(world.vo, class_name="4A", school_year_level=4, youth__first_name="Bram"),
        "cas": enrol(
            world.vo,
            class_name="4A",
            school_year_level=4,
            student_email="",
            youth__first_name="Cas",
        ),
        "dewi": enrol(world.vo, class_name="3B", school_year_level=3, youth__first_name="Dewi"),
        "anouk": enrol(world.vo, class_name="3B", school_year_level=3, youth__first_name="Anouk"),
    }
    gone = enrol(world.vo, class_name="4A", school_year_level=4, youth__first_name="Anton")
    gone.unenrolled_on = dt.date(2024, 1, 31)
    gone.unenrolment_processed = True
    gone.save()
    s["gone"] = gone
    s["elsewhere"] = enrol(
        world.pro, class_name="4A", school_year_level=4, youth__first_name="Annemarie"
    )
    return s


def _send(client, data):
    return client.post(URL, {"system": "ddd", **data, "form_token": form_token(client, URL)})


def test_the_url_is_named():
    assert reverse("student_accounts:instructions") == URL
    assert reverse("student_accounts:suggest") == SUGGEST


def test_only_a_decaan_may_open_it(client, world):
    assert client.get(URL)["Location"].startswith(reverse("two_factor:login"))
    login_verified(client, world.users["vo_mentor"])
    assert client.get(URL).status_code == 403
    login_verified(client, world.users["mbo_gebruiker"])
    assert client.get(URL).status_code == 403
    assert client.get(SUGGEST, {"student_name": "an"}).status_code == 403


def test_the_page_offers_the_schools_years_and_classes(client, decaan, school):
    body = client.get(URL).content.decode()
    assert "Digitaal Doorstroomdossier" in body
    assert '<option value="4">4</option>' in body
    assert '<option value="3B">3B</option>' in body
    for label in ("Mail opstellen", "Mail met accountgegevens", "Print accountgegevens"):
        assert label in body


def test_the_standard_mail_goes_to_a_class(client, decaan, school):
    response = _send(client, {"target": "klas", "class_name": "4A", "action": "standaard"})
    assert response.status_code == 302
    recipients = set(OutboxMessage.objects.values_list("to", flat=True))
    assert recipients == {school["anna"].student_email, school["bram"].student_email}
    message = OutboxMessage.objects.get(to=school["anna"].student_email)
    assert school["anna"].student_number in message.body
    assert (
        "http://127.0.0.1:8000/leerling/activeren/" in message.body
        or "/leerling/activeren/" in message.body
    )
    page = client.get(URL).content.decode()
    assert "2 e-mail(s) klaargezet" in page
    assert "1 leerling(en) zonder e-mailadres" in page
    events = AuditEvent.objects.filter(description="student account instructions mailed")
    assert {e.youth_id for e in events} == {school["anna"].youth_id, school["bram"].youth_id}


def test_the_standard_mail_goes_to_a_year(client, decaan, school):
    _send(client, {"target": "leerjaar", "level": "3", "action": "standaard"})
    assert set(OutboxMessage.objects.values_list("to", flat=True)) == {
        school["dewi"].student_email,
        school["anouk"].student_email,
    }


def test_a_student_with_an_account_is_told_to_use_it(client, decaan, school):
    StudentAccountFactory(youth=school["anna"].youth)
    _send(client, {"target": "klas", "class_name": "4A", "action": "standaard"})
    assert "vorig schooljaar" in OutboxMessage.objects.get(to=school["anna"].student_email).body
    assert "vorig schooljaar" not in OutboxMessage.objects.get(to=school["bram"].student_email).body


def test_a_composed_mail_fills_the_placeholders_per_student(client, decaan, school, world):
    _send(
        client,
        {
            "target": "leerling",
            "student": school["bram"].pk,
            "action": "opstellen",
            "subject": "Account voor {voornaam}",
            "body": "Hoi {voornaam}, nummer {leerlingnummer} bij {school}: {activatielink}",
        },
    )
    message = OutboxMessage.objects.get()
    assert message.to == school["bram"].student_email
    assert message.subject == "Account voor Bram"
    assert f"nummer {school['bram'].student_number} bij {world.vo.name}:" in message.body
    assert message.body.endswith("/leerling/activeren/")


def test_an_unknown_placeholder_is_refused_and_nothing_is_sent(client, decaan, school):
    response = _send(
        client,
        {
            "target": "klas",
            "class_name": "4A",
            "action": "opstellen",
            "subject": "Hallo",
            "body": "Hoi {voornaam}, je BSN is {bsn} {voornaam.__class__}",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Onbekend invulveld" in body
    assert escape("{bsn}") in body or "{bsn}" in body
    assert not OutboxMessage.objects.exists()


def test_a_composed_mail_needs_subject_and_text(client, decaan, school):
    response = _send(client, {"target": "klas", "class_name": "4A", "action": "opstellen"})
    assert response.status_code == 200
    assert "Vul een onderwerp in" in response.content.decode()
    assert not OutboxMessage.objects.exists()


def test_a_target_without_choice_gives_a_dutch_message(client, decaan, school):
    response = _send(client, {"target": "klas", "class_name": "", "action": "standaard"})
    assert "Kies een klas" in response.content.decode()
    response = _send(client, {"target": "leerling", "action": "standaard"})
    assert "kies een leerling" in response.content.decode()
    response = _send(client, {"target": "klas", "class_name": "9Z", "action": "standaard"})
    assert response.status_code == 200
    response = _send(client, {"target": "klas", "class_name": "4A", "action": "verwijderen"})
    assert "Kies hoe je de instructies" in response.content.decode()
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize("which", ["elsewhere", "gone"])
def test_a_student_of_another_school_or_who_left_is_refused(client, decaan, school, which):
    response = _send(
        client, {"target": "leerling", "student": school[which].pk, "action": "standaard"}
    )
    assert response.status_code == 200
    assert "kies een leerling van je school" in response.content.decode()
    assert not OutboxMessage.objects.exists()


def test_a_double_submit_sends_once(client, decaan, school):
    token = form_token(client, URL)
    data = {"system": "ddd", "target": "klas", "class_name": "4A", "action": "standaard"}
    client.post(URL, {**data, "form_token": token})
    client.post(URL, {**data, "form_token": token})
    assert OutboxMessage.objects.count() == 2


def test_typing_part_of_a_first_name_suggests_own_current_students(client, decaan, school):
    response = client.get(SUGGEST, {"student_name": "an"})
    body = response.content.decode()
    assert escape(school["anna"].youth.full_name) in body
    assert escape(school["anouk"].youth.full_name) in body
    assert f'value="{school["anna"].pk}"' in body
    assert "Annemarie" not in body  # another school
    assert "Anton" not in body  # unenrolled
    assert "Bram" not in body
    assert AuditEvent.objects.filter(action=AuditAction.SEARCH).count() == 1


def test_suggestions_need_two_letters_and_stop_at_ten(
    client, decaan, world, django_assert_max_num_queries
):
    for _ in range(12):
        enrol(world.vo, youth__first_name="Sam")
    assert "Sam" not in client.get(SUGGEST, {"student_name": "s"}).content.decode()
    with django_assert_max_num_queries(12):
        body = client.get(SUGGEST, {"student_name": "sa"}).content.decode()
    assert body.count('type="radio"') == 10


def test_print_gives_a_word_document_with_one_page_per_student(client, decaan, school):
    from docx import Document
    from docx.oxml.ns import qn

    response = _send(client, {"target": "klas", "class_name": "4A", "action": "printen"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert "attachment" in response["Content-Disposition"]
    document = Document(io.BytesIO(response.content))
    breaks = [br for br in document.element.body.iter(qn("w:br")) if br.get(qn("w:type")) == "page"]
    assert len(breaks) == 2  # three students (also the one without e-mail), three pages
    text = "\n".join(p.text for p in document.paragraphs)
    for key in ("anna", "bram", "cas"):
        assert school[key].student_number in text
    assert "Anton" not in text
    events = AuditEvent.objects.filter(
        action=AuditAction.EXPORT, description="student account details printed"
    )
    assert events.count() == 3
    assert events.first().detail == {"students": 3}
    assert not OutboxMessage.objects.exists()


def test_the_number_of_queries_does_not_grow_with_the_class(
    client, decaan, world, django_assert_max_num_queries
):
    for _ in range(3):
        enrol(world.vo, class_name="5C", school_year_level=5)
    with django_assert_max_num_queries(25) as small:
        _send(client, {"target": "klas", "class_name": "5C", "action": "printen"})
    for _ in range(30):
        enrol(world.vo, class_name="5C", school_year_level=5)
    with django_assert_max_num_queries(len(small.captured_queries)):
        _send(client, {"target": "klas", "class_name": "5C", "action": "printen"})


def test_a_decaan_of_another_school_sees_only_their_students(client, world, school):
    other = UserFactory(organisation=world.pro, roles=[Role.DEAN])
    login_verified(client, other)
    _send(client, {"target": "klas", "class_name": "4A", "action": "standaard"})
    assert list(OutboxMessage.objects.values_list("to", flat=True)) == [
        school["elsewhere"].student_email
    ]


def test_each_button_on_the_page_carries_its_action(client, decaan, school):
    """The buttons used to render value="" (the template called the enum class)."""
    body = client.get(URL).content.decode()
    for value in ("opstellen", "standaard", "printen"):
        assert f'name="action" value="{value}"' in body
    assert 'name="action" value=""' not in body


def test_a_student_without_e_mail_is_not_told_to_wait_for_one(client, decaan, school):
    """Issue 8: the printed instructions told a student without e-mail to wait for a mail."""
    from docx import Document

    response = _send(client, {"target": "klas", "class_name": "4A", "action": "printen"})
    document = Document(io.BytesIO(response.content))
    pages = "\n".join(p.text for p in document.paragraphs).split("Beste ")
    cas = next(page for page in pages if page.startswith("Cas"))
    anna = next(page for page in pages if page.startswith("Annabel"))
    assert "ontvang je een e-mail" not in cas and "geen e-mailadres" in cas
    assert "geen e-mailadres" not in anna


def test_all_students_shows_email_and_activation_and_resends(client, decaan, school):
    """Issue 8: the decaan could not see who has no e-mail or who activated, nor send again."""
    from django.contrib.auth.hashers import make_password

    activated = StudentAccountFactory(youth=school["bram"].youth)
    activated.user.password = make_password("geheim-wachtwoord-123")
    activated.user.save()
    page = client.get("/ddd/leerlingen/", {"klas": "4A"})
    html = page.content.decode()
    assert "E-mail bekend" in html and "Geactiveerd" in html
    rows = {e.youth_id: e for e in [r["e"] for r in page.context["rows"]]}
    assert (
        rows[school["anna"].youth_id].email_known and not rows[school["cas"].youth_id].email_known
    )
    assert rows[school["bram"].youth_id].activated and not rows[school["anna"].youth_id].activated
    resend = f"{URL}{school['anna'].pk}/opnieuw-versturen/"
    assert resend in html
    assert f"{URL}{school['cas'].pk}/opnieuw-versturen/" not in html  # no address to send to
    assert client.get(resend).status_code == 200
    assert not OutboxMessage.objects.exists()
    response = client.post(resend, {"form_token": form_token(client, resend)})
    assert response["Location"] == "/ddd/leerlingen/"
    (mail,) = OutboxMessage.objects.all()
    assert mail.to == school["anna"].student_email and school["anna"].student_number in mail.body
    # Another school's student: 404, nothing sent.
    assert client.get(f"{URL}{school['elsewhere'].pk}/opnieuw-versturen/").status_code == 404

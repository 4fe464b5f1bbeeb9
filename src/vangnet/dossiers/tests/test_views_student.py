"""The student's DDD screens: Mijn dossiers, Nieuw dossier, deel A, opsturen, akkoordverklaring,
Wijzigen, heractiveren, the MBO application and the PDFs, through the views."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from conftest import login_verified
from tests.factories import AanmeldingFactory, OrganisationFactory
from vangnet.audit.models import AuditAction, AuditEvent
from vangnet.core.forms import FIELD, new_form_token
from vangnet.dossiers import selectors, services
from vangnet.dossiers.models import (
    Answer,
    ClassMentor,
    Consent,
    Dossier,
    Part,
    Phase,
    StudentAccount,
)
from vangnet.notifications.models import OutboxMessage
from vangnet.organisations.models import OrganisationKind

from .helpers import (
    answers_for,
    fill,
    make_student,
    pdf_font_families,
    pdf_text,
    walk_to,
    years_ago,
)

pytestmark = pytest.mark.django_db


def activated(student):
    StudentAccount.objects.filter(user=student.user).update(ddd_activated_at=timezone.now())
    return student


@pytest.fixture
def student(world):
    return activated(make_student(world.vo, first_name="Noor", last_name="Testleerling"))


@pytest.fixture
def adult(world):
    return activated(make_student(world.vo, birth_date=years_ago(19)))


@pytest.fixture
def mentor(world, student):
    """The mentor of the student's class (the klaskoppeling lets the student choose them)."""
    user = world.users["vo_mentor"]
    ClassMentor.objects.get_or_create(
        organisation=world.vo, class_name=student.enrolment.class_name, mentor=user
    )
    return user


@pytest.fixture
def as_student(client, student):
    client.force_login(student.user)
    return client


def post(client, url, data=None, **kwargs):
    return client.post(url, {FIELD: new_form_token(), **(data or {})}, **kwargs)


def url(name, *args):
    return reverse(f"ddd_student:{name}", args=args)


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def form_data(dossier, step_key):
    """Valid answers (as the form posts them) for the required questions of one step."""
    data = {}
    for key, value in answers_for(dossier, Part.A).items():
        question = dossier.questionnaire.steps.get(key=step_key).questions.filter(key=key).first()
        if question is None:
            continue
        if value is True:
            value = "ja"
        data[key] = value
    return data


def fill_a_through_views(client, dossier):
    for step in dossier.questionnaire.steps.filter(part=Part.A).order_by("order"):
        response = post(
            client, url("deel_a_step", dossier.pk, step.key), form_data(dossier, step.key)
        )
        assert response.status_code == 302, response.content.decode()[:2000]


# --- Access -------------------------------------------------------------------------------------


def test_anonymous_visitor_goes_to_the_student_sign_in(client):
    response = client.get(url("list"))
    assert response.status_code == 302
    assert response["Location"].startswith("/leerling/inloggen/?next=/leerling/ddd/")


def test_staff_account_gets_404_on_student_pages(client, world, student, mentor):
    dossier = walk_to("deel_a", student=student, mentor=mentor)
    login_verified(client, mentor)
    assert client.get(url("list")).status_code == 404
    assert client.get(url("deel_a", dossier.pk)).status_code == 404
    assert client.get(url("pdf", dossier.pk, "deel-a")).status_code == 404


def test_another_students_dossier_is_404(client, world, student, mentor):
    other = activated(make_student(world.vo))
    dossier = walk_to("akkoordverklaring", student=other, mentor=mentor)
    client.force_login(student.user)
    for name in ("detail", "deel_a", "consent", "send", "aanmelding"):
        assert client.get(url(name, dossier.pk)).status_code == 404, name
    assert client.get(url("pdf", dossier.pk, "deel-a")).status_code == 404
    assert post(client, url("change", dossier.pk)).status_code == 404
    assert Dossier.objects.get(pk=dossier.pk).phase == Phase.AKKOORD


# --- Mijn dossiers and Nieuw dossier ------------------------------------------------------------


def test_list_without_activation_points_to_the_portal(client, world):
    student = make_student(world.vo)
    client.force_login(student.user)
    response = client.get(url("list"))
    assert response.status_code == 200
    assert 'href="/leerling/"' in response.content.decode()
    assert url("start") not in response.content.decode()
    response = post(client, url("start"), follow=True)
    assert not Dossier.objects.filter(youth=student.youth).exists()
    assert any("Activeer" in m or "activeer" in m for m in messages_of(response))


def test_new_dossier_starts_and_opens_part_a(as_student, student):
    response = post(as_student, url("start"))
    dossier = Dossier.objects.get(youth=student.youth)
    assert response["Location"] == url("deel_a", dossier.pk)
    assert dossier.phase == Phase.DEEL_A
    assert dossier.started_by == student.user


def test_new_dossier_twice_with_the_same_form_makes_one(as_student, student):
    token = new_form_token()
    as_student.post(url("start"), {FIELD: token})
    as_student.post(url("start"), {FIELD: token})
    assert Dossier.objects.filter(youth=student.youth).count() == 1


def test_new_dossier_continues_the_one_the_mentor_started_early(as_student, student, mentor):
    early = services.dossier_start(youth=student.youth, acting_user=mentor)
    response = post(as_student, url("start"))
    assert response["Location"] == url("deel_a", early.pk)
    assert Dossier.objects.filter(youth=student.youth).count() == 1


def test_list_shows_phase_status_and_actions(
    as_student, student, mentor, django_assert_max_num_queries
):
    walk_to("deel_a", student=student, mentor=mentor)
    in_consent = walk_to("akkoordverklaring", student=student, mentor=mentor)
    done = walk_to("afgerond", student=student, mentor=mentor)
    html = as_student.get(url("list")).content.decode()
    assert "Start de akkoordverklaring" in html
    assert url("consent", in_consent.pk) in html
    assert url("change", in_consent.pk) in html
    assert url("pdf", done.pk, "volledig") in html
    assert "Afgerond" in html
    assert AuditEvent.objects.filter(
        user_id=student.user.pk, action=AuditAction.VIEW, youth_id=student.youth.pk
    ).exists()
    with django_assert_max_num_queries(20) as few:
        as_student.get(url("list"))
    for _ in range(4):
        walk_to("deel_b", student=student, mentor=mentor)
    with django_assert_max_num_queries(len(few.captured_queries)):
        as_student.get(url("list"))


# --- Deel A -------------------------------------------------------------------------------------


def test_saving_a_step_raises_its_percentage(as_student, student):
    dossier = services.dossier_start(youth=student.youth, acting_user=student.user)
    html = as_student.get(url("deel_a", dossier.pk)).content.decode()
    assert 'data-step="persoon">0%' in html
    data = form_data(dossier, "persoon")
    data.pop("over_mij")
    response = post(as_student, url("deel_a_step", dossier.pk, "persoon"), data, follow=True)
    assert 'data-step="persoon">66%' in response.content.decode()
    response = post(
        as_student,
        url("deel_a_step", dossier.pk, "persoon"),
        {**data, "over_mij": "Ik hou van koken.", "next": "1"},
    )
    assert response["Location"] == url("deel_a_step", dossier.pk, "schoolloopbaan")
    html = as_student.get(response["Location"]).content.decode()
    assert 'data-step="persoon">100%' in html


def test_live_percentage_from_htmx_saves_nothing(as_student, student):
    dossier = services.dossier_start(youth=student.youth, acting_user=student.user)
    response = as_student.post(
        url("deel_a_progress", dossier.pk, "persoon"),
        {"telefoon": "0612345678", "email": "noor@example.test"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'data-step="persoon">66%' in response.content.decode()
    assert not Answer.objects.filter(dossier=dossier).exists()


def test_opening_another_step_from_the_list_saves_this_step_first(as_student, student):
    """Issue 8: answers typed in a step were lost when the student opened another step. The
    step list's entries submit the step form (name "goto"), which saves, then opens that step."""
    dossier = services.dossier_start(youth=student.youth, acting_user=student.user)
    page = as_student.get(url("deel_a_step", dossier.pk, "persoon")).content.decode()
    assert 'form="vn-ddd-step-form" name="goto" value="schoolloopbaan"' in page
    assert 'id="vn-ddd-step-form"' in page
    response = post(
        as_student,
        url("deel_a_step", dossier.pk, "persoon"),
        {"telefoon": "0612345678", "goto": "schoolloopbaan"},
    )
    assert response["Location"] == url("deel_a_step", dossier.pk, "schoolloopbaan")
    assert selectors.dossier_answers(dossier=dossier) == {"telefoon": "0612345678"}
    # An unknown step saves and stays.
    response = post(
        as_student,
        url("deel_a_step", dossier.pk, "persoon"),
        {"telefoon": "0687654321", "goto": "bestaat-niet"},
    )
    assert response["Location"] == url("deel_a_step", dossier.pk, "persoon")
    assert selectors.dossier_answers(dossier=dossier) == {"telefoon": "0687654321"}


def test_bad_answers_give_dutch_errors_and_save_nothing(as_student, student):
    dossier = services.dossier_start(youth=student.youth, acting_user=student.user)
    response = post(
        as_student,
        url("deel_a_step", dossier.pk, "schoolloopbaan"),
        {"huidige_opleiding": "Hogeschool", "vakken_goed": "Wiskunde"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Selecteer een geldige keuze" in html
    response = post(
        as_student,
        url("deel_a_step", dossier.pk, "mbo_opleiding"),
        {"mbo_instelling": "Een mbo", "aangemeld_op": "31-02-2026"},
    )
    assert response.status_code == 200
    assert "Voer een geldige datum in" in response.content.decode()
    assert not Answer.objects.filter(dossier=dossier).exists()


def test_unknown_step_is_404(as_student, student):
    dossier = services.dossier_start(youth=student.youth, acting_user=student.user)
    assert as_student.get(url("deel_a_step", dossier.pk, "bestaat-niet")).status_code == 404
    assert as_student.get(url("deel_a_step", dossier.pk, "advies")).status_code == 404


def test_send_is_refused_below_100_percent(as_student, student, mentor):
    dossier = services.dossier_start(youth=student.youth, acting_user=student.user)
    html = as_student.get(url("deel_a", dossier.pk)).content.decode()
    assert "disabled" in html
    assert url("send", dossier.pk) not in html
    refusal = "Deel A kan worden opgestuurd zodra elke stap volledig is ingevuld."
    response = as_student.get(url("send", dossier.pk), follow=True)
    assert refusal in messages_of(response)
    response = post(as_student, url("send", dossier.pk), {"recipient": mentor.pk}, follow=True)
    assert refusal in messages_of(response)
    dossier.refresh_from_db()
    assert dossier.phase == Phase.DEEL_A
    assert not OutboxMessage.objects.filter(to=mentor.email).exists()


def test_send_to_mentor_mails_them_and_makes_part_a_read_only(as_student, student, mentor):
    dossier = services.dossier_start(youth=student.youth, acting_user=student.user)
    fill_a_through_views(as_student, dossier)
    html = as_student.get(url("deel_a", dossier.pk)).content.decode()
    assert url("send", dossier.pk) in html
    page = as_student.get(url("send", dossier.pk))
    assert escape(mentor.full_name) in page.content.decode()
    response = post(as_student, url("send", dossier.pk), {"recipient": mentor.pk})
    assert response["Location"] == url("list")
    dossier.refresh_from_db()
    assert (dossier.phase, dossier.mentor) == (Phase.DEEL_B, mentor)
    assert OutboxMessage.objects.filter(to=mentor.email, kind="dossier_deel_a").count() == 1
    html = as_student.get(url("deel_a", dossier.pk)).content.decode()
    assert 'class="vn-form"' not in html
    assert "Een langer antwoord over deze vraag." in html
    before = Answer.objects.filter(dossier=dossier).count()
    response = post(
        as_student,
        url("deel_a_step", dossier.pk, "persoon"),
        {"telefoon": "0600000000"},
        follow=True,
    )
    assert any(m.startswith("Deel A is opgestuurd en kan niet meer") for m in messages_of(response))
    assert Answer.objects.filter(dossier=dossier).count() == before
    assert not Answer.objects.filter(dossier=dossier, value="0600000000").exists()


def test_send_to_someone_not_offered_is_refused(as_student, student, world):
    dossier = services.dossier_start(youth=student.youth, acting_user=student.user)
    fill(dossier, Part.A, student.user)
    outsider = world.users["school_gebruiker"]
    response = post(as_student, url("send", dossier.pk), {"recipient": outsider.pk})
    assert response.status_code == 200
    dossier.refresh_from_db()
    assert dossier.phase == Phase.DEEL_A


def test_part_a_is_editable_again_after_sent_back(as_student, student, mentor):
    dossier = walk_to("deel_b", student=student, mentor=mentor)
    services.dossier_send_back_to_student(dossier=dossier, acting_user=mentor)
    html = as_student.get(url("list")).content.decode()
    assert "Teruggestuurd" in html or "teruggestuurd" in html
    response = post(
        as_student,
        url("deel_a_step", dossier.pk, "persoon"),
        {**form_data(dossier, "persoon"), "telefoon": "0611111111"},
    )
    assert response.status_code == 302
    assert Answer.objects.filter(dossier=dossier, value="0611111111").exists()
    post(as_student, url("send", dossier.pk), {"recipient": mentor.pk})
    dossier.refresh_from_db()
    assert dossier.phase == Phase.DEEL_B


# --- Akkoordverklaring --------------------------------------------------------------------------


def test_consent_page_shows_both_parts_and_pdf_buttons(as_student, student, mentor):
    dossier = walk_to("akkoordverklaring", student=student, mentor=mentor)
    html = as_student.get(url("consent", dossier.pk)).content.decode()
    assert url("pdf", dossier.pk, "deel-a") in html
    assert url("pdf", dossier.pk, "deel-b") in html
    assert "Een langer antwoord over deze vraag." in html
    assert 'name="guardian_name"' in html
    assert AuditEvent.objects.filter(
        user_id=student.user.pk, object_id=str(dossier.pk), action=AuditAction.VIEW
    ).exists()


def test_under_18_needs_the_guardian(as_student, student, mentor):
    dossier = walk_to("akkoordverklaring", student=student, mentor=mentor)
    response = post(as_student, url("consent", dossier.pk), {"remark": "Prima"})
    assert response.status_code == 200
    assert "jonger dan 18" in response.content.decode()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = post(
        as_student,
        url("consent", dossier.pk),
        {
            "guardian_name": "P. Ouder",
            "guardian_relation": "ouder",
            "guardian_consented_on": tomorrow.isoformat(),
        },
    )
    assert response.status_code == 200
    assert "toekomst" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.phase == Phase.AKKOORD
    assert not Consent.objects.filter(dossier=dossier).exists()


def test_akkoord_completes_and_mails_the_pdf(as_student, student, mentor):
    dossier = walk_to("akkoordverklaring", student=student, mentor=mentor)
    response = post(
        as_student,
        url("consent", dossier.pk),
        {
            "remark": "Ik ben het niet eens met het advies.",
            "guardian_name": "P. Ouder",
            "guardian_relation": "voogd",
            "guardian_consented_on": timezone.localdate().isoformat(),
        },
    )
    assert response["Location"] == url("detail", dossier.pk)
    dossier.refresh_from_db()
    assert dossier.phase == Phase.AFGEROND
    consent = Consent.objects.get(dossier=dossier)
    assert (consent.guardian_name, consent.guardian_relation) == ("P. Ouder", "voogd")
    mail = OutboxMessage.objects.get(to=student.user.email, kind="dossier_afgerond")
    assert mail.attachment_name.endswith(".pdf")
    assert bytes(mail.attachment).startswith(b"%PDF")
    html = as_student.get(url("detail", dossier.pk)).content.decode()
    assert "Ik ben het niet eens met het advies." in html
    assert url("pdf", dossier.pk, "volledig") in html
    assert url("aanmelding", dossier.pk) not in html


def test_adult_agrees_without_guardian(client, adult, mentor):
    client.force_login(adult.user)
    dossier = walk_to("akkoordverklaring", student=adult, mentor=mentor)
    html = client.get(url("consent", dossier.pk)).content.decode()
    assert 'name="guardian_name"' not in html
    post(client, url("consent", dossier.pk), {"remark": ""})
    dossier.refresh_from_db()
    assert dossier.phase == Phase.AFGEROND


def test_consent_outside_the_phase_is_refused(as_student, student, mentor):
    dossier = walk_to("deel_b", student=student, mentor=mentor)
    response = post(as_student, url("consent", dossier.pk), {"remark": "x"}, follow=True)
    assert any("akkoordverklaring" in m for m in messages_of(response))
    assert not Consent.objects.filter(dossier=dossier).exists()


def test_change_takes_the_dossier_back_to_part_a_and_tells_the_mentor(as_student, student, mentor):
    dossier = walk_to("akkoordverklaring", student=student, mentor=mentor)
    response = post(as_student, url("change", dossier.pk))
    assert response["Location"] == url("deel_a", dossier.pk)
    dossier.refresh_from_db()
    assert dossier.phase == Phase.DEEL_A
    assert OutboxMessage.objects.filter(to=mentor.email, kind="dossier_wijzigen").count() == 1
    response = post(as_student, url("change", dossier.pk), follow=True)
    assert messages_of(response)
    assert OutboxMessage.objects.filter(to=mentor.email, kind="dossier_wijzigen").count() == 1


def test_reactivate_an_archived_dossier(as_student, student, mentor):
    dossier = walk_to("deel_b", student=student, mentor=mentor)
    services.dossier_archive(dossier=dossier, acting_user=mentor)
    html = as_student.get(url("list")).content.decode()
    assert url("reactivate", dossier.pk) in html
    post(as_student, url("reactivate", dossier.pk))
    dossier.refresh_from_db()
    assert not dossier.archived
    response = post(as_student, url("reactivate", dossier.pk), follow=True)
    assert messages_of(response)


# --- PDFs ---------------------------------------------------------------------------------------


def test_pdfs_per_phase_are_audited(as_student, student, mentor):
    dossier = walk_to("akkoordverklaring", student=student, mentor=mentor)
    response = as_student.get(url("pdf", dossier.pk, "deel-a"))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert as_student.get(url("pdf", dossier.pk, "deel-b")).content.startswith(b"%PDF")
    assert as_student.get(url("pdf", dossier.pk, "volledig")).status_code == 302
    assert as_student.get(url("pdf", dossier.pk, "iets")).status_code == 404
    assert (
        AuditEvent.objects.filter(
            user_id=student.user.pk, object_id=str(dossier.pk), description__contains="PDF"
        ).count()
        == 2
    )


def test_the_pdf_template_holds_the_students_answers(student, mentor):
    dossier = walk_to("afgerond", student=student, mentor=mentor)
    services_answer = "Een langer antwoord over deze vraag."
    steps = selectors.dossier_document(dossier=dossier)
    html = render_to_string(
        "dossiers/pdf/dossier.html",
        {
            "dossier": dossier,
            "sections": [{"title": "A", "steps": steps}],
            "consent": Consent.objects.get(dossier=dossier),
            "title": "t",
        },
    )
    assert services_answer in html
    assert escape(student.youth.full_name) in html


def test_print_of_a_completed_dossier(as_student, student, mentor):
    dossier = walk_to("afgerond", student=student, mentor=mentor)
    response = as_student.get(url("pdf", dossier.pk, "volledig"))
    assert response.content.startswith(b"%PDF")
    assert "volledig" in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert student.youth.full_name in text
    assert "Een langer antwoord over deze vraag." in text and "J. de Vries" in text


def test_the_pdf_names_number_class_mbo_and_mentor_in_one_font(as_student, student, mentor):
    """Issue 8: the PDF lacked leerlingnummer, klas, the receiving MBO and the mentor's contact
    details, and mixed two fonts (the page footer fell back to a serif)."""
    mentor.phone = "030 123 45 67"
    mentor.save()
    dossier = walk_to("afgerond", student=student, mentor=mentor)
    application = dossier.youth.aanmeldingen.first()
    content = as_student.get(url("pdf", dossier.pk, "volledig")).content
    text = pdf_text(content)
    for expected in (
        f"Leerlingnummer {student.enrolment.student_number}",
        f"Klas {student.enrolment.class_name}",
        f"Ontvangend mbo {application.institution.name}: {application.programme}",
        mentor.email,
        "030 123 45 67",
        "Pagina 1",
    ):
        assert expected in text, expected
    assert pdf_font_families(content) == {"DejaVu-Sans"}


def test_the_deel_a_pdf_holds_part_a_only(as_student, student, mentor):
    dossier = walk_to("akkoordverklaring", student=student, mentor=mentor)
    text = pdf_text(as_student.get(url("pdf", dossier.pk, "deel-a")).content)
    assert "Deel A" in text and "Een langer antwoord over deze vraag." in text
    assert "Beeld van de leerling" not in text


# --- MBO application ----------------------------------------------------------------------------


def test_enter_a_new_mbo_application(as_student, student, world):
    world.mbo.takes_part_in_ddd = True
    world.mbo.save()
    dossier = services.dossier_start(youth=student.youth, acting_user=student.user)
    html = as_student.get(url("aanmelding", dossier.pk)).content.decode()
    assert "neemt deel" in html
    response = post(
        as_student,
        url("aanmelding", dossier.pk),
        {
            "add": "1",
            "nieuw-institution": world.mbo.pk,
            "nieuw-programme": "Kok",
            "nieuw-level": "2",
        },
    )
    assert response["Location"] == url("detail", dossier.pk)
    dossier.refresh_from_db()
    assert dossier.aanmelding.institution == world.mbo
    assert dossier.aanmelding.youth == student.youth
    assert dossier.aanmelding.status == "lopend"


def test_non_mbo_institution_is_refused(as_student, student, world):
    dossier = services.dossier_start(youth=student.youth, acting_user=student.user)
    response = post(
        as_student,
        url("aanmelding", dossier.pk),
        {"add": "1", "nieuw-institution": world.vo.pk, "nieuw-programme": "Kok"},
    )
    assert response.status_code == 200
    dossier.refresh_from_db()
    assert dossier.aanmelding is None


def test_choose_own_application_not_someone_elses(as_student, student, world):
    dossier = services.dossier_start(youth=student.youth, acting_user=student.user)
    own = AanmeldingFactory(youth=student.youth, institution=world.mbo)
    foreign = AanmeldingFactory(
        institution=OrganisationFactory(kind=OrganisationKind.MBO, name="Ander MBO")
    )
    response = post(
        as_student, url("aanmelding", dossier.pk), {"choose": "1", "kies-aanmelding": foreign.pk}
    )
    assert response.status_code == 200
    dossier.refresh_from_db()
    assert dossier.aanmelding is None
    post(as_student, url("aanmelding", dossier.pk), {"choose": "1", "kies-aanmelding": own.pk})
    dossier.refresh_from_db()
    assert dossier.aanmelding == own


def test_akkoord_sent_twice_completes_once(client, adult, mentor):
    client.force_login(adult.user)
    dossier = walk_to("akkoordverklaring", student=adult, mentor=mentor)
    token = new_form_token()
    client.post(url("consent", dossier.pk), {FIELD: token, "remark": "Goed"})
    response = client.post(url("consent", dossier.pk), {FIELD: token, "remark": "Goed"})
    assert response.status_code == 302
    assert OutboxMessage.objects.filter(kind="dossier_afgerond").count() == 1
    assert Consent.objects.get(dossier=dossier).remark == "Goed"


def test_mbo_application_of_a_completed_dossier_cannot_change(as_student, student, mentor, world):
    dossier = walk_to("afgerond", student=student, mentor=mentor)
    response = as_student.get(url("aanmelding", dossier.pk))
    assert response["Location"] == url("detail", dossier.pk)
    response = post(
        as_student,
        url("aanmelding", dossier.pk),
        {"add": "1", "nieuw-institution": world.mbo.pk, "nieuw-programme": "Kok"},
        follow=True,
    )
    assert any("afgerond" in m for m in messages_of(response))
    dossier.refresh_from_db()
    assert dossier.aanmelding is None


# --- Issue 8: no completion without an MBO, Wijzigen asks first, Akkoord at the top -------------


def _no_application(dossier):
    from vangnet.jikp.models import Aanmelding

    Dossier.objects.filter(pk=dossier.pk).update(aanmelding=None)
    Aanmelding.objects.filter(youth_id=dossier.youth_id).delete()


def _consent_data():
    return {
        "guardian_name": "P. Ouder",
        "guardian_relation": "voogd",
        "guardian_consented_on": timezone.localdate().isoformat(),
    }


def test_akkoord_without_a_known_mbo_is_refused_and_the_page_asks_for_it(
    as_student, student, mentor
):
    dossier = walk_to("akkoordverklaring", student=student, mentor=mentor)
    _no_application(dossier)
    page = as_student.get(url("consent", dossier.pk)).content.decode()
    assert 'data-testid="mbo-missing"' in page and url("aanmelding", dossier.pk) in page
    response = post(as_student, url("consent", dossier.pk), _consent_data())
    assert response.status_code == 200
    assert "Vul eerst het mbo in" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.phase == Phase.AKKOORD and not Consent.objects.filter(dossier=dossier).exists()
    assert not OutboxMessage.objects.filter(kind="dossier_afgerond").exists()


def test_a_completed_dossier_without_mbo_says_so_and_takes_one_afterwards(
    as_student, student, mentor, world
):
    dossier = walk_to("afgerond", student=student, mentor=mentor)
    _no_application(dossier)  # completed before the rule, or the application was removed
    listing = as_student.get(url("list")).content.decode()
    assert "Het mbo waar je je hebt aangemeld kan het dossier inzien" not in listing
    assert "nog geen mbo" in listing
    detail = as_student.get(url("detail", dossier.pk)).content.decode()
    assert url("aanmelding", dossier.pk) in detail
    world.mbo.takes_part_in_ddd = True
    world.mbo.save()
    response = post(
        as_student,
        url("aanmelding", dossier.pk),
        {"add": "1", "nieuw-institution": world.mbo.pk, "nieuw-programme": "Kok"},
    )
    assert response["Location"] == url("detail", dossier.pk)
    assert [d.pk for d in selectors.dossiers_for_mbo(user=world.users["mbo_gebruiker"])] == [
        dossier.pk
    ]


def test_change_asks_for_confirmation_first(as_student, student, mentor):
    dossier = walk_to("akkoordverklaring", student=student, mentor=mentor)
    page = as_student.get(url("change", dossier.pk))
    assert page.status_code == 200
    assert "Ja, deel A wijzigen" in page.content.decode()
    dossier.refresh_from_db()
    assert dossier.phase == Phase.AKKOORD  # a GET changes nothing
    listing = as_student.get(url("list")).content.decode()
    assert (
        f'<a class="utrecht-button-link utrecht-button-link--secondary-action" href="{url("change", dossier.pk)}"'
        in listing
    )


def test_the_agree_button_comes_before_the_answers(as_student, student, mentor):
    dossier = walk_to("akkoordverklaring", student=student, mentor=mentor)
    html = as_student.get(url("consent", dossier.pk)).content.decode()
    assert html.index("Akkoord</button>") < html.index("Beeld van de leerling")


def test_the_send_back_note_reaches_the_student_and_the_mail_only_mentions_it(
    as_student, student, mentor
):
    """Issue 8: the note of "terugzetten" was only in the verloop."""
    dossier = walk_to("deel_b", student=student, mentor=mentor)
    note = "Vertel meer over je stage bij de bakker."
    services.dossier_send_back_to_student(dossier=dossier, acting_user=mentor, note=note)
    mail = OutboxMessage.objects.get(to=student.user.email, kind="dossier_teruggezet")
    assert "er staat een opmerking van je mentor voor je klaar" in mail.body.lower()
    assert "bakker" not in mail.body and "stage" not in mail.body
    for page in (url("list"), url("detail", dossier.pk), url("deel_a", dossier.pk)):
        html = as_student.get(page).content.decode()
        assert "Opmerking van je mentor:" in html and note in html, page
    # Sent again: the note has done its work and goes.
    link_mentor = services.deel_a_send(dossier=dossier, recipient=mentor, acting_user=student.user)
    assert note not in as_student.get(url("list")).content.decode()
    assert link_mentor.phase == Phase.DEEL_B


def test_a_send_back_without_note_says_nothing_about_a_note(student, mentor):
    dossier = walk_to("deel_b", student=student, mentor=mentor)
    services.dossier_send_back_to_student(dossier=dossier, acting_user=mentor)
    mail = OutboxMessage.objects.get(to=student.user.email, kind="dossier_teruggezet")
    assert "opmerking" not in mail.body.lower()


def test_one_open_dossier_unless_the_school_allows_more(client, as_student, student, world):
    """Issue 8: a student could start any number of identical parallel dossiers."""
    first = post(as_student, url("start"))
    assert first.status_code == 302
    assert Dossier.objects.filter(youth=student.youth).count() == 1
    response = post(as_student, url("start"), follow=True)
    assert any("al een dossier" in m for m in messages_of(response))
    assert Dossier.objects.filter(youth=student.youth).count() == 1
    # The decaan allows more: a second one, told apart by its number.
    dean = world.users["vo_decaan"]
    login_verified(client, dean)
    settings_url = reverse("ddd:school_settings")
    assert client.get(settings_url).status_code == 200
    response = client.post(settings_url, {"parallel_dossiers": "on", FIELD: new_form_token()})
    assert response.status_code == 302
    client.force_login(student.user)
    post(client, url("start"))
    dossiers = list(Dossier.objects.filter(youth=student.youth))
    assert len(dossiers) == 2
    html = client.get(url("list")).content.decode()
    numbers = re.findall(
        r'<td class="utrecht-table__cell" data-column="number"[^>]*>(\d+)</td>', html
    )
    assert sorted(numbers) == sorted(str(dossier.pk) for dossier in dossiers)


def test_a_completed_dossier_does_not_block_a_new_one(as_student, student, mentor):
    walk_to("afgerond", student=student, mentor=mentor)
    post(as_student, url("start"))
    assert Dossier.objects.filter(youth=student.youth).count() == 2


def test_send_names_the_role_of_each_person_and_preselects_the_mentor_after_send_back(
    as_student, student, mentor, world
):
    """Issue 8: "Opsturen naar" listed bare names, and after terugzetten nobody was chosen."""
    dossier = services.dossier_start(youth=student.youth, acting_user=student.user)
    fill(dossier, Part.A, student.user)
    html = as_student.get(url("send", dossier.pk)).content.decode()
    dean = world.users["vo_decaan"]
    assert f">{escape(mentor.full_name)} (mentor)</option>" in html
    assert f">{escape(dean.full_name)} (decaan)</option>" in html
    assert '<option value="" selected>' in html  # nobody chosen the first time
    services.deel_a_send(dossier=dossier, recipient=mentor, acting_user=student.user)
    services.dossier_send_back_to_student(dossier=dossier, acting_user=mentor)
    html = as_student.get(url("send", dossier.pk)).content.decode()
    assert f'<option value="{mentor.pk}" selected>' in html

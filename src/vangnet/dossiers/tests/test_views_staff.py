"""The mentor's and decaan's DDD screens: dashboard, dossier overview, deel B, terugzetten,
archiveren, verloop, PDFs, Mijn leerlingen / Alle leerlingen and the klaskoppeling."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from conftest import login_verified
from tests.factories import OrganisationFactory, UserFactory
from vangnet.accounts.models import Role
from vangnet.audit.models import AuditAction, AuditEvent
from vangnet.core.forms import FIELD, new_form_token
from vangnet.dossiers import selectors, services
from vangnet.dossiers.models import ClassMentor, Dossier, DossierEvent, EventKind, Part, Phase
from vangnet.notifications.models import OutboxMessage
from vangnet.organisations.models import OrganisationKind

from .helpers import answers_for, fill, link_class_mentor, make_student, pdf_text, walk_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(world):
    w = world
    w.mentor = w.users["vo_mentor"]
    w.dean = w.users["vo_decaan"]
    w.mentor2 = UserFactory(organisation=w.vo, roles=[Role.MENTOR])
    w.s1 = make_student(w.vo, first_name="Noor", last_name="Eerstenaam")
    w.s2 = make_student(w.vo, first_name="Sem", last_name="Tweedenaam")
    w.s_other_class = make_student(w.vo, first_name="Lot", last_name="Anderklas")
    w.s_other_class.enrolment.class_name = "5V2"
    w.s_other_class.enrolment.save()
    link_class_mentor(w.s1, w.mentor)
    return w


def url(name, *args):
    return reverse(f"ddd:{name}", args=args)


def post(client, address, data=None, **kwargs):
    return client.post(address, {FIELD: new_form_token(), **(data or {})}, **kwargs)


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def form_data(dossier, step_key):
    """Valid answers, as the form posts them, for the required questions of one step."""
    keys = set(
        dossier.questionnaire.steps.get(key=step_key).questions.values_list("key", flat=True)
    )
    data = {"stap": step_key}
    for part in Part.values:
        for key, value in answers_for(dossier, part).items():
            if key in keys:
                data[key] = "ja" if value is True else value
    return data


def b_steps(dossier, part):
    return list(
        dossier.questionnaire.steps.filter(part=part)
        .order_by("order")
        .values_list("key", flat=True)
    )


def mails_to(address):
    return list(OutboxMessage.objects.filter(to=address).order_by("id"))


# --- Access -------------------------------------------------------------------------------------


def test_pages_need_a_mentor_or_dean(client, world):
    login_verified(client, world.users["school_gebruiker"])
    for name in ("dashboard", "dossiers", "students"):
        assert client.get(url(name)).status_code == 403
    login_verified(client, world.users["mbo_gebruiker"])
    assert client.get(url("dashboard")).status_code == 403


def test_class_links_are_for_the_dean_only(client, w):
    login_verified(client, w.mentor)
    assert client.get(url("class_mentors")).status_code == 403
    login_verified(client, w.dean)
    assert client.get(url("class_mentors")).status_code == 200


def test_other_schools_and_other_mentors_dossiers_are_404(client, w):
    other_dean = UserFactory(organisation=w.other_school, roles=[Role.DEAN])
    foreign = walk_to("deel_b", student=make_student(w.other_school), mentor=other_dean)
    theirs = walk_to("deel_b", student=w.s_other_class, mentor=w.mentor2)
    login_verified(client, w.mentor)
    for dossier in (foreign, theirs):
        for name in ("dossier", "history", "send_back", "archive"):
            assert client.get(url(name, dossier.pk)).status_code == 404, name
        assert client.get(url("pdf", dossier.pk, "deel-a")).status_code == 404
        assert post(client, url("start_b", dossier.pk)).status_code == 404
        assert post(client, url("send_to_student", dossier.pk)).status_code == 404
        assert post(client, url("archive", dossier.pk)).status_code == 404
    assert not Dossier.objects.filter(archived=True).exists()
    login_verified(client, w.dean)
    assert client.get(url("dossier", foreign.pk)).status_code == 404
    assert client.get(url("dossier", theirs.pk)).status_code == 200


def test_a_mentor_of_another_class_cannot_open_claim_or_archive_an_unassigned_dossier(client, w):
    """Issue 8, item 6: a dossier in deel A that nobody was chosen for yet belongs to the mentors
    of the student's class and the decanen, not to every mentor of the school."""
    unassigned = services.dossier_start(
        youth=w.s_other_class.youth, acting_user=w.s_other_class.user
    )
    fill(unassigned, Part.A, w.s_other_class.user)
    before = Dossier.objects.values().get(pk=unassigned.pk)
    events = unassigned.events.count()
    login_verified(client, w.mentor)  # mentor of class 3A; the student is in 5V2
    for name in ("dossier", "history", "send_back", "archive"):
        assert client.get(url(name, unassigned.pk)).status_code == 404, name
    assert client.get(url("pdf", unassigned.pk, "deel-a")).status_code == 404
    assert post(client, url("start_b", unassigned.pk)).status_code == 404  # "claim"
    assert post(client, url("archive", unassigned.pk)).status_code == 404
    assert post(client, url("send_back", unassigned.pk)).status_code == 404
    assert f'data-dossier="{unassigned.pk}"' not in client.get(url("dossiers")).content.decode()
    assert Dossier.objects.values().get(pk=unassigned.pk) == before
    assert unassigned.events.count() == events
    # The decaan still opens it; a mentor linked to class 5V2 opens and claims it.
    login_verified(client, w.dean)
    assert client.get(url("dossier", unassigned.pk)).status_code == 200
    ClassMentor.objects.create(organisation=w.vo, class_name="5V2", mentor=w.mentor2)
    login_verified(client, w.mentor2)
    assert client.get(url("pdf", unassigned.pk, "deel-a")).status_code == 200
    assert post(client, url("start_b", unassigned.pk)).status_code == 302
    unassigned.refresh_from_db()
    assert unassigned.mentor == w.mentor2


# --- Dashboard ----------------------------------------------------------------------------------


def test_dashboard_counts_per_phase_and_they_move(client, w):
    dossier = walk_to("deel_b", student=w.s1, mentor=w.mentor)
    walk_to("deel_a", student=w.s2, mentor=w.mentor)
    login_verified(client, w.mentor)
    counts = client.get(url("dashboard")).context["counters"]
    assert {c["phase"]: c["count"] for c in counts} == {
        "deel_a": 0,
        "deel_b": 1,
        "akkoordverklaring": 0,
        "afgerond": 0,
    }
    services.deel_b_start(dossier=dossier, acting_user=w.mentor)
    fill(dossier, Part.B_STUDENT, w.mentor)
    fill(dossier, Part.B_DOSSIER, w.mentor)
    services.deel_b_send_to_student(dossier=dossier, acting_user=w.mentor)
    response = client.get(url("dashboard"))
    counts = {c["phase"]: c["count"] for c in response.context["counters"]}
    assert counts["deel_b"] == 0 and counts["akkoordverklaring"] == 1
    assert url("dossiers") + "?fase=akkoordverklaring" in response.content.decode()
    login_verified(client, w.dean)
    counts = {c["phase"]: c["count"] for c in client.get(url("dashboard")).context["counters"]}
    assert counts["deel_a"] == 1 and counts["akkoordverklaring"] == 1


def test_dashboard_lists_participating_mbos_of_the_region_first(client, w):
    w.mbo.takes_part_in_ddd = True
    w.mbo.save()
    far = OrganisationFactory(
        kind=OrganisationKind.MBO,
        name="Aaa MBO Elders",
        municipality=w.gem_x,
        region=w.other_region,
        takes_part_in_ddd=True,
    )
    OrganisationFactory(
        kind=OrganisationKind.MBO, name="Niet Deelnemend MBO", municipality=w.gem_a, region=w.region
    )
    login_verified(client, w.mentor)
    response = client.get(url("dashboard"))
    assert [m.pk for m in response.context["mbos"]] == [w.mbo.pk, far.pk]
    html = response.content.decode()
    assert "Niet Deelnemend MBO" not in html
    assert url("class_mentors") not in html
    login_verified(client, w.dean)
    html = client.get(url("dashboard")).content.decode()
    for link in (url("students"), "/ddd/accounts/", url("class_mentors"), "leerlinglijst"):
        assert link in html


# --- Dossier overview ---------------------------------------------------------------------------


def test_overview_filters_by_phase_and_name_and_hides_other_mentors(client, w):
    mine = walk_to("deel_b", student=w.s1, mentor=w.mentor)
    theirs = walk_to("deel_b", student=w.s2, mentor=w.mentor2)
    login_verified(client, w.mentor)
    response = client.get(url("dossiers"))
    assert [r["d"].pk for r in response.context["rows"]] == [mine.pk]
    assert escape(w.s1.youth.full_name) in response.content.decode()
    assert response.context["rows"][0]["d"].class_name == "3A"
    assert client.get(url("dossiers") + "?fase=deel_a").context["rows"] == []
    assert client.get(url("dossiers") + "?q=zzzz").context["rows"] == []
    assert len(client.get(url("dossiers") + "?q=eerstenaam&fase=bogus").context["rows"]) == 1
    login_verified(client, w.dean)
    rows = client.get(url("dossiers") + "?fase=deel_b").context["rows"]
    assert {r["d"].pk for r in rows} == {mine.pk, theirs.pk}
    assert AuditEvent.objects.filter(
        user_id=w.dean.pk, action=AuditAction.SEARCH, youth_id=w.s2.youth.pk
    ).exists()


def test_overview_query_count_does_not_grow(client, w, django_assert_max_num_queries):
    login_verified(client, w.dean)
    walk_to("deel_b", student=w.s1, mentor=w.mentor)
    client.get(url("dossiers"))
    with django_assert_max_num_queries(20) as few:
        client.get(url("dossiers"))
    for _ in range(12):
        student = make_student(w.vo)
        walk_to("deel_b", student=student, mentor=w.dean)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url("dossiers"))
    assert len(response.context["rows"]) == 13


# --- Deel B -------------------------------------------------------------------------------------


def test_mentor_fills_in_deel_b_and_sends_it_to_the_student(client, w):
    dossier = walk_to("deel_b", student=w.s1, mentor=w.mentor)
    login_verified(client, w.mentor)
    response = client.get(url("dossiers"))
    assert url("start_b", dossier.pk) in response.content.decode()
    response = post(client, url("start_b", dossier.pk))
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.deel_b_started_at is not None
    page = client.get(url("dossier", dossier.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert "disabled" in html and url("pdf", dossier.pk, "deel-a") in html
    # Deel A is shown read-only, from the shared answers template.
    assert "Een kort antwoord" in html
    # A forced "Opsturen naar leerling" gets the state machine's message and changes nothing.
    response = post(client, url("send_to_student", dossier.pk), follow=True)
    assert any("beide onderdelen" in m or "deel B" in m for m in messages_of(response))
    assert Dossier.objects.get(pk=dossier.pk).phase == Phase.DEEL_B
    for part in (Part.B_STUDENT, Part.B_DOSSIER):
        for key in b_steps(dossier, part):
            response = post(client, url("dossier", dossier.pk), form_data(dossier, key))
            assert response.status_code == 302, response.content.decode()[:3000]
    progress = selectors.dossier_progress(dossier=dossier)
    assert progress.deel_b_student_complete and progress.deel_b_dossier_complete
    page = client.get(url("dossier", dossier.pk))
    assert page.context["send_reason"] == ""
    response = post(client, url("send_to_student", dossier.pk))
    assert response.status_code == 302
    assert Dossier.objects.get(pk=dossier.pk).phase == Phase.AKKOORD
    assert len(mails_to(w.s1.user.email)) == 1


def test_the_opp_step_says_the_mbo_sees_it(client, w):
    dossier = walk_to("deel_b", student=w.s1, mentor=w.mentor)
    services.deel_b_start(dossier=dossier, acting_user=w.mentor)
    login_verified(client, w.mentor)
    response = client.get(url("dossier", dossier.pk) + "?stap=ondersteuning")
    assert response.context["mbo_visible"] is True
    assert 'name="warme_overdracht"' in response.content.decode()
    response = client.get(url("dossier", dossier.pk) + "?stap=leerling_beeld")
    assert response.context["mbo_visible"] is False


def test_bad_answer_shows_a_message_and_saves_nothing(client, w):
    dossier = walk_to("deel_b", student=w.s1, mentor=w.mentor)
    services.deel_b_start(dossier=dossier, acting_user=w.mentor)
    login_verified(client, w.mentor)
    data = {**form_data(dossier, "leerling_beeld"), "werkhouding": "Niet bestaand"}
    response = post(client, url("dossier", dossier.pk), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not dossier.answers.filter(question__step__part=Part.B_STUDENT).exists()


def test_early_start_from_my_students_and_the_dossier_part_waits_for_deel_a(client, w):
    login_verified(client, w.mentor)
    response = client.get(url("students"))
    assert url("early_start", w.s1.youth.pk) in response.content.decode()
    response = post(client, url("early_start", w.s1.youth.pk))
    dossier = Dossier.objects.get(youth=w.s1.youth)
    assert response["Location"] == url("dossier", dossier.pk)
    assert dossier.mentor == w.mentor and dossier.deel_b_started_at is not None
    assert dossier.phase == Phase.DEEL_A
    # The student-specific part can be filled in now ...
    key = b_steps(dossier, Part.B_STUDENT)[0]
    assert post(client, url("dossier", dossier.pk), form_data(dossier, key)).status_code == 302
    assert dossier.answers.filter(question__step__part=Part.B_STUDENT).exists()
    # ... the dossier-specific part only once deel A was sent.
    key = b_steps(dossier, Part.B_DOSSIER)[0]
    page = client.get(url("dossier", dossier.pk) + f"?stap={key}")
    assert "opgestuurd" in page.context["read_only_reason"]
    response = post(client, url("dossier", dossier.pk), form_data(dossier, key), follow=True)
    assert any("opgestuurd" in m for m in messages_of(response))
    assert not dossier.answers.filter(question__step__part=Part.B_DOSSIER).exists()
    # The student does not need "Nieuw dossier": they find this one.
    assert list(selectors.dossiers_for_student(user=w.s1.user)) == [dossier]


def test_early_start_for_a_student_of_another_class_or_school_is_404(client, w):
    login_verified(client, w.mentor)
    assert post(client, url("early_start", w.s_other_class.youth.pk)).status_code == 404
    foreign = make_student(w.other_school)
    assert post(client, url("early_start", foreign.youth.pk)).status_code == 404
    assert not Dossier.objects.exists()


def test_send_back_with_a_note_notifies_the_student(client, w):
    dossier = walk_to("deel_b", student=w.s1, mentor=w.mentor)
    login_verified(client, w.mentor)
    assert client.get(url("send_back", dossier.pk)).status_code == 200
    response = post(client, url("send_back", dossier.pk), {"note": "Vul je keuze aan."})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.phase == Phase.DEEL_A
    assert len(mails_to(w.s1.user.email)) == 1
    history = client.get(url("history", dossier.pk))
    assert "Vul je keuze aan." in history.content.decode()
    kinds = [e.kind for e in history.context["events"]]
    assert EventKind.SENT_BACK in kinds and EventKind.ANSWERS_SAVED not in kinds
    # Not in deel B any more: refused with the state machine's message.
    response = post(client, url("send_back", dossier.pk), {"note": ""}, follow=True)
    assert any("deel B" in m for m in messages_of(response))
    assert DossierEvent.objects.filter(dossier=dossier, kind=EventKind.SENT_BACK).count() == 1


def test_archived_dossiers_leave_the_overviews_and_counts(client, w):
    dossier = walk_to("deel_b", student=w.s1, mentor=w.mentor)
    login_verified(client, w.mentor)
    assert client.get(url("archive", dossier.pk)).status_code == 200
    response = post(client, url("archive", dossier.pk))
    assert response.status_code == 302
    assert Dossier.objects.get(pk=dossier.pk).archived
    assert client.get(url("dossiers")).context["rows"] == []
    counts = {c["phase"]: c["count"] for c in client.get(url("dashboard")).context["counters"]}
    assert counts["deel_b"] == 0
    row = client.get(url("students")).context["rows"][0]
    assert row["dossiers"] == []
    # A second archive is refused with a message (and the same form twice changes nothing).
    response = post(client, url("archive", dossier.pk), follow=True)
    assert any("gearchiveerd" in m for m in messages_of(response))


def test_archive_from_my_students_returns_there(client, w):
    first = walk_to("afgerond", student=w.s1, mentor=w.mentor)
    second = walk_to("deel_b", student=w.s1, mentor=w.mentor)
    login_verified(client, w.mentor)
    row = next(
        r for r in client.get(url("students")).context["rows"] if r["e"].youth_id == w.s1.youth.pk
    )
    assert [d["d"].pk for d in row["dossiers"]] == [second.pk, first.pk]
    assert row["latest"]["d"].pk == second.pk
    here = url("students") + "?klas=3A"
    response = post(client, url("archive", first.pk), {"next": here})
    assert response["Location"] == here
    assert Dossier.objects.get(pk=first.pk).archived
    response = post(client, url("archive", second.pk), {"next": "https://evil.example/"})
    assert response["Location"] == url("dossiers")


def test_double_submit_changes_nothing(client, w):
    dossier = walk_to("deel_b", student=w.s1, mentor=w.mentor)
    login_verified(client, w.mentor)
    token = new_form_token()
    client.post(url("send_back", dossier.pk), {FIELD: token, "note": "x"})
    services.deel_a_send(dossier=dossier, recipient=w.mentor, acting_user=w.s1.user)
    client.post(url("send_back", dossier.pk), {FIELD: token, "note": "x"})
    assert Dossier.objects.get(pk=dossier.pk).phase == Phase.DEEL_B


# --- PDFs ---------------------------------------------------------------------------------------


def test_deel_a_pdf_and_the_whole_pdf_once_completed_are_audited(client, w):
    dossier = walk_to("deel_b", student=w.s1, mentor=w.mentor)
    login_verified(client, w.mentor)
    response = client.get(url("pdf", dossier.pk, "deel-a"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Noor Eerstenaam" in text and "Een langer antwoord over deze vraag." in text
    assert AuditEvent.objects.filter(
        user_id=w.mentor.pk, action=AuditAction.EXPORT, youth_id=w.s1.youth.pk
    ).exists()
    assert client.get(url("pdf", dossier.pk, "volledig")).status_code == 404
    assert client.get(url("pdf", dossier.pk, "iets")).status_code == 404
    done = walk_to("afgerond", student=w.s2, mentor=w.mentor)
    assert client.get(url("pdf", done.pk, "volledig")).status_code == 200


# --- Mijn leerlingen / Alle leerlingen ----------------------------------------------------------


def test_mentor_sees_class_students_and_own_dossiers_dean_sees_all(client, w):
    walk_to("deel_b", student=w.s_other_class, mentor=w.dean)
    d2 = walk_to("deel_b", student=w.s2, mentor=w.mentor)
    ClassMentor.objects.filter(mentor=w.mentor).exclude(class_name="3A").delete()
    login_verified(client, w.mentor)
    youth = {r["e"].youth_id for r in client.get(url("students")).context["rows"]}
    # s1 and s2 are in 3A (linked); s2 also sent their dossier to the mentor.
    assert youth == {w.s1.youth.pk, w.s2.youth.pk}
    ClassMentor.objects.filter(mentor=w.mentor).delete()
    youth = {r["e"].youth_id for r in client.get(url("students")).context["rows"]}
    assert youth == {w.s2.youth.pk}
    login_verified(client, w.dean)
    response = client.get(url("students"))
    youth = {r["e"].youth_id for r in response.context["rows"]}
    assert {w.s1.youth.pk, w.s2.youth.pk, w.s_other_class.youth.pk} <= youth
    assert escape(w.s_other_class.youth.full_name) in response.content.decode()
    rows = client.get(url("students") + "?klas=5V2").context["rows"]
    assert [r["e"].youth_id for r in rows] == [w.s_other_class.youth.pk]
    rows = client.get(url("students") + "?fase=deel_b&q=tweedenaam").context["rows"]
    assert [r["e"].youth_id for r in rows] == [w.s2.youth.pk]
    assert rows[0]["latest"]["d"].pk == d2.pk
    number = w.s1.enrolment.student_number
    rows = client.get(url("students") + f"?q={number}").context["rows"]
    assert [r["e"].youth_id for r in rows] == [w.s1.youth.pk]


def test_status_in_words(client, w):
    walk_to("akkoordverklaring", student=w.s1, mentor=w.mentor)
    login_verified(client, w.mentor)
    html = client.get(url("students")).content.decode()
    assert "akkoordverklaring invullen" in html.lower()


def test_students_query_count_does_not_grow(client, w, django_assert_max_num_queries):
    login_verified(client, w.dean)
    walk_to("deel_b", student=w.s1, mentor=w.mentor)
    client.get(url("students"))
    with django_assert_max_num_queries(25) as few:
        client.get(url("students"))
    for index in range(30):
        student = make_student(w.vo)
        if index % 3 == 0:
            walk_to("deel_a", student=student, mentor=w.dean)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url("students"))
    assert response.context["page"].paginator.count >= 31
    assert len(response.context["rows"]) == 25


# --- Klaskoppeling ------------------------------------------------------------------------------


def test_dean_links_and_unlinks_a_mentor(client, w):
    login_verified(client, w.dean)
    response = post(client, url("class_mentors"), {"class_name": "5V2", "mentor": w.mentor2.pk})
    assert response.status_code == 302
    link = ClassMentor.objects.get(class_name="5V2", mentor=w.mentor2)
    assert AuditEvent.objects.filter(user_id=w.dean.pk, action=AuditAction.CREATE).exists()
    page = client.get(url("class_mentors"))
    assert escape(w.mentor2.full_name) in page.content.decode()
    # The student of 5V2 may now choose that mentor (and the decanen), not the other mentor.
    dossier = services.dossier_start(youth=w.s_other_class.youth, acting_user=w.s_other_class.user)
    recipients = set(selectors.dossier_recipients(dossier=dossier))
    assert recipients == {w.mentor2, w.dean}
    assert client.get(url("class_mentor_remove", link.pk)).status_code == 200
    assert post(client, url("class_mentor_remove", link.pk)).status_code == 302
    assert not ClassMentor.objects.filter(pk=link.pk).exists()
    assert set(selectors.dossier_recipients(dossier=dossier)) == {w.dean}


@pytest.mark.parametrize(
    "case", ["duplicate", "other_school_user", "not_a_mentor", "unknown_class", "empty"]
)
def test_klaskoppeling_refusals(client, w, case):
    other_school_mentor = UserFactory(organisation=w.other_school, roles=[Role.MENTOR])
    plain = UserFactory(organisation=w.vo, roles=[Role.USER])
    data = {
        "duplicate": {"class_name": "3A", "mentor": w.mentor.pk},
        "other_school_user": {"class_name": "3A", "mentor": other_school_mentor.pk},
        "not_a_mentor": {"class_name": "3A", "mentor": plain.pk},
        "unknown_class": {"class_name": "9Z9", "mentor": w.mentor2.pk},
        "empty": {},
    }[case]
    before = ClassMentor.objects.count()
    login_verified(client, w.dean)
    response = post(client, url("class_mentors"), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert ClassMentor.objects.count() == before


def test_klaskoppeling_service_refuses_with_dutch_messages(w):
    from django.core.exceptions import PermissionDenied, ValidationError

    with translation.override("nl"), pytest.raises(ValidationError) as exc:
        services.class_mentor_link(
            school=w.vo, class_name="3A", mentor=w.mentor, acting_user=w.dean
        )
    assert "al gekoppeld" in str(exc.value)
    with pytest.raises(PermissionDenied):
        services.class_mentor_link(
            school=w.vo, class_name="5V2", mentor=w.mentor, acting_user=w.mentor
        )


def test_another_schools_class_link_is_404(client, w):
    other_dean = UserFactory(organisation=w.other_school, roles=[Role.DEAN])
    link = ClassMentor.objects.get(mentor=w.mentor)
    login_verified(client, other_dean)
    assert client.get(url("class_mentor_remove", link.pk)).status_code == 404
    assert post(client, url("class_mentor_remove", link.pk)).status_code == 404
    assert ClassMentor.objects.filter(pk=link.pk).exists()


# --- Menu ---------------------------------------------------------------------------------------


def test_menu_has_the_ddd_for_mentors_and_deans_only(client, w):
    login_verified(client, w.mentor)
    names = [i["name"] for i in client.get(url("dashboard")).context["nav_items"]]
    assert {"ddd:dashboard", "ddd:dossiers", "ddd:students"} <= set(names)
    login_verified(client, w.users["school_gebruiker"])
    names = [i["name"] for i in client.get("/").context["nav_items"]]
    assert "ddd:dashboard" not in names


def test_part_progress_of_the_overviews_matches_the_domain_rule(w):
    dossiers = [
        walk_to("deel_a", student=w.s1, mentor=w.mentor),
        walk_to("deel_b", student=w.s2, mentor=w.mentor),
        walk_to("afgerond", student=make_student(w.vo), mentor=w.mentor),
    ]
    services.answers_save(
        dossier=dossiers[0],
        answers=dict(list(answers_for(dossiers[0], Part.A).items())[:3]),
        acting_user=w.s1.user,
    )
    fast = selectors.dossiers_part_progress(dossiers=dossiers)
    full = selectors.dossiers_progress(dossiers=dossiers)
    for dossier in dossiers:
        assert dict(fast[dossier.pk].parts) == dict(full[dossier.pk].parts)
    assert 0 < fast[dossiers[0].pk].parts[Part.A] < 100


def test_archiving_a_completed_dossier_keeps_it_for_the_mbo_and_lists_it_as_archived(client, w):
    """Issue 8: archiving withdrew a completed dossier from the MBO; staff had no archive list."""
    from tests.factories import AanmeldingFactory

    dossier = walk_to("afgerond", student=w.s1, mentor=w.mentor)
    AanmeldingFactory(youth=w.s1.youth, institution=w.mbo)
    mbo_user = w.users["mbo_gebruiker"]
    assert [d.pk for d in selectors.dossiers_for_mbo(user=mbo_user)] == [dossier.pk]
    login_verified(client, w.mentor)
    assert post(client, url("archive", dossier.pk)).status_code == 302
    dossier.refresh_from_db()
    assert dossier.archived
    assert [d.pk for d in selectors.dossiers_for_mbo(user=mbo_user)] == [dossier.pk]
    active = client.get(url("dossiers")).content.decode()
    assert f'data-dossier="{dossier.pk}"' not in active
    assert url("dossiers") + "?archief=1" in active
    for user in (w.mentor, w.dean):
        login_verified(client, user)
        archived = client.get(url("dossiers"), {"archief": "1"})
        assert archived.context["title"] == "Gearchiveerde dossiers"
        assert [r["d"].pk for r in archived.context["rows"]] == [dossier.pk]
    login_verified(client, w.mentor2)  # not their dossier, not their class
    assert client.get(url("dossiers"), {"archief": "1"}).context["rows"] == []
    dashboard = client.get(url("dashboard"))
    assert dashboard.status_code == 200

"""The dossier services end to end: rules, verloop, audit and signaalmails in the outbox."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.factories import AanmeldingFactory, EnrolmentFactory, StudentUserFactory, UserFactory
from vangnet.accounts.models import Role
from vangnet.audit.models import AuditEvent
from vangnet.dossiers import selectors, services
from vangnet.dossiers.models import (
    Answer,
    Consent,
    Dossier,
    DossierEvent,
    EventKind,
    Part,
    Phase,
)
from vangnet.notifications.models import OutboxMessage

from .helpers import answers_for, fill, link_class_mentor, make_student, walk_to, years_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def student(world):
    """A student whose class is linked to the VO mentor (so the mentor can be chosen)."""
    student = make_student(world.vo, first_name="Fenna", last_name="Zeldzaamnaam")
    link_class_mentor(student, world.users["vo_mentor"])
    return student


@pytest.fixture
def mentor(world):
    return world.users["vo_mentor"]


@pytest.fixture
def dean(world):
    return world.users["vo_decaan"]


def refused(code, call, **kwargs):
    with pytest.raises(ValidationError) as exc:
        call(**kwargs)
    assert exc.value.code == code, exc.value
    return exc.value


def events(dossier):
    return [
        (e.kind, e.from_phase, e.to_phase)
        for e in DossierEvent.objects.filter(dossier=dossier).exclude(kind=EventKind.ANSWERS_SAVED)
    ]


def mails():
    return list(OutboxMessage.objects.order_by("id"))


# --- Starting -----------------------------------------------------------------------------------


def test_student_starts_a_dossier_with_the_current_questionnaire(student, world):
    dossier = services.dossier_start(youth=student.youth, acting_user=student.user)
    assert dossier.phase == Phase.DEEL_A
    assert dossier.school == world.vo
    assert dossier.mentor is None
    assert dossier.questionnaire.number == 1 and dossier.questionnaire.published
    assert events(dossier) == [(EventKind.STARTED, Phase.DEEL_A, Phase.DEEL_A)]
    audit = AuditEvent.objects.get(object_type="dossiers.dossier", action="create")
    assert audit.youth_id == student.youth.pk and audit.user_id == student.user.pk


def test_a_student_starts_only_their_own_dossier(student, world):
    other = make_student(world.vo)
    with pytest.raises(PermissionDenied):
        services.dossier_start(youth=other.youth, acting_user=student.user)
    with pytest.raises(PermissionDenied):
        services.dossier_start(youth=student.youth, acting_user=StudentUserFactory())


def test_a_student_who_left_school_cannot_start(student):
    student.enrolment.unenrolment_processed = True
    student.enrolment.unenrolled_on = dt.date(2024, 7, 1)
    student.enrolment.save()
    with pytest.raises(ValidationError) as exc:
        services.dossier_start(youth=student.youth, acting_user=student.user)
    assert "niet ingeschreven" in exc.value.messages[0]


def test_a_dossier_may_be_tied_to_an_application_of_the_student_only(student, world):
    own = AanmeldingFactory(youth=student.youth, institution=world.mbo)
    dossier = services.dossier_start(youth=student.youth, acting_user=student.user, aanmelding=own)
    assert dossier.aanmelding == own
    foreign = AanmeldingFactory(institution=world.mbo)
    with pytest.raises(ValidationError):
        services.dossier_start(youth=student.youth, acting_user=student.user, aanmelding=foreign)


def test_mentor_starts_deel_b_early_but_cannot_finish_it(student, mentor):
    dossier = services.dossier_start(youth=student.youth, acting_user=mentor)
    assert dossier.mentor == mentor and dossier.deel_b_started_at is not None
    assert events(dossier) == [
        (EventKind.STARTED, Phase.DEEL_A, Phase.DEEL_A),
        (EventKind.DEEL_B_STARTED, Phase.DEEL_A, Phase.DEEL_A),
    ]
    fill(dossier, Part.B_STUDENT, mentor)
    refused(
        "deel_a_not_sent",
        services.answers_save,
        dossier=dossier,
        answers=answers_for(dossier, Part.B_DOSSIER),
        acting_user=mentor,
    )
    refused("deel_a_not_sent", services.deel_b_send_to_student, dossier=dossier, acting_user=mentor)
    # The student finds the dossier ready and fills in deel A; no "Nieuw dossier" needed.
    assert list(selectors.dossiers_for_student(user=student.user)) == [dossier]
    fill(dossier, Part.A, student.user)
    services.deel_a_send(dossier=dossier, recipient=mentor, acting_user=student.user)
    fill(dossier, Part.B_DOSSIER, mentor)
    dossier = services.deel_b_send_to_student(dossier=dossier, acting_user=mentor)
    assert dossier.phase == Phase.AKKOORD


def test_staff_start_only_for_students_of_their_school(student, world):
    with pytest.raises(PermissionDenied):
        services.dossier_start(youth=student.youth, acting_user=world.users["other_school"])
    plain = UserFactory(organisation=world.vo, roles=[Role.USER])
    with pytest.raises(PermissionDenied):
        services.dossier_start(youth=student.youth, acting_user=plain)
    elsewhere = EnrolmentFactory(organisation=world.pro).youth
    with pytest.raises(PermissionDenied):
        services.dossier_start(youth=elsewhere, acting_user=world.users["vo_mentor"])


def test_mentor_may_start_deel_b_on_a_dossier_the_student_started(student, mentor):
    dossier = services.dossier_start(youth=student.youth, acting_user=student.user)
    dossier = services.deel_b_start(dossier=dossier, acting_user=mentor)
    assert dossier.mentor == mentor
    refused("deel_b_already_started", services.deel_b_start, dossier=dossier, acting_user=mentor)
    # Now it is this mentor's: another mentor of the school has no business with it.
    other = UserFactory(organisation=dossier.school, roles=[Role.MENTOR])
    with pytest.raises(PermissionDenied):
        services.answers_save(
            dossier=dossier, answers=answers_for(dossier, Part.B_STUDENT), acting_user=other
        )


# --- Answers ------------------------------------------------------------------------------------


def test_answers_are_checked_against_their_question_in_dutch(student):
    dossier = services.dossier_start(youth=student.youth, acting_user=student.user)
    with pytest.raises(ValidationError) as exc:
        services.answers_save(
            dossier=dossier,
            answers={
                "telefoon": "0612345678",
                "huidige_opleiding": "Universiteit",
                "diploma_verwacht": "misschien",
                "aangemeld_op": "31-02-2026",
                "bestaat_niet": "x",
            },
            acting_user=student.user,
        )
    assert exc.value.message_dict == {"bestaat_niet": ["Deze vraag hoort niet bij de vragenlijst."]}
    with pytest.raises(ValidationError) as exc:
        services.answers_save(
            dossier=dossier,
            answers={
                "telefoon": "0612345678",
                "huidige_opleiding": "Universiteit",
                "diploma_verwacht": "misschien",
                "aangemeld_op": "31-02-2026",
                "over_mij": "x" * 5001,
            },
            acting_user=student.user,
        )
    assert exc.value.message_dict == {
        "huidige_opleiding": ["Kies een van de aangeboden mogelijkheden."],
        "diploma_verwacht": ["Antwoord met ja of nee."],
        "aangemeld_op": ["Vul een datum in als dd-mm-jjjj."],
        "over_mij": ["Vul hoogstens 5000 tekens in."],
    }
    assert not Answer.objects.exists()  # one bad answer: nothing saved


def test_saving_changing_and_clearing_answers(student):
    dossier = services.dossier_start(youth=student.youth, acting_user=student.user)
    services.answers_save(
        dossier=dossier,
        answers={
            "telefoon": " 0612345678 ",
            "lob_activiteiten": ["Iets anders", "Open dag bezocht"],
        },
        acting_user=student.user,
    )
    assert selectors.dossier_answers(dossier=dossier) == {
        "telefoon": "0612345678",
        "lob_activiteiten": ["Open dag bezocht", "Iets anders"],
    }
    saves = DossierEvent.objects.filter(dossier=dossier, kind=EventKind.ANSWERS_SAVED)
    assert saves.count() == 1 and saves.get().detail == {"parts": ["a"], "changed": 2}
    # The same answers again change nothing and leave no trace in the verloop.
    services.answers_save(
        dossier=dossier, answers={"telefoon": "0612345678"}, acting_user=student.user
    )
    assert saves.count() == 1
    services.answers_save(
        dossier=dossier, answers={"telefoon": "", "lob_activiteiten": []}, acting_user=student.user
    )
    assert selectors.dossier_answers(dossier=dossier) == {}
    assert saves.count() == 2


def test_student_cannot_answer_deel_b_and_mentor_cannot_answer_deel_a(student, mentor):
    dossier = walk_to("deel_b", student=student, mentor=mentor)
    refused(
        "only_mentor",
        services.answers_save,
        dossier=dossier,
        answers=answers_for(dossier, Part.B_STUDENT),
        acting_user=student.user,
    )
    refused(
        "only_student",
        services.answers_save,
        dossier=dossier,
        answers={"telefoon": "06"},
        acting_user=mentor,
    )
    refused(
        "deel_a_closed",
        services.answers_save,
        dossier=dossier,
        answers={"telefoon": "06"},
        acting_user=student.user,
    )
    refused(
        "deel_b_not_started",
        services.answers_save,
        dossier=dossier,
        answers=answers_for(dossier, Part.B_STUDENT),
        acting_user=mentor,
    )


def test_progress_per_step_and_part(student):
    dossier = services.dossier_start(youth=student.youth, acting_user=student.user)
    progress = selectors.dossier_progress(dossier=dossier)
    assert progress.steps["persoon"] == 0 and progress.parts["a"] == 0
    services.answers_save(
        dossier=dossier, answers={"telefoon": "06", "email": "a@b.nl"}, acting_user=student.user
    )
    progress = selectors.dossier_progress(dossier=dossier)
    assert progress.steps["persoon"] == 66  # 2 of 3 required questions
    fill(dossier, Part.A, student.user)
    progress = selectors.dossier_progress(dossier=dossier)
    assert progress.deel_a_complete and not progress.deel_b_student_complete
    assert all(progress.steps[s] == 100 for s in ("persoon", "schoolloopbaan", "lob"))


# --- Sending deel A -----------------------------------------------------------------------------


def test_deel_a_goes_only_complete_and_only_to_staff_of_the_school(student, mentor, world):
    dossier = services.dossier_start(youth=student.youth, acting_user=student.user)
    refused(
        "deel_a_incomplete",
        services.deel_a_send,
        dossier=dossier,
        recipient=mentor,
        acting_user=student.user,
    )
    fill(dossier, Part.A, student.user)
    for wrong in (
        world.users["other_school"],
        UserFactory(organisation=world.vo, roles=[Role.USER]),
        UserFactory(organisation=world.vo, roles=[Role.MENTOR], is_active=False),
    ):
        with pytest.raises(ValidationError) as exc:
            services.deel_a_send(dossier=dossier, recipient=wrong, acting_user=student.user)
        assert "recipient" in exc.value.message_dict
    assert not OutboxMessage.objects.exists()


def test_deel_a_sent_signals_the_mentor_without_personal_data(student, mentor):
    dossier = services.dossier_start(youth=student.youth, acting_user=student.user)
    fill(dossier, Part.A, student.user)
    dossier = services.deel_a_send(dossier=dossier, recipient=mentor, acting_user=student.user)
    assert dossier.phase == Phase.DEEL_B and dossier.mentor == mentor
    assert dossier.deel_a_sent_at is not None
    (mail,) = mails()
    assert mail.to == mentor.email
    assert "deel A" in mail.subject
    assert mentor.first_name in mail.body and "Lyceum Aastad" in mail.body
    text = mail.subject + mail.body
    for personal in (
        "Fenna",
        "Zeldzaamnaam",
        student.enrolment.student_number,
        student.youth.birth_date.isoformat(),
        "0612345678",
    ):
        assert personal not in text
    # It links to the mentor's overview on the public address; the reader signs in there.
    assert f"{settings.VANGNET_PUBLIC_URL}/ddd/dossiers/" in mail.body
    assert f"/{dossier.pk}/" not in mail.body


def test_the_student_may_choose_the_dean(student, dean):
    dossier = services.dossier_start(youth=student.youth, acting_user=student.user)
    fill(dossier, Part.A, student.user)
    assert set(selectors.dossier_recipients(dossier=dossier)) >= {dean}
    dossier = services.deel_a_send(dossier=dossier, recipient=dean, acting_user=student.user)
    assert dossier.mentor == dean
    services.deel_b_start(dossier=dossier, acting_user=dean)


# --- A full life --------------------------------------------------------------------------------


def test_full_life_with_wijzigen_terugzetten_and_a_second_round(student, mentor, world):
    user = student.user
    dossier = walk_to("akkoordverklaring", student=student, mentor=mentor)
    assert [m.to for m in mails()] == [mentor.email, user.email]
    assert "akkoordverklaring" in mails()[1].subject

    # Akkoordverklaring filled in, then "Wijzigen": back to deel A, the consent lapses.
    services.consent_give(
        dossier=dossier,
        acting_user=user,
        remark="Ik ben het niet eens met de aanwezigheid.",
        guardian_name="J. de Vries",
        guardian_relation="ouder",
        guardian_consented_on=timezone.localdate(),
    )
    dossier = services.consent_change_requested(dossier=dossier, acting_user=user)
    assert dossier.phase == Phase.DEEL_A and not Consent.objects.filter(dossier=dossier).exists()
    assert mails()[-1].to == mentor.email and "wijzigt" in mails()[-1].subject

    # The student changes deel A and sends it again: the mentor is told again.
    services.answers_save(dossier=dossier, answers={"telefoon": "0687654321"}, acting_user=user)
    dossier = services.deel_a_send(dossier=dossier, recipient=mentor, acting_user=user)
    assert mails()[-1].to == mentor.email and dossier.phase == Phase.DEEL_B

    # The mentor sends it back ("terugzetten"); deel B's answers stay.
    dossier = services.dossier_send_back_to_student(
        dossier=dossier, acting_user=mentor, note="Vul je stage nog aan."
    )
    assert dossier.phase == Phase.DEEL_A
    assert mails()[-1].to == user.email and "teruggezet" in mails()[-1].subject
    assert selectors.dossier_progress(dossier=dossier).deel_b_dossier_complete

    # Second round.
    dossier = services.deel_a_send(dossier=dossier, recipient=mentor, acting_user=user)
    dossier = services.deel_b_send_to_student(dossier=dossier, acting_user=mentor)
    refused("consent_missing", services.dossier_complete, dossier=dossier, acting_user=user)
    services.consent_give(
        dossier=dossier,
        acting_user=user,
        guardian_name="J. de Vries",
        guardian_relation="voogd",
        guardian_consented_on=timezone.localdate(),
    )
    dossier = services.dossier_complete(dossier=dossier, acting_user=user)
    assert dossier.phase == Phase.AFGEROND and dossier.completed_at is not None
    assert mails()[-1].to == user.email and "afgerond" in mails()[-1].subject
    assert [m.kind for m in mails()] == [
        "dossier_deel_a",
        "dossier_akkoord",
        "dossier_wijzigen",
        "dossier_deel_a",
        "dossier_teruggezet",
        "dossier_deel_a",
        "dossier_akkoord",
        "dossier_afgerond",
    ]

    A, B, AK, AF = Phase.DEEL_A, Phase.DEEL_B, Phase.AKKOORD, Phase.AFGEROND
    assert events(dossier) == [
        (EventKind.STARTED, A, A),
        (EventKind.DEEL_A_SENT, A, B),
        (EventKind.DEEL_B_STARTED, B, B),
        (EventKind.SENT_TO_STUDENT, B, AK),
        (EventKind.CONSENT_GIVEN, AK, AK),
        (EventKind.CHANGE_REQUESTED, AK, A),
        (EventKind.DEEL_A_SENT, A, B),
        (EventKind.SENT_BACK, B, A),
        (EventKind.DEEL_A_SENT, A, B),
        (EventKind.SENT_TO_STUDENT, B, AK),
        (EventKind.CONSENT_GIVEN, AK, AK),
        (EventKind.COMPLETED, AK, AF),
    ]
    sent_back = DossierEvent.objects.get(dossier=dossier, kind=EventKind.SENT_BACK)
    assert sent_back.user == mentor and sent_back.detail == {"note": "Vul je stage nog aan."}
    # One audit event per step of the verloop, each about this youth, in the same transactions.
    audited = AuditEvent.objects.filter(object_type="dossiers.dossier", object_id=str(dossier.pk))
    assert audited.count() == DossierEvent.objects.filter(dossier=dossier).count()
    assert set(audited.values_list("youth_id", flat=True)) == {student.youth.pk}

    # Completed is final, for everybody, except archiving.
    refused("completed", services.consent_change_requested, dossier=dossier, acting_user=user)
    refused(
        "completed",
        services.answers_save,
        dossier=dossier,
        answers={"telefoon": "06"},
        acting_user=user,
    )
    refused("only_student", services.dossier_complete, dossier=dossier, acting_user=mentor)


def test_send_back_only_from_deel_b(student, mentor):
    dossier = walk_to("akkoordverklaring", student=student, mentor=mentor)
    refused(
        "not_in_deel_b",
        services.dossier_send_back_to_student,
        dossier=dossier,
        acting_user=mentor,
    )
    with pytest.raises(ValidationError):
        services.dossier_send_back_to_student(dossier=dossier, acting_user=mentor, note="x" * 1001)


def test_deel_b_must_be_complete_before_it_goes_to_the_student(student, mentor):
    dossier = walk_to("deel_b", student=student, mentor=mentor)
    services.deel_b_start(dossier=dossier, acting_user=mentor)
    fill(dossier, Part.B_STUDENT, mentor)
    refused(
        "deel_b_incomplete", services.deel_b_send_to_student, dossier=dossier, acting_user=mentor
    )


# --- Archiving ----------------------------------------------------------------------------------


def test_archive_and_reactivate(student, mentor, dean):
    dossier = walk_to("deel_b", student=student, mentor=mentor)
    dossier = services.dossier_archive(dossier=dossier, acting_user=dean)
    assert dossier.archived and dossier.phase == Phase.DEEL_B
    refused("archived", services.deel_b_start, dossier=dossier, acting_user=mentor)
    refused("only_student", services.dossier_reactivate, dossier=dossier, acting_user=mentor)
    refused("only_mentor", services.dossier_archive, dossier=dossier, acting_user=student.user)
    dossier = services.dossier_reactivate(dossier=dossier, acting_user=student.user)
    assert not dossier.archived and dossier.archived_at is None and dossier.phase == Phase.DEEL_B
    refused("not_archived", services.dossier_reactivate, dossier=dossier, acting_user=student.user)
    assert events(dossier)[-2:] == [
        (EventKind.ARCHIVED, Phase.DEEL_B, Phase.DEEL_B),
        (EventKind.REACTIVATED, Phase.DEEL_B, Phase.DEEL_B),
    ]


def test_a_completed_dossier_can_be_archived(student, mentor):
    dossier = walk_to("afgerond", student=student, mentor=mentor)
    dossier = services.dossier_archive(dossier=dossier, acting_user=mentor)
    assert dossier.archived and dossier.phase == Phase.AFGEROND
    refused("archived", services.dossier_archive, dossier=dossier, acting_user=mentor)


# --- Who may act --------------------------------------------------------------------------------


def test_only_the_chosen_mentor_or_a_dean_of_the_school_acts_on_deel_b(
    student, mentor, dean, world
):
    dossier = walk_to("deel_b", student=student, mentor=mentor)
    other_mentor = UserFactory(organisation=world.vo, roles=[Role.MENTOR])
    for outsider in (other_mentor, world.users["other_school"], world.users["mbo_gebruiker"]):
        with pytest.raises(PermissionDenied):
            services.deel_b_start(dossier=dossier, acting_user=outsider)
    with pytest.raises(PermissionDenied):
        services.dossier_reactivate(dossier=dossier, acting_user=StudentUserFactory())
    services.deel_b_start(dossier=dossier, acting_user=dean)


# --- The akkoordverklaring and age --------------------------------------------------------------


def _to_consent(world, mentor, *, birth_date):
    student = make_student(world.vo, birth_date=birth_date)
    return student, walk_to("akkoordverklaring", student=student, mentor=mentor)


def test_under_18_needs_the_parent_or_guardian(world, mentor):
    student, dossier = _to_consent(world, mentor, birth_date=years_ago(18, days=-1))
    with pytest.raises(ValidationError) as exc:
        services.consent_give(dossier=dossier, acting_user=student.user, remark="Akkoord.")
    assert exc.value.message_dict["guardian_name"][0].startswith("Je bent jonger dan 18")
    assert not Consent.objects.exists()
    consent = services.consent_give(
        dossier=dossier,
        acting_user=student.user,
        guardian_name="P. Bakker",
        guardian_relation="verzorger",
        guardian_consented_on=timezone.localdate(),
    )
    assert consent.given_on == timezone.localdate() and consent.given_by == student.user


def test_18_today_needs_no_parent(world, mentor):
    student, dossier = _to_consent(world, mentor, birth_date=years_ago(18))
    consent = services.consent_give(dossier=dossier, acting_user=student.user, remark=" Goed ")
    assert consent.remark == "Goed" and consent.guardian_name == ""
    services.dossier_complete(dossier=dossier, acting_user=student.user)


def test_consent_can_be_corrected_and_is_checked(world, mentor):
    student, dossier = _to_consent(world, mentor, birth_date=years_ago(16))
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        services.consent_give(
            dossier=dossier,
            acting_user=student.user,
            guardian_name="P. Bakker",
            guardian_relation="buurman",
            guardian_consented_on=today + dt.timedelta(days=1),
        )
    assert set(exc.value.message_dict) == {"guardian_relation", "guardian_consented_on"}
    with pytest.raises(ValidationError) as exc:
        services.consent_give(
            dossier=dossier,
            acting_user=student.user,
            guardian_name="P. Bakker",
            guardian_relation="ouder",
            guardian_consented_on=today - dt.timedelta(days=30),
        )
    assert set(exc.value.message_dict) == {"guardian_consented_on"}
    for remark in ("Eerste versie", "Tweede versie"):
        services.consent_give(
            dossier=dossier,
            acting_user=student.user,
            remark=remark,
            guardian_name="P. Bakker",
            guardian_relation="ouder",
            guardian_consented_on=today,
        )
    assert Consent.objects.get(dossier=dossier).remark == "Tweede versie"
    refused(
        "not_in_akkoord",
        services.consent_give,
        dossier=walk_to("deel_b", student=student, mentor=mentor),
        acting_user=student.user,
    )


def test_the_database_refuses_half_a_guardian(student, mentor):
    dossier = walk_to("akkoordverklaring", student=student, mentor=mentor)
    with pytest.raises(IntegrityError), transaction.atomic():
        Consent.objects.create(
            dossier=dossier,
            guardian_name="P. Bakker",
            given_on=timezone.localdate(),
            given_by=student.user,
        )


def test_the_database_refuses_impossible_dossiers(student, world):
    version = services.questionnaire_default_ensure()
    base = {"youth": student.youth, "school": world.vo, "started_by": student.user}
    for fields in (
        {"phase": "deel_b"},  # no mentor, never sent
        {"phase": "onbekend"},
        {"phase": "afgerond"},
        {"phase": "deel_a", "archived": True},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Dossier.objects.create(questionnaire=version, **base, **fields)

"""Digitaal Doorstroomdossier data for the demo region (seed 001).

In the demo VO school: the klas → mentor links of the demo mentor, about thirty students with an
e-mail address, a few of them with a student account (one demo login), and dossiers in every
phase, walked through the services so that the verloop, the audit trail and the signaalmails are
real. The demo MBO takes part in the DDD and has applications of the students whose dossier is
completed. Called once from build_demo (which skips an existing demo region), reproducible.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from vangnet.accounts.models import AccountKind, User
from vangnet.dossiers import services
from vangnet.dossiers.models import (
    ClassMentor,
    Consent,
    Dossier,
    DossierEvent,
    EventKind,
    Part,
    Question,
    QuestionKind,
    StudentAccount,
)
from vangnet.jikp.models import Aanmelding, AanmeldingStatus, EducationLevel, LearningPath
from vangnet.organisations.models import Organisation
from vangnet.youth.models import Enrolment

from .accounts import DEMO_DOMAIN, DEMO_PASSWORD

RANDOM_SEED = 1701
SCHOOL = "vo"
MBO = "mbo"
STUDENTS_WITH_EMAIL = 30
DEMO_STUDENT_EMAIL = f"leerling.demo@{DEMO_DOMAIN}"
DAY = timedelta(days=1)

# What each student with an account gets: the demo login first. Only two are completed: each
# completion renders the dossier as PDF for the confirmation mail, which takes seconds.
#   (phase reached, programme applied for or "", warme overdracht, contact wanted, extra)
_PLANS: tuple[tuple[str, str, bool, bool, str], ...] = (
    ("akkoordverklaring", "Verzorgende IG", True, True, ""),  # leerling.demo
    ("afgerond", "Kok", True, True, ""),
    ("afgerond", "Medewerker ICT", False, True, "second_round"),
    ("deel_b", "", False, False, "b_started"),
    ("deel_b", "", False, False, ""),
    ("deel_a", "", False, False, "half"),
    ("deel_a", "", False, False, "archived"),
    ("deel_b_early", "", False, False, ""),
)
# Plausible answers per question of the standard questionnaire; other questions get a general text.
_ANSWERS: dict[str, tuple[str, ...]] = {
    "ouders_contact": ("Moeder: 06-98000100", "Vader en moeder: 06-98000200"),
    "over_mij": (
        "Ik sport graag en help in het weekend in de supermarkt. Ik ben goed met mensen.",
        "Ik ben creatief en werk graag met mijn handen. Thuis knutsel ik veel aan fietsen.",
    ),
    "profiel": ("Zorg en welzijn", "Economie", "Bouwen, wonen en interieur"),
    "schoolloopbaan_bijzonderheden": ("Ik ben in de tweede klas blijven zitten.",),
    "vakken_goed": ("Biologie en Engels.", "Praktijkvakken en wiskunde."),
    "vakken_moeilijk": ("Nederlands, vooral begrijpend lezen.", "Duits."),
    "keuzemotivatie": (
        "Tijdens mijn snuffelstage merkte ik dat ik dit werk echt leuk vind.",
        "Op de open dag sprak de opleiding mij het meest aan.",
    ),
    "beroepswens": ("Verzorgende in de ouderenzorg", "Kok in een restaurant", "Systeembeheerder"),
    "ondersteuning_welke": ("Hulp bij plannen van huiswerk en stages.",),
    "ondersteuning_nu": ("Eens per week een gesprek met de remedial teacher.",),
    "sterke_punten": (
        "Behulpzaam, betrouwbaar en werkt goed samen in een groep.",
        "Zelfstandig en nauwkeurig; neemt initiatief in praktijklessen.",
    ),
    "aandachtspunten": (
        "Plannen en op tijd inleveren van opdrachten.",
        "Vraagt niet snel om hulp.",
    ),
    "ondersteuning_toelichting": (
        "Begeleiding bij plannen door de mentor; een vaste werkplek in de klas werkte goed.",
    ),
    "advies_toelichting": (
        "De keuze past bij de interesses en de stage-ervaring van de leerling.",
        "Goede keuze; let op de taalvaardigheid in het eerste jaar.",
    ),
}
_GENERAL = "Zie de toelichting in het gesprek met de mentor."


@dataclass
class _Student:
    enrolment: Enrolment
    user: User


def _answer(question: Question, rng: random.Random, known: dict[str, Any]) -> Any:
    if question.key in known:
        return known[question.key]
    kind = question.kind
    if kind == QuestionKind.CHOICE:
        return rng.choice(question.choices)
    if kind == QuestionKind.MULTIPLE_CHOICE:
        return rng.sample(list(question.choices), k=min(2, len(question.choices)))
    if kind == QuestionKind.YES_NO:
        return rng.random() < 0.5
    if kind == QuestionKind.DATE:
        return (timezone.localdate() - timedelta(days=rng.randint(20, 60))).isoformat()
    return rng.choice(_ANSWERS.get(question.key, (_GENERAL,)))


def _answers(
    dossier: Dossier,
    part: str,
    rng: random.Random,
    *,
    share: float = 1.0,
    known: dict[str, Any] | None = None,
) -> dict[str, Any]:
    questions = Question.objects.filter(step__version=dossier.questionnaire_id, step__part=part)
    answers = {
        q.key: _answer(q, rng, known or {})
        for q in questions.order_by("step__order", "order")
        if q.required or q.key in (known or {}) or rng.random() < 0.6
    }
    if share < 1.0:
        keys = list(answers)[: max(1, int(len(answers) * share))]
        answers = {key: answers[key] for key in keys}
    return answers


def _students(school: Organisation, count: int) -> list[Enrolment]:
    """Schoolgoing students of the upper years with a BSN: the ones a DDD is for."""
    return list(
        Enrolment.objects.filter(
            organisation=school,
            unenrolment_processed=False,
            unenrolled_on__isnull=True,
            youth__bsn_index__isnull=False,
        )
        .select_related("youth")
        .order_by("-school_year_level", "class_name", "pk")[:count]
    )


def _accounts(enrolments: list[Enrolment]) -> list[_Student]:
    password = make_password(DEMO_PASSWORD)
    students = []
    for i, enrolment in enumerate(enrolments):
        youth = enrolment.youth
        user = User.objects.create(
            email=enrolment.student_email,
            first_name=youth.first_name[:100],
            last_name=" ".join(p for p in (youth.prefix, youth.last_name) if p)[:150],
            kind=AccountKind.STUDENT,
            organisation=None,
            password=password,
        )
        if i == 0:
            user.email = DEMO_STUDENT_EMAIL
            user.save(update_fields=["email"])
            Enrolment.objects.filter(pk=enrolment.pk).update(student_email=DEMO_STUDENT_EMAIL)
        services.student_account_link(user=user, youth=youth, acting_user=user)
        StudentAccount.objects.filter(user=user).update(ddd_activated_at=timezone.now())
        students.append(_Student(enrolment=enrolment, user=user))
    return students


def _walk(
    student: _Student,
    plan: tuple[str, str, bool, bool, str],
    *,
    mentor: User,
    mbo: Organisation,
    today: date,
    rng: random.Random,
) -> Dossier:
    phase, programme, warm, contact, extra = plan
    youth = student.enrolment.youth
    aanmelding = None
    if programme:
        aanmelding = Aanmelding.objects.create(
            youth=youth,
            institution=mbo,
            programme=programme,
            level=EducationLevel.LEVEL_2 if "Medewerker" in programme else EducationLevel.LEVEL_3,
            learning_path=LearningPath.BOL,
            status=AanmeldingStatus.RUNNING,
            applied_on=today - timedelta(days=rng.randint(20, 60)),
        )
    if phase == "deel_b_early":  # the mentor plans deel B before the student starts
        dossier = services.dossier_start(youth=youth, acting_user=mentor)
        services.answers_save(
            dossier=dossier,
            answers=_answers(dossier, Part.B_STUDENT, rng, share=0.5),
            acting_user=mentor,
        )
        return dossier
    dossier = services.dossier_start(youth=youth, acting_user=student.user, aanmelding=aanmelding)
    share = 0.5 if extra == "half" else 1.0
    known: dict[str, Any] = {
        "telefoon": f"06-98{youth.pk % 1_000_000:06d}",
        "email": student.user.email,
        "mbo_instelling": mbo.name,
    }
    if programme:
        known.update(mbo_opleiding=programme, aangemeld=True)
    services.answers_save(
        dossier=dossier,
        answers=_answers(dossier, Part.A, rng, share=share, known=known),
        acting_user=student.user,
    )
    if phase == "deel_a":
        if extra == "archived":
            services.dossier_archive(dossier=dossier, acting_user=mentor)
        return dossier
    services.deel_a_send(dossier=dossier, recipient=mentor, acting_user=student.user)
    if extra == "second_round":  # terugzetten, the student adds to deel A and sends it again
        services.dossier_send_back_to_student(
            dossier=dossier, acting_user=mentor, note="Vul je keuzemotivatie nog wat verder aan."
        )
        services.answers_save(
            dossier=dossier,
            answers={"keuzemotivatie": _ANSWERS["keuzemotivatie"][0] + " Ik heb ook meegelopen."},
            acting_user=student.user,
        )
        services.deel_a_send(dossier=dossier, recipient=mentor, acting_user=student.user)
    if phase == "deel_b" and extra != "b_started":
        return dossier
    services.deel_b_start(dossier=dossier, acting_user=mentor)
    if phase == "deel_b":
        services.answers_save(
            dossier=dossier,
            answers=_answers(dossier, Part.B_STUDENT, rng, share=0.6),
            acting_user=mentor,
        )
        return dossier
    known = {"warme_overdracht": warm, "contact_mbo_gewenst": contact, "opp": warm}
    if contact:
        known["contact_toelichting"] = "Graag een gesprek over de begeleiding in het eerste jaar."
    b_student = _answers(dossier, Part.B_STUDENT, rng, known=known)
    if not contact:
        b_student.pop("contact_toelichting", None)
    services.answers_save(dossier=dossier, answers=b_student, acting_user=mentor)
    services.answers_save(
        dossier=dossier, answers=_answers(dossier, Part.B_DOSSIER, rng), acting_user=mentor
    )
    services.deel_b_send_to_student(dossier=dossier, acting_user=mentor)
    if phase == "akkoordverklaring":
        return dossier
    services.consent_give(
        dossier=dossier,
        acting_user=student.user,
        remark="",
        guardian_name=f"M. {youth.last_name}",
        guardian_relation="ouder",
        guardian_consented_on=timezone.localdate(),
    )
    return services.dossier_complete(dossier=dossier, acting_user=student.user)


def _spread_in_time(dossier: Dossier, start: datetime) -> None:
    """Spread the verloop of a dossier walked through in one go over the weeks before today, and
    the dossier's own timestamps with it."""
    events = list(DossierEvent.objects.filter(dossier=dossier).order_by("at", "id"))
    for i, event in enumerate(events):
        event.at = start + i * 2 * DAY
    DossierEvent.objects.bulk_update(events, ["at"])
    first: dict[str, datetime] = {}
    for event in events:
        first.setdefault(event.kind, event.at)
    last_sent = max((e.at for e in events if e.kind == EventKind.DEEL_A_SENT), default=None)
    updates: dict[str, Any] = {"created_at": events[0].at}
    for field, kind in (
        ("deel_b_started_at", EventKind.DEEL_B_STARTED),
        ("sent_to_student_at", EventKind.SENT_TO_STUDENT),
        ("completed_at", EventKind.COMPLETED),
        ("archived_at", EventKind.ARCHIVED),
    ):
        if getattr(dossier, field) is not None and kind in first:
            updates[field] = first[kind]
    if last_sent is not None:
        updates["deel_a_sent_at"] = last_sent
    Dossier.objects.filter(pk=dossier.pk).update(**updates)
    consent_at = first.get(EventKind.CONSENT_GIVEN)
    if consent_at is not None:
        day = timezone.localdate(consent_at)
        Consent.objects.filter(dossier=dossier).update(
            given_at=consent_at, given_on=day, guardian_consented_on=day
        )


def build(orgs: dict[str, Organisation], users: list[User], today: date) -> dict[str, int]:
    """Add the DDD data; `orgs` by code suffix, `users` the demo staff accounts."""
    rng = random.Random(RANDOM_SEED)  # noqa: S311 - generated data, not security
    school, mbo = orgs[SCHOOL], orgs[MBO]
    mbo.takes_part_in_ddd = True
    mbo.save(update_fields=["takes_part_in_ddd"])
    mentor = next(u for u in users if u.email == f"vo.mentor@{DEMO_DOMAIN}")
    services.questionnaire_default_ensure()

    enrolments = _students(school, STUDENTS_WITH_EMAIL)
    # The first student is the demo login (leerling.demo); the others are numbered from 001, so
    # the accounts are leerling.demo and leerling.001 … leerling.007 (README, "Demo logins").
    for n, enrolment in enumerate(enrolments):
        enrolment.student_email = f"leerling.{n:03d}@{DEMO_DOMAIN}" if n else DEMO_STUDENT_EMAIL
    Enrolment.objects.bulk_update(enrolments, ["student_email"])
    classes = sorted({e.class_name for e in enrolments if e.class_name})
    ClassMentor.objects.bulk_create(
        [ClassMentor(organisation=school, class_name=c, mentor=mentor) for c in classes]
    )

    students = _accounts(enrolments[: len(_PLANS)])
    now = timezone.make_aware(datetime.combine(today, datetime.min.time()).replace(hour=9))
    dossiers = []
    for i, (student, plan) in enumerate(zip(students, _PLANS, strict=True)):
        dossier = _walk(student, plan, mentor=mentor, mbo=mbo, today=today, rng=rng)
        events = DossierEvent.objects.filter(dossier=dossier).count()
        _spread_in_time(dossier, now - (2 * events + i) * DAY)
        dossiers.append(dossier)
    return {
        "ddd_students_with_email": len(enrolments),
        "ddd_student_accounts": len(students),
        "ddd_class_mentors": len(classes),
        "ddd_dossiers": len(dossiers),
    }

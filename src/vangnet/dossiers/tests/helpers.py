"""Building blocks for the dossier tests: a student with an account, valid answers per part, and
a dossier walked to a phase through the services."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace
from typing import Any

from django.utils import timezone
from pypdf import PdfReader

from tests.factories import AanmeldingFactory, EnrolmentFactory, StudentAccountFactory
from vangnet.accounts.models import Role
from vangnet.dossiers import services
from vangnet.dossiers.models import ClassMentor, Dossier, Part, Question, QuestionKind
from vangnet.jikp.models import Aanmelding, AanmeldingStatus


def years_ago(years: int, days: int = 0) -> dt.date:
    today = timezone.localdate()
    try:
        born = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        born = today.replace(year=today.year - years, day=28)
    return born - dt.timedelta(days=days)


def make_student(school, *, birth_date: dt.date | None = None, **youth_fields) -> SimpleNamespace:
    enrolment = EnrolmentFactory(
        organisation=school,
        youth__birth_date=birth_date or years_ago(16),
        youth__municipality=school.municipality,
        **{f"youth__{k}": v for k, v in youth_fields.items()},
    )
    account = StudentAccountFactory(youth=enrolment.youth)
    return SimpleNamespace(user=account.user, youth=enrolment.youth, enrolment=enrolment)


def sample_value(question: Question) -> Any:
    return {
        QuestionKind.TEXT: "Een kort antwoord",
        QuestionKind.LONG_TEXT: "Een langer antwoord over deze vraag.",
        QuestionKind.CHOICE: (question.choices or [""])[0],
        QuestionKind.MULTIPLE_CHOICE: list(question.choices[:2]),
        QuestionKind.YES_NO: True,
        QuestionKind.DATE: "2026-01-15",
    }[QuestionKind(question.kind)]


def answers_for(dossier: Dossier, part: str, *, required_only: bool = True) -> dict[str, Any]:
    questions = Question.objects.filter(step__version=dossier.questionnaire_id, step__part=part)
    if required_only:
        questions = questions.filter(required=True)
    return {question.key: sample_value(question) for question in questions}


def fill(dossier: Dossier, part: str, user) -> Dossier:
    return services.answers_save(
        dossier=dossier, answers=answers_for(dossier, part), acting_user=user
    )


def link_class_mentor(student, mentor) -> None:
    """The klaskoppeling that lets the student choose `mentor` (a decaan needs none)."""
    if mentor.has_role(Role.MENTOR) and not mentor.has_role(Role.DEAN):
        ClassMentor.objects.get_or_create(
            organisation=student.enrolment.organisation,
            class_name=student.enrolment.class_name,
            mentor=mentor,
        )


def walk_to(phase: str, *, student, mentor) -> Dossier:
    """A dossier of `student`, sent to `mentor`, brought to `phase` through the services."""
    dossier = services.dossier_start(youth=student.youth, acting_user=student.user)
    if phase == "deel_a":
        return dossier
    fill(dossier, Part.A, student.user)
    link_class_mentor(student, mentor)
    dossier = services.deel_a_send(dossier=dossier, recipient=mentor, acting_user=student.user)
    if phase == "deel_b":
        return dossier
    services.deel_b_start(dossier=dossier, acting_user=mentor)
    fill(dossier, Part.B_STUDENT, mentor)
    fill(dossier, Part.B_DOSSIER, mentor)
    dossier = services.deel_b_send_to_student(dossier=dossier, acting_user=mentor)
    if (
        dossier.aanmelding_id is None
        and not Aanmelding.objects.filter(youth=student.youth)
        .exclude(status=AanmeldingStatus.WITHDRAWN)
        .exists()
    ):
        # "Akkoord" will need a known MBO: an application at an MBO of its own.
        AanmeldingFactory(youth=student.youth)
    if phase == "akkoordverklaring":
        return dossier
    services.consent_give(
        dossier=dossier,
        acting_user=student.user,
        guardian_name="J. de Vries",
        guardian_relation="ouder",
        guardian_consented_on=timezone.localdate(),
    )
    return services.dossier_complete(dossier=dossier, acting_user=student.user)


def pdf_text(content: bytes) -> str:
    """The text of a real PDF, every page, with runs of white space made single spaces."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def pdf_font_families(content: bytes) -> set[str]:
    """The font families embedded in a PDF ("ABCDEF+DejaVu-Sans-Bold" → "DejaVu-Sans")."""
    reader = PdfReader(io.BytesIO(content))
    families = set()
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            name = str(ref.get_object()["/BaseFont"]).lstrip("/")
            family = name.split("+")[-1]
            for style in ("-Oblique", "-Italic", "-Bold"):  # e.g. DejaVu-Sans-Bold-Oblique
                family = family.removesuffix(style)
            families.add(family)
    return families

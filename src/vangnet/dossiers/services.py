"""Writes of the Digitaal Doorstroomdossier. Each runs in one transaction, checks the rules of
domain/state.py, records the step in the verloop (DossierEvent) and audits in the same transaction.

Refusals: PermissionDenied when the user has no business with the dossier at all; ValidationError
(code = the domain reason, message in the active language) when the dossier's state does not
allow the action; ValidationError with a message per field for bad input.

Signaalmails carry no personal data of the student: the mentor is only told that a student sent
something, and asked to sign in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from vangnet.accounts.models import AccountKind, Role, User
from vangnet.audit.models import AuditAction
from vangnet.audit.services import audit_record
from vangnet.core import roles
from vangnet.core.users import organisation_of
from vangnet.jikp import services as jikp_services
from vangnet.jikp.models import Aanmelding
from vangnet.notifications.services import outbox_enqueue
from vangnet.organisations.models import SCHOOL_KINDS, Organisation
from vangnet.youth.models import Enrolment, Youth

from . import selectors
from .domain import consent as consent_rules
from .domain import questionnaire as q
from .domain.default_questionnaire import DEFAULT_STEPS
from .domain.state import Action, Actor, DossierState, TransitionRefused, decide
from .models import (
    Answer,
    ClassMentor,
    Consent,
    Dossier,
    DossierEvent,
    EventKind,
    GuardianRelation,
    Part,
    Phase,
    Question,
    QuestionnaireVersion,
    SchoolDossierSetting,
    Step,
    StudentAccount,
)
from .pdf import PDF_TYPE, dossier_pdf, dossier_pdf_filename

MAX_NOTE_LENGTH = 1000
SAVE_ACTIONS = {
    Part.A: Action.SAVE_A,
    Part.B_STUDENT: Action.SAVE_B_STUDENT,
    Part.B_DOSSIER: Action.SAVE_B_DOSSIER,
}


# --- Student accounts ---------------------------------------------------------------------------


@transaction.atomic
def student_account_link(*, user: User, youth: Youth, acting_user: User) -> StudentAccount:
    """Link a student's portal account to their person record (account activation)."""
    if user.kind != AccountKind.STUDENT:
        raise ValidationError(_("Only a student account can be linked to a student."))
    if (
        not Enrolment.objects.schoolgoing()
        .filter(youth=youth, organisation__kind__in=SCHOOL_KINDS)
        .exists()
    ):
        raise ValidationError(_("This student is not enrolled at a school."))
    try:
        with transaction.atomic():
            account = StudentAccount.objects.create(user=user, youth=youth)
    except IntegrityError as exc:
        raise ValidationError(
            _("This account or this student is already linked to another one.")
        ) from exc
    audit_record(
        user=acting_user,
        action=AuditAction.CREATE,
        obj=account,
        youth_id=youth.pk,
        description="student account linked",
    )
    return account


# --- The questionnaire --------------------------------------------------------------------------


def questionnaire_default_ensure() -> QuestionnaireVersion:
    """The current questionnaire; creates and publishes version 1 from DEFAULT_STEPS when the
    installation has none yet. Safe to call any number of times, also at the same time."""
    current = selectors.questionnaire_current()
    if current is not None:
        return current
    try:
        with transaction.atomic():
            if QuestionnaireVersion.objects.exists():
                raise _NoDefaultNeeded
            version = QuestionnaireVersion.objects.create(
                number=1, published=True, published_at=timezone.now()
            )
            _create_default_steps(version)
    except (IntegrityError, _NoDefaultNeeded):
        pass  # another process created it, or beheer has versions of its own
    current = selectors.questionnaire_current()
    if current is None:
        raise ValidationError(_("No questionnaire has been published yet."))
    return current


class _NoDefaultNeeded(Exception):
    pass


def _create_default_steps(version: QuestionnaireVersion) -> None:
    for step_order, default in enumerate(DEFAULT_STEPS, start=1):
        step = Step.objects.create(
            version=version,
            key=default.key,
            part=default.part.value,
            title=default.title,
            intro=default.intro,
            order=step_order,
        )
        Question.objects.bulk_create(
            Question(
                step=step,
                key=question.key,
                section=question.section,
                text=question.text,
                help_text=question.help_text,
                kind=question.kind.value,
                required=question.required,
                choices=list(question.choices),
                order=order,
            )
            for order, question in enumerate(default.questions, start=1)
        )


def _require_platform_admin(user: User) -> None:
    if not roles.is_platform_admin(user):
        raise PermissionDenied


def _require_draft(version: QuestionnaireVersion) -> None:
    if version.published:
        raise ValidationError(
            _("A published version cannot be changed. Make a new version based on it.")
        )


@transaction.atomic
def questionnaire_version_create_from(
    *, source: QuestionnaireVersion, acting_user: User
) -> QuestionnaireVersion:
    """A new draft version, a copy of `source`, to be edited and published by platform beheer."""
    _require_platform_admin(acting_user)
    number = (QuestionnaireVersion.objects.aggregate(n=Max("number"))["n"] or 0) + 1
    try:
        with transaction.atomic():
            version = QuestionnaireVersion.objects.create(
                number=number, based_on=source, created_by=acting_user
            )
    except IntegrityError as exc:
        raise ValidationError(
            _("Another version was made at the same time; please try again.")
        ) from exc
    for step in selectors.questionnaire_steps(version_id=source.pk):
        questions = list(step.questions.all())
        step.pk = None
        step.version = version
        step.save(force_insert=True)
        for question in questions:
            question.pk = None
            question.step = step
        Question.objects.bulk_create(questions)
    audit_record(
        user=acting_user,
        action=AuditAction.CREATE,
        obj=version,
        description="questionnaire version created",
        detail={"based_on": source.number},
    )
    return version


@transaction.atomic
def questionnaire_step_save(
    *,
    version: QuestionnaireVersion,
    acting_user: User,
    step: Step | None = None,
    key: str,
    part: str,
    title: str,
    intro: str = "",
    order: int = 0,
) -> Step:
    """Add a step to a draft version, or change one of its steps."""
    _require_platform_admin(acting_user)
    _require_draft(version)
    if step is None:
        step = Step(version=version)
    elif step.version_id != version.pk:
        raise PermissionDenied
    step.key, step.part, step.title, step.intro, step.order = key, part, title, intro, order
    step.full_clean()
    step.save()
    audit_record(
        user=acting_user,
        action=AuditAction.UPDATE,
        obj=version,
        description="questionnaire step saved",
        detail={"step": key},
    )
    return step


@transaction.atomic
def questionnaire_question_save(
    *,
    step: Step,
    acting_user: User,
    question: Question | None = None,
    key: str,
    text: str,
    kind: str,
    required: bool = True,
    choices: Sequence[str] = (),
    help_text: str = "",
    section: str = "",
    order: int = 0,
) -> Question:
    """Add a question to a step of a draft version, or change one of its questions."""
    _require_platform_admin(acting_user)
    version = step.version
    _require_draft(version)
    if question is None:
        question = Question(step=step)
    elif question.step.version_id != version.pk:
        raise PermissionDenied
    question.step = step
    question.key, question.text, question.kind = key, text, kind
    question.required, question.help_text, question.section, question.order = (
        required,
        help_text,
        section,
        order,
    )
    question.choices = [str(c).strip() for c in choices]
    question.full_clean()
    problem = q.choices_problem(q.Kind(kind), question.choices)
    if problem is not None:
        raise ValidationError(
            {"choices": _(q.DEFINITION_MESSAGES[problem]) % {"key": key}}, code=problem.value
        )
    if Question.objects.filter(step__version=version, key=key).exclude(pk=question.pk).exists():
        raise ValidationError(
            {"key": _(q.DEFINITION_MESSAGES[q.DefinitionReason.DUPLICATE_KEY]) % {"key": key}},
            code=q.DefinitionReason.DUPLICATE_KEY.value,
        )
    question.save()
    audit_record(
        user=acting_user,
        action=AuditAction.UPDATE,
        obj=version,
        description="questionnaire question saved",
        detail={"question": key},
    )
    return question


@transaction.atomic
def questionnaire_question_delete(*, question: Question, acting_user: User) -> None:
    _require_platform_admin(acting_user)
    version = question.step.version
    _require_draft(version)
    key = question.key
    question.delete()
    audit_record(
        user=acting_user,
        action=AuditAction.DELETE,
        obj=version,
        description="questionnaire question deleted",
        detail={"question": key},
    )


@transaction.atomic
def questionnaire_step_delete(*, step: Step, acting_user: User) -> None:
    _require_platform_admin(acting_user)
    version = step.version
    _require_draft(version)
    key = step.key
    step.delete()
    audit_record(
        user=acting_user,
        action=AuditAction.DELETE,
        obj=version,
        description="questionnaire step deleted",
        detail={"step": key},
    )


@transaction.atomic
def questionnaire_version_publish(
    *, version: QuestionnaireVersion, acting_user: User
) -> QuestionnaireVersion:
    """Publish a draft: from now on new dossiers start with it. Running dossiers keep theirs."""
    _require_platform_admin(acting_user)
    version = QuestionnaireVersion.objects.select_for_update().get(pk=version.pk)
    _require_draft(version)
    problems = q.definition_problems(
        selectors.step_definitions(selectors.questionnaire_steps(version_id=version.pk))
    )
    if problems:
        raise ValidationError(
            [ValidationError(_(p.message) % dict(p.params), code=p.reason.value) for p in problems]
        )
    version.published = True
    version.published_at = timezone.now()
    version.save(update_fields=["published", "published_at"])
    audit_record(
        user=acting_user,
        action=AuditAction.UPDATE,
        obj=version,
        description="questionnaire version published",
        detail={"number": version.number},
    )
    return version


# --- Dossier helpers ----------------------------------------------------------------------------


def _lock(dossier: Dossier) -> Dossier:
    return Dossier.objects.select_for_update().select_related("youth").get(pk=dossier.pk)


def _actor(dossier: Dossier, user: User) -> Actor:
    actor = selectors.actor_of(user=user, dossier=dossier)
    if actor is None:
        raise PermissionDenied
    return actor


def _state(dossier: Dossier) -> DossierState:
    return selectors.dossier_state(dossier=dossier)


def _decide(dossier: Dossier, action: Action, actor: Actor) -> DossierState:
    try:
        return decide(_state(dossier), action, actor)
    except TransitionRefused as exc:
        raise ValidationError(_(exc.message), code=exc.reason.value) from exc


def _record(
    *,
    dossier: Dossier,
    user: User,
    kind: EventKind,
    from_phase: str,
    description: str,
    detail: dict[str, Any] | None = None,
    audit_action: AuditAction = AuditAction.UPDATE,
) -> None:
    DossierEvent.objects.create(
        dossier=dossier,
        user=user,
        kind=kind,
        from_phase=from_phase,
        to_phase=dossier.phase,
        detail=detail or {},
    )
    audit_record(
        user=user,
        action=audit_action,
        obj=dossier,
        youth_id=dossier.youth_id,
        description=description,
        detail={"from": from_phase, "to": dossier.phase, **(detail or {})},
    )


def _mail(
    *,
    to: str,
    subject: str,
    template: str,
    context: dict[str, Any],
    kind: str,
    attachment: tuple[str, bytes, str] | None = None,
) -> None:
    if to:
        outbox_enqueue(
            to=to,
            subject=subject,
            body=render_to_string(f"dossiers/mail/{template}.txt", context),
            kind=kind,
            attachment=attachment,
        )


def _student_email(dossier: Dossier) -> str:
    account = StudentAccount.objects.filter(youth_id=dossier.youth_id).select_related("user")
    first = account.first()
    return first.user.email if first is not None and first.user.is_active else ""


def _current_school_enrolment(youth: Youth) -> Enrolment | None:
    return (
        Enrolment.objects.schoolgoing()
        .filter(youth=youth, organisation__kind__in=SCHOOL_KINDS)
        .select_related("organisation")
        .order_by("-enrolled_on", "-id")
        .first()
    )


# --- The dossier's life -------------------------------------------------------------------------


@transaction.atomic
def dossier_start(
    *, youth: Youth, acting_user: User, aanmelding: Aanmelding | None = None
) -> Dossier:
    """ "Nieuw dossier" by the student, or a mentor or decaan starting deel B before the student did.

    The dossier gets the current questionnaire version and keeps it for good. Started by staff,
    the starter becomes its mentor and deel B (the student-specific part) is started at once.
    """
    if acting_user.kind == AccountKind.STUDENT:
        if selectors.student_youth_id(user=acting_user) != youth.pk:
            raise PermissionDenied
        enrolment = _current_school_enrolment(youth)
        if enrolment is None:
            raise ValidationError(
                _("You are not enrolled at a school, so you cannot start a dossier.")
            )
        school = enrolment.organisation
        staff_start = False
    else:
        if not (
            acting_user.is_active
            and roles.is_school_user(acting_user)
            and (acting_user.has_role(Role.MENTOR) or acting_user.has_role(Role.DEAN))
        ):
            raise PermissionDenied
        school = organisation_of(acting_user)
        if not Enrolment.objects.schoolgoing().filter(youth=youth, organisation=school).exists():
            raise PermissionDenied
        staff_start = True
    if aanmelding is not None and aanmelding.youth_id != youth.pk:
        raise ValidationError(_("This application belongs to another student."))
    now = timezone.now()
    dossier = Dossier.objects.create(
        youth=youth,
        school=school,
        mentor=acting_user if staff_start else None,
        started_by=acting_user,
        questionnaire=questionnaire_default_ensure(),
        aanmelding=aanmelding,
        deel_b_started_at=now if staff_start else None,
    )
    _record(
        dossier=dossier,
        user=acting_user,
        kind=EventKind.STARTED,
        from_phase=Phase.DEEL_A,
        description="dossier started",
        detail={"version": dossier.questionnaire.number},
        audit_action=AuditAction.CREATE,
    )
    if staff_start:
        _record(
            dossier=dossier,
            user=acting_user,
            kind=EventKind.DEEL_B_STARTED,
            from_phase=Phase.DEEL_A,
            description="dossier deel B started early",
        )
    return dossier


@transaction.atomic
def answers_save(*, dossier: Dossier, answers: Mapping[str, Any], acting_user: User) -> Dossier:
    """Save answers (question key → value; None or empty clears one) of deel A (student) or deel B
    (mentor). Every answer is checked against its question; one bad answer and nothing is saved."""
    dossier = _lock(dossier)
    actor = _actor(dossier, acting_user)
    questions = {
        question.key: question
        for question in Question.objects.filter(step__version_id=dossier.questionnaire_id)
        .select_related("step")
        .filter(key__in=list(answers))
    }
    errors: dict[str, str] = {
        key: _("This question is not part of the questionnaire.")
        for key in answers
        if key not in questions
    }
    if errors:
        raise ValidationError(errors)
    for part in sorted({Part(question.step.part) for question in questions.values()}):
        _decide(dossier, SAVE_ACTIONS[part], actor)
    cleaned: dict[str, Any] = {}
    for key, raw in answers.items():
        question = questions[key]
        definition = q.QuestionDef(
            key=key,
            kind=q.Kind(question.kind),
            required=question.required,
            choices=tuple(question.choices or ()),
        )
        try:
            cleaned[key] = q.clean_answer(definition, raw)
        except q.AnswerInvalid as exc:
            errors[key] = _(exc.message) % exc.params if exc.params else _(exc.message)
    if errors:
        raise ValidationError(errors)
    existing = {
        answer.question_id: answer
        for answer in Answer.objects.filter(
            dossier=dossier, question_id__in=[qu.pk for qu in questions.values()]
        )
    }
    now = timezone.now()
    to_create, to_update, to_delete = [], [], []
    for key, value in cleaned.items():
        question = questions[key]
        answer = existing.get(question.pk)
        if value is None:
            if answer is not None:
                to_delete.append(answer.pk)
        elif answer is None:
            to_create.append(
                Answer(
                    dossier=dossier,
                    question=question,
                    value=value,
                    updated_by=acting_user,
                    updated_at=now,
                )
            )
        elif answer.value != value:
            answer.value, answer.updated_by, answer.updated_at = value, acting_user, now
            to_update.append(answer)
    Answer.objects.filter(pk__in=to_delete).delete()
    Answer.objects.bulk_create(to_create)
    Answer.objects.bulk_update(to_update, ["value", "updated_by", "updated_at"])
    changed = len(to_create) + len(to_update) + len(to_delete)
    if changed:
        parts = sorted({questions[key].step.part for key in cleaned})
        _record(
            dossier=dossier,
            user=acting_user,
            kind=EventKind.ANSWERS_SAVED,
            from_phase=dossier.phase,
            description="dossier answers saved",
            detail={"parts": parts, "changed": changed},
        )
    return dossier


@transaction.atomic
def deel_a_send(*, dossier: Dossier, recipient: User, acting_user: User) -> Dossier:
    """ "Opsturen": the student sends a complete deel A to a mentor or decaan of the school, who
    gets a signaalmail. Also used to send deel A again after "terugzetten" or "Wijzigen"."""
    dossier = _lock(dossier)
    actor = _actor(dossier, acting_user)
    new = _decide(dossier, Action.SEND_A, actor)
    if not selectors.dossier_recipients(dossier=dossier).filter(pk=recipient.pk).exists():
        raise ValidationError(
            {"recipient": _("Choose a mentor or careers counsellor of your school.")}
        )
    from_phase = dossier.phase
    dossier.phase = new.phase
    dossier.mentor = recipient
    dossier.deel_a_sent_at = timezone.now()
    dossier.save(update_fields=["phase", "mentor", "deel_a_sent_at", "updated_at"])
    _record(
        dossier=dossier,
        user=acting_user,
        kind=EventKind.DEEL_A_SENT,
        from_phase=from_phase,
        description="dossier deel A sent",
        detail={"recipient": recipient.pk},
    )
    _mail(
        to=recipient.email,
        subject=_("Vangnet: a student sent part A of a transfer dossier"),
        template="deel_a_sent",
        context={"recipient": recipient, "school": dossier.school},
        kind="dossier_deel_a",
    )
    return dossier


@transaction.atomic
def deel_b_start(*, dossier: Dossier, acting_user: User) -> Dossier:
    """ "Start deel B": possible before the student sent deel A (the student-specific part)."""
    dossier = _lock(dossier)
    actor = _actor(dossier, acting_user)
    _decide(dossier, Action.START_B, actor)
    dossier.deel_b_started_at = timezone.now()
    if dossier.mentor_id is None:
        dossier.mentor = acting_user
    dossier.save(update_fields=["deel_b_started_at", "mentor", "updated_at"])
    _record(
        dossier=dossier,
        user=acting_user,
        kind=EventKind.DEEL_B_STARTED,
        from_phase=dossier.phase,
        description="dossier deel B started",
    )
    return dossier


@transaction.atomic
def deel_b_send_to_student(*, dossier: Dossier, acting_user: User) -> Dossier:
    """ "Opsturen naar leerling": both parts of deel B are 100 %; the student is asked by mail to
    fill in the akkoordverklaring."""
    dossier = _lock(dossier)
    actor = _actor(dossier, acting_user)
    new = _decide(dossier, Action.SEND_TO_STUDENT, actor)
    from_phase = dossier.phase
    dossier.phase = new.phase
    dossier.sent_to_student_at = timezone.now()
    dossier.save(update_fields=["phase", "sent_to_student_at", "updated_at"])
    _record(
        dossier=dossier,
        user=acting_user,
        kind=EventKind.SENT_TO_STUDENT,
        from_phase=from_phase,
        description="dossier sent to student",
    )
    _mail(
        to=_student_email(dossier),
        subject=_("Vangnet: fill in the declaration of consent of your transfer dossier"),
        template="sent_to_student",
        context={},
        kind="dossier_akkoord",
    )
    return dossier


@transaction.atomic
def dossier_send_back_to_student(*, dossier: Dossier, acting_user: User, note: str = "") -> Dossier:
    """ "Terugzetten naar leerling": deel B goes back to deel A (e.g. for an addition, or when the
    wrong mentor was chosen); the student is notified. Deel B's answers stay."""
    note = note.strip()
    if len(note) > MAX_NOTE_LENGTH:
        raise ValidationError({"note": _("Enter at most 1000 characters.")})
    dossier = _lock(dossier)
    actor = _actor(dossier, acting_user)
    new = _decide(dossier, Action.SEND_BACK, actor)
    from_phase = dossier.phase
    dossier.phase = new.phase
    dossier.save(update_fields=["phase", "updated_at"])
    _record(
        dossier=dossier,
        user=acting_user,
        kind=EventKind.SENT_BACK,
        from_phase=from_phase,
        description="dossier sent back to student",
        detail={"note": note} if note else None,
    )
    _mail(
        to=_student_email(dossier),
        subject=_("Vangnet: your transfer dossier was sent back to you"),
        template="sent_back",
        # Only that there is a note: its text may hold personal data, a mail may not.
        context={"has_note": bool(note)},
        kind="dossier_teruggezet",
    )
    return dossier


@transaction.atomic
def dossier_archive(*, dossier: Dossier, acting_user: User) -> Dossier:
    """The mentor or decaan takes the dossier out of the overviews; it keeps its phase."""
    dossier = _lock(dossier)
    actor = _actor(dossier, acting_user)
    _decide(dossier, Action.ARCHIVE, actor)
    dossier.archived = True
    dossier.archived_at = timezone.now()
    dossier.save(update_fields=["archived", "archived_at", "updated_at"])
    _record(
        dossier=dossier,
        user=acting_user,
        kind=EventKind.ARCHIVED,
        from_phase=dossier.phase,
        description="dossier archived",
    )
    return dossier


@transaction.atomic
def dossier_reactivate(*, dossier: Dossier, acting_user: User) -> Dossier:
    """The student brings an archived dossier back, in the phase it had."""
    dossier = _lock(dossier)
    actor = _actor(dossier, acting_user)
    _decide(dossier, Action.REACTIVATE, actor)
    dossier.archived = False
    dossier.archived_at = None
    dossier.save(update_fields=["archived", "archived_at", "updated_at"])
    _record(
        dossier=dossier,
        user=acting_user,
        kind=EventKind.REACTIVATED,
        from_phase=dossier.phase,
        description="dossier reactivated",
    )
    return dossier


@transaction.atomic
def consent_give(
    *,
    dossier: Dossier,
    acting_user: User,
    remark: str = "",
    guardian_name: str = "",
    guardian_relation: str = "",
    guardian_consented_on: dt.date | None = None,
) -> Consent:
    """Fill in (or correct) the akkoordverklaring: remarks, e.g. on deel B, and, for a student under
    18 today, the parent's or guardian's consent. "Akkoord" (dossier_complete) finishes it."""
    dossier = _lock(dossier)
    actor = _actor(dossier, acting_user)
    _decide(dossier, Action.GIVE_CONSENT, actor)
    remark, guardian_name = remark.strip(), guardian_name.strip()
    today = timezone.localdate()
    assert dossier.sent_to_student_at is not None  # a dossier in akkoordverklaring was sent
    problems: dict[str, str] = {
        field: _(consent_rules.CONSENT_MESSAGES[reason])
        for field, reason in consent_rules.consent_problems(
            birth_date=dossier.youth.birth_date,
            today=today,
            sent_on=timezone.localdate(dossier.sent_to_student_at),
            remark=remark,
            guardian_name=guardian_name,
            guardian_relation=guardian_relation,
            guardian_consented_on=guardian_consented_on,
        ).items()
    }
    if guardian_relation and guardian_relation not in GuardianRelation.values:
        problems["guardian_relation"] = _("Choose one of the options offered.")
    if problems:
        raise ValidationError(problems)
    consent, created = Consent.objects.update_or_create(
        dossier=dossier,
        defaults={
            "remark": remark,
            "guardian_name": guardian_name,
            "guardian_relation": guardian_relation,
            "guardian_consented_on": guardian_consented_on,
            "given_on": today,
            "given_at": timezone.now(),
            "given_by": acting_user,
        },
    )
    _record(
        dossier=dossier,
        user=acting_user,
        kind=EventKind.CONSENT_GIVEN,
        from_phase=dossier.phase,
        description="dossier declaration of consent filled in",
        detail={"guardian": bool(guardian_name), "corrected": not created},
    )
    return consent


@transaction.atomic
def consent_change_requested(*, dossier: Dossier, acting_user: User) -> Dossier:
    """ "Wijzigen": the student takes the dossier from the akkoordverklaring back to deel A to
    change it and send it again. An akkoordverklaring already filled in lapses; the mentor is
    notified."""
    dossier = _lock(dossier)
    actor = _actor(dossier, acting_user)
    new = _decide(dossier, Action.REQUEST_CHANGE, actor)
    withdrawn, _deleted = Consent.objects.filter(dossier=dossier).delete()
    from_phase = dossier.phase
    dossier.phase = new.phase
    dossier.save(update_fields=["phase", "updated_at"])
    _record(
        dossier=dossier,
        user=acting_user,
        kind=EventKind.CHANGE_REQUESTED,
        from_phase=from_phase,
        description="dossier reopened by student",
        detail={"consent_withdrawn": bool(withdrawn)},
    )
    if dossier.mentor is not None:
        _mail(
            to=dossier.mentor.email,
            subject=_("Vangnet: a student is changing part A of a transfer dossier"),
            template="change_requested",
            context={"recipient": dossier.mentor, "school": dossier.school},
            kind="dossier_wijzigen",
        )
    return dossier


@transaction.atomic
def dossier_complete(*, dossier: Dossier, acting_user: User) -> Dossier:
    """ "Akkoord": the student agrees for good. The dossier is completed and visible to the MBO
    the student applied to (refused while no MBO is known); the student gets a confirmation by
    mail."""
    dossier = _lock(dossier)
    actor = _actor(dossier, acting_user)
    new = _decide(dossier, Action.COMPLETE, actor)
    from_phase = dossier.phase
    dossier.phase = new.phase
    dossier.completed_at = timezone.now()
    dossier.save(update_fields=["phase", "completed_at", "updated_at"])
    _record(
        dossier=dossier,
        user=acting_user,
        kind=EventKind.COMPLETED,
        from_phase=from_phase,
        description="dossier completed",
    )
    to = _student_email(dossier)
    if to:
        _mail(
            to=to,
            subject=_("Vangnet: your transfer dossier is completed"),
            template="completed",
            context={},
            kind="dossier_afgerond",
            attachment=(
                dossier_pdf_filename(dossier=dossier),
                dossier_pdf(dossier=dossier),
                PDF_TYPE,
            ),
        )
    return dossier


# --- Student screens ----------------------------------------------------------------------------

MAX_PROGRAMME_LENGTH = 200
MAX_LEVEL_LENGTH = 20


@transaction.atomic
def dossier_start_for_student(*, youth: Youth, acting_user: User) -> tuple[Dossier, bool]:
    """ "Nieuw dossier" in the student portal: (dossier, created).

    Only after "Activeer DDD". When a mentor or decaan already started deel B early for this
    student, that dossier is the student's to continue: no second dossier is made.
    """
    if acting_user.kind != AccountKind.STUDENT:
        raise PermissionDenied
    account = (
        StudentAccount.objects.select_for_update().filter(user=acting_user, youth=youth).first()
    )
    if account is None:
        raise PermissionDenied
    if account.ddd_activated_at is None:
        raise ValidationError(
            _("Activate the transfer dossier on your start page first."), code="not_activated"
        )
    waiting = (
        Dossier.objects.filter(youth=youth, phase=Phase.DEEL_A, archived=False)
        .exclude(started_by__kind=AccountKind.STUDENT)
        .order_by("created_at", "id")
        .first()
    )
    if waiting is not None:
        return waiting, False
    school = _current_school_enrolment(youth)
    if (
        school is not None
        and selectors.open_dossier_exists(youth_id=youth.pk)
        and not selectors.parallel_dossiers_allowed(school_id=school.organisation_id)
    ):
        raise ValidationError(
            _(
                "You already have a dossier that is not completed. Continue with that one; your "
                "school allows one open dossier at a time."
            ),
            code="open_dossier_exists",
        )
    return dossier_start(youth=youth, acting_user=acting_user), True


@transaction.atomic
def consent_give_and_complete(
    *,
    dossier: Dossier,
    acting_user: User,
    remark: str = "",
    guardian_name: str = "",
    guardian_relation: str = "",
    guardian_consented_on: dt.date | None = None,
) -> Dossier:
    """ "Akkoord" on the akkoordverklaring page: fill it in and complete the dossier at once; when
    either step is refused, neither happens."""
    consent_give(
        dossier=dossier,
        acting_user=acting_user,
        remark=remark,
        guardian_name=guardian_name,
        guardian_relation=guardian_relation,
        guardian_consented_on=guardian_consented_on,
    )
    return dossier_complete(dossier=dossier, acting_user=acting_user)


def _aanmelding_editable(dossier: Dossier, acting_user: User) -> Dossier:
    from .domain.state import MESSAGES, Reason

    dossier = _lock(dossier)
    if _actor(dossier, acting_user) != Actor.STUDENT:
        raise PermissionDenied
    # A completed dossier without an application may still get one (to reach its MBO).
    if dossier.phase == Phase.AFGEROND and selectors.dossiers_mbo_known(dossiers=[dossier]):
        raise ValidationError(_(MESSAGES[Reason.COMPLETED]), code=Reason.COMPLETED.value)
    if dossier.archived:
        raise ValidationError(_(MESSAGES[Reason.ARCHIVED]), code=Reason.ARCHIVED.value)
    return dossier


def _aanmelding_link(dossier: Dossier, aanmelding: Aanmelding, acting_user: User) -> None:
    dossier.aanmelding = aanmelding
    dossier.save(update_fields=["aanmelding", "updated_at"])
    audit_record(
        user=acting_user,
        action=AuditAction.UPDATE,
        obj=dossier,
        youth_id=dossier.youth_id,
        description="dossier MBO application linked",
        detail={"aanmelding": aanmelding.pk, "institution": aanmelding.institution_id},
    )


@transaction.atomic
def dossier_aanmelding_link(
    *, dossier: Dossier, acting_user: User, aanmelding: Aanmelding
) -> Dossier:
    """The student names one of their own MBO applications as the one this dossier is for."""
    from vangnet.jikp.models import AanmeldingStatus

    dossier = _aanmelding_editable(dossier, acting_user)
    if aanmelding.youth_id != dossier.youth_id:
        raise ValidationError({"aanmelding": _("This application belongs to another student.")})
    if aanmelding.status == AanmeldingStatus.WITHDRAWN:
        raise ValidationError({"aanmelding": _("This application was withdrawn.")})
    _aanmelding_link(dossier, aanmelding, acting_user)
    return dossier


@transaction.atomic
def dossier_aanmelding_set(
    *, dossier: Dossier, acting_user: User, institution: Any, programme: str, level: str = ""
) -> Dossier:
    """The student enters the MBO they applied to (instelling, opleiding, niveau): a running
    Aanmelding is created and linked to the dossier. A later issue fills applications from the MBO
    feeds; until then this is how the MBO gets to see the completed dossier."""
    from vangnet.organisations.models import Organisation, OrganisationKind

    dossier = _aanmelding_editable(dossier, acting_user)
    programme, level = programme.strip(), level.strip()
    errors: dict[str, str] = {}
    if not (
        isinstance(institution, Organisation)
        and institution.kind == OrganisationKind.MBO
        and institution.is_active
    ):
        errors["institution"] = _("Choose an MBO institution from the list.")
    if not programme:
        errors["programme"] = _("Enter the programme you applied for.")
    elif len(programme) > MAX_PROGRAMME_LENGTH:
        errors["programme"] = _("Enter at most 200 characters.")
    if len(level) > MAX_LEVEL_LENGTH:
        errors["level"] = _("Enter at most 20 characters.")
    if errors:
        raise ValidationError(errors)
    # One service for every new application, so that the school's education perspective is
    # filled from it (seed 000 §4.3.1) whichever way it arrives.
    aanmelding = jikp_services.aanmelding_create(
        youth=dossier.youth,
        data={"institution": institution, "programme": programme, "level": level},
        acting_user=acting_user,
        description="MBO application entered by student",
    )
    _aanmelding_link(dossier, aanmelding, acting_user)
    return dossier


# --- Staff screens ------------------------------------------------------------------------------


def _require_dean_of(user: User, school_id: int) -> None:
    if not (
        user.is_active
        and user.kind == AccountKind.STAFF
        and roles.is_school_user(user)
        and user.has_role(Role.DEAN)
        and user.organisation_id == school_id
    ):
        raise PermissionDenied


@transaction.atomic
def class_mentor_link(
    *, school: Organisation, class_name: str, mentor: User, acting_user: User
) -> ClassMentor:
    """The decaan links a mentor of the school to a class of the school ("Alle leerlingen →
    mentoren"); the class's students can then send deel A to that mentor."""
    _require_dean_of(acting_user, school.pk)
    class_name = " ".join(class_name.split())
    if class_name not in selectors.school_classes(school_id=school.pk):
        raise ValidationError({"class_name": _("Choose a class of your school.")})
    if not (
        mentor.is_active
        and mentor.kind == AccountKind.STAFF
        and mentor.organisation_id == school.pk
        and mentor.has_role(Role.MENTOR)
    ):
        raise ValidationError({"mentor": _("Choose a mentor of your school.")})
    if ClassMentor.objects.filter(
        organisation=school, class_name=class_name, mentor=mentor
    ).exists():
        raise ValidationError(_("This mentor is already linked to this class."))
    try:
        with transaction.atomic():
            link = ClassMentor.objects.create(
                organisation=school, class_name=class_name, mentor=mentor
            )
    except IntegrityError as exc:
        raise ValidationError(_("This mentor is already linked to this class.")) from exc
    audit_record(
        user=acting_user,
        action=AuditAction.CREATE,
        obj=link,
        description="class mentor linked",
        detail={"class": class_name, "mentor": mentor.pk},
    )
    return link


@transaction.atomic
def class_mentor_unlink(*, link: ClassMentor, acting_user: User) -> None:
    _require_dean_of(acting_user, link.organisation_id)
    audit_record(
        user=acting_user,
        action=AuditAction.DELETE,
        obj=link,
        description="class mentor unlinked",
        detail={"class": link.class_name, "mentor": link.mentor_id},
    )
    link.delete()


@transaction.atomic
def school_dossier_setting_save(
    *, school: Organisation, parallel_dossiers: bool, acting_user: User
) -> SchoolDossierSetting:
    """The decaan chooses whether students may have more than one open dossier."""
    _require_dean_of(acting_user, school.pk)
    setting, _created = SchoolDossierSetting.objects.update_or_create(
        organisation=school, defaults={"parallel_dossiers": parallel_dossiers}
    )
    audit_record(
        user=acting_user,
        action=AuditAction.UPDATE,
        obj=setting,
        description="school dossier setting saved",
        detail={"parallel_dossiers": parallel_dossiers},
    )
    return setting

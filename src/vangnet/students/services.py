"""Writes of the student portal: account activation, "Activeer DDD", and the account instructions
a school sends its students. Each runs in one transaction and is audited in it."""

from __future__ import annotations

import datetime as dt
import enum
import io
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from vangnet.accounts.models import AccountKind, User
from vangnet.accounts.tokens import WELCOME_LINK_DAYS
from vangnet.audit.models import AuditAction
from vangnet.audit.services import audit_many, audit_record
from vangnet.core import crypto
from vangnet.dossiers.models import StudentAccount
from vangnet.dossiers.services import student_account_link
from vangnet.notifications.services import outbox_enqueue
from vangnet.organisations.models import Organisation
from vangnet.youth.domain.identifiers import is_valid_bsn, normalise_number
from vangnet.youth.models import Enrolment, Youth

from . import selectors, texts
from .tokens import student_password_token


class Activation(enum.StrEnum):
    """What an activation request led to. The student is shown the same message for each."""

    LINK_SENT = "link_sent"  # a new account; mail with the link to choose a password
    ALREADY_ACTIVE = "already_active"  # an account exists; mail with a link to a new password
    REFUSED = "refused"  # nothing matched (or the address is taken); no mail


def password_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = student_password_token.make_token(user)
    return texts.public_url(reverse("students:set_password", args=[uid, token]))


def _refuse(*, reason: str, school: Organisation, youth_id: int | None = None) -> Activation:
    audit_record(
        user=None,
        action=AuditAction.LOGIN_FAILED,
        youth_id=youth_id,
        description="student account activation refused",
        detail={"reason": reason, "school": school.pk},
    )
    return Activation.REFUSED


def _mail_link(*, user: User, school: Organisation, existing: bool) -> None:
    days = WELCOME_LINK_DAYS
    values = {"name": user.first_name, "school": school.name, "days": days}
    if existing:
        subject = _("Your student portal account")
        intro = _(
            "Hello %(name)s,\n\nSomeone (hopefully you) asked to activate your account of the "
            "student portal. You already have an account: sign in with your e-mail address and "
            "the password you chose before. Forgot the password? Choose a new one with the link "
            "below. It works once and is valid for %(days)s days:"
        )
    else:
        subject = _("Choose the password of your student portal account")
        intro = _(
            "Hello %(name)s,\n\nYour account of the student portal of %(school)s is ready. Your "
            "sign-in name is this e-mail address. Choose your password with the link below. It "
            "works once and is valid for %(days)s days:"
        )
    ignore = _("Did you not ask for this? Then you can ignore this e-mail; nothing changes.")
    body = f"{intro % values}\n\n{password_link(user)}\n\n{ignore}\n"
    outbox_enqueue(to=user.email, subject=subject, body=body, kind="student_activation")


@transaction.atomic
def student_account_activate(
    *, school: Organisation, student_number: str, birth_date: dt.date
) -> Activation:
    """Activation at the student portal with school, leerlingnummer and geboortedatum.

    A matching current enrolment with an e-mail address gets a student account (kind student,
    unusable password) linked to the person record, and a mail with a one-time link to choose a
    password. A student who already has an account gets a link to choose a new password instead.
    Whatever happens, the caller shows the same neutral message; refusals are audited.
    """
    enrolment = selectors.activation_enrolment(
        school=school, student_number=student_number.strip(), birth_date=birth_date
    )
    if enrolment is None:
        return _refuse(reason="no match", school=school)
    youth = enrolment.youth
    account = StudentAccount.objects.select_related("user").filter(youth=youth).first()
    if account is not None:
        if not account.user.is_active:
            return _refuse(reason="account deactivated", school=school, youth_id=youth.pk)
        _mail_link(user=account.user, school=school, existing=True)
        audit_record(
            user=None,
            action=AuditAction.UPDATE,
            obj=account.user,
            youth_id=youth.pk,
            description="student account activation: existing account, new password link sent",
        )
        return Activation.ALREADY_ACTIVE
    email = enrolment.student_email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is not None and (
        user.kind != AccountKind.STUDENT or StudentAccount.objects.filter(user=user).exists()
    ):
        return _refuse(reason="e-mail address in use", school=school, youth_id=youth.pk)
    if user is None:
        user = User(
            email=email,
            first_name=youth.first_name[:100],
            last_name=" ".join(p for p in (youth.prefix, youth.last_name) if p)[:150],
            kind=AccountKind.STUDENT,
            organisation=None,
        )
        user.set_unusable_password()
        try:
            with transaction.atomic():
                user.save(force_insert=True)
        except IntegrityError:
            return _refuse(reason="e-mail address in use", school=school, youth_id=youth.pk)
    try:
        student_account_link(user=user, youth=youth, acting_user=user)
    except ValidationError:
        return _refuse(reason="already linked", school=school, youth_id=youth.pk)
    _mail_link(user=user, school=school, existing=False)
    return Activation.LINK_SENT


# --- Activeer DDD -------------------------------------------------------------------------------


@transaction.atomic
def student_ddd_activate(*, user: User, bsn: str | None = None) -> StudentAccount:
    """ "Activeer DDD": the DDD opens once a BSN is linked to the student's person record.

    A student whose school supplied the BSN (a potential overstapper) is activated at once. Any
    other student gives their BSN (elfproef); a BSN that belongs to another person record is
    refused and nothing changes. Raises ValidationError with a Dutch message.
    """
    account = (
        StudentAccount.objects.select_for_update()
        .select_related("youth")
        .filter(user=user, user__kind=AccountKind.STUDENT, user__is_active=True)
        .first()
    )
    if account is None:
        raise ValidationError(_("Your account is not linked to a student."))
    if account.ddd_activated_at is not None:
        return account
    youth = Youth.objects.select_for_update().get(pk=account.youth_id)
    linked_now = False
    if not youth.bsn_encrypted:
        number = normalise_number(bsn or "")
        if not number:
            raise ValidationError(_("Fill in your BSN."), code="bsn_required")
        if not is_valid_bsn(number):
            raise ValidationError(
                _("This is not a valid BSN. Check the nine digits on your ID card or passport."),
                code="bsn_invalid",
            )
        if Youth.objects.filter(bsn_index=crypto.blind_index(number)).exclude(pk=youth.pk).exists():
            raise ValidationError(_("This BSN cannot be linked. Please contact your decaan."))
        youth.set_bsn(number)
        youth.identified_by_school = False
        try:
            with transaction.atomic():
                youth.save(update_fields=["bsn_encrypted", "bsn_index", "identified_by_school"])
        except IntegrityError as exc:
            raise ValidationError(
                _("This BSN cannot be linked. Please contact your decaan.")
            ) from exc
        linked_now = True
    account.ddd_activated_at = timezone.now()
    account.save(update_fields=["ddd_activated_at"])
    audit_record(
        user=user,
        action=AuditAction.UPDATE,
        obj=account,
        youth_id=youth.pk,
        description="DDD activated",
        detail={"bsn_linked_by_student": linked_now},
    )
    return account


@transaction.atomic
def student_ddd_bsn_refused(*, user: User, bsn: str | None, reason: str) -> None:
    """Audit a refused "Activeer DDD" BSN. A BSN that belongs to another person record is
    recorded on that record too, so its "wie heeft bekeken" trail shows who tried it."""
    account = StudentAccount.objects.filter(user=user).only("youth_id").first()
    own_youth_id = account.youth_id if account else None
    number = normalise_number(bsn or "")
    others = Youth.objects.filter(bsn_index=crypto.blind_index(number))
    if own_youth_id is not None:
        others = others.exclude(pk=own_youth_id)
    other = others.values_list("pk", flat=True).first() if number and is_valid_bsn(number) else None
    audit_record(
        user=user,
        action=AuditAction.LOGIN_FAILED,
        obj=account,
        youth_id=own_youth_id,
        description="DDD activation refused",
        detail={"reason": reason, "bsn_of_another_record": other is not None},
    )
    if other is not None:
        audit_record(
            user=user,
            action=AuditAction.SEARCH,
            youth_id=other,
            description="DDD activation: this person's BSN given by another student",
            detail={"student_youth_id": own_youth_id},
        )


# --- Alle leerlingen → Accountgegevens ----------------------------------------------------------


class InstructionMode(enum.StrEnum):
    COMPOSE = "opstellen"  # the decaan's own subject and text
    STANDARD = "standaard"  # the standard instruction mail
    PRINT = "printen"  # the standard text as a Word document


def _check_own_school(*, acting_user: User, enrolments: Sequence[Enrolment]) -> None:
    if any(e.organisation_id != acting_user.organisation_id for e in enrolments):
        raise ValidationError(_("Choose students of your own school."))


@transaction.atomic
def instructions_send(
    *,
    acting_user: User,
    enrolments: Sequence[Enrolment],
    mode: InstructionMode,
    subject: str = "",
    body: str = "",
) -> tuple[int, int]:
    """Queue one instruction mail per student with an e-mail address.

    `enrolments` come from selectors.school_enrolments (with has_account). Returns (queued,
    without e-mail address). A composed mail with an unknown {placeholder} is refused.
    """
    _check_own_school(acting_user=acting_user, enrolments=enrolments)
    if mode == InstructionMode.COMPOSE:
        problem = texts.placeholder_problem(subject + body)
        if problem:
            raise ValidationError(problem)
        if not subject.strip() or not body.strip():
            raise ValidationError(_("Fill in the subject and the text of the mail."))
    elif mode != InstructionMode.STANDARD:
        raise ValidationError(_("Choose how to send the instructions."))
    queued, without_email, youth_ids = 0, 0, []
    for enrolment in enrolments:
        if not enrolment.student_email:
            without_email += 1
            continue
        if mode == InstructionMode.COMPOSE:
            values = texts.placeholder_values(enrolment)
            mail_subject = texts.fill_placeholders(subject, values)
            mail_body = texts.fill_placeholders(body, values)
        else:
            standard = texts.standard_instructions(
                enrolment, has_account=bool(getattr(enrolment, "has_account", False))
            )
            mail_subject, mail_body = standard.subject, standard.body
        outbox_enqueue(
            to=enrolment.student_email,
            subject=" ".join(mail_subject.split()),
            body=mail_body,
            kind="student_account_instructions",
        )
        queued += 1
        youth_ids.append(enrolment.youth_id)
    audit_many(
        user=acting_user,
        action=AuditAction.CREATE,
        youth_ids=youth_ids,
        description="student account instructions mailed",
        detail={"mode": str(mode), "queued": queued, "without_email": without_email},
    )
    return queued, without_email


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@transaction.atomic
def instructions_docx(*, acting_user: User, enrolments: Sequence[Enrolment]) -> bytes:
    """The standard instructions as a Word document, one page per student."""
    from docx import Document

    _check_own_school(acting_user=acting_user, enrolments=enrolments)
    if not enrolments:
        raise ValidationError(_("There are no students to print."))
    document = Document()
    for index, enrolment in enumerate(enrolments):
        if index:
            document.add_page_break()
        standard = texts.standard_instructions(
            enrolment, has_account=bool(getattr(enrolment, "has_account", False))
        )
        document.add_heading(standard.subject, level=1)
        document.add_paragraph(
            f"{enrolment.youth.full_name} · {enrolment.class_name} · {enrolment.student_number}"
        )
        for paragraph in standard.paragraphs:
            document.add_paragraph(paragraph)
    audit_many(
        user=acting_user,
        action=AuditAction.EXPORT,
        youth_ids=[e.youth_id for e in enrolments],
        description="student account details printed",
        detail={"students": len(enrolments)},
    )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()

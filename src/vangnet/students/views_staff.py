"""Alle leerlingen → Accountgegevens: the decaan sends the school's students the instructions to
activate their student portal account (a mail of their own, the standard mail, or a Word document
with one page per student). Only the own school's current students."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from vangnet.accounts.models import User
from vangnet.audit.models import AuditAction
from vangnet.audit.services import audit_record
from vangnet.core.decorators import permission_required
from vangnet.core.forms import idempotency_check
from vangnet.core.users import organisation_of, signed_in_user

from . import selectors, services, texts
from .forms import MailForm, TargetForm
from .services import InstructionMode

MANAGE = "dossiers.manage_students"


def _mode(request: HttpRequest) -> InstructionMode | None:
    try:
        return InstructionMode(request.POST.get("action", ""))
    except ValueError:
        return None


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def instructions(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    school = organisation_of(user)
    data = request.POST if request.method == "POST" else None
    mode = _mode(request) if data is not None else None
    target_form = TargetForm(data, school=school)
    mail_form = MailForm(data, compose=mode == InstructionMode.COMPOSE)
    if data is not None and mode is None:
        messages.error(request, _("Choose how to send the instructions."))
    elif mode is not None and target_form.is_valid() and mail_form.is_valid():
        if mode != InstructionMode.PRINT:
            duplicate = idempotency_check(request)
            if duplicate is not None:
                return duplicate
        response = _carry_out(request, user, mode, target_form, mail_form)
        if response is not None:
            return response
    return render(
        request,
        "students/staff/instructions.html",
        {
            "target_form": target_form,
            "mail_form": mail_form,
            "placeholders": texts.PLACEHOLDERS,
            # Plain values: the template engine would call the enum class itself (and get
            # nothing), leaving the buttons without a value.
            "modes": {mode.name: mode.value for mode in InstructionMode},
        },
    )


def _carry_out(
    request: HttpRequest,
    user: User,
    mode: InstructionMode,
    target_form: TargetForm,
    mail_form: MailForm,
) -> HttpResponse | None:
    """Send or print; None when it was refused (the error is on target_form)."""
    enrolments = target_form.enrolments()
    if not enrolments:
        target_form.add_error(None, _("No students of your school match this choice."))
        return None
    try:
        with transaction.atomic():
            if mode == InstructionMode.PRINT:
                content = services.instructions_docx(acting_user=user, enrolments=enrolments)
            else:
                queued, without = services.instructions_send(
                    acting_user=user,
                    enrolments=enrolments,
                    mode=mode,
                    subject=mail_form.cleaned_data["subject"],
                    body=mail_form.cleaned_data["body"],
                )
    except ValidationError as exc:
        target_form.add_error(None, exc.messages)
        return None
    if mode == InstructionMode.PRINT:
        response = HttpResponse(content, content_type=services.DOCX_TYPE)
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="accountgegevens-{stamp}.docx"'
        return response
    messages.success(
        request,
        _("%(queued)s e-mail(s) queued; %(without)s student(s) without an e-mail address.")
        % {"queued": queued, "without": without},
    )
    return redirect("student_accounts:instructions")


@permission_required(MANAGE)
@require_GET
@transaction.atomic
def suggest(request: HttpRequest) -> HttpResponse:
    """HTMX: up to ten students of the own school whose first name contains the typed text."""
    user = signed_in_user(request)
    school = organisation_of(user)
    text = (request.GET.get("student_name") or request.GET.get("q") or "")[:100]
    students = selectors.student_suggestions(school=school, text=text)
    if len(text.strip()) >= selectors.SUGGEST_MIN_LENGTH:
        audit_record(
            user=user,
            action=AuditAction.SEARCH,
            description="student account instructions: student search",
            detail={"results": len(students)},
        )
    return render(
        request,
        "students/staff/_suggestions.html",
        {"students": students, "searched": len(text.strip()) >= selectors.SUGGEST_MIN_LENGTH},
    )


@permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def resend(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    """ "Opnieuw versturen" from Alle leerlingen: the standard instructions to one current
    student of the own school, after a confirmation."""
    user = signed_in_user(request)
    school = organisation_of(user)
    enrolment = get_object_or_404(
        selectors.school_enrolments(school=school).select_related("organisation"),
        pk=enrolment_id,
    )
    if request.method == "POST":
        duplicate = idempotency_check(request)
        if duplicate is not None:
            return redirect("ddd:students")
        queued, _without = services.instructions_send(
            acting_user=user, enrolments=[enrolment], mode=InstructionMode.STANDARD
        )
        if queued:
            messages.success(request, _("The instructions have been sent again."))
        else:
            messages.error(
                request,
                _("This student has no e-mail address; print the account details instead."),
            )
        return redirect("ddd:students")
    with transaction.atomic():
        audit_record(
            user=user,
            action=AuditAction.VIEW,
            youth_id=enrolment.youth_id,
            description="student account instructions: resend form",
        )
    return render(request, "students/staff/resend.html", {"enrolment": enrolment})

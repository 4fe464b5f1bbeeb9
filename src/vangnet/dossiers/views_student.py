"""The student's screens of the Digitaal Doorstroomdossier (seed 001): Mijn dossiers, Nieuw dossier,
deel A step by step, Opsturen, the akkoordverklaring, Wijzigen, Heractiveren, the MBO application
and the PDFs.

Every view: `student_required` lets in signed-in students only (a staff account gets 404, an
anonymous visitor goes to the student sign-in page); a dossier is looked up in
selectors.dossiers_visible_to, so another student's id gives 404; the buttons shown come from the
state machine (domain/state.allowed_actions) and every write goes through one service, which
checks the same rules again and whose refusal is shown as its Dutch message. Every page and PDF
is audited in the transaction that reads it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vangnet.accounts.models import User
from vangnet.audit.models import AuditAction
from vangnet.audit.services import audit_record
from vangnet.core.decorators import student_required
from vangnet.core.forms import idempotency_check
from vangnet.jikp.models import Aanmelding, AanmeldingStatus
from vangnet.organisations.models import Organisation, OrganisationKind

from . import selectors, services
from .domain import questionnaire as q
from .domain.consent import guardian_consent_required
from .domain.state import Action, Actor, DossierState, TransitionRefused, allowed_actions, decide
from .domain.state import Phase as StatePhase
from .forms import StepForm
from .models import Consent, Dossier, GuardianRelation, Part, Phase, Step, StudentAccount
from .pdf import dossier_pdf_download

PORTAL_URL = "/leerling/"
# The step form of deel A: the step list's buttons submit it, so that opening another step saves
# what was typed in this one first (with or without JavaScript).
STEP_FORM_ID = "vn-ddd-step-form"

# The PDFs a student downloads: deel A, deel B (for the akkoordverklaring) and the whole dossier.
PDF_PARTS: dict[str, tuple[str, ...]] = {
    "deel-a": (Part.A,),
    "deel-b": (Part.B_STUDENT, Part.B_DOSSIER),
    "volledig": tuple(Part.values),
}


# --- Access -------------------------------------------------------------------------------------


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def _account(user: User) -> StudentAccount:
    """The student's link to their person record; 404 for an account that has none yet."""
    account = StudentAccount.objects.select_related("youth").filter(user=user).first()
    if account is None:
        raise Http404
    return account


def _dossier(user: User, dossier_id: int) -> Dossier:
    return get_object_or_404(
        selectors.dossiers_visible_to(user=user).select_related("aanmelding__institution"),
        pk=dossier_id,
    )


def _audit_view(user: User, dossier: Dossier, description: str, **detail: Any) -> None:
    audit_record(
        user=user,
        action=AuditAction.VIEW,
        obj=dossier,
        youth_id=dossier.youth_id,
        description=description,
        detail=detail or None,
    )


# --- State --------------------------------------------------------------------------------------


def _state(
    dossier: Dossier, progress: selectors.Progress, consent_given: bool, mbo_known: bool
) -> DossierState:
    return DossierState(
        phase=StatePhase(dossier.phase),
        archived=dossier.archived,
        deel_b_started=dossier.deel_b_started_at is not None,
        deel_a_complete=progress.deel_a_complete,
        deel_b_student_complete=progress.deel_b_student_complete,
        deel_b_dossier_complete=progress.deel_b_dossier_complete,
        consent_given=consent_given,
        mbo_known=mbo_known,
    )


def _allowed(dossier: Dossier, progress: selectors.Progress | None = None) -> frozenset[Action]:
    progress = progress or selectors.dossier_progress(dossier=dossier)
    return allowed_actions(
        selectors.dossier_state(dossier=dossier, progress=progress), Actor.STUDENT
    )


def _refusal(dossier: Dossier, action: Action) -> str | None:
    """The state machine's reason (in Dutch) why the student cannot do `action` now, or None."""
    state = selectors.dossier_state(dossier=dossier)
    try:
        decide(state, action, Actor.STUDENT)
    except TransitionRefused as exc:
        return _(exc.message)
    return None


def _status_line(dossier: Dossier, mbo_known: bool) -> str:
    """What happens now, in the student's words."""
    if dossier.archived:
        return _("Archived by your school. You can reactivate it.")
    if dossier.phase == Phase.DEEL_A:
        if dossier.deel_a_sent_at is not None:
            return _("Sent back to you: change part A where needed and send it again.")
        return _("Fill in part A and send it to your mentor.")
    if dossier.phase == Phase.DEEL_B:
        return _("Your mentor is filling in part B.")
    if dossier.phase == Phase.AKKOORD:
        return _("Read the dossier and fill in the declaration of consent.")
    if dossier.aanmelding is not None and not dossier.aanmelding.institution.takes_part_in_ddd:
        return _(
            "Completed. The MBO you entered does not take part in the transfer dossier; "
            "print the dossier and give it to them."
        )
    if mbo_known:
        return _("Completed. The MBO you applied to can see the dossier.")
    return _(
        "Completed, but no MBO can see it yet: enter the MBO you applied to on the dossier page."
    )


@dataclass(frozen=True)
class Row:
    dossier: Dossier
    progress: selectors.Progress
    actions: frozenset[str]
    status: str
    note: str = ""  # the mentor's note of the last "terugzetten", while it is for the student


def _rows(dossiers: Iterable[Dossier]) -> list[Row]:
    """The list rows with progress and the actions allowed, in a fixed number of queries."""
    dossiers = list(dossiers)
    progress = selectors.dossiers_progress(dossiers=dossiers)
    with_consent = set(
        Consent.objects.filter(dossier__in=dossiers).values_list("dossier_id", flat=True)
    )
    mbo_known = selectors.dossiers_mbo_known(dossiers=dossiers)
    notes = selectors.send_back_notes(dossiers=dossiers)
    return [
        Row(
            dossier=d,
            progress=progress[d.pk],
            actions=frozenset(
                a.value
                for a in allowed_actions(
                    _state(d, progress[d.pk], d.pk in with_consent, d.pk in mbo_known),
                    Actor.STUDENT,
                )
            ),
            status=_status_line(d, d.pk in mbo_known),
            note=notes.get(d.pk, ""),
        )
        for d in dossiers
    ]


def _refused(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _list() -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("ddd_student:list"))


# --- Mijn dossiers ------------------------------------------------------------------------------


@require_GET
@student_required
def dossier_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    account = _account(user)
    with transaction.atomic():
        dossiers = selectors.dossiers_for_student(user=user).select_related(
            "aanmelding__institution"
        )
        rows = _rows(dossiers)
        audit_record(
            user=user,
            action=AuditAction.VIEW,
            youth_id=account.youth_id,
            description="student dossier list viewed",
            detail={"dossiers": len(rows)},
        )
    return render(
        request,
        "dossiers/student/list.html",
        {
            "rows": rows,
            "activated": account.ddd_activated_at is not None,
            "portal_url": PORTAL_URL,
        },
    )


@require_POST
@student_required
def dossier_start(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    account = _account(user)
    duplicate = idempotency_check(request)
    if duplicate is not None:
        return _list()
    try:
        dossier, created = services.dossier_start_for_student(youth=account.youth, acting_user=user)
    except ValidationError as exc:
        _refused(request, exc)
        return _list()
    if created:
        messages.success(request, _("Your new dossier has been started. Begin with part A."))
    else:
        messages.info(
            request,
            _("Your mentor already started a dossier for you. Continue with part A of it."),
        )
    return redirect("ddd_student:deel_a", dossier_id=dossier.pk)


@require_GET
@student_required
def dossier_detail(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """One dossier: where it stands, what the student can do, and what was filled in."""
    user = _user(request)
    with transaction.atomic():
        dossier = _dossier(user, dossier_id)
        row = _rows([dossier])[0]
        completed = dossier.phase == Phase.AFGEROND
        parts = Part.values if completed else [Part.A]
        steps = selectors.dossier_document(dossier=dossier, parts=parts)
        consent = Consent.objects.filter(dossier=dossier).first() if completed else None
        _audit_view(user, dossier, "student dossier viewed")
    sections = [
        {"title": label, "steps": [s for s in steps if s.part == value]}
        for value, label in Part.choices
        if value in parts
    ]
    return render(
        request,
        "dossiers/student/detail.html",
        {
            "dossier": dossier,
            "row": row,
            "sections": sections,
            "consent": consent,
            "aanmelding_open": not dossier.archived
            and (
                dossier.phase != Phase.AFGEROND
                or not selectors.dossiers_mbo_known(dossiers=[dossier])
            ),
        },
    )


@require_http_methods(["GET", "POST"])
@student_required
def dossier_change(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """ "Wijzigen": back from the akkoordverklaring to deel A, after a confirmation; the mentor is
    told."""
    user = _user(request)
    dossier = _dossier(user, dossier_id)
    if request.method != "POST":
        refusal = _refusal(dossier, Action.REQUEST_CHANGE)
        if refusal is not None:
            messages.error(request, refusal)
            return _list()
        with transaction.atomic():
            _audit_view(user, dossier, "student dossier change form viewed")
        return render(request, "dossiers/student/change.html", {"dossier": dossier})
    duplicate = idempotency_check(request)
    if duplicate is not None:
        return _list()
    try:
        services.consent_change_requested(dossier=dossier, acting_user=user)
    except ValidationError as exc:
        _refused(request, exc)
        return _list()
    messages.success(
        request,
        _("The dossier is back in part A. Change what you want and send it to your mentor again."),
    )
    return redirect("ddd_student:deel_a", dossier_id=dossier.pk)


@require_POST
@student_required
def dossier_reactivate(request: HttpRequest, dossier_id: int) -> HttpResponse:
    user = _user(request)
    dossier = _dossier(user, dossier_id)
    duplicate = idempotency_check(request)
    if duplicate is not None:
        return _list()
    try:
        services.dossier_reactivate(dossier=dossier, acting_user=user)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The dossier is active again."))
    return _list()


# --- Deel A -------------------------------------------------------------------------------------


def _steps_a(dossier: Dossier) -> list[Step]:
    return [
        s
        for s in selectors.questionnaire_steps(version_id=dossier.questionnaire_id)
        if s.part == Part.A
    ]


def _current_step(steps: list[Step], step_key: str | None) -> Step:
    if not steps:
        raise Http404
    if step_key is None:
        return steps[0]
    for step in steps:
        if step.key == step_key:
            return step
    raise Http404


def _step_items(
    dossier: Dossier, steps: list[Step], percentages: Mapping[str, int], current: Step
) -> list[dict[str, Any]]:
    return [
        {
            "key": step.key,
            "title": step.title,
            "percentage": percentages.get(step.key, 0),
            "current": step.pk == current.pk,
            "url": reverse("ddd_student:deel_a_step", args=[dossier.pk, step.key]),
        }
        for step in steps
    ]


def _add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@student_required
def deel_a(request: HttpRequest, dossier_id: int, step_key: str | None = None) -> HttpResponse:
    """Deel A, one step at a time: the steps with their percentages on the left, the current
    step's questions on the right. Read-only once sent."""
    user = _user(request)
    dossier = _dossier(user, dossier_id)
    steps = _steps_a(dossier)
    step = _current_step(steps, step_key)
    answers = selectors.dossier_answers(dossier=dossier)
    editable = Action.SAVE_A in _allowed(dossier)
    form = StepForm(request.POST or None, step=step, answers=answers)
    if request.method == "POST":
        if not editable:
            messages.error(request, _refusal(dossier, Action.SAVE_A) or "")
            return redirect("ddd_student:deel_a_step", dossier_id=dossier.pk, step_key=step.key)
        if form.is_valid():
            duplicate = idempotency_check(request)
            if duplicate is not None:
                return duplicate
            try:
                services.answers_save(dossier=dossier, answers=form.answers(), acting_user=user)
            except ValidationError as exc:
                _add_service_errors(form, exc)
            else:
                messages.success(request, _("Your answers have been saved."))
                target = step
                if "next" in request.POST:
                    index = steps.index(step)
                    target = steps[min(index + 1, len(steps) - 1)]
                goto = request.POST.get("goto", "")
                if goto:  # a step of the list: saved first, then opened
                    target = next((s for s in steps if s.key == goto), target)
                return redirect(
                    "ddd_student:deel_a_step", dossier_id=dossier.pk, step_key=target.key
                )
    with transaction.atomic():
        progress = selectors.dossier_progress(dossier=dossier)
        actions = _allowed(dossier, progress)
        document = (
            []
            if Action.SAVE_A in actions
            else selectors.dossier_document(dossier=dossier, parts=[Part.A])
        )
        _audit_view(user, dossier, "student dossier part A viewed", step=step.key)
    return render(
        request,
        "dossiers/student/deel_a.html",
        {
            "dossier": dossier,
            "step": step,
            "steps": _step_items(dossier, steps, progress.steps, step),
            "form": form,
            "editable": Action.SAVE_A in actions,
            "can_send": Action.SEND_A in actions,
            "part_percentage": progress.parts[Part.A],
            "document": document,
            "is_last": step.pk == steps[-1].pk,
            "form_id": STEP_FORM_ID if Action.SAVE_A in actions else "",
            "note": selectors.send_back_notes(dossiers=[dossier]).get(dossier.pk, ""),
        },
    )


@require_POST
@student_required
def deel_a_progress(request: HttpRequest, dossier_id: int, step_key: str) -> HttpResponse:
    """HTMX: the step list with the percentages the answers being typed would give. Saves nothing
    (the step form saves: "Opslaan", or opening another step from the list); an answer that
    would be refused does not count."""
    user = _user(request)
    dossier = _dossier(user, dossier_id)
    steps = _steps_a(dossier)
    step = _current_step(steps, step_key)
    answers = selectors.dossier_answers(dossier=dossier)
    form = StepForm(request.POST, step=step, answers=answers)
    form.is_valid()
    cleaned = getattr(form, "cleaned_data", {})
    definitions = selectors.step_definitions(steps)
    questions = {question.key: question for d in definitions for question in d.questions}
    for key in form.fields:
        if key in form.errors or key not in cleaned:
            answers.pop(key, None)
            continue
        raw = form.answers().get(key) if key in cleaned else None
        try:
            answers[key] = q.clean_answer(questions[key], raw)
        except q.AnswerInvalid:
            answers.pop(key, None)
    percentages = q.step_percentages(definitions, answers)
    return render(
        request,
        "dossiers/student/_steps.html",
        {
            "steps": _step_items(dossier, steps, percentages, step),
            "live": True,
            "form_id": STEP_FORM_ID,
        },
    )


class _NamedChoiceField(forms.ModelChoiceField):
    """A choice of people or records, labelled by a function instead of str()."""

    def __init__(self, *args: Any, label_of: Callable[[Any], str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.label_of = label_of

    def label_from_instance(self, obj: Any) -> str:
        return self.label_of(obj)


def _recipient_label(user: User) -> str:
    role = _("careers counsellor") if getattr(user, "is_dean", False) else _("mentor")
    return f"{user.full_name} ({role})"


class SendForm(forms.Form):
    recipient = _NamedChoiceField(
        label_of=_recipient_label,
        queryset=User.objects.none(),
        label=gettext_lazy("Send to"),
        help_text=gettext_lazy("Your mentor, or the careers counsellor of your school."),
        empty_label=gettext_lazy("(choose)"),
        error_messages={"invalid_choice": gettext_lazy("Choose one of the people offered.")},
    )

    def __init__(self, *args: Any, recipients: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["recipient"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = recipients


@student_required
def deel_a_send(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """ "Opsturen": choose the mentor or decaan and send deel A (only at 100 % for every step)."""
    user = _user(request)
    dossier = _dossier(user, dossier_id)
    recipients = selectors.dossier_recipients(dossier=dossier)
    # Sent back and sent again: the mentor it went to before is chosen already.
    initial = (
        {"recipient": dossier.mentor_id}
        if dossier.mentor_id is not None and recipients.filter(pk=dossier.mentor_id).exists()
        else None
    )
    form = SendForm(request.POST or None, recipients=recipients, initial=initial)
    if request.method == "POST":
        duplicate = idempotency_check(request)
        if duplicate is not None:
            return duplicate
        if form.is_valid():
            try:
                services.deel_a_send(
                    dossier=dossier, recipient=form.cleaned_data["recipient"], acting_user=user
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    _add_service_errors(form, exc)
                else:
                    _refused(request, exc)
                    return redirect("ddd_student:deel_a", dossier_id=dossier.pk)
            else:
                messages.success(
                    request,
                    _("Part A has been sent to %(name)s.")
                    % {"name": form.cleaned_data["recipient"].full_name},
                )
                return _list()
    else:
        refusal = _refusal(dossier, Action.SEND_A)
        if refusal is not None:
            messages.error(request, refusal)
            return redirect("ddd_student:deel_a", dossier_id=dossier.pk)
    with transaction.atomic():
        _audit_view(user, dossier, "student dossier send page viewed")
    return render(request, "dossiers/student/send.html", {"dossier": dossier, "form": form})


# --- Akkoordverklaring --------------------------------------------------------------------------


class ConsentForm(forms.Form):
    remark = forms.CharField(
        label=gettext_lazy("Remarks"),
        help_text=gettext_lazy(
            "Anything you want to add. Do you or your parents not agree with what your mentor "
            "wrote in part B? Explain it here; the MBO reads it with the dossier."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
        required=False,
    )
    guardian_name = forms.CharField(
        label=gettext_lazy("Name of parent or guardian"), max_length=200, required=False
    )
    guardian_relation = forms.ChoiceField(
        label=gettext_lazy("Relation to you"),
        choices=[("", gettext_lazy("(choose)")), *GuardianRelation.choices],
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Choose one of the options offered.")},
    )
    guardian_consented_on = forms.DateField(
        label=gettext_lazy("Date of their consent"),
        help_text=gettext_lazy("The day your parent or guardian agreed to share the dossier."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        required=False,
    )

    def __init__(self, *args: Any, guardian: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if guardian:
            for name in ("guardian_name", "guardian_relation", "guardian_consented_on"):
                self.fields[name].marked_required = True  # type: ignore[attr-defined]
        else:
            for name in ("guardian_name", "guardian_relation", "guardian_consented_on"):
                del self.fields[name]


@student_required
def consent(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """The akkoordverklaring: read parts A and B (also as PDF), add remarks, the parent's or
    guardian's consent under 18, and "Akkoord" to complete the dossier."""
    user = _user(request)
    dossier = _dossier(user, dossier_id)
    if dossier.phase != Phase.AKKOORD or dossier.archived:
        if request.method == "POST":
            messages.error(request, _refusal(dossier, Action.GIVE_CONSENT) or "")
        else:
            messages.info(
                request, _("This dossier is not waiting for your declaration of consent.")
            )
        return redirect("ddd_student:detail", dossier_id=dossier.pk)
    guardian = guardian_consent_required(dossier.youth.birth_date, timezone.localdate())
    form = ConsentForm(request.POST or None, guardian=guardian)
    if request.method == "POST" and form.is_valid():
        duplicate = idempotency_check(request)
        if duplicate is not None:
            return duplicate
        data = form.cleaned_data
        try:
            services.consent_give_and_complete(
                dossier=dossier,
                acting_user=user,
                remark=data["remark"],
                guardian_name=data.get("guardian_name", ""),
                guardian_relation=data.get("guardian_relation", ""),
                guardian_consented_on=data.get("guardian_consented_on"),
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Thank you. Your dossier is completed; you will receive it by e-mail as a PDF."),
            )
            return redirect("ddd_student:detail", dossier_id=dossier.pk)
    with transaction.atomic():
        steps = selectors.dossier_document(dossier=dossier)
        _audit_view(user, dossier, "student declaration of consent viewed")
    sections = [
        {"title": label, "steps": [s for s in steps if s.part == value]}
        for value, label in Part.choices
    ]
    return render(
        request,
        "dossiers/student/consent.html",
        {
            "dossier": dossier,
            "form": form,
            "guardian": guardian,
            "sections": sections,
            "mbo_known": bool(selectors.dossiers_mbo_known(dossiers=[dossier])),
        },
    )


# --- PDF ----------------------------------------------------------------------------------------


def _pdf_allowed(dossier: Dossier, which: str) -> bool:
    if which == "deel-a":
        return True
    if which == "deel-b":
        return dossier.phase in (Phase.AKKOORD, Phase.AFGEROND)
    return dossier.phase == Phase.AFGEROND


@require_GET
@student_required
def pdf(request: HttpRequest, dossier_id: int, which: str) -> HttpResponse:
    """Deel A, deel B (during the akkoordverklaring) or the whole dossier ("Print", completed)."""
    user = _user(request)
    if which not in PDF_PARTS:
        raise Http404
    dossier = _dossier(user, dossier_id)
    if not _pdf_allowed(dossier, which):
        messages.error(request, _("This document is not available in this phase."))
        return redirect("ddd_student:detail", dossier_id=dossier.pk)
    return dossier_pdf_download(
        dossier=dossier,
        user=user,
        parts=PDF_PARTS[which],
        description="student dossier PDF downloaded",
    )


# --- The MBO application -----------------------------------------------------------------------


class AanmeldingChooseForm(forms.Form):
    aanmelding = _NamedChoiceField(
        label_of=lambda aanmelding: _aanmelding_label(aanmelding),
        queryset=Aanmelding.objects.none(),
        label=gettext_lazy("Your application"),
        empty_label=gettext_lazy("(choose)"),
        error_messages={"invalid_choice": gettext_lazy("Choose one of the options offered.")},
    )

    def __init__(self, *args: Any, aanmeldingen: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["aanmelding"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = aanmeldingen


def _aanmelding_label(aanmelding: Aanmelding) -> str:
    level = f", {_('level')} {aanmelding.level}" if aanmelding.level else ""
    return f"{aanmelding.institution.name}: {aanmelding.programme}{level}"


def _institution_label(organisation: Organisation) -> str:
    if organisation.takes_part_in_ddd:
        return _("%(name)s (takes part in the transfer dossier)") % {"name": organisation.name}
    return organisation.name


class AanmeldingAddForm(forms.Form):
    institution = _NamedChoiceField(
        label_of=lambda organisation: _institution_label(organisation),
        queryset=Organisation.objects.none(),
        label=gettext_lazy("MBO institution"),
        help_text=gettext_lazy(
            "Only an MBO that takes part in the transfer dossier receives it when it is completed."
        ),
        empty_label=gettext_lazy("(choose)"),
        error_messages={"invalid_choice": gettext_lazy("Choose an MBO institution from the list.")},
    )
    programme = forms.CharField(label=gettext_lazy("Programme"), max_length=200)
    level = forms.CharField(label=gettext_lazy("Level"), max_length=20, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["institution"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organisation.objects.filter(
            kind=OrganisationKind.MBO, is_active=True
        ).order_by("-takes_part_in_ddd", "name")


@student_required
def aanmelding(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """Which MBO application the dossier is for: one of the student's own, or a new one."""
    user = _user(request)
    dossier = _dossier(user, dossier_id)
    own = (
        Aanmelding.objects.filter(youth_id=dossier.youth_id)
        .exclude(status=AanmeldingStatus.WITHDRAWN)
        .select_related("institution")
        .order_by("-applied_on", "-id")
    )
    choose = AanmeldingChooseForm(
        request.POST if "choose" in request.POST else None, aanmeldingen=own, prefix="kies"
    )
    add = AanmeldingAddForm(request.POST if "add" in request.POST else None, prefix="nieuw")
    if request.method == "POST":
        form: forms.Form = choose if "choose" in request.POST else add
        if form.is_valid():
            duplicate = idempotency_check(request)
            if duplicate is not None:
                return duplicate
            try:
                if form is choose:
                    services.dossier_aanmelding_link(
                        dossier=dossier,
                        acting_user=user,
                        aanmelding=form.cleaned_data["aanmelding"],
                    )
                else:
                    services.dossier_aanmelding_set(
                        dossier=dossier,
                        acting_user=user,
                        institution=form.cleaned_data["institution"],
                        programme=form.cleaned_data["programme"],
                        level=form.cleaned_data["level"],
                    )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    _add_service_errors(form, exc)
                else:
                    _refused(request, exc)
                    return redirect("ddd_student:detail", dossier_id=dossier.pk)
            else:
                messages.success(request, _("The MBO application has been saved."))
                return redirect("ddd_student:detail", dossier_id=dossier.pk)
    elif dossier.archived or (
        dossier.phase == Phase.AFGEROND and selectors.dossiers_mbo_known(dossiers=[dossier])
    ):
        messages.info(request, _("The MBO application of this dossier can no longer be changed."))
        return redirect("ddd_student:detail", dossier_id=dossier.pk)
    with transaction.atomic():
        rows = list(own)
        _audit_view(user, dossier, "student dossier application page viewed")
    return render(
        request,
        "dossiers/student/aanmelding.html",
        {"dossier": dossier, "choose": choose, "add": add, "own": rows},
    )

"""The mentor's and decaan's screens of the Digitaal Doorstroomdossier (seed 001): the dashboard
with counters per phase, the dossier overview with its three options (terugzetten, archiveren,
verloop), the deel B screen, "Mijn leerlingen" / "Alle leerlingen" and the klaskoppeling.

Every view needs "dossiers.work" (a mentor or decaan of a school); the school-wide pages
"dossiers.manage_students" (decaan). A dossier is looked up in selectors.dossiers_visible_to, so
another school's or another mentor's dossier gives 404. Every write goes through one service,
which checks the state machine; a refusal is shown as its Dutch message and changes nothing.
Every page and download is audited in the transaction that reads it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from vangnet.accounts.models import User
from vangnet.audit.models import AuditAction
from vangnet.audit.services import audit_many, audit_record
from vangnet.core.decorators import permission_required
from vangnet.core.forms import idempotency_check
from vangnet.core.users import organisation_of, signed_in_user
from vangnet.youth.models import Youth

from . import selectors, services
from .domain import questionnaire
from .domain.state import Action, Actor, TransitionRefused, decide
from .forms import StepForm
from .models import ClassMentor, Dossier, Part, Phase, Step
from .pdf import dossier_pdf_download

PAGE_SIZE = 25
B_PARTS = (Part.B_STUDENT, Part.B_DOSSIER)
# The step whose answers the MBO sees ("Ondersteuning → OPP en nader contact").
MBO_VISIBLE_KEYS = frozenset(questionnaire.MBO_FLAG_KEYS)
PHASE_TITLES = {
    Phase.DEEL_A: gettext_lazy("Dossiers in part A"),
    Phase.DEEL_B: gettext_lazy("Dossiers in part B"),
    Phase.AKKOORD: gettext_lazy("Dossiers in declaration of consent"),
    Phase.AFGEROND: gettext_lazy("Completed"),
}
# What the student's row says in "Mijn leerlingen", in words.
STATUS_TEXTS = {
    Phase.DEEL_A: gettext_lazy("Filling in part A"),
    Phase.DEEL_B: gettext_lazy("Part B with the mentor"),
    Phase.AKKOORD: gettext_lazy("Filling in the declaration of consent"),
    Phase.AFGEROND: gettext_lazy("Completed"),
}
PDF_PARTS: dict[str, tuple[str, ...]] = {
    "deel-a": (Part.A,),
    "volledig": tuple(Part.values),
}


# --- Helpers ------------------------------------------------------------------------------------


def _dossier(request: HttpRequest, dossier_id: int) -> Dossier:
    """The dossier when the user may open it; 404 for another school's or another mentor's."""
    user = signed_in_user(request)
    return get_object_or_404(selectors.dossiers_visible_to(user=user), pk=dossier_id)


def _audit_view(user: User, dossier: Dossier, description: str, **detail: Any) -> None:
    audit_record(
        user=user,
        action=AuditAction.VIEW,
        obj=dossier,
        youth_id=dossier.youth_id,
        description=description,
        detail=detail or None,
    )


def _refusal_text(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    return target if target.startswith("/ddd/") and "//" not in target else default


def _upload_url() -> str:
    try:
        return reverse("transfers:upload", args=["leerlinglijst"])
    except NoReverseMatch:
        return reverse("transfers:index") + "?soort=leerlinglijst"


class _RowLinks:
    """The addresses and texts of a dossier row, made once per page rather than per row with
    template tags (a page of 50 students renders in a few milliseconds this way)."""

    def __init__(self, *, here: str) -> None:
        self.base = reverse("ddd:dossiers")
        self.next = urlencode({"next": here})
        self.labels = {
            "open": _("Open the dossier"),
            "in_b": _("In part B"),
            "start_b": _("Start part B"),
            "view": _("View"),
            "send_back": _("Send back to the student"),
            "archive": _("Archive"),
            "history": _("History"),
            "print": _("Print (PDF)"),
            "no_dossier": _("No dossier yet"),
            "yes": _("Yes"),
            "no": _("No"),
            "resend": _("Send again"),
        }
        self.progress_labels = (_("A"), _("B student"), _("B dossier"))
        self.phases = {phase.value: str(phase.label) for phase in Phase}
        self.status = {phase.value: str(STATUS_TEXTS[phase]) for phase in Phase}

    def dossier(self, d: Dossier, progress: selectors.Progress) -> dict[str, Any]:
        url = f"{self.base}{d.pk}/"
        a, b_student, b_dossier = self.progress_labels
        return {
            "d": d,
            "url": url,
            "start_b": f"{url}start-deel-b/",
            "send_back": f"{url}terugzetten/",
            "archive": f"{url}archiveren/?{self.next}",
            "archive_post": f"{url}archiveren/",
            "history": f"{url}verloop/",
            "pdf": f"{url}pdf/volledig/",
            "phase": self.phases[d.phase],
            "started": timezone.localtime(d.created_at).strftime("%d-%m-%Y"),
            "status": self.status[d.phase],
            "progress": progress,
            "progress_text": f"{a} {progress.parts[Part.A]}% · "
            f"{b_student} {progress.parts[Part.B_STUDENT]}% · "
            f"{b_dossier} {progress.parts[Part.B_DOSSIER]}%",
        }


# --- Dashboard ----------------------------------------------------------------------------------


@require_GET
@permission_required("dossiers.work")
def dashboard(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    counts = selectors.dashboard_counts_per_phase(user=user)
    school = organisation_of(user)
    counters = [
        {
            "phase": phase.value,
            "title": PHASE_TITLES[phase],
            "count": counts[phase.value],
            "url": reverse("ddd:dossiers") + "?" + urlencode({"fase": phase.value}),
        }
        for phase in Phase
    ]
    return render(
        request,
        "dossiers/staff/dashboard.html",
        {
            "counters": counters,
            "archived": counts["archived"],
            "archive_url": reverse("ddd:dossiers") + "?archief=1",
            "mbos": selectors.participating_mbos(region_id=school.region_id),
            "region_id": school.region_id,
            "is_dean": selectors.staff_is_dean(user),
            "upload_url": _upload_url(),
        },
    )


# --- Dossier overview ---------------------------------------------------------------------------


class OverviewForm(forms.Form):
    fase = forms.ChoiceField(
        label=gettext_lazy("Phase"),
        required=False,
        choices=[("", gettext_lazy("All phases")), *Phase.choices],
    )
    q = forms.CharField(label=gettext_lazy("Name of the student"), max_length=100, required=False)
    sort = forms.ChoiceField(
        label=gettext_lazy("Sort"),
        required=False,
        choices=[
            ("", gettext_lazy("Newest first")),
            ("oud", gettext_lazy("Oldest first")),
        ],
    )
    archief = forms.ChoiceField(
        label=gettext_lazy("Which dossiers"),
        required=False,
        choices=[("", gettext_lazy("Active dossiers")), ("1", gettext_lazy("Archived dossiers"))],
    )
    page = forms.IntegerField(min_value=1, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("fase", "sort", "archief"):
            self.fields[name].widget.attrs["class"] = "utrecht-select utrecht-select--html-select"
        self.fields["q"].widget.attrs["class"] = "utrecht-textbox utrecht-textbox--html-input"


def _query(values: dict[str, Any]) -> str:
    clean = {k: v for k, v in values.items() if v not in (None, "")}
    return "?" + urlencode(clean) if clean else ""


def _page_urls(base: str, query: dict[str, Any], page: Any) -> dict[str, str]:
    return {
        "previous": base + _query({**query, "page": page.previous_page_number()})
        if page.has_previous()
        else "",
        "next": base + _query({**query, "page": page.next_page_number()})
        if page.has_next()
        else "",
    }


def _filter_fields(form: forms.Form, values: dict[str, Any]) -> list[dict[str, Any]]:
    """The filter fields with the accepted values, for dossiers/staff/_filters.html."""
    result = []
    for name, field in form.fields.items():
        if name == "page":
            continue
        value = values.get(name)
        current = "" if value is None else str(value)
        options = None
        if isinstance(field, forms.ChoiceField):
            choices: list[tuple[Any, Any]] = list(cast(Iterable[tuple[Any, Any]], field.choices))
            # Rendered here in one go: a few hundred classes through the template engine or the
            # widget templates would cost more than the rest of the page.
            options = mark_safe(  # noqa: S308 (every value and text is escaped here)
                "".join(
                    f'<option value="{escape(choice)}"'
                    f"{' selected' if str(choice) == current else ''}>{escape(text)}</option>"
                    for choice, text in choices
                )
            )
        result.append({"name": name, "label": field.label, "value": current, "options": options})
    return result


def _progress_rows(dossiers: Iterable[Dossier]) -> dict[int, selectors.Progress]:
    return selectors.dossiers_part_progress(dossiers=dossiers)


@require_GET
@permission_required("dossiers.work")
def dossier_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = OverviewForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    phase, term, sort, archived = (
        data.get("fase") or "",
        " ".join((data.get("q") or "").split()),
        data.get("sort") or "",
        data.get("archief") == "1",
    )
    qs = selectors.staff_dossiers(user=user, archived=archived)
    if phase:
        qs = qs.filter(phase=phase)
    for word in term.split():
        qs = qs.filter(Q(youth__first_name__icontains=word) | Q(youth__last_name__icontains=word))
    qs = qs.order_by(*(("created_at", "id") if sort == "oud" else ("-created_at", "-id")))
    query = {"fase": phase, "q": term, "sort": sort, "archief": 1 if archived else ""}
    # The page's ids first (no wide rows to sort), then those rows with what the page shows.
    paginator = Paginator(qs.values_list("pk", flat=True), PAGE_SIZE)
    with transaction.atomic():
        page = paginator.get_page(data.get("page") or 1)
        dossiers = selectors.staff_dossier_rows(ids=list(page.object_list))
        progress = _progress_rows(dossiers)
        audit_many(
            user=user,
            action=AuditAction.SEARCH,
            youth_ids=[d.youth_id for d in dossiers],
            description="ddd dossier overview",
            detail={"filters": {k: v for k, v in query.items() if v}, "page": page.number},
        )
    links = _RowLinks(here=request.get_full_path())
    rows = [links.dossier(d, progress[d.pk]) for d in dossiers]
    return render(
        request,
        "dossiers/staff/dossiers.html",
        {
            "filters": _filter_fields(form, query),
            "clear_url": reverse("ddd:dossiers"),
            "rows": rows,
            "page": page,
            "page_urls": _page_urls(reverse("ddd:dossiers"), query, page),
            "title": _("Archived dossiers")
            if archived
            else (PHASE_TITLES[Phase(phase)] if phase else _("All dossiers")),
            "archived": archived,
            "archive_url": reverse("ddd:dossiers") + "?archief=1",
            "has_filters": bool(phase or term or archived),
            "labels": links.labels,
        },
    )


# --- The deel B screen --------------------------------------------------------------------------


def _refusal(state: Any, action: Action) -> str:
    try:
        decide(state, action, Actor.MENTOR)
    except TransitionRefused as exc:
        return _(exc.message)
    return ""


@permission_required("dossiers.work")
def dossier_detail(request: HttpRequest, dossier_id: int) -> HttpResponse:
    user = signed_in_user(request)
    dossier = _dossier(request, dossier_id)
    steps = [s for s in selectors.questionnaire_steps(version_id=dossier.questionnaire_id)]
    b_steps = [s for s in steps if s.part in B_PARTS]
    if not b_steps:
        raise Http404
    key = request.GET.get("stap") or request.POST.get("stap") or b_steps[0].key
    step: Step | None = next((s for s in b_steps if s.key == key), None)
    if step is None:
        step = b_steps[0]
    answers = selectors.dossier_answers(dossier=dossier)
    if request.method == "POST":
        duplicate = idempotency_check(request)
        if duplicate is not None:
            return redirect(_step_url(dossier, step))
        form = StepForm(request.POST, step=step, answers=answers)
        if form.is_valid():
            try:
                services.answers_save(dossier=dossier, answers=form.answers(), acting_user=user)
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errors in exc.error_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    messages.error(request, _refusal_text(exc))
                    return redirect(_step_url(dossier, step))
            else:
                messages.success(request, _("Your answers have been saved."))
                target = step
                if request.POST.get("volgende"):
                    index = b_steps.index(step)
                    target = b_steps[min(index + 1, len(b_steps) - 1)]
                return redirect(_step_url(dossier, target))
    else:
        form = StepForm(step=step, answers=answers)
    with transaction.atomic():
        dossier.refresh_from_db()
        progress = selectors.dossier_progress(dossier=dossier)
        state = selectors.dossier_state(dossier=dossier, progress=progress)
        deel_a = selectors.dossier_document(dossier=dossier, parts=[Part.A])
        _audit_view(user, dossier, "ddd dossier deel B viewed", step=step.key)
    save_action = Action.SAVE_B_STUDENT if step.part == Part.B_STUDENT else Action.SAVE_B_DOSSIER
    read_only_reason = _refusal(state, save_action)
    send_reason = _refusal(state, Action.SEND_TO_STUDENT)
    start_reason = _refusal(state, Action.START_B)
    parts = [
        {
            "part": part,
            "label": Part(part).label,
            "percentage": progress.parts[part],
            "steps": [
                {"step": s, "percentage": progress.steps[s.key], "current": s.key == step.key}
                for s in b_steps
                if s.part == part
            ],
            "closed_reason": _refusal(state, Action.SAVE_B_STUDENT)
            if part == Part.B_STUDENT
            else _refusal(state, Action.SAVE_B_DOSSIER),
        }
        for part in B_PARTS
    ]
    return render(
        request,
        "dossiers/staff/dossier.html",
        {
            "dossier": dossier,
            "parts": parts,
            "step": step,
            "form": form,
            "read_only_reason": read_only_reason,
            "send_reason": send_reason,
            "can_start": not start_reason,
            "started": dossier.deel_b_started_at is not None,
            "deel_a": deel_a,
            "deel_a_sent": dossier.deel_a_sent_at is not None and dossier.phase != Phase.DEEL_A,
            "mbo_visible": bool(MBO_VISIBLE_KEYS & {q.key for q in step.questions.all()}),
            "can_send_back": dossier.phase == Phase.DEEL_B and not dossier.archived,
            "step_answers": [
                s
                for s in selectors.dossier_document(dossier=dossier, parts=[step.part])
                if s.key == step.key
            ]
            if read_only_reason
            else [],
        },
    )


def _step_url(dossier: Dossier, step: Step) -> str:
    return reverse("ddd:dossier", args=[dossier.pk]) + "?" + urlencode({"stap": step.key})


def _act(request: HttpRequest, dossier: Dossier, call: Any, success: str, **kwargs: Any) -> bool:
    """Run a service; show its refusal as an error. True when it went through."""
    try:
        call(dossier=dossier, acting_user=signed_in_user(request), **kwargs)
    except ValidationError as exc:
        messages.error(request, _refusal_text(exc))
        return False
    messages.success(request, success)
    return True


@require_POST
@permission_required("dossiers.work")
def deel_b_start(request: HttpRequest, dossier_id: int) -> HttpResponse:
    dossier = _dossier(request, dossier_id)
    target = reverse("ddd:dossier", args=[dossier.pk])
    if idempotency_check(request) is not None:
        return redirect(target)
    _act(request, dossier, services.deel_b_start, _("Part B has been started."))
    return redirect(target)


@require_POST
@permission_required("dossiers.work")
def send_to_student(request: HttpRequest, dossier_id: int) -> HttpResponse:
    dossier = _dossier(request, dossier_id)
    target = reverse("ddd:dossier", args=[dossier.pk])
    if idempotency_check(request) is not None:
        return redirect(target)
    if _act(
        request,
        dossier,
        services.deel_b_send_to_student,
        _("The dossier has been sent to the student for the declaration of consent."),
    ):
        return redirect("ddd:dossiers")
    return redirect(target)


class NoteForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note for the student (optional)"),
        required=False,
        max_length=services.MAX_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "class": "utrecht-textarea"}),
    )


@permission_required("dossiers.work")
def send_back(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """ "Terugzetten naar leerling", with an optional note; the student is notified."""
    dossier = _dossier(request, dossier_id)
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if idempotency_check(request) is not None:
            return redirect("ddd:dossiers")
        if _act(
            request,
            dossier,
            services.dossier_send_back_to_student,
            _("The dossier has been sent back to the student."),
            note=form.cleaned_data["note"],
        ):
            return redirect("ddd:dossiers")
        return redirect("ddd:send_back", dossier_id=dossier.pk)
    with transaction.atomic():
        _audit_view(signed_in_user(request), dossier, "ddd dossier send back form")
    return render(
        request,
        "dossiers/staff/confirm.html",
        {
            "dossier": dossier,
            "form": form,
            "heading": _("Send back to the student"),
            "intro": _(
                "The student gets a message and can change part A and send it again. "
                "The answers of part B are kept."
            ),
            "submit": _("Send back to the student"),
        },
    )


@permission_required("dossiers.work")
def archive(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """ "Archiveren", after a confirmation; the student can reactivate the dossier."""
    dossier = _dossier(request, dossier_id)
    if request.method == "POST":
        target = _safe_next(request, reverse("ddd:dossiers"))
        if idempotency_check(request) is not None:
            return redirect(target)
        _act(request, dossier, services.dossier_archive, _("The dossier has been archived."))
        return redirect(target)
    with transaction.atomic():
        _audit_view(signed_in_user(request), dossier, "ddd dossier archive form")
    return render(
        request,
        "dossiers/staff/confirm.html",
        {
            "dossier": dossier,
            "heading": _("Archive dossier"),
            "intro": _(
                "An archived dossier no longer appears in the overviews and counters, but it is "
                "kept in the list of archived dossiers. The student can reactivate it. A "
                "completed dossier stays readable for the MBO."
            ),
            "submit": _("Archive"),
            "next": request.GET.get("next", "")
            if request.GET.get("next", "").startswith("/ddd/")
            else "",
        },
    )


@require_GET
@permission_required("dossiers.work")
def history(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """The verloop: the important events with who, when and from which phase to which."""
    user = signed_in_user(request)
    dossier = _dossier(request, dossier_id)
    with transaction.atomic():
        events = list(selectors.dossier_events(dossier=dossier, important_only=True))
        _audit_view(user, dossier, "ddd dossier history viewed")
    return render(request, "dossiers/staff/history.html", {"dossier": dossier, "events": events})


@require_GET
@permission_required("dossiers.work")
def pdf(request: HttpRequest, dossier_id: int, which: str) -> HttpResponse:
    """Deel A as PDF (always), the whole dossier once it is completed."""
    user = signed_in_user(request)
    dossier = _dossier(request, dossier_id)
    parts = PDF_PARTS.get(which)
    if parts is None or (which == "volledig" and dossier.phase != Phase.AFGEROND):
        raise Http404
    return dossier_pdf_download(
        dossier=dossier, user=user, parts=parts, description="ddd dossier pdf downloaded"
    )


# --- Mijn leerlingen / Alle leerlingen ----------------------------------------------------------


class StudentsForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Name or student number"), max_length=100, required=False
    )
    klas = forms.ChoiceField(label=gettext_lazy("Class"), required=False)
    leerjaar = forms.TypedChoiceField(
        label=gettext_lazy("Year"), coerce=int, empty_value=None, required=False
    )
    fase = forms.ChoiceField(
        label=gettext_lazy("Phase"),
        required=False,
        choices=[("", gettext_lazy("All phases")), *Phase.choices],
    )
    page = forms.IntegerField(min_value=1, required=False)

    def __init__(self, *args: Any, classes: list[str], years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        klas = self.fields["klas"]
        assert isinstance(klas, forms.ChoiceField)
        klas.choices = [("", _("All classes")), *((c, c) for c in classes)]
        leerjaar = self.fields["leerjaar"]
        assert isinstance(leerjaar, forms.ChoiceField)
        leerjaar.choices = [("", _("All years")), *((y, str(y)) for y in years)]
        for name in ("klas", "leerjaar", "fase"):
            self.fields[name].widget.attrs["class"] = "utrecht-select utrecht-select--html-select"
        self.fields["q"].widget.attrs["class"] = "utrecht-textbox utrecht-textbox--html-input"


@require_GET
@permission_required("dossiers.work")
def students(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    is_dean = selectors.staff_is_dean(user)
    classes, years = selectors.staff_student_options(user=user)
    form = StudentsForm(request.GET, classes=classes, years=years)
    form.is_valid()
    data = form.cleaned_data
    filters = selectors.StudentFilters(
        q=" ".join((data.get("q") or "").split()),
        class_name=data.get("klas") or "",
        year_level=data.get("leerjaar"),
        phase=data.get("fase") or "",
    )
    query = {
        "q": filters.q,
        "klas": filters.class_name,
        "leerjaar": filters.year_level,
        "fase": filters.phase,
    }
    paginator = Paginator(selectors.staff_students(user=user, filters=filters), PAGE_SIZE)
    with transaction.atomic():
        page = paginator.get_page(data.get("page") or 1)
        enrolments = list(page.object_list)
        per_youth = selectors.open_dossiers_of(
            user=user, youth_ids=[e.youth_id for e in enrolments]
        )
        all_dossiers = [d for ds in per_youth.values() for d in ds]
        progress = _progress_rows(all_dossiers)
        audit_many(
            user=user,
            action=AuditAction.SEARCH,
            youth_ids=[e.youth_id for e in enrolments],
            description="ddd students overview",
            detail={"filters": {k: v for k, v in query.items() if v}, "page": page.number},
        )
    links = _RowLinks(here=request.get_full_path())
    rows = []
    for enrolment in enrolments:
        dossiers = [links.dossier(d, progress[d.pk]) for d in per_youth.get(enrolment.youth_id, [])]
        rows.append(
            {
                "e": enrolment,
                "name": enrolment.youth.full_name,
                "dossiers": dossiers,
                "latest": dossiers[0] if dossiers else None,
                "count": ngettext("%(n)s dossier", "%(n)s dossiers", len(dossiers))
                % {"n": len(dossiers)},
            }
        )
    return render(
        request,
        "dossiers/staff/students.html",
        {
            "filters": _filter_fields(form, query),
            "clear_url": reverse("ddd:students"),
            "rows": rows,
            "page": page,
            "page_urls": _page_urls(reverse("ddd:students"), query, page),
            "is_dean": is_dean,
            "has_filters": any(v not in (None, "") for v in query.values()),
            "labels": links.labels,
            "start_base": reverse("ddd:students"),
            "resend_base": "/ddd/accounts/",
        },
    )


@require_POST
@permission_required("dossiers.work")
def early_start(request: HttpRequest, youth_id: int) -> HttpResponse:
    """ "Start deel B" for a student without a dossier: the student need not click Nieuw dossier."""
    user = signed_in_user(request)
    enrolment = get_object_or_404(selectors.staff_students(user=user), youth_id=youth_id)
    if idempotency_check(request) is not None:
        return redirect("ddd:students")
    youth = get_object_or_404(Youth, pk=enrolment.youth_id)
    try:
        dossier = services.dossier_start(youth=youth, acting_user=user)
    except ValidationError as exc:
        messages.error(request, _refusal_text(exc))
        return redirect("ddd:students")
    messages.success(request, _("A dossier has been started; you can fill in part B now."))
    return redirect("ddd:dossier", dossier_id=dossier.pk)


# --- Klaskoppeling ("Alle leerlingen → mentoren") ---------------------------------------------


class ClassMentorForm(forms.Form):
    class_name = forms.ChoiceField(label=gettext_lazy("Class"))
    mentor = forms.TypedChoiceField(label=gettext_lazy("Mentor"), coerce=int)

    def __init__(self, *args: Any, classes: list[str], mentors: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        class_field = self.fields["class_name"]
        assert isinstance(class_field, forms.ChoiceField)
        class_field.choices = [("", _("(choose)")), *((c, c) for c in classes)]
        mentor_field = self.fields["mentor"]
        assert isinstance(mentor_field, forms.ChoiceField)
        mentor_field.choices = [("", _("(choose)")), *((m.pk, m.full_name) for m in mentors)]
        for name in ("class_name", "mentor"):
            self.fields[name].widget.attrs["class"] = "utrecht-select utrecht-select--html-select"


@permission_required("dossiers.manage_students")
def class_mentors(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    school = organisation_of(user)
    classes = selectors.school_classes(school_id=school.pk)
    mentors = list(selectors.school_mentors(school_id=school.pk))
    form = ClassMentorForm(request.POST or None, classes=classes, mentors=mentors)
    if request.method == "POST":
        duplicate = idempotency_check(request)
        if duplicate is not None:
            return duplicate
        if form.is_valid():
            mentor = next((m for m in mentors if m.pk == form.cleaned_data["mentor"]), None)
            try:
                if mentor is None:
                    raise ValidationError({"mentor": _("Choose a mentor of your school.")})
                services.class_mentor_link(
                    school=school,
                    class_name=form.cleaned_data["class_name"],
                    mentor=mentor,
                    acting_user=user,
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errors in exc.error_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("%(mentor)s is now a mentor of class %(class)s.")
                    % {"mentor": mentor.full_name, "class": form.cleaned_data["class_name"]},
                )
                return redirect("ddd:class_mentors")
    links = list(selectors.class_mentor_links(school_id=school.pk))
    per_class: dict[str, list[ClassMentor]] = {c: [] for c in classes}
    for link in links:
        per_class.setdefault(link.class_name, []).append(link)
    return render(
        request,
        "dossiers/staff/class_mentors.html",
        {"form": form, "classes": sorted(per_class.items()), "has_mentors": bool(mentors)},
    )


@permission_required("dossiers.manage_students")
def class_mentor_remove(request: HttpRequest, link_id: int) -> HttpResponse:
    user = signed_in_user(request)
    link = get_object_or_404(
        ClassMentor.objects.select_related("mentor"),
        pk=link_id,
        organisation_id=user.organisation_id,
    )
    if request.method == "POST":
        duplicate = idempotency_check(request)
        if duplicate is not None:
            return redirect("ddd:class_mentors")
        services.class_mentor_unlink(link=link, acting_user=user)
        messages.success(
            request,
            _("%(mentor)s is no longer a mentor of class %(class)s.")
            % {"mentor": link.mentor.full_name, "class": link.class_name},
        )
        return redirect("ddd:class_mentors")
    return render(request, "dossiers/staff/class_mentor_remove.html", {"link": link})


# --- The school's DDD settings (decaan) ---------------------------------------------------------


class SchoolSettingForm(forms.Form):
    parallel_dossiers = forms.BooleanField(
        label=gettext_lazy("Students may have more than one open dossier"),
        help_text=gettext_lazy(
            "Off (the default): a student can start a new dossier only once their open one is "
            "completed or archived."
        ),
        required=False,
    )


@permission_required("dossiers.manage_students")
def school_settings(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    school = organisation_of(user)
    form = SchoolSettingForm(
        request.POST or None,
        initial={"parallel_dossiers": selectors.parallel_dossiers_allowed(school_id=school.pk)},
    )
    if request.method == "POST" and form.is_valid():
        if idempotency_check(request) is not None:
            return redirect("ddd:school_settings")
        services.school_dossier_setting_save(
            school=school,
            parallel_dossiers=form.cleaned_data["parallel_dossiers"],
            acting_user=user,
        )
        messages.success(request, _("The settings have been saved."))
        return redirect("ddd:school_settings")
    return render(request, "dossiers/staff/school_settings.html", {"form": form})

"""The questionnaire editor of platform beheer (issue 5, item 4).

The questionnaire of the DDD is data: platform beheer makes a new draft version from an existing
one, changes its steps and questions, previews it and publishes it. From then on new dossiers
start with it; a running dossier keeps the version it started with. Published versions are
read-only. Every write goes through the services, which check the definition
(domain/questionnaire) and audit the change; the questionnaire holds no personal data, so reading
it is not audited.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from vangnet.core.decorators import permission_required
from vangnet.core.forms import idempotency_check
from vangnet.core.users import signed_in_user

from . import selectors, services
from .forms import StepForm
from .models import Part, Question, QuestionKind, QuestionnaireVersion, Step

PERMISSION = "dossiers.edit_questionnaire"
_TEXT = "utrecht-textbox utrecht-textbox--html-input"
_TEXTAREA = "utrecht-textarea utrecht-textarea--html-textarea"
_SELECT = "utrecht-select utrecht-select--html-select"


# --- Forms --------------------------------------------------------------------------------------


class StepEditForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    key = forms.SlugField(
        label=gettext_lazy("Key"),
        max_length=50,
        help_text=gettext_lazy("Lower-case letters, digits, - and _; unique within the version."),
    )
    part = forms.ChoiceField(label=gettext_lazy("Part"), choices=Part.choices)
    intro = forms.CharField(
        label=gettext_lazy("Introduction"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    order = forms.IntegerField(label=gettext_lazy("Order"), min_value=0, max_value=32767)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class QuestionEditForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Question"), max_length=500)
    key = forms.SlugField(
        label=gettext_lazy("Key"),
        max_length=50,
        help_text=gettext_lazy(
            "Lower-case letters, digits, - and _; unique within the version. The answers are "
            "stored under this key."
        ),
    )
    section = forms.CharField(
        label=gettext_lazy("Section"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Questions with the same section are shown under one heading."),
    )
    help_text = forms.CharField(label=gettext_lazy("Explanation"), max_length=500, required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Kind of answer"), choices=QuestionKind.choices)
    required = forms.BooleanField(
        label=gettext_lazy("Required (counts for the percentage of the step)"), required=False
    )
    options = forms.CharField(
        label=gettext_lazy("Options"),
        required=False,
        max_length=12000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("Only for (multiple) choice questions: one option per line."),
    )
    order = forms.IntegerField(label=gettext_lazy("Order"), min_value=0, max_value=32767)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)

    def clean_options(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["options"].splitlines() if line.strip()]


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.Textarea):
            widget.attrs.setdefault("class", _TEXTAREA)
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", _SELECT)
        elif isinstance(widget, forms.TextInput | forms.NumberInput):
            widget.attrs.setdefault("class", _TEXT)


def _add_errors(form: forms.Form, exc: ValidationError) -> None:
    """A service's refusal on the form: on the field it names when the form has it."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            name = "options" if field == "choices" else field
            for message in errors:
                form.add_error(name if name in form.fields else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


# --- Lookups ------------------------------------------------------------------------------------


def _version(version_id: int) -> QuestionnaireVersion:
    version = QuestionnaireVersion.objects.filter(pk=version_id).first()
    if version is None:
        raise Http404
    return version


def _step(version: QuestionnaireVersion, step_id: int) -> Step:
    step = Step.objects.filter(pk=step_id, version=version).select_related("version").first()
    if step is None:
        raise Http404
    return step


def _question(version: QuestionnaireVersion, question_id: int) -> Question:
    question = (
        Question.objects.filter(pk=question_id, step__version=version)
        .select_related("step__version")
        .first()
    )
    if question is None:
        raise Http404
    return question


def _version_url(version: QuestionnaireVersion) -> str:
    return reverse("ddd_questionnaire:version", args=[version.pk])


def _refuse_published(request: HttpRequest, version: QuestionnaireVersion) -> HttpResponse | None:
    if not version.published:
        return None
    messages.error(
        request, _("A published version cannot be changed. Make a new version based on it.")
    )
    return HttpResponseRedirect(_version_url(version))


# --- Versions -----------------------------------------------------------------------------------


@require_GET
@permission_required(PERMISSION)
def versions(request: HttpRequest) -> HttpResponse:
    current = selectors.questionnaire_current()
    return render(
        request,
        "dossiers/questionnaire/versions.html",
        {
            "versions": selectors.questionnaire_versions().select_related("based_on"),
            "current": current,
        },
    )


@require_POST
@permission_required(PERMISSION)
def version_new(request: HttpRequest) -> HttpResponse:
    """A new draft, a copy of the chosen version (default: the current one)."""
    duplicate = idempotency_check(request)
    if duplicate is not None:
        return redirect("ddd_questionnaire:versions")
    user = signed_in_user(request)
    source_id = request.POST.get("source", "")
    if source_id:
        source = (
            QuestionnaireVersion.objects.filter(pk=source_id).first()
            if source_id.isdigit()
            else None
        )
        if source is None:
            messages.error(request, _("Choose an existing version to start from."))
            return redirect("ddd_questionnaire:versions")
    else:
        try:
            source = services.questionnaire_default_ensure()
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("ddd_questionnaire:versions")
    try:
        version = services.questionnaire_version_create_from(source=source, acting_user=user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("ddd_questionnaire:versions")
    messages.success(
        request,
        _("Version %(number)s is made as a copy of version %(source)s. Change it and publish it.")
        % {"number": version.number, "source": source.number},
    )
    return HttpResponseRedirect(_version_url(version))


@require_GET
@permission_required(PERMISSION)
def version_detail(request: HttpRequest, version_id: int) -> HttpResponse:
    version = _version(version_id)
    steps = selectors.questionnaire_steps(version_id=version.pk)
    parts = [
        {"value": value, "label": label, "steps": [s for s in steps if s.part == value]}
        for value, label in Part.choices
    ]
    return render(
        request,
        "dossiers/questionnaire/version.html",
        {
            "version": version,
            "parts": parts,
            "dossier_count": version.dossiers.count(),
            "is_current": selectors.questionnaire_current() == version,
        },
    )


@require_GET
@permission_required(PERMISSION)
def version_preview(request: HttpRequest, version_id: int) -> HttpResponse:
    """The steps as the student and mentor will see them (fields disabled)."""
    version = _version(version_id)
    forms_per_step = []
    for step in selectors.questionnaire_steps(version_id=version.pk):
        form = StepForm(step=step, answers={}, auto_id=f"{step.key}_%s")
        for field in form.fields.values():
            field.disabled = True
        forms_per_step.append({"step": step, "form": form, "part": step.get_part_display()})
    return render(
        request,
        "dossiers/questionnaire/preview.html",
        {"version": version, "steps": forms_per_step},
    )


@permission_required(PERMISSION)
def version_publish(request: HttpRequest, version_id: int) -> HttpResponse:
    version = _version(version_id)
    refused = _refuse_published(request, version)
    if refused is not None:
        return refused
    problems: list[str] = []
    if request.method == "POST":
        duplicate = idempotency_check(request)
        if duplicate is not None:
            return HttpResponseRedirect(_version_url(version))
        try:
            services.questionnaire_version_publish(
                version=version, acting_user=signed_in_user(request)
            )
        except ValidationError as exc:
            problems = exc.messages
        else:
            messages.success(
                request,
                _("Version %(number)s is published: new dossiers start with it.")
                % {"number": version.number},
            )
            return HttpResponseRedirect(_version_url(version))
    return render(
        request,
        "dossiers/questionnaire/publish.html",
        {"version": version, "problems": problems},
        status=400 if problems else 200,
    )


# --- Steps --------------------------------------------------------------------------------------


def _step_form_page(
    request: HttpRequest, version: QuestionnaireVersion, step: Step | None
) -> HttpResponse:
    refused = _refuse_published(request, version)
    if refused is not None:
        return refused
    if step is None:
        next_order = max((s.order for s in version.steps.all()), default=0) + 1
        initial: dict[str, Any] = {"order": next_order, "part": Part.A}
    else:
        initial = {f: getattr(step, f) for f in ("title", "key", "part", "intro", "order")}
    form = StepEditForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        duplicate = idempotency_check(request)
        if duplicate is not None:
            return duplicate
        try:
            saved = services.questionnaire_step_save(
                version=version, acting_user=signed_in_user(request), step=step, **form.cleaned_data
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The step %(title)s is saved.") % {"title": saved.title})
            return HttpResponseRedirect(f"{_version_url(version)}#step-{saved.pk}")
    return render(
        request,
        "dossiers/questionnaire/step_form.html",
        {"version": version, "step": step, "form": form},
        status=400 if form.errors else 200,
    )


@permission_required(PERMISSION)
def step_add(request: HttpRequest, version_id: int) -> HttpResponse:
    return _step_form_page(request, _version(version_id), None)


@permission_required(PERMISSION)
def step_edit(request: HttpRequest, version_id: int, step_id: int) -> HttpResponse:
    version = _version(version_id)
    return _step_form_page(request, version, _step(version, step_id))


@permission_required(PERMISSION)
def step_delete(request: HttpRequest, version_id: int, step_id: int) -> HttpResponse:
    version = _version(version_id)
    step = _step(version, step_id)
    refused = _refuse_published(request, version)
    if refused is not None:
        return refused
    if request.method == "POST":
        duplicate = idempotency_check(request)
        if duplicate is not None:
            return HttpResponseRedirect(_version_url(version))
        try:
            services.questionnaire_step_delete(step=step, acting_user=signed_in_user(request))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The step %(title)s is deleted.") % {"title": step.title})
        return HttpResponseRedirect(_version_url(version))
    count = step.questions.count()
    return render(
        request,
        "dossiers/questionnaire/delete.html",
        {
            "version": version,
            "title": _("Delete step"),
            "question": ngettext(
                "Delete the step %(title)s and its %(count)s question?",
                "Delete the step %(title)s and its %(count)s questions?",
                count,
            )
            % {"title": step.title, "count": count},
        },
    )


# --- Questions ----------------------------------------------------------------------------------


def _question_form_page(
    request: HttpRequest, version: QuestionnaireVersion, step: Step, question: Question | None
) -> HttpResponse:
    refused = _refuse_published(request, version)
    if refused is not None:
        return refused
    if question is None:
        next_order = max((q.order for q in step.questions.all()), default=0) + 1
        initial: dict[str, Any] = {"order": next_order, "required": True, "kind": "text"}
    else:
        initial = {
            f: getattr(question, f)
            for f in ("text", "key", "section", "help_text", "kind", "required", "order")
        }
        initial["options"] = "\n".join(question.choices or [])
    form = QuestionEditForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        duplicate = idempotency_check(request)
        if duplicate is not None:
            return duplicate
        data = dict(form.cleaned_data)
        try:
            saved = services.questionnaire_question_save(
                step=step,
                acting_user=signed_in_user(request),
                question=question,
                choices=data.pop("options"),
                **data,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The question %(key)s is saved.") % {"key": saved.key})
            return HttpResponseRedirect(f"{_version_url(version)}#step-{step.pk}")
    return render(
        request,
        "dossiers/questionnaire/question_form.html",
        {"version": version, "step": step, "question": question, "form": form},
        status=400 if form.errors else 200,
    )


@permission_required(PERMISSION)
def question_add(request: HttpRequest, version_id: int, step_id: int) -> HttpResponse:
    version = _version(version_id)
    return _question_form_page(request, version, _step(version, step_id), None)


@permission_required(PERMISSION)
def question_edit(request: HttpRequest, version_id: int, question_id: int) -> HttpResponse:
    version = _version(version_id)
    question = _question(version, question_id)
    return _question_form_page(request, version, question.step, question)


@permission_required(PERMISSION)
def question_delete(request: HttpRequest, version_id: int, question_id: int) -> HttpResponse:
    version = _version(version_id)
    question = _question(version, question_id)
    refused = _refuse_published(request, version)
    if refused is not None:
        return refused
    back = f"{_version_url(version)}#step-{question.step_id}"
    if request.method == "POST":
        duplicate = idempotency_check(request)
        if duplicate is not None:
            return HttpResponseRedirect(back)
        try:
            services.questionnaire_question_delete(
                question=question, acting_user=signed_in_user(request)
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The question %(key)s is deleted.") % {"key": question.key})
        return HttpResponseRedirect(back)
    return render(
        request,
        "dossiers/questionnaire/delete.html",
        {
            "version": version,
            "title": _("Delete question"),
            "question": _("Delete the question “%(text)s”?") % {"text": question.text},
        },
    )

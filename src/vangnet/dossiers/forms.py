"""Forms of the DDD screens. A questionnaire step becomes a Django form built from its questions
(the questionnaire is data, so the form is too); the student's deel A and the mentor's deel B use
the same builder, and the service checks every answer again (domain/questionnaire.clean_answer)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Question, QuestionKind, Step

YES_NO_CHOICES = (("", _("(not answered)")), ("ja", _("Yes")), ("nee", _("No")))


def _field_for(question: Question) -> forms.Field:
    # Every field is optional in the form: a step may be saved half-way; the percentage shows
    # how far it is, and "Opsturen" is refused until every required question is answered.
    common: dict[str, Any] = {
        "label": question.text,
        "help_text": question.help_text,
        "required": False,
    }
    kind = question.kind
    if kind == QuestionKind.TEXT:
        return forms.CharField(max_length=500, **common)
    if kind == QuestionKind.LONG_TEXT:
        return forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 4}), **common)
    if kind == QuestionKind.CHOICE:
        options = [("", _("(choose)")), *((c, c) for c in question.choices)]
        return forms.ChoiceField(choices=options, **common)
    if kind == QuestionKind.MULTIPLE_CHOICE:
        return forms.MultipleChoiceField(
            choices=[(c, c) for c in question.choices],
            widget=forms.CheckboxSelectMultiple,
            **common,
        )
    if kind == QuestionKind.YES_NO:
        return forms.ChoiceField(choices=YES_NO_CHOICES, widget=forms.RadioSelect, **common)
    return forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        **common,
    )


def _initial(question: Question, value: Any) -> Any:
    if question.kind == QuestionKind.YES_NO and isinstance(value, bool):
        return "ja" if value else "nee"
    return value


class StepForm(forms.Form):
    """The questions of one step. Field names are the question keys; `marked_required` makes the
    shared form template show the asterisk of a question that counts for the percentage."""

    def __init__(self, *args: Any, step: Step, answers: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.step = step
        for question in step.questions.all():
            field = _field_for(question)
            field.marked_required = question.required  # type: ignore[attr-defined]
            field.initial = _initial(question, answers.get(question.key))
            self.fields[question.key] = field

    def answers(self) -> dict[str, Any]:
        """Question key → raw value for services.answers_save (empty clears an answer)."""
        result: dict[str, Any] = {}
        for key, value in self.cleaned_data.items():
            if value is None:
                result[key] = ""
            elif hasattr(value, "isoformat"):
                result[key] = value.isoformat()
            else:
                result[key] = list(value) if isinstance(value, list | tuple) else value
        return result

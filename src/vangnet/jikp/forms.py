"""Forms of the JIKP panels on the youth detail page (seed 000 §4.1-4.6)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vangnet.accounts.models import User
from vangnet.organisations.models import Perspective
from vangnet.youth.forms import DateInput

from .domain import perspectives as rules
from .models import (
    ContractType,
    DayCareType,
    EducationLevel,
    LearningPath,
    PerspectiveStatus,
    TrajectKind,
    Uitstroomperspectief,
)

MAX_HOURS_PER_WEEK = 60


class ContactPersonForm(forms.Form):
    """§4.1: choose a colleague of your own organisation as contact person of the youth."""

    contact: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("Contact person"), queryset=User.objects.none()
    )

    def __init__(
        self, *args: Any, colleagues: Any, linked_ids: frozenset[int] = frozenset(), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["contact"]
        # Every colleague validates (a second click on "Save" is then recognised as a resend),
        # but only colleagues not yet linked are offered.
        field.queryset = colleagues  # type: ignore[attr-defined]
        self.offered = [user for user in colleagues if user.pk not in linked_ids]
        field.widget.choices = [
            ("", "---------"),
            *((user.pk, _colleague_label(user)) for user in self.offered),
        ]


def _colleague_label(user: Any) -> str:
    return f"{user.full_name} ({user.job_title})" if user.job_title else user.full_name


class PerspectiveKindForm(forms.Form):
    """§4.2: the best fitting uitstroomperspectief; only one is active."""

    kind = forms.ChoiceField(
        label=_("Uitstroomperspectief"), choices=Perspective.choices, widget=forms.RadioSelect
    )


class EducationDetailsForm(forms.Form):
    institution = forms.CharField(label=_("Institution"), max_length=200)
    programme = forms.CharField(label=_("Programme"), max_length=200)
    level = forms.ChoiceField(label=_("Level"), choices=EducationLevel.choices)
    learning_path = forms.ChoiceField(
        label=_("Learning path"),
        choices=[("", "---------"), *LearningPath.choices],
        required=False,
    )


class WorkDetailsForm(forms.Form):
    employer = forms.CharField(label=_("Employer"), max_length=200)
    job = forms.CharField(label=_("Job"), max_length=200)
    hours_per_week = forms.IntegerField(
        label=_("Hours per week"), min_value=0, max_value=MAX_HOURS_PER_WEEK, required=False
    )
    contract_type = forms.ChoiceField(label=_("Contract type"), choices=ContractType.choices)
    job_support = forms.CharField(
        label=_("Support at work"),
        max_length=300,
        required=False,
        help_text=_("For example a job coach, or support from the employer."),
    )


class DayCareDetailsForm(forms.Form):
    day_care_type = forms.ChoiceField(
        label=_("Type of day care"), choices=DayCareType.choices, widget=forms.RadioSelect
    )
    provider = forms.CharField(label=_("Provider / location"), max_length=200)
    support_need = forms.CharField(
        label=_("Support need"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )
    work_potential = forms.BooleanField(
        label=_("The youth has the potential to move on to work in time"), required=False
    )


DETAILS_FORMS: dict[str, type[forms.Form]] = {
    rules.Kind.EDUCATION: EducationDetailsForm,
    rules.Kind.WORK: WorkDetailsForm,
    rules.Kind.DAY_CARE: DayCareDetailsForm,
}


def details_form_for(perspective: Uitstroomperspectief, data: Any = None) -> forms.Form:
    """The details form of the perspective's kind, filled with what is known."""
    form_class = DETAILS_FORMS[perspective.kind]
    initial = {name: getattr(perspective, name) for name in form_class.base_fields}
    return form_class(data, initial=initial)


class PerspectiveStatusForm(forms.Form):
    """§4.4: only the statuses of the current perspective are offered."""

    status = forms.ChoiceField(label=_("Status"), choices=(), widget=forms.RadioSelect)

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            (str(status), PerspectiveStatus(str(status)).label)
            for status in rules.STATUSES[rules.Kind(kind)]
        ]


class DossierUploadForm(forms.Form):
    """A dossier (DAD) for work or day care: PDF or Word, checked by content in the service."""

    file = forms.FileField(
        label=_("Dossier"),
        help_text=_("A PDF or Word (.docx) file of at most 20 MB."),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".pdf,.docx,application/pdf,"
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        ),
    )


class SamenwerkingConfirmForm(forms.Form):
    """The confirmation of §4.5 carries no fields besides the one-time token."""


class TrajectForm(forms.Form):
    """§4.6: a programme the youth follows apart from the perspective."""

    kind = forms.ChoiceField(label=_("Type of programme"), choices=TrajectKind.choices)
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    starts_on = forms.DateField(label=_("Start date"), widget=DateInput())
    ends_on = forms.DateField(label=_("End date"), widget=DateInput(), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The end date cannot be before the start date."))
        return data


class TrajectEndForm(forms.Form):
    """Ending a traject: the date it ended (today by default)."""

    ends_on = forms.DateField(label=_("End date"), widget=DateInput())


class TrajectRemoveForm(forms.Form):
    """Removing a traject carries no fields besides the one-time token."""


BULK_CONTACT, BULK_STATUS = "contact", "status"


def _grouped_status_choices() -> list[tuple[Any, Any]]:
    return [
        (
            Perspective(str(kind)).label,
            [(str(s), PerspectiveStatus(str(s)).label) for s in rules.STATUSES[kind]],
        )
        for kind in rules.Kind
    ]


class IdListField(forms.TypedMultipleChoiceField):
    """Record ids from checkboxes: any whole number is accepted here; whether the user may act on
    that record is for the service to say."""

    def valid_value(self, value: Any) -> bool:
        return str(value).isdigit() and len(str(value)) < 12


class BulkActionForm(forms.Form):
    """An action on the rows selected in the Schoolgaand list: link a contact person or set the
    status. The button pressed (action) says which; the youth ids are checked in the service."""

    action = forms.ChoiceField(
        choices=[(BULK_CONTACT, BULK_CONTACT), (BULK_STATUS, BULK_STATUS)],
        error_messages={"required": _("Choose what to do with the selected youth.")},
    )
    ids = IdListField(
        coerce=int,
        error_messages={"required": _("First select one or more youth in the list.")},
    )
    contact: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("Contact person"), queryset=User.objects.none(), required=False
    )
    status = forms.ChoiceField(label=_("Status"), choices=(), required=False)

    def __init__(self, *args: Any, colleagues: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = colleagues  # type: ignore[attr-defined]
        self.fields["contact"].label_from_instance = _colleague_label  # type: ignore[attr-defined]
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            ("", "---------"),
            *_grouped_status_choices(),
        ]

    def clean_ids(self) -> list[int]:
        return sorted(set(self.cleaned_data.get("ids") or []))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == BULK_CONTACT and not data.get("contact"):
            self.add_error("contact", _("Choose a contact person."))
        if data.get("action") == BULK_STATUS and not data.get("status"):
            self.add_error("status", _("Choose a status."))
        return data

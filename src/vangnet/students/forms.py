from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vangnet.accounts.models import AccountKind
from vangnet.organisations.models import Organisation

from . import selectors, texts

TEXT = "utrecht-textbox utrecht-textbox--html-input"
SELECT = "utrecht-select utrecht-select--html-select"


class StudentLoginForm(AuthenticationForm):
    """E-mail address and password of a student account. A staff account is sent to the staff
    sign-in page (checked only after the password was right, so it reveals no accounts)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The e-mail address or the password is not right. Both are case sensitive."
        ),
        "staff_account": _(
            "This is a staff account. Staff sign in on the staff sign-in page, not in the "
            "student portal."
        ),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("E-mail address")
        for field in self.fields.values():
            field.widget.attrs["class"] = TEXT

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if user.kind != AccountKind.STUDENT:
            raise forms.ValidationError(self.error_messages["staff_account"], code="staff_account")


class ActivationForm(forms.Form):
    school = forms.ModelChoiceField(
        label=_("School"),
        queryset=Organisation.objects.none(),
        empty_label=_("Choose your school"),
        error_messages={"invalid_choice": _("Choose your school from the list.")},
    )
    student_number = forms.CharField(
        label=_("Student number"),
        max_length=30,
        help_text=_("The number your school gave you."),
    )
    birth_date = forms.DateField(
        label=_("Date of birth"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter your date of birth as day-month-year.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        school = self.fields["school"]
        assert isinstance(school, forms.ModelChoiceField)
        school.queryset = selectors.activation_schools()
        school.widget.attrs["class"] = SELECT
        self.fields["student_number"].widget.attrs.update({"class": TEXT, "autocomplete": "off"})
        self.fields["birth_date"].widget.attrs["class"] = TEXT


class BsnForm(forms.Form):
    bsn = forms.CharField(
        label=_("BSN (citizen service number)"),
        max_length=20,
        help_text=_("Nine digits. You find it on your ID card, passport or health insurance card."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bsn"].widget.attrs.update(
            {"class": TEXT, "autocomplete": "off", "inputmode": "numeric"}
        )


TARGET_LEVEL = "leerjaar"
TARGET_CLASS = "klas"
TARGET_STUDENT = "leerling"


class TargetForm(forms.Form):
    """Alle leerlingen → Accountgegevens: the system and which students get the instructions.

    One student is chosen from the suggestions (radio buttons named "student" that the HTMX
    search puts under the name field); only a current student of the own school is accepted.
    """

    system = forms.ChoiceField(
        label=_("System"), choices=[("ddd", _("Digitaal Doorstroomdossier"))], initial="ddd"
    )
    target = forms.ChoiceField(
        label=_("Send the instructions to"),
        widget=forms.RadioSelect,
        choices=[
            (TARGET_LEVEL, _("A year")),
            (TARGET_CLASS, _("A class")),
            (TARGET_STUDENT, _("One student")),
        ],
        initial=TARGET_CLASS,
    )
    level = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    class_name = forms.ChoiceField(label=_("Class"), required=False)
    student_name = forms.CharField(
        label=_("Student"),
        required=False,
        max_length=100,
        help_text=_("Type part of the first name, then click the student's full name."),
    )

    def __init__(self, *args: Any, school: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.school = school
        self.chosen: Any = None
        level = self.fields["level"]
        assert isinstance(level, forms.TypedChoiceField)
        level.choices = [
            ("", _("Choose a year")),
            *((n, str(n)) for n in selectors.school_levels(school=school)),
        ]
        class_name = self.fields["class_name"]
        assert isinstance(class_name, forms.ChoiceField)
        class_name.choices = [
            ("", _("Choose a class")),
            *((c, c) for c in selectors.school_classes(school=school)),
        ]
        for name in ("system", "level", "class_name"):
            self.fields[name].widget.attrs["class"] = SELECT
        self.fields["student_name"].widget.attrs.update(
            {
                "class": TEXT,
                "autocomplete": "off",
                "hx-get": reverse("student_accounts:suggest"),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "#student-suggestions",
            }
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        target = data.get("target")
        if target == TARGET_LEVEL and data.get("level") is None:
            self.add_error("level", _("Choose a year."))
        elif target == TARGET_CLASS and not data.get("class_name"):
            self.add_error("class_name", _("Choose a class."))
        elif target == TARGET_STUDENT:
            raw = str(self.data.get("student", "")).strip()
            self.chosen = (
                selectors.school_enrolments(school=self.school).filter(pk=int(raw)).first()
                if raw.isascii() and raw.isdigit() and len(raw) < 12
                else None
            )
            if self.chosen is None:
                self.add_error(
                    "student_name",
                    _("Type part of the first name and choose a student of your school."),
                )
        return data

    @property
    def chosen_list(self) -> list[Any]:
        return [self.chosen] if self.chosen is not None else []

    def enrolments(self) -> list[Any]:
        """The chosen current students of the own school (call after is_valid)."""
        data = self.cleaned_data
        if data["target"] == TARGET_STUDENT:
            return [self.chosen]
        qs = selectors.school_enrolments(school=self.school).select_related("organisation")
        if data["target"] == TARGET_LEVEL:
            return list(qs.filter(school_year_level=data["level"]))
        return list(qs.filter(class_name=data["class_name"]))


class MailForm(forms.Form):
    """The decaan's own mail ("Mail opstellen"); required only for that action."""

    subject = forms.CharField(label=_("Subject"), required=False, max_length=150)
    body = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "You can use {voornaam}, {leerlingnummer}, {school} and {activatielink}; they are "
            "filled in per student."
        ),
    )

    def __init__(self, *args: Any, compose: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.compose = compose
        self.fields["subject"].widget.attrs["class"] = TEXT
        self.fields["body"].widget.attrs["class"] = (
            "utrecht-textarea utrecht-textarea--html-textarea"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.compose:
            if not (data.get("subject") or "").strip():
                self.add_error("subject", _("Fill in a subject."))
            if not (data.get("body") or "").strip():
                self.add_error("body", _("Fill in the text of the mail."))
            problem = texts.placeholder_problem(
                (data.get("subject") or "") + (data.get("body") or "")
            )
            if problem:
                self.add_error("body", problem)
        return data

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vangnet.organisations.models import Location, Municipality

from .domain.identifiers import (
    is_valid_bsn,
    is_valid_onderwijsnummer,
    normalise_number,
    normalise_postcode,
)
from .models import Gender

ADDRESS_FIELDS = ("street", "house_number", "postcode", "city")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


# The school year of leaving is stored as the year it ends: 2022 means school year 2021/2022
# (seed 000 §4.7). The form offers the same range as the Excel import: ten years back and ahead.
LEAVING_YEARS_AROUND = 10


def school_year_label(year: int) -> str:
    return f"{year - 1}/{year}"


class LeavingYearField(forms.TypedChoiceField):
    """A select of school years ("2026/2027"), stored as the year they end (2027)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("School year of leaving"))
        super().__init__(coerce=int, empty_value=None, required=False, **kwargs)
        self.choices = self.year_choices()

    @staticmethod
    def year_choices(keep: Any = None) -> list[tuple[Any, str]]:
        """The selectable years; `keep` (a stored value outside the range) stays selectable so
        that saving other fields does not silently clear it."""
        this_year = timezone.localdate().year
        years = set(range(this_year - LEAVING_YEARS_AROUND, this_year + LEAVING_YEARS_AROUND + 1))
        if isinstance(keep, int):
            years.add(keep)
        return [("", "---------"), *((y, school_year_label(y)) for y in sorted(years))]


def refresh_leaving_years(form: forms.Form) -> None:
    """Compute the years when the form is made (not when the module was imported), keeping the
    stored value."""
    field = form.fields.get("leaving_year")
    if isinstance(field, LeavingYearField):
        field.choices = field.year_choices(keep=form.initial.get("leaving_year"))


class PersonForm(forms.Form):
    """Personal data of a youth, shared by 'add youth' and 'edit'."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    # django-stubs sees this as overriding BaseForm.prefix, but the form metaclass moves every
    # declared field into base_fields and off the class, so the form's own prefix stays None.
    prefix = forms.CharField(  # type: ignore[assignment]
        label=_("Prefix"), max_length=20, required=False
    )
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    birth_date = forms.DateField(label=_("Date of birth"), widget=DateInput())
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices)
    secret_address = forms.BooleanField(
        label=_("Secret address?"),
        required=False,
        help_text=_(
            "Tick when the address must stay secret; the address fields are then not asked."
        ),
    )
    street = forms.CharField(label=_("Street"), max_length=200, required=False)
    house_number = forms.CharField(label=_("House number"), max_length=20, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=7, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    municipality = forms.ModelChoiceField(
        label=_("Municipality of residence"), queryset=Municipality.objects.order_by("name")
    )
    wlz_indication = forms.BooleanField(label=_("Eligible for a WLZ indication"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Required unless the address is secret (checked in clean): marked * like required fields
        # (includes/form.html); the fields are hidden while "Secret address?" is ticked.
        for name in ADDRESS_FIELDS:
            self.fields[name].marked_required = True  # type: ignore[attr-defined]

    def clean_birth_date(self) -> Any:
        value = self.cleaned_data["birth_date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        if value.year < 1900:
            raise forms.ValidationError(_("Enter a real date of birth."))
        return value

    def clean_postcode(self) -> str:
        value = self.cleaned_data.get("postcode", "").strip()
        if not value:
            return ""
        normalised = normalise_postcode(value)
        if normalised is None:
            raise forms.ValidationError(_("Enter a Dutch postcode such as 1234 AB."))
        return normalised

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("secret_address"):
            for field in ADDRESS_FIELDS:
                data[field] = ""
        else:
            for field in ADDRESS_FIELDS:
                if not data.get(field) and field not in self.errors:
                    self.add_error(field, _("This field is required unless the address is secret."))
        return data


class EnrolmentFieldsMixin(forms.Form):
    location = forms.ModelChoiceField(
        label=_("Location"), queryset=Location.objects.none(), required=False
    )
    class_name = forms.CharField(label=_("Class"), max_length=30, required=False)
    school_year_level = forms.IntegerField(
        label=_("Year"), min_value=1, max_value=8, required=False
    )
    student_number = forms.CharField(label=_("Student number"), max_length=30, required=False)
    enrolled_on = forms.DateField(label=_("Enrolment date"), widget=DateInput())
    leaving_year = LeavingYearField()


class YouthEnrolForm(PersonForm, EnrolmentFieldsMixin):
    # autocomplete off: a browser never offers one youth's number while typing another's.
    bsn = forms.CharField(
        label=_("BSN"),
        max_length=12,
        required=False,
        help_text=_("Nine digits."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    onderwijsnummer = forms.CharField(
        label=_("Onderwijsnummer"),
        max_length=12,
        required=False,
        help_text=_("Only when the youth has no BSN."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )

    # Shown (as a checkbox) only after the service reported that the youth is enrolled at
    # another school; see ask_confirmation().
    confirm_elsewhere = forms.BooleanField(
        label=_("I confirm that this youth is also enrolled at my school."),
        required=False,
        widget=forms.HiddenInput(),
    )

    field_order = [
        "bsn",
        "onderwijsnummer",
        "first_name",
        "prefix",
        "last_name",
        "birth_date",
        "gender",
        "municipality",
        "secret_address",
        "street",
        "house_number",
        "postcode",
        "city",
        "location",
        "class_name",
        "school_year_level",
        "student_number",
        "enrolled_on",
        "leaving_year",
        "wlz_indication",
    ]

    def __init__(self, *args: Any, school: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = Location.objects.filter(organisation=school)  # type: ignore[attr-defined]
        refresh_leaving_years(self)

    def ask_confirmation(self) -> None:
        """Show the confirmation checkbox (the youth is enrolled at another school)."""
        self.fields["confirm_elsewhere"].widget = forms.CheckboxInput()

    def clean_bsn(self) -> str:
        value = normalise_number(self.cleaned_data.get("bsn", ""))
        if value and not is_valid_bsn(value):
            raise forms.ValidationError(_("This is not a valid BSN (it fails the eleven test)."))
        return value

    def clean_onderwijsnummer(self) -> str:
        value = normalise_number(self.cleaned_data.get("onderwijsnummer", ""))
        if value and not is_valid_onderwijsnummer(value):
            raise forms.ValidationError(_("This is not a valid onderwijsnummer."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (
            not data.get("bsn")
            and not data.get("onderwijsnummer")
            and "bsn" not in self.errors
            and "onderwijsnummer" not in self.errors
        ):
            self.add_error(
                "bsn", _("Enter a BSN, or an onderwijsnummer when the youth has no BSN.")
            )
        birth_date, enrolled_on = data.get("birth_date"), data.get("enrolled_on")
        if birth_date and enrolled_on and enrolled_on < birth_date:
            self.add_error(
                "enrolled_on",
                _("The enrolment date cannot be before the date of birth (%(date)s).")
                % {"date": f"{birth_date:%d-%m-%Y}"},
            )
        if data.get("bsn") and data.get("onderwijsnummer"):
            self.add_error(
                "onderwijsnummer", _("Enter either a BSN or an onderwijsnummer, not both.")
            )
        return data


class BsnSearchForm(forms.Form):
    """Search by BSN, sent by POST so that the number never ends up in a web address."""

    bsn = forms.CharField(
        label=_("BSN"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )

    def clean_bsn(self) -> str:
        value = normalise_number(self.cleaned_data.get("bsn", ""))
        if not is_valid_bsn(value):
            raise forms.ValidationError(_("This is not a valid BSN (it fails the eleven test)."))
        return value


class YouthEditForm(PersonForm):
    """Editing the person record (the school also edits its enrolment on the same page)."""

    class_name = forms.CharField(label=_("Class"), max_length=30, required=False)
    school_year_level = forms.IntegerField(
        label=_("Year"), min_value=1, max_value=8, required=False
    )
    student_number = forms.CharField(label=_("Student number"), max_length=30, required=False)
    leaving_year = LeavingYearField()
    unenrolled_on = forms.DateField(label=_("Unenrolment date"), widget=DateInput(), required=False)

    def __init__(self, *args: Any, enrolled_on: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.enrolled_on = enrolled_on  # the school's enrolment date, if it has one
        refresh_leaving_years(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        birth_date = data.get("birth_date")
        if birth_date and self.enrolled_on and self.enrolled_on < birth_date:
            self.add_error(
                "birth_date",
                _("The date of birth cannot be after the enrolment date (%(date)s).")
                % {"date": f"{self.enrolled_on:%d-%m-%Y}"},
            )
        return data

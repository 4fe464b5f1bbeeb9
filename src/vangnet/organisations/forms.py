from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .models import Perspective
from .services import MBO_SETTING_FIELDS, SETTING_FIELDS

__all__ = [
    "MBO_SETTING_FIELDS",
    "SETTING_FIELDS",
    "DesignationForm",
    "MboSettingsForm",
    "OrganisationSettingsForm",
]


class OrganisationSettingsForm(forms.Form):
    auto_monitor_education = forms.BooleanField(
        label=Perspective.EDUCATION.label,
        help_text=_("For youth whose uitstroomperspectief was education when they left."),
        required=False,
    )
    auto_monitor_work = forms.BooleanField(
        label=Perspective.WORK.label,
        help_text=_("For youth whose uitstroomperspectief was work when they left."),
        required=False,
    )
    auto_monitor_day_care = forms.BooleanField(
        label=Perspective.DAY_CARE.label,
        help_text=_("For youth whose uitstroomperspectief was day care when they left."),
        required=False,
    )


class MboSettingsForm(forms.Form):
    takes_part_in_ddd = forms.BooleanField(
        label=_("Takes part in the Digitaal Doorstroomdossier"),
        help_text=_(
            "When ticked, your institution sees the completed transfer dossiers of the students "
            "who applied to it, including whether a care file is handed over in person and "
            "whether the school would like contact."
        ),
        required=False,
    )


class _UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        organisation = obj.organisation.name if obj.organisation else ""
        return f"{obj.full_name} ({organisation})"


class DesignationForm(forms.Form):
    """Designate a contact person for a municipality and an uitstroomperspectief (§8.2)."""

    municipality: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Municipality"), queryset=None, empty_label=_("Choose a municipality")
    )
    perspective = forms.ChoiceField(
        label=_("Uitstroomperspectief"),
        choices=[("", _("Choose a perspective")), *Perspective.choices],
    )
    user = _UserChoiceField(
        label=_("Contact person"),
        queryset=None,
        empty_label=_("Choose a person"),
        help_text=_("Active users of a chain partner or municipality in this region."),
    )

    def __init__(
        self, *args: Any, municipalities: QuerySet[Any], candidates: QuerySet[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities  # type: ignore[attr-defined]
        self.fields["user"].queryset = candidates  # type: ignore[attr-defined]

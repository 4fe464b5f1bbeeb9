from django import forms
from django.utils.translation import gettext_lazy as _

SETTING_FIELDS = ("auto_monitor_education", "auto_monitor_work", "auto_monitor_day_care")


class OrganisationSettingsForm(forms.Form):
    auto_monitor_education = forms.BooleanField(
        label=_("Start monitoring youth who left for education automatically"), required=False
    )
    auto_monitor_work = forms.BooleanField(
        label=_("Start monitoring youth who left for work automatically"), required=False
    )
    auto_monitor_day_care = forms.BooleanField(
        label=_("Start monitoring youth who left for day care automatically"), required=False
    )

from django import forms
from django.utils.translation import gettext_lazy as _


class AuditSearchForm(forms.Form):
    q = forms.CharField(
        label=_("BSN, onderwijsnummer or record number"),
        max_length=20,
        widget=forms.PasswordInput(
            render_value=False, attrs={"autocomplete": "off", "inputmode": "numeric"}
        ),
        help_text=_("The number is sent in the form body, never in the address bar."),
    )

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
    reason = forms.CharField(
        label=_("Reason for looking this up"),
        min_length=10,
        max_length=200,
        help_text=_(
            "For example the request or complaint this answers. The reason is kept in the audit "
            "trail with your search; the youth's name is shown only once it is given."
        ),
        error_messages={
            "required": _("Give the reason for this search."),
            "min_length": _("Describe the reason in at least %(limit_value)d characters."),
        },
    )

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        help_text=_("Use the template of this kind; at most 20 MB."),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )


class ApplyForm(forms.Form):
    """Processing a checked file. When rows concern youth who are enrolled at another school as
    well, the school confirms that it enrols them too."""

    confirm_elsewhere = forms.BooleanField(
        label=_("I confirm that these youth are also enrolled at my school."), required=False
    )

    def __init__(self, *args: Any, elsewhere: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.elsewhere = elsewhere
        if elsewhere:
            self.fields["confirm_elsewhere"].required = True
            self.fields["confirm_elsewhere"].error_messages["required"] = _(
                "Confirm that the youth enrolled at another school are also enrolled at your "
                "school, or remove them from the file."
            )

"""Forms of the chain partner screens (§4.5) and of Algemeen > Documenten (§8.3)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from vangnet.core.uploads import MAX_UPLOAD_BYTES


class _ColleagueChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.job_title})" if obj.job_title else obj.full_name


class ContactLinkForm(forms.Form):
    contact = _ColleagueChoiceField(
        label=_("Contact person"),
        queryset=None,
        empty_label=_("Choose a colleague"),
        help_text=_("The school sees this person with e-mail address and telephone number."),
    )

    def __init__(self, *args: Any, colleagues: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = colleagues  # type: ignore[attr-defined]


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".pdf,.docx,application/pdf,"
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext(
            "A PDF or Word (.docx) file of at most %(mb)s MB."
        ) % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}

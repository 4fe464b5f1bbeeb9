"""Forms of the master data pages of platform management: regions, gemeenten, organisations and
their locations. Every rule that the database also enforces is checked here first, so that the
user gets a Dutch message instead of a constraint name."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vangnet.youth.domain.identifiers import normalise_postcode

from .models import (
    EDUCATION_KINDS,
    SCHOOL_KINDS,
    Location,
    Municipality,
    Organisation,
    OrganisationKind,
    Region,
)

_CBS_CODE = re.compile(r"^GM[0-9]{4}$")
_BRIN = re.compile(r"^[0-9]{2}[A-Z0-9]{2}$")
_BRIN_LOCATION = re.compile(r"^[0-9]{2}[A-Z0-9]{2}[0-9]{2}$")
_TEXT_INPUT = "utrecht-textbox utrecht-textbox--html-input"


class _MasterDataForm(forms.ModelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.TextInput | forms.EmailInput):
                field.widget.attrs.setdefault("class", _TEXT_INPUT)

    def changed_fields(self) -> list[str]:
        return sorted(self.changed_data) if self.instance.pk else sorted(self.fields)


class RegionForm(_MasterDataForm):
    class Meta:
        model = Region
        fields = ["name", "code"]
        help_texts = {"code": _("Short code of the region, e.g. RMC23.")}

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip().upper()


class MunicipalityForm(_MasterDataForm):
    class Meta:
        model = Municipality
        fields = ["name", "region", "cbs_code"]
        help_texts = {"cbs_code": _("GM followed by four digits, e.g. GM0363.")}

    def clean_cbs_code(self) -> str:
        code = str(self.cleaned_data["cbs_code"]).strip().upper()
        if not _CBS_CODE.match(code):
            raise forms.ValidationError(_("Enter a CBS code such as GM0363."))
        return code


class OrganisationForm(_MasterDataForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "code",
            "region",
            "municipality",
            "brin",
            "has_entree",
            "takes_part_in_ddd",
            "email",
            "phone",
        ]
        help_texts = {
            "code": _("Lower-case letters, digits and hyphens; used in exports and never changed."),
            "brin": _("Schools and MBO institutions: the four characters of the BRIN number."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.select_related(  # type: ignore[attr-defined]
            "region"
        ).order_by("name")
        if self.instance.pk:
            # The kind decides what the users of an organisation see and do; a school does not
            # become a chain partner. The code is referred to from exports and imports.
            self.fields["kind"].disabled = True
            self.fields["code"].disabled = True

    def clean_code(self) -> str:
        return str(self.cleaned_data.get("code") or "").strip().lower()

    def clean_brin(self) -> str:
        return str(self.cleaned_data.get("brin") or "").strip().upper()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        region = data.get("region")
        municipality = data.get("municipality")
        brin = data.get("brin", "")
        if kind == OrganisationKind.PLATFORM:
            data["region"] = data["municipality"] = None
        elif kind and region is None and "region" not in self.errors:
            self.add_error("region", _("Choose the region of the organisation."))
        if kind == OrganisationKind.MUNICIPALITY and municipality is None:
            self.add_error("municipality", _("Choose the municipality this organisation is."))
        if (
            kind != OrganisationKind.PLATFORM
            and region is not None
            and municipality is not None
            and municipality.region_id != region.pk
        ):
            self.add_error(
                "municipality",
                _("%(municipality)s is not part of %(region)s.")
                % {"municipality": municipality.name, "region": region.name},
            )
        if kind in EDUCATION_KINDS:
            if brin and not _BRIN.match(brin):
                self.add_error("brin", _("Enter a BRIN number of four characters, e.g. 12AB."))
            elif not brin and kind in SCHOOL_KINDS:
                self.add_error("brin", _("A school needs its BRIN number."))
        elif brin:
            self.add_error("brin", _("Only schools and MBO institutions have a BRIN number."))
        if data.get("has_entree") and kind != OrganisationKind.MBO:
            self.add_error("has_entree", _("Only an MBO institution offers Entree programmes."))
        if data.get("takes_part_in_ddd") and kind != OrganisationKind.MBO:
            self.add_error(
                "takes_part_in_ddd",
                _("Only an MBO institution takes part in the DDD as receiving institution."),
            )
        return data


class LocationForm(_MasterDataForm):
    class Meta:
        model = Location
        fields = [
            "organisation",
            "name",
            "brin_vestiging",
            "municipality",
            "street",
            "postcode",
            "city",
        ]
        help_texts = {
            "brin_vestiging": _("The BRIN number followed by two digits, e.g. 12AB01."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            kind__in=EDUCATION_KINDS
        ).order_by("name")
        if self.instance.pk:
            self.fields["organisation"].disabled = True

    def clean_brin_vestiging(self) -> str:
        value = str(self.cleaned_data.get("brin_vestiging") or "").strip().upper()
        if value and not _BRIN_LOCATION.match(value):
            raise forms.ValidationError(_("Enter a BRIN location number such as 12AB01."))
        return value

    def clean_postcode(self) -> str:
        value = str(self.cleaned_data.get("postcode") or "").strip()
        if not value:
            return ""
        normalised = normalise_postcode(value)
        if normalised is None:
            raise forms.ValidationError(_("Enter a Dutch postcode such as 1234 AB."))
        return normalised

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        organisation = data.get("organisation")
        vestiging = data.get("brin_vestiging")
        if (
            organisation is not None
            and vestiging
            and organisation.brin
            and not vestiging.startswith(organisation.brin)
        ):
            self.add_error(
                "brin_vestiging",
                _("The location number starts with the BRIN number %(brin)s of the school.")
                % {"brin": organisation.brin},
            )
        return data


MASTER_DATA_FORMS: dict[str, type[_MasterDataForm]] = {
    "regio": RegionForm,
    "gemeente": MunicipalityForm,
    "organisatie": OrganisationForm,
    "locatie": LocationForm,
}

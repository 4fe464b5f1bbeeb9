from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from vangnet.core.decorators import permission_required
from vangnet.core.forms import idempotency_check
from vangnet.core.users import signed_in_user
from vangnet.jikp import selectors as jikp_selectors

from .forms import (
    MBO_SETTING_FIELDS,
    SETTING_FIELDS,
    DesignationForm,
    MboSettingsForm,
    OrganisationSettingsForm,
)
from .models import OrganisationKind
from .services import designation_add, designation_remove, organisation_settings_update


@permission_required("organisations.view_settings")
def settings_view(request: HttpRequest) -> HttpResponse:
    """Instellingen (seed 000 §9): preferences of the user's own organisation."""
    organisation = signed_in_user(request).organisation
    if organisation is None:
        raise Http404
    is_mbo = organisation.kind == OrganisationKind.MBO
    has_settings = organisation.is_school or is_mbo
    can_change = request.user.has_perm("organisations.change_settings")
    form_class, fields = (
        (MboSettingsForm, MBO_SETTING_FIELDS)
        if is_mbo
        else (OrganisationSettingsForm, SETTING_FIELDS)
    )
    form = form_class(
        request.POST if request.method == "POST" else None,  # all boxes unticked: empty POST
        initial={f: getattr(organisation, f) for f in fields},
    )
    if request.method == "POST":
        if not can_change:
            return render(request, "errors/403.html", status=403)
        if form.is_valid():
            organisation_settings_update(
                organisation=organisation,
                data=form.cleaned_data,
                acting_user=signed_in_user(request),
            )
            messages.success(request, _("Settings saved."))
            return redirect("organisations:settings")
    return render(
        request,
        "organisations/settings.html",
        {
            "form": form,
            "organisation": organisation,
            "has_settings": has_settings,
            "is_mbo": is_mbo,
            "can_change": can_change,
        },
    )


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _designations_url(region_id: int) -> str:
    return f"{reverse('organisations:designations')}?regio={region_id}"


@permission_required("organisations.manage_designations")
def designations(request: HttpRequest) -> HttpResponse:
    """Manage the designated contacts per municipality and perspective of a region (§8.2)."""
    regions = jikp_selectors.designation_regions(user=signed_in_user(request))
    region_id = _int_or_none(request.GET.get("regio"))
    region = (regions.filter(pk=region_id).first() if region_id else None) or regions.first()
    if region is None:
        raise Http404
    form = DesignationForm(
        request.POST or None,
        municipalities=jikp_selectors.municipalities_in_region(region_id=region.pk),
        candidates=jikp_selectors.designation_candidates(region_id=region.pk),
    )
    if request.method == "POST" and form.is_valid():
        duplicate = idempotency_check(request)
        if duplicate is not None:
            return redirect(_designations_url(region.pk))
        try:
            designation = designation_add(
                municipality=form.cleaned_data["municipality"],
                perspective=form.cleaned_data["perspective"],
                user=form.cleaned_data["user"],
                acting_user=signed_in_user(request),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(name)s is now a contact person for %(municipality)s (%(perspective)s).")
                % {
                    "name": designation.user.full_name,
                    "municipality": designation.municipality.name,
                    "perspective": designation.get_perspective_display(),
                },
            )
            return redirect(_designations_url(region.pk))
    return render(
        request,
        "organisations/designations.html",
        {
            "form": form,
            "region": region,
            "regions": regions if regions.count() > 1 else None,
            "designations": jikp_selectors.designations_in_region(region_id=region.pk),
        },
    )


@permission_required("organisations.manage_designations")
def designation_delete(request: HttpRequest, designation_id: int) -> HttpResponse:
    designation = jikp_selectors.designation_get(
        user=signed_in_user(request), designation_id=designation_id
    )
    region_id = designation.municipality.region_id
    if request.method == "POST":
        designation_remove(designation=designation, acting_user=signed_in_user(request))
        messages.success(
            request,
            _("%(name)s is no longer a contact person for %(municipality)s (%(perspective)s).")
            % {
                "name": designation.user.full_name,
                "municipality": designation.municipality.name,
                "perspective": designation.get_perspective_display(),
            },
        )
        return redirect(_designations_url(region_id))
    return render(
        request,
        "organisations/designation_delete.html",
        {"designation": designation, "back_url": _designations_url(region_id)},
    )

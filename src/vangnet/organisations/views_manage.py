"""Master data pages of platform management: regions, gemeenten, organisations, locations, and
the first users of a new organisation. Nothing is deleted here: records are referred to by
enrolments, users and the audit trail; an organisation that stops keeps its history."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vangnet.accounts import selectors as account_selectors
from vangnet.accounts import services as account_services
from vangnet.accounts.forms import UserForm
from vangnet.accounts.models import Role, User
from vangnet.core.decorators import permission_required
from vangnet.core.forms import idempotency_check

from . import selectors, services
from .forms_manage import MASTER_DATA_FORMS
from .models import EDUCATION_KINDS, Location, Municipality, Organisation, Region

MANAGE = "organisations.manage_master_data"
NO_REGION = "geen"

TITLES = {
    "regio": (gettext_lazy("Add a region"), gettext_lazy("Change region")),
    "gemeente": (gettext_lazy("Add a municipality"), gettext_lazy("Change municipality")),
    "organisatie": (gettext_lazy("Add an organisation"), gettext_lazy("Change organisation")),
    "locatie": (gettext_lazy("Add a location"), gettext_lazy("Change location")),
}


def _user(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isascii() and value.isdigit() else None


def _overview_url(region_id: int | None) -> str:
    return f"{reverse('organisations:manage')}?regio={region_id or NO_REGION}"


def _back_url(record: Model) -> str:
    """Where a saved record is shown: its region's overview, a location on its organisation."""
    if isinstance(record, Region):
        return _overview_url(record.pk)
    if isinstance(record, Municipality):
        return _overview_url(record.region_id)
    if isinstance(record, Location):
        return reverse("organisations:manage_edit", args=["organisatie", record.organisation_id])
    if isinstance(record, Organisation):
        return _overview_url(record.region_id)
    raise Http404


@permission_required(MANAGE)
def manage(request: HttpRequest) -> HttpResponse:
    """Overview: every region, and of the chosen one its municipalities and organisations."""
    regions = list(selectors.master_regions())
    wanted = request.GET.get("regio", "")
    region_id = _int_or_none(wanted)
    region = next((r for r in regions if r.pk == region_id), None)
    if region is None and wanted != NO_REGION and regions:
        region = regions[0]
    return render(
        request,
        "organisations/manage/index.html",
        {
            "regions": regions,
            "region": region,
            "no_region": NO_REGION,
            **selectors.master_region_overview(region=region),
        },
    )


def _initial(request: HttpRequest, kind: str) -> dict[str, Any]:
    """A new municipality or organisation starts in the region being looked at; a new location at
    its organisation."""
    if kind in {"gemeente", "organisatie"}:
        region_id = _int_or_none(request.GET.get("regio"))
        return {"region": region_id} if region_id else {}
    if kind == "locatie":
        organisation_id = _int_or_none(request.GET.get("organisatie"))
        return {"organisation": organisation_id} if organisation_id else {}
    return {}


@permission_required(MANAGE)
def manage_form(request: HttpRequest, kind: str, pk: int | None = None) -> HttpResponse:
    """Add (no pk) or change one region, municipality, organisation or location."""
    form_class = MASTER_DATA_FORMS.get(kind)
    if form_class is None:
        raise Http404
    instance = (
        selectors.master_record_get(model=form_class._meta.model, pk=pk) if pk is not None else None
    )
    form = form_class(
        request.POST or None,
        instance=instance,
        initial=_initial(request, kind) if instance is None else None,
    )
    if request.method == "POST" and form.is_valid():
        if instance is None:
            duplicate = idempotency_check(request)
            if duplicate is not None:
                return duplicate
        try:
            record = services.master_data_save(
                instance=form.instance, fields=form.changed_fields(), acting_user=_user(request)
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                (_("%(name)s has been added.") if instance is None else _("%(name)s is saved."))
                % {"name": record},
            )
            return redirect(_back_url(record))
    context: dict[str, Any] = {
        "form": form,
        "kind": kind,
        "record": instance,
        "title": TITLES[kind][0 if instance is None else 1],
        "back_url": _back_url(instance) if instance is not None else _overview_url(None),
    }
    if isinstance(instance, Organisation):
        context["locations"] = selectors.organisation_locations(organisation=instance)
        context["users"] = selectors.organisation_users(organisation=instance)
        context["has_admin"] = account_selectors.organisation_has_active_admin(
            organisation_id=instance.pk
        )
        context["has_locations"] = instance.kind in EDUCATION_KINDS
        context["back_url"] = _overview_url(instance.region_id)
    return render(request, "organisations/manage/form.html", context)


@permission_required(MANAGE)
def manage_user_add(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """Invite the first administrator of an organisation that has none. That administrator then
    adds the colleagues (Gebruikers); once there is one, this page only says so."""
    organisation = selectors.master_record_get(model=Organisation, pk=organisation_id)
    assert isinstance(organisation, Organisation)
    if account_selectors.organisation_has_active_admin(organisation_id=organisation.pk):
        return render(
            request,
            "organisations/manage/user_add.html",
            {"form": None, "organisation": organisation, "has_admin": True},
        )
    form = UserForm(
        request.POST or None, organisation=organisation, initial={"roles": [Role.ADMIN]}
    )
    if request.method == "POST" and form.is_valid():
        duplicate = idempotency_check(request)
        if duplicate is not None:
            return duplicate
        try:
            user = account_services.user_create(
                organisation=organisation,
                data=form.cleaned_data,
                acting_user=_user(request),
                site_url=request.build_absolute_uri("/"),
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(name)s has been added and receives an e-mail to choose a password.")
                % {"name": user.full_name},
            )
            return redirect("organisations:manage_edit", kind="organisatie", pk=organisation.pk)
    return render(
        request,
        "organisations/manage/user_add.html",
        {"form": form, "organisation": organisation},
    )

"""Action pages behind the JIKP panels of the youth detail page (seed 000 §4.1-4.6, §5).

Every view: the permission decorator lets in the kinds of user that see these panels (not MBO),
youth_get_for_user gives 404 for a youth the user cannot see (another school's, a chain partner
without samenwerking), then the action's permission on this youth gives 403 (a school changes the
profile only while the youth is schoolgoing; the gemeente and chain partners never), and one
service does the write.
"""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from vangnet.accounts.models import User
from vangnet.audit.models import AuditAction
from vangnet.audit.services import audit_record
from vangnet.core.decorators import permission_required
from vangnet.core.forms import idempotency_check
from vangnet.core.uploads import read_sealed
from vangnet.organisations.models import Organisation
from vangnet.youth.models import Youth
from vangnet.youth.selectors import youth_get_for_user

from . import selectors, services
from .domain import perspectives as rules
from .forms import (
    ContactPersonForm,
    DossierUploadForm,
    PerspectiveKindForm,
    PerspectiveStatusForm,
    SamenwerkingConfirmForm,
    TrajectEndForm,
    TrajectForm,
    TrajectRemoveForm,
    details_form_for,
)
from .models import Uitstroomperspectief

SECTION_CONTACTS = "jikp-contacts"
SECTION_PERSPECTIVE = "jikp-perspective"
SECTION_SAMENWERKING = "jikp-samenwerkingen"
SECTION_TRAJECTEN = "jikp-trajecten"


def _user(request: HttpRequest) -> User:
    """The signed-in staff member (the decorator already turned anonymous visitors away)."""
    if not isinstance(request.user, User) or request.user.organisation is None:
        raise PermissionDenied
    return request.user


def _organisation(user: User) -> Organisation:
    if user.organisation is None:
        raise PermissionDenied
    return user.organisation


def _youth(request: HttpRequest, youth_id: int, perm: str) -> Youth:
    """The youth (404 when not visible), after the object permission for this action."""
    youth = youth_get_for_user(
        user=request.user, youth_id=youth_id, audit=request.method in ("GET", "HEAD")
    )
    if not request.user.has_perm(perm, youth):
        raise PermissionDenied
    return youth


def _back(youth: Youth, section: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse('youth:detail', args=[youth.pk])}#{section}")


def _render(request: HttpRequest, template: str, youth: Youth, **context: Any) -> HttpResponse:
    return render(request, f"jikp/detail/{template}", {"youth": youth, **context})


def _current_perspective(youth: Youth) -> Uitstroomperspectief | None:
    return selectors.active_perspective(youth=youth)


def _needs_perspective(request: HttpRequest, youth: Youth) -> HttpResponse:
    messages.info(request, _("First choose an uitstroomperspectief."))
    return redirect("jikp:detail_perspective_set", youth_id=youth.pk)


# --- Contactpersonen (§4.1, §5.2) ---------------------------------------------------------------


@permission_required("jikp.view_profile")
def contact_add(request: HttpRequest, youth_id: int) -> HttpResponse:
    user = _user(request)
    youth = _youth(request, youth_id, "jikp.link_contact")
    form = ContactPersonForm(
        request.POST or None,
        colleagues=selectors.colleagues_for_contact(user=user),
        linked_ids=selectors.linked_user_ids(youth=youth),
    )
    if request.method == "POST" and form.is_valid():
        duplicate = idempotency_check(request)
        if duplicate is not None:
            return duplicate
        try:
            link = services.contact_person_link(
                youth=youth, contact=form.cleaned_data["contact"], acting_user=user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(name)s is now a contact person of this youth.") % {"name": link.user},
            )
            return _back(youth, SECTION_CONTACTS)
    return _render(request, "contact_add.html", youth, form=form)


@permission_required("jikp.view_profile")
def contact_remove(request: HttpRequest, youth_id: int, link_id: int) -> HttpResponse:
    user = _user(request)
    youth = _youth(request, youth_id, "jikp.link_contact")
    link = selectors.contact_person_get_own(youth=youth, user=user, link_id=link_id)
    form = SamenwerkingConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        duplicate = idempotency_check(request)
        if duplicate is not None:
            return duplicate
        try:
            services.contact_person_unlink(link=link, acting_user=user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(name)s is no longer a contact person of this youth.") % {"name": link.user},
            )
            return _back(youth, SECTION_CONTACTS)
    return _render(request, "contact_remove.html", youth, form=form, link=link)


# --- Uitstroomperspectief (§4.2-4.4, §5.3) ------------------------------------------------------


@permission_required("jikp.view_profile")
def perspective_set(request: HttpRequest, youth_id: int) -> HttpResponse:
    user = _user(request)
    youth = _youth(request, youth_id, "jikp.change_profile")
    current = _current_perspective(youth)
    form = PerspectiveKindForm(request.POST or None, initial={"kind": current and current.kind})
    if request.method == "POST" and form.is_valid():
        duplicate = idempotency_check(request)
        if duplicate is not None:
            return duplicate
        try:
            perspective = services.perspective_set(
                youth=youth,
                school=_organisation(user),
                kind=form.cleaned_data["kind"],
                acting_user=user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("The uitstroomperspectief is now %(kind)s.")
                % {"kind": perspective.get_kind_display()},
            )
            if perspective.kind in rules.COLLABORATION_KINDS and (
                selectors.has_running_application(youth=youth)
            ):
                messages.warning(request, _("Note: this youth also has a running application."))
            return _back(youth, SECTION_PERSPECTIVE)
    return _render(request, "perspective_set.html", youth, form=form, current=current)


@permission_required("jikp.view_profile")
def perspective_details(request: HttpRequest, youth_id: int) -> HttpResponse:
    user = _user(request)
    youth = _youth(request, youth_id, "jikp.change_profile")
    perspective = _current_perspective(youth)
    if perspective is None:
        return _needs_perspective(request, youth)
    form = details_form_for(perspective, request.POST or None)
    if request.method == "POST" and form.is_valid():
        duplicate = idempotency_check(request)
        if duplicate is not None:
            return duplicate
        try:
            services.perspective_details_update(
                perspective=perspective, data=form.cleaned_data, acting_user=user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The details of the uitstroomperspectief are saved."))
            return _back(youth, SECTION_PERSPECTIVE)
    return _render(request, "perspective_details.html", youth, form=form, perspective=perspective)


@permission_required("jikp.view_profile")
def perspective_status(request: HttpRequest, youth_id: int) -> HttpResponse:
    user = _user(request)
    youth = _youth(request, youth_id, "jikp.change_profile")
    perspective = _current_perspective(youth)
    if perspective is None:
        return _needs_perspective(request, youth)
    form = PerspectiveStatusForm(
        request.POST or None, kind=perspective.kind, initial={"status": perspective.status}
    )
    if request.method == "POST" and form.is_valid():
        duplicate = idempotency_check(request)
        if duplicate is not None:
            return duplicate
        try:
            services.perspective_status_set(
                perspective=perspective,
                status=form.cleaned_data["status"],
                acting_user=user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("The status is now %(status)s.") % {"status": perspective.get_status_display()},
            )
            return _back(youth, SECTION_PERSPECTIVE)
    return _render(request, "perspective_status.html", youth, form=form, perspective=perspective)


@permission_required("jikp.view_profile")
def document_add(request: HttpRequest, youth_id: int) -> HttpResponse:
    user = _user(request)
    youth = _youth(request, youth_id, "jikp.change_profile")
    perspective = _current_perspective(youth)
    if perspective is None:
        return _needs_perspective(request, youth)
    if perspective.kind not in rules.DOSSIER_KINDS:
        messages.error(request, _("A dossier can only be added for work or day care."))
        return _back(youth, SECTION_PERSPECTIVE)
    form = DossierUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        duplicate = idempotency_check(request)
        if duplicate is not None:
            return duplicate
        try:
            document = services.perspective_document_add(
                perspective=perspective,
                uploaded=form.cleaned_data["file"],
                acting_user=user,
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            messages.success(
                request, _("The dossier %(name)s is saved.") % {"name": document.original_name}
            )
            return _back(youth, SECTION_PERSPECTIVE)
    return _render(request, "document_add.html", youth, form=form, perspective=perspective)


@require_GET
@permission_required("jikp.view_profile")
def document_download(
    request: HttpRequest, youth_id: int, document_id: int
) -> HttpResponse | FileResponse:
    user = _user(request)
    youth = _youth(request, youth_id, "jikp.view_profile")
    document = selectors.perspective_document_get(youth=youth, document_id=document_id)
    try:
        content = read_sealed(document.file)
    except FileNotFoundError:
        messages.error(request, _("The file of this dossier can no longer be found."))
        return _back(youth, SECTION_PERSPECTIVE)
    with transaction.atomic():
        audit_record(
            user=user,
            action=AuditAction.VIEW,
            obj=document,
            youth_id=youth.pk,
            description="dossier downloaded",
        )
    response = FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["Cache-Control"] = "no-store"
    return response


# --- Samenwerking (§4.5) ------------------------------------------------------------------------


@permission_required("jikp.view_profile")
def samenwerking_request(request: HttpRequest, youth_id: int) -> HttpResponse:
    user = _user(request)
    youth = _youth(request, youth_id, "jikp.change_profile")
    perspective = _current_perspective(youth)
    if perspective is None:
        return _needs_perspective(request, youth)
    if perspective.kind not in rules.COLLABORATION_KINDS:
        messages.error(
            request,
            _("A samenwerking can only be requested for the perspective work or day care."),
        )
        return _back(youth, SECTION_PERSPECTIVE)
    partner, contacts = services.designated_partner(youth=youth, kind=perspective.kind)
    # Said before the school confirms, not only as an error afterwards.
    already_open = partner is not None and selectors.open_samenwerking_exists(
        youth=youth, partner=partner
    )
    form = SamenwerkingConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        duplicate = idempotency_check(request)
        if duplicate is not None:
            return duplicate
        try:
            samenwerking = services.samenwerking_request(
                youth=youth, school=_organisation(user), acting_user=user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("The samenwerking with %(partner)s has been requested.")
                % {"partner": samenwerking.partner.name},
            )
            return _back(youth, SECTION_SAMENWERKING)
    return _render(
        request,
        "samenwerking_request.html",
        youth,
        form=form,
        perspective=perspective,
        partner=partner,
        contacts=contacts,
        already_open=already_open,
    )


# --- Trajecten (§4.6) ---------------------------------------------------------------------------


@permission_required("jikp.view_profile")
def traject_add(request: HttpRequest, youth_id: int) -> HttpResponse:
    user = _user(request)
    youth = _youth(request, youth_id, "jikp.add_traject")
    form = TrajectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        duplicate = idempotency_check(request)
        if duplicate is not None:
            return duplicate
        try:
            traject = services.traject_add(youth=youth, data=form.cleaned_data, acting_user=user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("The programme %(kind)s has been added.") % {"kind": traject.get_kind_display()},
            )
            return _back(youth, SECTION_TRAJECTEN)
    return _render(request, "traject_add.html", youth, form=form)


@permission_required("jikp.view_profile")
def traject_edit(request: HttpRequest, youth_id: int, traject_id: int) -> HttpResponse:
    user = _user(request)
    youth = _youth(request, youth_id, "jikp.add_traject")
    traject = selectors.traject_get_own(youth=youth, user=user, traject_id=traject_id)
    form = TrajectForm(
        request.POST or None,
        initial={
            "kind": traject.kind,
            "description": traject.description,
            "starts_on": traject.starts_on,
            "ends_on": traject.ends_on,
        },
    )
    if request.method == "POST" and form.is_valid():
        duplicate = idempotency_check(request)
        if duplicate is not None:
            return duplicate
        try:
            services.traject_update(traject=traject, data=form.cleaned_data, acting_user=user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("The programme %(kind)s has been changed.")
                % {"kind": traject.get_kind_display()},
            )
            return _back(youth, SECTION_TRAJECTEN)
    return _render(request, "traject_edit.html", youth, form=form, traject=traject)


@permission_required("jikp.view_profile")
def traject_end(request: HttpRequest, youth_id: int, traject_id: int) -> HttpResponse:
    user = _user(request)
    youth = _youth(request, youth_id, "jikp.add_traject")
    traject = selectors.traject_get_own(youth=youth, user=user, traject_id=traject_id)
    form = TrajectEndForm(
        request.POST or None, initial={"ends_on": traject.ends_on or timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        duplicate = idempotency_check(request)
        if duplicate is not None:
            return duplicate
        try:
            services.traject_end(
                traject=traject, ends_on=form.cleaned_data["ends_on"], acting_user=user
            )
        except ValidationError as exc:
            form.add_error("ends_on", exc)
        else:
            messages.success(
                request,
                _("The programme %(kind)s has been ended.") % {"kind": traject.get_kind_display()},
            )
            return _back(youth, SECTION_TRAJECTEN)
    return _render(request, "traject_end.html", youth, form=form, traject=traject)


@permission_required("jikp.view_profile")
def traject_remove(request: HttpRequest, youth_id: int, traject_id: int) -> HttpResponse:
    user = _user(request)
    youth = _youth(request, youth_id, "jikp.add_traject")
    traject = selectors.traject_get_own(youth=youth, user=user, traject_id=traject_id)
    form = TrajectRemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        duplicate = idempotency_check(request)
        if duplicate is not None:
            return duplicate
        services.traject_remove(traject=traject, acting_user=user)
        messages.success(
            request,
            _("The programme %(kind)s has been removed.") % {"kind": traject.get_kind_display()},
        )
        return _back(youth, SECTION_TRAJECTEN)
    return _render(request, "traject_remove.html", youth, form=form, traject=traject)

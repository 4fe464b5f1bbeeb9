"""Screens of the chain partner (incoming samenwerkingen, §4.5) and the JIKP parts of Algemeen
(contacts per municipality and perspective, §8.2; documents, §8.3)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vangnet.audit.models import AuditAction
from vangnet.audit.services import audit_many
from vangnet.core.decorators import permission_required
from vangnet.core.forms import idempotency_check
from vangnet.core.users import signed_in_user
from vangnet.organisations.models import Perspective
from vangnet.transfers import exports

from . import selectors, services
from .forms_partner import ContactLinkForm, DocumentForm
from .models import Samenwerking

STATE_LABELS = {
    "open": gettext_lazy("Open"),
    "afgesloten": gettext_lazy("Closed"),
    "alle": gettext_lazy("All"),
}


def _next_url(request: HttpRequest, default: str) -> str:
    """Where to go after an action: a local 'next' address (e.g. the youth page), else default."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


# --- Ketenpartner: incoming samenwerkingen ------------------------------------------------------


@permission_required("jikp.partner_samenwerkingen")
def partner_samenwerkingen(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("status", "open")
    if state not in selectors.PARTNER_LIST_STATES:
        state = "open"
    qs = selectors.partner_samenwerking_list(user=signed_in_user(request), state=state)
    page = Paginator(qs, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    with transaction.atomic():
        # One event per youth shown, so "who saw this youth" also finds this list.
        audit_many(
            user=signed_in_user(request),
            action=AuditAction.SEARCH,
            youth_ids=[row.youth_id for row in rows],
            description="samenwerkingen",
            detail={"state": state, "total": page.paginator.count},
        )
    return render(
        request,
        "jikp/partner/list.html",
        {
            "page": page,
            "rows": rows,
            "state": state,
            "states": STATE_LABELS,
            "query": f"status={state}",
            "export_xlsx": f"{reverse('jikp:partner_samenwerkingen_export')}?status={state}"
            f"&formaat={exports.XLSX}",
            "export_csv": f"{reverse('jikp:partner_samenwerkingen_export')}?status={state}"
            f"&formaat={exports.CSV}",
        },
    )


def _contact_names(samenwerking: Samenwerking) -> str:
    # partner_contacts is set by Prefetch(to_attr=...) in selectors.partner_samenwerking_list;
    # django-stubs cannot know attributes that a prefetch adds at runtime.
    contacts = samenwerking.youth.partner_contacts  # type: ignore[attr-defined]
    return ", ".join(c.user.full_name for c in contacts)


@permission_required("jikp.partner_samenwerkingen")
def partner_samenwerkingen_export(request: HttpRequest) -> HttpResponseBase:
    """The samenwerkingen list (with its status filter) as xlsx or CSV; never a BSN."""
    user = signed_in_user(request)
    state = request.GET.get("status", "open")
    if state not in selectors.PARTNER_LIST_STATES:
        state = "open"
    qs = selectors.partner_samenwerking_list(user=user, state=state)

    def to_row(s: Samenwerking) -> list[object]:
        youth = s.youth
        return [
            youth.first_name,
            youth.prefix,
            youth.last_name,
            youth.birth_date.year,
            s.school.name,
            s.get_kind_display(),
            s.get_status_display(),
            timezone.localdate(s.requested_at) if s.requested_at else None,
            timezone.localdate(s.closed_at) if s.closed_at else None,
            _contact_names(s),
        ]

    return exports.export_download(
        user=user,
        fmt=request.GET.get("formaat", ""),
        records=lambda: qs.iterator(chunk_size=exports.EXPORT_CHUNK),
        count=qs.count,
        headers=[
            _("First name"),
            _("Prefix"),
            _("Last name"),
            _("Year of birth"),
            _("School"),
            _("Uitstroomperspectief"),
            _("Status"),
            _("Requested"),
            _("Closed"),
            _("Contact person"),
        ],
        to_row=to_row,
        youth_id=lambda s: int(s.youth_id),
        description="export samenwerkingen",
        filters={"state": state},
        title=str(_("Samenwerkingen")),
        filename=f"samenwerkingen-{state}",
    )


@permission_required("jikp.partner_samenwerkingen")
def partner_contact(request: HttpRequest, samenwerking_id: int) -> HttpResponse:
    """Link one of the partner's own colleagues to the youth as contact person."""
    # A closed samenwerking gives the partner nothing any more: 404.
    samenwerking = selectors.partner_samenwerking_get(
        user=signed_in_user(request), samenwerking_id=samenwerking_id, open_only=True
    )
    back = _next_url(request, reverse("jikp:partner_samenwerkingen"))
    form = ContactLinkForm(
        request.POST or None,
        colleagues=selectors.colleagues_for_contact(user=signed_in_user(request)),
    )
    if request.method == "POST" and form.is_valid():
        duplicate = idempotency_check(request)
        if duplicate is not None:
            return redirect(back)
        contact = form.cleaned_data["contact"]
        try:
            services.contact_person_link(
                youth=samenwerking.youth, contact=contact, acting_user=signed_in_user(request)
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(contact)s is now the contact person for %(youth)s.")
                % {"contact": contact.full_name, "youth": samenwerking.youth.full_name},
            )
            return redirect(back)
    return render(
        request,
        "jikp/partner/contact.html",
        {
            "form": form,
            "samenwerking": samenwerking,
            "linked": selectors.partner_contacts_for_youth(
                user=signed_in_user(request), youth_id=samenwerking.youth_id
            ),
            "back": back,
        },
    )


@permission_required("jikp.partner_samenwerkingen")
def partner_close(request: HttpRequest, samenwerking_id: int) -> HttpResponse:
    # A closed samenwerking gives the partner nothing any more: 404.
    samenwerking = selectors.partner_samenwerking_get(
        user=signed_in_user(request), samenwerking_id=samenwerking_id, open_only=True
    )
    back = _next_url(request, reverse("jikp:partner_samenwerkingen"))
    if request.method == "POST":
        services.samenwerking_close(samenwerking=samenwerking, acting_user=signed_in_user(request))
        messages.success(
            request,
            _("The samenwerking for %(youth)s has been closed.")
            % {"youth": samenwerking.youth.full_name},
        )
        return redirect(back)
    return render(request, "jikp/partner/close.html", {"samenwerking": samenwerking, "back": back})


# --- Algemeen: contacts per municipality and perspective (§8.2) ----------------------------------


@permission_required("organisations.view_contacts")
def general_contacts(request: HttpRequest, municipality_id: int, perspective: str) -> HttpResponse:
    if perspective not in Perspective.values:
        raise Http404
    municipality = selectors.general_municipality(
        user=signed_in_user(request), municipality_id=municipality_id
    )
    contacts = selectors.designated_contacts_for_region(
        region_id=municipality.region_id, municipality_id=municipality.pk, perspective=perspective
    )
    return render(
        request,
        "jikp/general/contacts.html",
        {
            "municipality": municipality,
            "perspective_label": Perspective(perspective).label,
            "contacts": contacts,
            "back": f"{reverse('core:general')}?tab=contactgegevens&regio={municipality.region_id}",
        },
    )


# --- Algemeen: documents (§8.3) ------------------------------------------------------------------


def _documents_url() -> str:
    return f"{reverse('core:general')}?tab=documenten"


@permission_required("jikp.view_documents")
def document_download(request: HttpRequest, document_id: int) -> FileResponse:
    document = selectors.document_get(document_id=document_id)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )


@permission_required("jikp.manage_documents")
def document_add(request: HttpRequest) -> HttpResponse:
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        duplicate = idempotency_check(request)
        if duplicate is not None:
            return redirect(_documents_url())
        try:
            document = services.document_add(
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                uploaded=form.cleaned_data["file"],
                acting_user=signed_in_user(request),
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            messages.success(
                request, _("The document %(title)s has been added.") % {"title": document.title}
            )
            return redirect(_documents_url())
    return render(
        request, "jikp/general/document_add.html", {"form": form, "back": _documents_url()}
    )


@permission_required("jikp.manage_documents")
def document_delete(request: HttpRequest, document_id: int) -> HttpResponse:
    document = selectors.document_get(document_id=document_id)
    if request.method == "POST":
        services.document_delete(document=document, acting_user=signed_in_user(request))
        messages.success(
            request, _("The document %(title)s has been removed.") % {"title": document.title}
        )
        return redirect(_documents_url())
    return render(
        request,
        "jikp/general/document_delete.html",
        {"document": document, "back": _documents_url()},
    )

"""Import pages: the entry with the five kinds (the leerlinglijst only for a decaan), upload, progress and report, and the history."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vangnet.core.decorators import permission_required
from vangnet.core.forms import idempotency_check
from vangnet.core.users import signed_in_user

from . import exports, selectors, services, spreadsheets, tasks
from .domain.columns import LAYOUTS, Kind
from .forms import ApplyForm, UploadForm
from .models import ImportJob, ImportKind, ImportStatus

DESCRIPTIONS = {
    Kind.YOUTH_LIST: gettext_lazy(
        "Load the schoolgoing youth of your school, optionally with their uitstroomperspectief. "
        "New youth are added; youth already known are brought up to date."
    ),
    Kind.PERSPECTIVES: gettext_lazy(
        "Set the uitstroomperspectief (Onderwijs, Arbeid or Dagbesteding) of many schoolgoing "
        "youth at once."
    ),
    Kind.UNENROLMENTS: gettext_lazy(
        "Enter unenrolment dates. The nightly run moves the youth to 'Uitgeschreven' the day "
        "after the date."
    ),
    Kind.LEAVING_YEARS: gettext_lazy(
        "Enter the school year of leaving of many schoolgoing youth: 2022 means school year "
        "2021/2022."
    ),
    Kind.STUDENT_LIST: gettext_lazy(
        "Load the students of your school for the Digitaal Doorstroomdossier: student number, "
        "name, date of birth, class, year and their own e-mail address (BSN optional). Students "
        "who activated an account in an earlier school year keep it."
    ),
}
# Kinds that need more than transfers.import.
KIND_PERMISSIONS = {Kind.STUDENT_LIST: "dossiers.manage_students"}


def may_use(user: Any, kind: Kind) -> bool:
    permission = KIND_PERMISSIONS.get(kind)
    return permission is None or bool(user.has_perm(permission))


def _check_kind(request: HttpRequest, kind: Kind) -> None:
    if not may_use(request.user, kind):
        raise PermissionDenied


def _kind(value: str) -> Kind:
    try:
        return Kind(value)
    except ValueError as exc:  # the URL converter already limits it; be safe anyway
        raise Http404 from exc


def _kinds(user: Any) -> list[dict[str, object]]:
    return [
        {
            "kind": kind.value,
            "label": ImportKind(kind.value).label,
            "description": DESCRIPTIONS[kind],
            "columns": [c.value for c in LAYOUTS[kind].columns],
        }
        for kind in Kind
        if may_use(user, kind)
    ]


@permission_required("transfers.import")
def index(request: HttpRequest) -> HttpResponse:
    """?soort=KIND (as other pages link to one kind) opens that kind's upload page."""
    chosen = request.GET.get("soort", "")
    if chosen in {k.value for k in Kind} and may_use(request.user, Kind(chosen)):
        return redirect("transfers:upload", kind=chosen)
    return render(request, "transfers/index.html", {"kinds": _kinds(request.user)})


@permission_required("transfers.import")
def template_download(request: HttpRequest, kind: str) -> HttpResponse:
    kind_ = _kind(kind)
    _check_kind(request, kind_)
    organisation = signed_in_user(request).organisation
    municipality = (
        organisation.municipality.name if organisation and organisation.municipality else ""
    )
    content = spreadsheets.build_template(kind_, municipality=municipality)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="vangnet-{kind_.value}-sjabloon.xlsx"'
    return response


@permission_required("transfers.import")
def upload(request: HttpRequest, kind: str) -> HttpResponse:
    kind_ = _kind(kind)
    _check_kind(request, kind_)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        duplicate = idempotency_check(request)
        if duplicate is not None:
            return duplicate
        job = services.job_create(
            kind=kind_.value,
            uploaded=form.cleaned_data["file"],
            acting_user=signed_in_user(request),
        )
        if job.status == ImportStatus.UPLOADED:
            if services.job_runs_in_background(job):
                tasks.check_import.delay(job.pk)
            else:
                services.job_check(job_id=job.pk)
        return redirect("transfers:job", job_id=job.pk)
    return render(
        request,
        "transfers/upload.html",
        {
            "form": form,
            "kind": kind_.value,
            "label": ImportKind(kind_.value).label,
            "description": DESCRIPTIONS[kind_],
            "columns": [c.value for c in LAYOUTS[kind_].columns],
        },
    )


@permission_required("transfers.import")
def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = selectors.job_get_for_user(user=request.user, job_id=job_id)
    form = ApplyForm(elsewhere=job.rows_enrolled_elsewhere)
    return render(request, "transfers/job.html", {"job": job, "apply_form": form})


@permission_required("transfers.import")
def job_status(request: HttpRequest, job_id: int) -> HttpResponse:
    """The progress fragment HTMX polls; once the job is no longer busy the page reloads."""
    job = selectors.job_get_for_user(user=request.user, job_id=job_id)
    response = render(request, "transfers/_job_progress.html", {"job": job})
    if not job.in_progress:
        response["HX-Refresh"] = "true"
    return response


@permission_required("transfers.import")
def job_apply(request: HttpRequest, job_id: int) -> HttpResponse:
    job = selectors.job_get_for_user(user=request.user, job_id=job_id)  # another school's: 404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    _check_kind(request, Kind(job.kind))
    form = ApplyForm(request.POST, elsewhere=job.rows_enrolled_elsewhere)
    if not form.is_valid():
        return render(request, "transfers/job.html", {"job": job, "apply_form": form})
    if not services.job_apply_start(job=job):
        messages.warning(
            request, _("This import has already been processed or is being processed.")
        )
        return redirect("transfers:job", job_id=job.pk)
    if job.rows_total > services.BACKGROUND_ROWS:
        tasks.apply_import.delay(job.pk, signed_in_user(request).pk)
    else:
        services.job_apply(job_id=job.pk, acting_user=signed_in_user(request))
    return redirect("transfers:job", job_id=job.pk)


@permission_required("transfers.import")
def history(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.job_history_for_user(user=request.user), 25).get_page(
        request.GET.get("page")
    )
    export_url = reverse("transfers:history_export")
    return render(
        request,
        "transfers/history.html",
        {
            "page": page,
            "export_xlsx": f"{export_url}?formaat={exports.XLSX}",
            "export_csv": f"{export_url}?formaat={exports.CSV}",
        },
    )


def _history_row(job: ImportJob) -> list[object]:
    return [
        job.created_at,
        job.get_kind_display(),
        job.file_name,
        job.user.full_name if job.user else "",
        job.get_source_display(),
        job.rows_total,
        job.rows_created,
        job.rows_updated,
        job.rows_unchanged,
        job.error_count,
        job.get_status_display(),
    ]


@permission_required("transfers.import")
def history_export(request: HttpRequest) -> HttpResponseBase:
    """The import history as xlsx or CSV. It names files and colleagues, no youth: one EXPORT
    audit event for the whole export."""
    jobs = selectors.job_history_for_user(user=request.user)
    return exports.export_download(
        user=request.user,
        fmt=request.GET.get("formaat", ""),
        records=lambda: jobs.iterator(chunk_size=exports.EXPORT_CHUNK),
        count=jobs.count,
        headers=[
            _("When"),
            _("Kind"),
            _("File"),
            _("Who"),
            _("Source"),
            _("Rows"),
            _("New"),
            _("Updated"),
            _("Unchanged"),
            _("Errors"),
            _("Outcome"),
        ],
        to_row=_history_row,
        youth_id=None,
        description="export import history",
        filters={},
        title=str(_("Import history")),
        filename="importgeschiedenis",
    )

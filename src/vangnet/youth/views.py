from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vangnet.audit.models import AuditAction
from vangnet.audit.services import audit_many
from vangnet.core import roles
from vangnet.core.decorators import permission_required
from vangnet.core.forms import idempotency_check
from vangnet.core.pagination import KeysetPage
from vangnet.core.users import organisation_of, signed_in_user
from vangnet.transfers import exports

from . import selectors, services
from .domain.identifiers import is_valid_bsn, normalise_number
from .forms import BsnSearchForm, YouthEditForm, YouthEnrolForm
from .models import Enrolment, Youth
from .panels import render_panels
from .selectors import YouthFilters

STATE_TITLES = {
    "schoolgaand": _("Schoolgoing youth"),
    "uitgeschreven": _("Unenrolled youth"),
    "entree": _("Entree"),
}


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


BSN_REFUSED = gettext_lazy(
    "Searching by BSN is not possible in this list, because a BSN must never end up in a web "
    "address. Search by name or onderwijsnummer instead."
)


def _bsn_in_query(request: HttpRequest) -> bool:
    """A BSN typed in the list's search box: the list ignores it and never copies it into its
    links (sort, pages, export), so it does not spread through addresses and logs."""
    return is_valid_bsn(normalise_number(request.GET.get("q", "")))


def _list_params(request: HttpRequest) -> tuple[str, YouthFilters, str, bool]:
    """State, filters and sort of the youth list from the query string (page and export alike)."""
    state = request.GET.get("state", "")
    if state not in STATE_TITLES:
        state = ""
    filters = YouthFilters(
        state=state,
        q=request.GET.get("q", "")[:100],
        class_name=request.GET.get("klas", "")[:30],
        school_year_level=_int_or_none(request.GET.get("leerjaar")),
        leaving_year=_int_or_none(request.GET.get("jaar_uitstroom")),
    )
    sort = request.GET.get("sort", "naam")
    is_school = roles.is_school_user(request.user) or roles.is_mbo_user(request.user)
    if is_school and not state and roles.is_school_user(request.user):
        filters = YouthFilters(**{**filters.__dict__, "state": "schoolgaand"})
        state = "schoolgaand"
    return state, filters, sort, is_school


@permission_required("youth.list")
def youth_list(request: HttpRequest) -> HttpResponse:
    state, filters, sort, is_school = _list_params(request)
    bsn_refused = _bsn_in_query(request)
    if bsn_refused:
        filters = YouthFilters(**{**filters.__dict__, "q": ""})
    page: KeysetPage[Enrolment] | KeysetPage[Youth]
    if is_school:
        page = selectors.enrolment_list_page(
            user=request.user, filters=filters, sort=sort, params=request.GET
        )
    else:
        page = selectors.youth_list_page(
            user=request.user, filters=filters, sort=sort, params=request.GET
        )
    with transaction.atomic():
        ids = [row.youth_id if isinstance(row, Enrolment) else row.pk for row in page.object_list]
        # One event per person shown, so "who saw this youth" also finds list views.
        audit_many(
            user=request.user,
            action=AuditAction.SEARCH,
            youth_ids=ids,
            description=f"list {state or 'all'}",
            detail={
                "filters": {k: v for k, v in filters.__dict__.items() if v},
                "total": page.paginator.count,
            },
        )
    query = request.GET.copy()
    for name in ("page", "na", "voor"):
        query.pop(name, None)
    if bsn_refused:
        query.pop("q", None)
    export_query = query.copy()
    export_query.pop("formaat", None)
    export_url = (
        reverse("youth:export") + "?" + (export_query.urlencode() + "&" if export_query else "")
    )
    return render(
        request,
        "youth/list.html",
        {
            "page": page,
            "is_school": is_school,
            "state": state,
            "title": STATE_TITLES.get(state, _("Youth")),
            "filters": filters,
            "sort": sort,
            "query": query.urlencode(),
            "bsn_refused": BSN_REFUSED if bsn_refused else "",
            "can_enrol": request.user.has_perm("youth.enrol") and state == "schoolgaand",
            "can_export": request.user.has_perm("youth.export_list"),
            "can_search_bsn": selectors.may_search_by_bsn(user=request.user),
            "export_xlsx": f"{export_url}formaat={exports.XLSX}",
            "export_csv": f"{export_url}formaat={exports.CSV}",
        },
    )


@permission_required("youth.list")
def youth_bsn_search(request: HttpRequest) -> HttpResponse:
    """Find one youth by BSN (municipality; a school for the BSNs it supplied). The form is
    sent by POST and the result is shown on the same page, never through a link with the BSN."""
    if not selectors.may_search_by_bsn(user=request.user):
        raise PermissionDenied
    form = BsnSearchForm(request.POST or None)
    found: list[Youth] | None = None
    if request.method == "POST" and form.is_valid():
        found = selectors.youth_search_by_bsn(user=request.user, bsn=form.cleaned_data["bsn"])
        form = BsnSearchForm()  # the number is not shown back
    return render(request, "youth/bsn_search.html", {"form": form, "found": found})


PERSON_EXPORT_FIELDS = ("first_name", "prefix", "last_name", "birth_date")


def _person_values(youth: Youth) -> list[Any]:
    return [youth.first_name, youth.prefix, youth.last_name, youth.birth_date]


@permission_required("youth.export_list")
def youth_export(request: HttpRequest) -> HttpResponseBase:
    """The youth list with its filters as xlsx or CSV (gemeente, MBO, chain partner).

    The BSN (and onderwijsnummer) column is there for the municipality only; for everyone else the
    column is left out, never masked. Every youth written gets an EXPORT audit event.
    """
    user = request.user
    state, filters, sort, is_school = _list_params(request)
    person = [_("First name"), _("Prefix"), _("Last name"), _("Date of birth")]
    to_row: Callable[[Any], list[Any]]
    youth_id: Callable[[Any], int]
    if is_school:
        enrolments = (
            selectors.enrolment_list_for_user(user=user, filters=filters, sort=sort)
            .select_related(None)
            .select_related("youth")
            .only(
                "youth_id",
                "class_name",
                "school_year_level",
                "student_number",
                *(f"youth__{name}" for name in PERSON_EXPORT_FIELDS),
            )
        )
        headers = [*person, _("Class"), _("Year"), _("Student number")]

        def enrolment_row(e: Any) -> list[Any]:
            return [*_person_values(e.youth), e.class_name, e.school_year_level, e.student_number]

        to_row = enrolment_row

        records: Any = enrolments
        count = enrolments.count
        youth_id = _enrolment_youth_id
    else:
        with_bsn = roles.is_municipality_user(user)
        # Only the columns written: the address and other fields stay in the database.
        records = selectors.youth_list_for_user(user=user, filters=filters, sort=sort).only(
            *PERSON_EXPORT_FIELDS, "bsn_encrypted", "onderwijsnummer", "municipality__name"
        )
        headers = [*person]
        if with_bsn:
            headers += [_("BSN"), _("Onderwijsnummer")]
        headers.append(_("Municipality"))

        def youth_row(y: Any) -> list[Any]:
            values = _person_values(y)
            if with_bsn:
                values += [y.bsn, y.onderwijsnummer or ""]
            values.append(y.municipality.name if y.municipality else "")
            return values

        to_row = youth_row

        def count() -> int:
            return selectors.youth_count_for_user(user=user, filters=filters)

        youth_id = _youth_pk
    return exports.export_download(
        user=user,
        fmt=request.GET.get("formaat", ""),
        records=lambda: records.iterator(chunk_size=exports.EXPORT_CHUNK),
        count=count,
        headers=headers,
        to_row=to_row,
        youth_id=youth_id,
        description=f"export list {state or 'all'}",
        filters={**filters.__dict__, "sort": sort},
        title=str(STATE_TITLES.get(state, _("Youth"))),
        filename="-".join(p for p in ("jongeren", state) if p),
    )


def _enrolment_youth_id(enrolment: Any) -> int:
    return int(enrolment.youth_id)


def _youth_pk(youth: Any) -> int:
    return int(youth.pk)


@permission_required("youth.enrol")
def youth_add(request: HttpRequest) -> HttpResponse:
    school = organisation_of(signed_in_user(request))
    form = YouthEnrolForm(request.POST or None, school=school)
    if request.method == "POST" and form.is_valid():
        duplicate = idempotency_check(request)
        if duplicate is not None:
            return duplicate
        try:
            enrolment = services.youth_enrol(
                school=school, data=form.cleaned_data, acting_user=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            if exc.code == "enrolled_elsewhere":
                form.ask_confirmation()
        else:
            messages.success(
                request, _("%(name)s has been added.") % {"name": enrolment.youth.full_name}
            )
            return redirect("youth:detail", youth_id=enrolment.youth_id)
    return render(request, "youth/add.html", {"form": form})


def _own_enrolment(request: HttpRequest, youth_id: int):
    return selectors.enrolments_visible_to(user=request.user).filter(youth_id=youth_id).first()


@permission_required("youth.list")
def youth_detail(request: HttpRequest, youth_id: int) -> HttpResponse:
    youth = selectors.youth_get_for_user(user=request.user, youth_id=youth_id)
    enrolment = _own_enrolment(request, youth_id)
    show_bsn = selectors.can_see_bsn(user=request.user, youth=youth)
    return render(
        request,
        "youth/detail.html",
        {
            "youth": youth,
            "enrolment": enrolment,
            "bsn_display": (youth.bsn if show_bsn else youth.masked_bsn),
            "can_change": request.user.has_perm("youth.change", youth),
            "panels": render_panels(request, youth, enrolment),
        },
    )


@permission_required("youth.change")
def youth_edit(request: HttpRequest, youth_id: int) -> HttpResponse:
    youth = selectors.youth_get_for_user(
        user=request.user, youth_id=youth_id, audit=request.method in ("GET", "HEAD")
    )
    if not request.user.has_perm("youth.change", youth):
        raise PermissionDenied  # e.g. a youth in the school's Entree list (§6) is read-only
    enrolment = _own_enrolment(request, youth_id)
    initial = {f: getattr(youth, f) for f in services.PERSON_FIELDS}
    if enrolment is not None:
        initial.update(
            {
                f: getattr(enrolment, f)
                for f in (
                    "class_name",
                    "school_year_level",
                    "student_number",
                    "leaving_year",
                    "unenrolled_on",
                )
            }
        )
    form = YouthEditForm(
        request.POST or None,
        initial=initial,
        enrolled_on=enrolment.enrolled_on if enrolment is not None else None,
    )
    if enrolment is None:
        for field in (
            "class_name",
            "school_year_level",
            "student_number",
            "leaving_year",
            "unenrolled_on",
        ):
            form.fields.pop(field)
    person_data_own = selectors.may_change_person_data(user=request.user, youth=youth)
    if not person_data_own:
        # Another organisation supplied the person data: this school edits its enrolment only.
        for field in services.PERSON_FIELDS:
            form.fields[field].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if (
            enrolment is not None
            and data.get("unenrolled_on")
            and data["unenrolled_on"] < enrolment.enrolled_on
        ):
            form.add_error(
                "unenrolled_on", _("The unenrolment date cannot be before the enrolment date.")
            )
        else:
            services.youth_update(
                youth=youth, enrolment=enrolment, data=data, acting_user=request.user
            )
            messages.success(request, _("The changes have been saved."))
            return redirect("youth:detail", youth_id=youth.pk)
    return render(
        request,
        "youth/edit.html",
        {"form": form, "youth": youth, "person_data_own": person_data_own},
    )

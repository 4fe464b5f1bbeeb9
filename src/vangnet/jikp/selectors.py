"""Reads of the JIKP module. Rows are always scoped through vangnet.youth.selectors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from vangnet.accounts.models import User
from vangnet.core import roles
from vangnet.organisations.models import ContactDesignation, Perspective
from vangnet.youth.models import Enrolment, Youth
from vangnet.youth.selectors import YouthFilters, enrolment_list_for_user, youth_visible_to

from .domain import perspectives as rules
from .models import (
    Aanmelding,
    AanmeldingStatus,
    ContactPerson,
    Document,
    PerspectiveChange,
    Samenwerking,
    SamenwerkingStatus,
    Traject,
    Uitstroomperspectief,
)

FINAL_STATUSES = [str(s) for s in rules.FINAL_STATUS.values()]
TABS = ("te-behandelen", "alle", "samenwerkingen")


@dataclass(frozen=True)
class SchoolListFilters:
    tab: str = "alle"  # te-behandelen | alle | samenwerkingen
    state: str = "schoolgaand"  # schoolgaand | uitgeschreven | entree
    q: str = ""
    class_name: str = ""
    school_year_level: int | None = None
    leaving_year: int | None = None
    kind: str = ""  # onderwijs | arbeid | dagbesteding | geen
    status: str = ""
    samenwerking: str = ""  # ja | nee


def _annotate(qs: QuerySet[Enrolment], *, school_id: int) -> QuerySet[Enrolment]:
    active = Uitstroomperspectief.objects.filter(youth_id=OuterRef("youth_id"), is_active=True)
    school_contact = ContactPerson.objects.filter(
        youth_id=OuterRef("youth_id"), organisation_id=school_id
    )
    open_collab = Samenwerking.objects.filter(
        youth_id=OuterRef("youth_id"), school_id=school_id
    ).exclude(status=SamenwerkingStatus.CLOSED)
    return qs.annotate(
        perspective_kind=Subquery(active.values("kind")[:1]),
        perspective_status=Subquery(active.values("status")[:1]),
        perspective_details=Subquery(active.values("details_complete")[:1]),
        has_school_contact=Exists(school_contact),
        has_open_samenwerking=Exists(open_collab),
    )


def to_handle_q() -> Q:
    """§3.1 as a database condition (on an annotated enrolment queryset)."""
    return (
        Q(has_school_contact=False)
        | Q(perspective_kind__isnull=True)
        | Q(perspective_details=False)
        | ~Q(perspective_status__in=FINAL_STATUSES)
    )


def school_youth_list(
    *, user: User, filters: SchoolListFilters, sort: str = "naam"
) -> QuerySet[Enrolment]:
    """Schoolgaand / Uitgeschreven / Entree lists of a school, with the perspective columns."""
    base = enrolment_list_for_user(
        user=user,
        filters=YouthFilters(
            state=filters.state,
            q=filters.q,
            class_name=filters.class_name,
            school_year_level=filters.school_year_level,
            leaving_year=filters.leaving_year,
        ),
        sort=sort,
    )
    qs = _annotate(base, school_id=user.organisation_id)
    if filters.kind == "geen":
        qs = qs.filter(perspective_kind__isnull=True)
    elif filters.kind in Perspective.values:
        qs = qs.filter(perspective_kind=filters.kind)
    if filters.status:
        qs = qs.filter(perspective_status=filters.status)
    if filters.samenwerking == "ja":
        qs = qs.filter(has_open_samenwerking=True)
    elif filters.samenwerking == "nee":
        qs = qs.filter(has_open_samenwerking=False)
    if filters.tab == "te-behandelen":
        qs = qs.filter(to_handle_q())
    elif filters.tab == "samenwerkingen":
        qs = qs.filter(has_open_samenwerking=True)
    return qs


def reasons_for_row(row: Any) -> list[rules.Reason]:
    """Which §3.1 rules apply to an annotated row (shown in the 'Te behandelen' list)."""
    kind = rules.Kind(row.perspective_kind) if row.perspective_kind else None
    return rules.reasons_to_handle(
        rules.Situation(
            has_school_contact=bool(row.has_school_contact),
            kind=kind,
            details_complete=bool(row.perspective_details),
            status=rules.Status(row.perspective_status) if row.perspective_status else None,
        )
    )


def school_dashboard_counts(*, user: User) -> dict[str, int]:
    qs = _annotate(
        enrolment_list_for_user(user=user, filters=YouthFilters(state="schoolgaand")).order_by(),
        school_id=user.organisation_id,
    )
    result = qs.aggregate(
        schoolgoing=Count("pk"),
        with_perspective=Count("pk", filter=Q(perspective_kind__isnull=False)),
        without_perspective=Count("pk", filter=Q(perspective_kind__isnull=True)),
        to_handle=Count("pk", filter=to_handle_q()),
        samenwerkingen=Count("pk", filter=Q(has_open_samenwerking=True)),
    )
    return {k: int(v or 0) for k, v in result.items()}


def active_perspective(*, youth: Youth) -> Uitstroomperspectief | None:
    return (
        Uitstroomperspectief.objects.filter(youth=youth, is_active=True)
        .select_related("organisation")
        .prefetch_related("documents")
        .first()
    )


def contact_persons(*, youth: Youth) -> QuerySet[ContactPerson]:
    """Contacts of every organisation working with the youth (§5.2), with their roles."""
    return (
        ContactPerson.objects.filter(youth=youth)
        .select_related("user", "organisation")
        .prefetch_related("user__roles")
        .order_by("organisation__name", "user__last_name")
    )


def timeline(*, youth: Youth) -> QuerySet[PerspectiveChange]:
    return PerspectiveChange.objects.filter(youth=youth).select_related("user", "organisation")


def trajecten(*, youth: Youth) -> QuerySet[Traject]:
    return Traject.objects.filter(youth=youth).select_related("organisation")


def samenwerkingen_for_youth(*, youth: Youth) -> QuerySet[Samenwerking]:
    return Samenwerking.objects.filter(youth=youth).select_related("partner", "school")


def has_running_application(*, youth: Youth) -> bool:
    return Aanmelding.objects.filter(youth=youth, status=AanmeldingStatus.RUNNING).exists()


def colleagues_for_contact(*, user: User) -> QuerySet[User]:
    return User.objects.filter(
        organisation_id=user.organisation_id, is_active=True, kind="staff"
    ).order_by("last_name", "first_name")


def partner_samenwerkingen(*, user: User, open_only: bool = True) -> QuerySet[Samenwerking]:
    """Incoming requests of a chain partner."""
    if not roles.is_chain_partner_user(user):
        return Samenwerking.objects.none()
    qs = Samenwerking.objects.filter(partner_id=user.organisation_id).select_related(
        "youth", "school", "requested_by"
    )
    if open_only:
        qs = qs.exclude(status=SamenwerkingStatus.CLOSED)
    return qs.order_by("-requested_at")


def contact_counts_by_municipality(*, user: User) -> list[dict[str, Any]]:
    """Per municipality of the user's region, the number of designated contacts per perspective (§8.2)."""
    region_id = user.organisation.region_id if user.organisation else None
    rows = (
        ContactDesignation.objects.filter(municipality__region_id=region_id)
        .values("municipality_id", "municipality__name", "perspective")
        .annotate(n=Count("pk"))
        .order_by("municipality__name")
    )
    table: dict[int, dict[str, Any]] = {}
    for row in rows:
        entry = table.setdefault(
            row["municipality_id"],
            {
                "id": row["municipality_id"],
                "name": row["municipality__name"],
                "counts": dict.fromkeys(Perspective.values, 0),
            },
        )
        entry["counts"][row["perspective"]] = row["n"]
    return list(table.values())


def designated_contacts(
    *, user: User, municipality_id: int, perspective: str
) -> QuerySet[ContactDesignation]:
    region_id = user.organisation.region_id if user.organisation else None
    return ContactDesignation.objects.filter(
        municipality_id=municipality_id, municipality__region_id=region_id, perspective=perspective
    ).select_related("user", "user__organisation", "municipality")


def school_contacts_in_region(*, user: User) -> QuerySet[User]:
    """Contact persons of the schools in the region: the school users linked to a youth or beheerders."""
    region_id = user.organisation.region_id if user.organisation else None
    return (
        User.objects.filter(
            organisation__region_id=region_id,
            organisation__kind__in=["pro", "vso", "vo"],
            is_active=True,
            roles__role="beheerder",
        )
        .select_related("organisation")
        .distinct()
        .order_by("organisation__name", "last_name")
    )


def documents() -> QuerySet[Document]:
    return Document.objects.all()


def youth_visible(*, user: User) -> QuerySet[Youth]:
    return youth_visible_to(user=user)

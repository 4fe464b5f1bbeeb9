"""Reads of person records. Every query for youth goes through the visibility selectors here.

Visibility (DESIGN.md, Tenancy and roles):
- a school sees the youth it enrolled, and after unenrolment for the nazorg period (2 years);
- a municipality (Doorstroompunt) sees youth living in, or schooled in, its region;
- an MBO sees youth enrolled with it (applications follow in the overstap module);
- a chain partner sees youth it has an open samenwerking with, once it linked a contact person;
- platform management sees no person records, only the audit trail.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from vangnet.audit.models import AuditAction
from vangnet.audit.services import audit_record
from vangnet.core import crypto, roles
from vangnet.core.pagination import KeysetPage, keyset_page
from vangnet.organisations.models import OrganisationKind

from .domain.identifiers import is_valid_onderwijsnummer, normalise_number
from .models import Enrolment, EnrolmentQuerySet, Youth, YouthRegion

# jikp.models.SamenwerkingStatus.CONTACT_LINKED (this app cannot import jikp; a jikp test keeps
# both in step).
CHAIN_PARTNER_SEES_RECORD = "contact_gekoppeld"


def nazorg_cutoff(today: date | None = None) -> date:
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year - settings.NAZORG_YEARS)
    except ValueError:  # 29 February
        return today.replace(year=today.year - settings.NAZORG_YEARS, day=28)


def enrolments_visible_to(*, user: Any) -> EnrolmentQuerySet:
    """Enrolments a school or MBO user may see: its own, current or within nazorg."""
    if not (roles.is_school_user(user) or roles.is_mbo_user(user)):
        return Enrolment.objects.none()
    return Enrolment.objects.filter(organisation_id=user.organisation_id).filter(
        Q(unenrolled_on__isnull=True) | Q(unenrolled_on__gte=nazorg_cutoff())
    )


def youth_visible_to(*, user: Any) -> QuerySet[Youth]:
    """The one place that decides which person records a user may see."""
    if roles.is_school_user(user) or roles.is_mbo_user(user):
        return Youth.objects.filter(
            Exists(enrolments_visible_to(user=user).filter(youth_id=OuterRef("pk")))
        )
    if roles.is_municipality_user(user):
        # Living in the region or ever enrolled at a school in it: kept as rows in YouthRegion,
        # so the set is one range of its (region, youth) index.
        in_region = YouthRegion.objects.filter(
            region_id=user.organisation.region_id, youth_id=OuterRef("pk")
        )
        return Youth.objects.filter(Exists(in_region))
    if roles.is_chain_partner_user(user):
        from django.apps import apps

        if apps.is_installed("vangnet.jikp"):
            collaboration = apps.get_model("jikp", "Samenwerking")
            # Only an open samenwerking to which the partner has linked a contact person opens
            # the record; a mere request shows the request (jikp), a closed one nothing.
            return Youth.objects.filter(
                Exists(
                    collaboration.objects.filter(
                        youth_id=OuterRef("pk"),
                        partner_id=user.organisation_id,
                        status=CHAIN_PARTNER_SEES_RECORD,
                    )
                )
            )
        return Youth.objects.none()
    return Youth.objects.none()


def can_see_bsn(*, user: Any, youth: Youth) -> bool:
    """BSN only for the municipality and for the organisation that supplied it."""
    if roles.is_municipality_user(user):
        return True
    if roles.is_school_user(user) or roles.is_mbo_user(user):
        return Enrolment.objects.filter(
            youth=youth, organisation_id=user.organisation_id, supplied_bsn=True
        ).exists()
    return False


def may_search_by_bsn(*, user: Any) -> bool:
    """Searching by BSN is for the roles that may see a full BSN (can_see_bsn): the
    municipality, and a school for the youth whose BSN it supplied itself."""
    return roles.is_municipality_user(user) or roles.is_school_user(user)


@transaction.atomic
def youth_search_by_bsn(*, user: Any, bsn: str) -> list[Youth]:
    """The visible youth with this BSN whose full BSN the user may see, or nobody. Called from
    a POST form only, so the BSN never enters an address or an access log. The search is audited
    (without the BSN), also when it finds nobody."""
    if not may_search_by_bsn(user=user):
        return []
    qs = youth_visible_to(user=user).filter(bsn_index=crypto.blind_index(bsn))
    if not roles.is_municipality_user(user):
        qs = qs.filter(
            Exists(
                Enrolment.objects.filter(
                    youth_id=OuterRef("pk"), organisation_id=user.organisation_id, supplied_bsn=True
                )
            )
        )
    found = list(qs.select_related("municipality")[:1])
    if found:
        audit_record(
            user=user,
            action=AuditAction.SEARCH,
            obj=found[0],
            youth_id=found[0].pk,
            description="search by bsn",
            detail={"found": 1},
        )
    else:
        audit_record(
            user=user, action=AuditAction.SEARCH, description="search by bsn", detail={"found": 0}
        )
    return found


@dataclass(frozen=True)
class YouthFilters:
    state: str = ""  # schoolgaand | uitgeschreven | entree | "" (all)
    q: str = ""
    class_name: str = ""
    school_year_level: int | None = None
    leaving_year: int | None = None


SORTS = {
    "naam": ("youth__last_name", "youth__first_name"),
    "-naam": ("-youth__last_name", "-youth__first_name"),
    "klas": ("class_name", "youth__last_name"),
    "-klas": ("-class_name", "youth__last_name"),
    "geboortedatum": ("youth__birth_date",),
    "-geboortedatum": ("-youth__birth_date",),
}


def _search_q(prefix: str, q: str) -> Q:
    """The list search box (a GET parameter, so it ends up in addresses and access logs).

    A nine-digit number finds an onderwijsnummer only: anything that could be a BSN, in any
    writing (1234 56782, 123.456.782), is ignored, so that the list and the export never confirm
    a BSN (searching by BSN is a POST, see youth_search_by_bsn). Every other word must occur in
    the first name, the tussenvoegsel or the last name, so "van den Akkermans" and
    "Sanne van den Akkermans" both find Sanne van den Akkermans.
    """
    q = " ".join(q.replace(",", " ").split())
    if not q:
        return Q()
    number = normalise_number(q)
    if number.isascii() and number.isdigit() and len(number) == 9:
        if is_valid_onderwijsnummer(number):
            return Q(**{f"{prefix}onderwijsnummer": number})
        return Q()
    cond = Q()
    for term in q.split():
        cond &= (
            Q(**{f"{prefix}last_name__icontains": term})
            | Q(**{f"{prefix}first_name__icontains": term})
            | Q(**{f"{prefix}prefix__icontains": term})
        )
    return cond


def enrolment_list_for_user(
    *, user: Any, filters: YouthFilters, sort: str = "naam"
) -> QuerySet[Enrolment]:
    """A school's list (Schoolgaand / Uitgeschreven / Entree), filtered and sorted in the database."""
    qs = enrolments_visible_to(user=user).select_related("youth", "location")
    if filters.state == "schoolgaand":
        qs = qs.schoolgoing()
    elif filters.state in {"uitgeschreven", "entree"}:
        entree = Enrolment.objects.filter(
            youth_id=OuterRef("youth_id"),
            organisation__kind=OrganisationKind.MBO,
            organisation__has_entree=True,
            enrolled_on__gte=OuterRef("unenrolled_on"),
        )
        qs = qs.filter(unenrolment_processed=True)
        qs = qs.filter(Exists(entree)) if filters.state == "entree" else qs.exclude(Exists(entree))
    if filters.class_name:
        qs = qs.filter(class_name=filters.class_name)
    if filters.school_year_level:
        qs = qs.filter(school_year_level=filters.school_year_level)
    if filters.leaving_year:
        qs = qs.filter(leaving_year=filters.leaving_year)
    qs = qs.filter(_search_q("youth__", filters.q))
    return qs.order_by(*SORTS.get(sort, SORTS["naam"]), "pk")


def in_entree_list_of(*, user: Any, youth_id: int) -> bool:
    """The youth is in the school's 'Entree' list (seed 000 §6): it left this school and was then
    enrolled in an Entree programme. The school may only look at such a youth, not change it."""
    entree = enrolment_list_for_user(user=user, filters=YouthFilters(state="entree"))
    return entree.filter(youth_id=youth_id).exists()


def youth_list_for_user(*, user: Any, filters: YouthFilters, sort: str = "naam") -> QuerySet[Youth]:
    """A municipality's or partner's list of person records."""
    qs = youth_visible_to(user=user).select_related("municipality").filter(_search_q("", filters.q))
    order = [s.replace("youth__", "") for s in SORTS.get(sort, SORTS["naam"]) if "youth__" in s]
    return qs.order_by(*(order or ["last_name", "first_name"]), "pk")


def youth_count_for_user(*, user: Any, filters: YouthFilters) -> int:
    """The size of youth_list_for_user, computed the fast way where one exists.

    For a municipality without a search term: an index-only count of its YouthRegion rows.
    """
    if roles.is_municipality_user(user) and not filters.q.strip():
        return youth_region_count(region_id=user.organisation.region_id)
    return youth_list_for_user(user=user, filters=filters).count()


def youth_region_count(*, region_id: int) -> int:
    return YouthRegion.objects.filter(region_id=region_id).count()


# The gemeente's list reads its pages from YouthRegion, which copies these sort columns; each
# order ends with the youth's id, so that it is unique (keyset pagination, core.pagination).
REGION_SORTS = {
    "naam": ("last_name", "first_name", "youth_id"),
    "-naam": ("-last_name", "-first_name", "-youth_id"),
    "geboortedatum": ("birth_date", "youth_id"),
    "-geboortedatum": ("-birth_date", "-youth_id"),
}


def youth_list_page(
    *, user: Any, filters: YouthFilters, sort: str, params: Mapping[str, str], per_page: int = 25
) -> KeysetPage[Youth]:
    """One page of the municipality's or partner's list, found by keyset (core.pagination):
    three queries (count, the page's ids, its rows), whatever the page and its size."""

    def rows(ids: list[int]) -> QuerySet[Youth]:
        return youth_visible_to(user=user).select_related("municipality").filter(pk__in=ids)

    if roles.is_municipality_user(user):
        keys: QuerySet[Any] = YouthRegion.objects.filter(
            region_id=user.organisation.region_id
        ).filter(_search_q("youth__", filters.q))
        order: Sequence[str] = REGION_SORTS.get(sort, REGION_SORTS["naam"])
        count = (
            keys.count() if filters.q.strip() else youth_count_for_user(user=user, filters=filters)
        )
    else:
        keys = youth_list_for_user(user=user, filters=filters, sort=sort)
        order = [f.replace("youth_id", "pk") for f in REGION_SORTS.get(sort, REGION_SORTS["naam"])]
        count = keys.count()
    return keyset_page(
        keys,
        order=order,
        rows=rows,
        row_key=lambda y: y.pk,
        count=count,
        params=params,
        per_page=per_page,
    )


def enrolment_list_page(
    *, user: Any, filters: YouthFilters, sort: str, params: Mapping[str, str], per_page: int = 25
) -> KeysetPage[Enrolment]:
    """One page of a school's list, found by keyset: count, the page's ids, its rows."""
    keys = enrolment_list_for_user(user=user, filters=filters, sort=sort)
    order = [*SORTS.get(sort, SORTS["naam"])]
    order.append("-pk" if order[0].startswith("-") else "pk")
    visible = enrolments_visible_to(user=user).select_related("youth", "location")
    return keyset_page(
        keys,
        order=order,
        rows=lambda ids: visible.filter(pk__in=ids),
        row_key=lambda e: e.pk,
        count=keys.count(),
        params=params,
        per_page=per_page,
        fence=True,
    )


@transaction.atomic
def youth_get_for_user(*, user: Any, youth_id: int, audit: bool = True) -> Youth:
    """One person record, or 404 when it is not visible to the user. The read is audited."""
    youth = youth_visible_to(user=user).select_related("municipality").filter(pk=youth_id).first()
    if youth is None:
        raise Http404
    if audit:
        audit_record(user=user, action=AuditAction.VIEW, obj=youth, youth_id=youth.pk)
    return youth


def youth_dashboard_counts(*, user: Any) -> dict[str, int]:
    if roles.is_school_user(user):
        base = enrolments_visible_to(user=user)
        return {
            "schoolgoing": base.schoolgoing().count(),
            "unenrolled": base.filter(unenrolment_processed=True).count(),
        }
    if roles.is_municipality_user(user):
        return {"youth": youth_region_count(region_id=user.organisation.region_id)}
    if roles.is_chain_partner_user(user) or roles.is_mbo_user(user):
        return {"youth": youth_visible_to(user=user).count()}
    return {}


def person_suppliers(*, youth_ids: Iterable[int]) -> dict[int, int | None]:
    """Who supplied each youth's person data: Youth.supplied_by, or for a record from before
    that was kept, the organisation of its first enrolment. Only that organisation may change
    the person data; everyone else adds an enrolment of its own. Two queries per call."""
    ids = list(youth_ids)
    suppliers: dict[int, int | None] = dict(
        Youth.objects.filter(pk__in=ids).values_list("pk", "supplied_by_id")
    )
    unknown = [pk for pk, org in suppliers.items() if org is None]
    if unknown:
        first = (
            Enrolment.objects.filter(youth_id__in=unknown)
            .order_by("youth_id", "created_at", "pk")
            .values_list("youth_id", "organisation_id")
        )
        for youth_id, organisation_id in first:
            if suppliers.get(youth_id) is None:
                suppliers[youth_id] = organisation_id
    return suppliers


def youth_enrolled_elsewhere(*, organisation_id: int, youth_ids: Iterable[int]) -> set[int]:
    """The youth among youth_ids with a current enrolment at another school or institution."""
    return set(
        Enrolment.objects.filter(youth_id__in=list(youth_ids), unenrolment_processed=False)
        .exclude(organisation_id=organisation_id)
        .values_list("youth_id", flat=True)
    )


def may_change_person_data(*, user: Any, youth: Youth) -> bool:
    """The municipality, and the school that supplied the person data, may change them; another
    school that enrols the youth changes only its own enrolment."""
    if roles.is_municipality_user(user):
        return True
    return person_suppliers(youth_ids=[youth.pk]).get(youth.pk) == user.organisation_id

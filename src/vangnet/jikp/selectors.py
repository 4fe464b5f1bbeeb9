"""Reads of the JIKP module. Rows are always scoped through vangnet.youth.selectors."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, TypedDict

from django.db import transaction
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.http import Http404

from vangnet.accounts.models import AccountKind, Role, User
from vangnet.audit.models import AuditAction
from vangnet.audit.services import audit_record
from vangnet.core import roles
from vangnet.core.users import organisation_id_of, region_id_of
from vangnet.organisations.models import (
    CHAIN_PARTNER_KINDS,
    SCHOOL_KINDS,
    ContactDesignation,
    Municipality,
    OrganisationKind,
    Perspective,
    Region,
)
from vangnet.youth.domain.identifiers import normalise_number
from vangnet.youth.models import Enrolment, Youth
from vangnet.youth.selectors import (
    YouthFilters,
    enrolment_list_for_user,
    enrolments_visible_to,
)
from vangnet.youth.selectors import _search_q as _youth_search_q

from .domain import perspectives as rules
from .models import (
    Aanmelding,
    AanmeldingStatus,
    ContactPerson,
    Document,
    Monitoring,
    PerspectiveChange,
    PerspectiveDocument,
    Samenwerking,
    SamenwerkingStatus,
    Traject,
    Uitstroomperspectief,
)

FINAL_STATUSES = [str(s) for s in rules.FINAL_STATUS.values()]
TABS = ("te-behandelen", "alle", "samenwerkingen")


class ListAnnotations(TypedDict):
    """The perspective columns that _annotate adds to a school's enrolments."""

    perspective_kind: str | None
    perspective_status: str | None
    perspective_details: bool | None
    has_school_contact: bool
    has_open_samenwerking: bool


if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    ListEnrolment = WithAnnotations[Enrolment, ListAnnotations]


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


def _annotate(qs: QuerySet[Enrolment], *, school_id: int) -> QuerySet[ListEnrolment]:
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
) -> QuerySet[ListEnrolment]:
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
    qs = _annotate(base, school_id=organisation_id_of(user))
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


def application_signal_for_row(row: Any) -> bool:
    """§4.2: the perspective is work or day care while an MBO application is running."""
    return bool(getattr(row, "has_running_application", False)) and (
        row.perspective_kind in rules.COLLABORATION_KINDS
    )


def school_dashboard_counts(*, user: User) -> dict[str, int]:
    qs = _annotate(
        enrolment_list_for_user(user=user, filters=YouthFilters(state="schoolgaand")).order_by(),
        school_id=organisation_id_of(user),
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


def open_samenwerking_exists(*, youth: Youth, partner: Any) -> bool:
    return (
        Samenwerking.objects.filter(youth=youth, partner=partner)
        .exclude(status=SamenwerkingStatus.CLOSED)
        .exists()
    )


def has_running_application(*, youth: Youth) -> bool:
    return Aanmelding.objects.filter(youth=youth, status=AanmeldingStatus.RUNNING).exists()


def colleagues_for_contact(*, user: User) -> QuerySet[User]:
    if user.organisation_id is None:
        return User.objects.none()
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


def documents() -> QuerySet[Document]:
    return Document.objects.all()


# --- School lists: Schoolgaand, Uitgeschreven, Entree (§3, §6, §7) -------------------------

LIST_SORTS = (
    "naam",
    "-naam",
    "klas",
    "-klas",
    "geboortedatum",
    "-geboortedatum",
    "status",
    "-status",
)
# Status order for sorting: per perspective in the order of its steps, none last.
_STATUS_ORDER = [status for kind in rules.Kind for status in rules.STATUSES[kind]]


def school_list_rows(
    *,
    user: User,
    filters: SchoolListFilters,
    sort: str = "naam",
    with_perspective: bool = False,
) -> QuerySet[Enrolment]:
    """school_youth_list plus what the list screens and exports need.

    - the search term also matches the leerlingnummer (exactly), next to name and onderwijsnummer;
    - `with_perspective` keeps only youth with an active perspective (dashboard card "met");
    - sorting on status follows the steps of each perspective;
    - the open samenwerking of the school (partner name and status) is annotated for the column.
    """
    term = filters.q.strip()
    youth_sort = sort if sort in LIST_SORTS and not sort.endswith("status") else "naam"
    qs = school_youth_list(user=user, filters=replace(filters, q=""), sort=youth_sort)
    if term:
        cond = _youth_search_q("youth__", term)
        number = normalise_number(term)
        if not (number.isdigit() and len(number) == 9):
            cond |= Q(student_number__iexact=term)
        qs = qs.filter(cond)
    if with_perspective:
        qs = qs.filter(perspective_kind__isnull=False)
    open_collab = (
        Samenwerking.objects.filter(youth_id=OuterRef("youth_id"), school_id=user.organisation_id)
        .exclude(status=SamenwerkingStatus.CLOSED)
        .order_by("-requested_at", "-pk")
    )
    running = Aanmelding.objects.filter(
        youth_id=OuterRef("youth_id"), status=AanmeldingStatus.RUNNING
    )
    qs = qs.annotate(
        samenwerking_partner=Subquery(open_collab.values("partner__name")[:1]),
        samenwerking_status=Subquery(open_collab.values("status")[:1]),
        # For the signal of §4.2 (see application_signal_for_row).
        has_running_application=Exists(running),
    )
    if filters.state == "entree":
        # Where and what the youth now follows (§6): the Entree institution and its programme.
        entree = Enrolment.objects.filter(
            youth_id=OuterRef("youth_id"),
            organisation__kind=OrganisationKind.MBO,
            organisation__has_entree=True,
            enrolled_on__gte=OuterRef("unenrolled_on"),
        ).order_by("-enrolled_on", "-pk")
        programme = Aanmelding.objects.filter(
            youth_id=OuterRef("youth_id"),
            institution_id=OuterRef("entree_institution_id"),
        ).order_by(
            Case(When(status=AanmeldingStatus.PLACED, then=Value(0)), default=Value(1)),
            "-applied_on",
            "-pk",
        )
        qs = qs.annotate(
            entree_institution_id=Subquery(entree.values("organisation_id")[:1]),
            entree_institution=Subquery(entree.values("organisation__name")[:1]),
        ).annotate(entree_programme=Subquery(programme.values("programme")[:1]))
    if filters.state != "schoolgaand":
        # Uitgeschreven / Entree: since when this school monitors the youth (§7, §9), if at all.
        monitoring = Monitoring.objects.filter(
            youth_id=OuterRef("youth_id"), school_id=user.organisation_id
        )
        qs = qs.annotate(monitoring_started=Subquery(monitoring.values("started_on")[:1]))
    if sort in ("status", "-status"):
        rank = Case(
            *(When(perspective_status=str(s), then=Value(i)) for i, s in enumerate(_STATUS_ORDER)),
            default=Value(len(_STATUS_ORDER)),
            output_field=IntegerField(),
        )
        qs = qs.order_by(
            rank.desc() if sort == "-status" else rank.asc(),
            "youth__last_name",
            "youth__first_name",
            "pk",
        )
    return qs


def school_list_options(*, user: User) -> dict[str, list[Any]]:
    """Values to choose from in the list filters: the school's classes and years of leaving."""
    base = enrolments_visible_to(user=user).order_by()
    classes = (
        base.exclude(class_name="")
        .values_list("class_name", flat=True)
        .distinct()
        .order_by("class_name")
    )
    years = (
        base.filter(leaving_year__isnull=False)
        .values_list("leaving_year", flat=True)
        .distinct()
        .order_by("-leaving_year")
    )
    return {"classes": list(classes), "leaving_years": list(years)}


# --- Algemeen (§8.2): contact details of a region ----------------------------------------------
# Everyone looks at their own region; platform management may look at (and manage) any region.


def general_regions(*, user: User) -> QuerySet[Region]:
    """The regions whose contact details the user may consult."""
    if roles.is_platform_admin(user):
        return Region.objects.order_by("name")
    region_id = region_id_of(user)
    if region_id is None:
        return Region.objects.none()
    return Region.objects.filter(pk=region_id)


def general_region(*, user: User, region_id: int | None = None) -> Region | None:
    """The region asked for when the user may see it, else the user's own (or first) region."""
    regions = general_regions(user=user)
    if region_id is not None:
        chosen = regions.filter(pk=region_id).first()
        if chosen is not None:
            return chosen
    return regions.first()


def _active_designations() -> QuerySet[ContactDesignation]:
    return ContactDesignation.objects.filter(user__is_active=True)


def contact_counts_for_region(*, region_id: int | None) -> list[dict[str, Any]]:
    """Every municipality of the region with its number of active designated contacts per perspective.

    One query for the municipalities and one grouped count; municipalities without any designated
    contact are listed with zeros, so that a gap in the region is visible.
    """
    if region_id is None:
        return []
    municipalities = Municipality.objects.filter(region_id=region_id).order_by("name", "pk")
    table: dict[int, dict[str, Any]] = {
        m.pk: {"id": m.pk, "name": m.name, "counts": dict.fromkeys(Perspective.values, 0)}
        for m in municipalities
    }
    rows = (
        _active_designations()
        .filter(municipality__region_id=region_id)
        .values("municipality_id", "perspective")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        if row["municipality_id"] in table:
            table[row["municipality_id"]]["counts"][row["perspective"]] = row["n"]
    return list(table.values())


def designated_contacts_for_region(
    *, region_id: int | None, municipality_id: int, perspective: str
) -> QuerySet[ContactDesignation]:
    """The active designated contacts behind one number of the table above."""
    if region_id is None:
        return ContactDesignation.objects.none()
    return (
        _active_designations()
        .filter(
            municipality_id=municipality_id,
            municipality__region_id=region_id,
            perspective=perspective,
        )
        .select_related("user", "user__organisation", "municipality")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def school_contacts_for_region(*, region_id: int | None) -> QuerySet[User]:
    """Contact persons of the schools in the region (§8.2 'Scholen'): their administrators."""
    if region_id is None:  # every school has a region (organisation_region_required)
        return User.objects.none()
    return (
        User.objects.filter(
            organisation__region_id=region_id,
            organisation__kind__in=SCHOOL_KINDS,
            is_active=True,
            roles__role=Role.ADMIN,
        )
        .select_related("organisation")
        .distinct()
        .order_by("organisation__name", "last_name", "first_name", "pk")
    )


def general_municipality(*, user: User, municipality_id: int) -> Municipality:
    """A municipality of a region the user may consult, or 404."""
    municipality = (
        Municipality.objects.filter(pk=municipality_id, region__in=general_regions(user=user))
        .select_related("region")
        .first()
    )
    if municipality is None:
        raise Http404
    return municipality


# Managing the designated contacts: the municipality's administrator for its own region, platform
# management for every region.


def designation_regions(*, user: User) -> QuerySet[Region]:
    if roles.is_platform_admin(user):
        return Region.objects.order_by("name")
    if roles.is_municipality_user(user) and roles.is_org_admin(user):
        # A municipality always has a region (constraint organisation_region_required).
        region_id = region_id_of(user)
        if region_id is not None:
            return Region.objects.filter(pk=region_id)
    return Region.objects.none()


def municipalities_in_region(*, region_id: int) -> QuerySet[Municipality]:
    return Municipality.objects.filter(region_id=region_id).order_by("name", "pk")


def designations_in_region(*, region_id: int) -> QuerySet[ContactDesignation]:
    return (
        ContactDesignation.objects.filter(municipality__region_id=region_id)
        .select_related("user", "user__organisation", "municipality")
        .order_by("municipality__name", "perspective", "user__last_name", "pk")
    )


def designation_candidates(*, region_id: int) -> QuerySet[User]:
    """Who can be designated: active staff of a chain partner or municipality in the region."""
    return (
        User.objects.filter(
            organisation__region_id=region_id,
            organisation__kind__in=[*CHAIN_PARTNER_KINDS, OrganisationKind.MUNICIPALITY],
            organisation__is_active=True,
            is_active=True,
            kind=AccountKind.STAFF,
        )
        .select_related("organisation")
        .order_by("organisation__name", "last_name", "first_name", "pk")
    )


def designation_get(*, user: User, designation_id: int) -> ContactDesignation:
    """A designation the user may manage, or 404."""
    designation = (
        ContactDesignation.objects.filter(
            pk=designation_id,
            municipality__region__in=designation_regions(user=user),
        )
        .select_related("user", "user__organisation", "municipality", "municipality__region")
        .first()
    )
    if designation is None:
        raise Http404
    return designation


# --- Ketenpartner: incoming samenwerkingen (§4.5) -----------------------------------------------

PARTNER_LIST_STATES = ("open", "afgesloten", "alle")


def partner_samenwerking_list(*, user: User, state: str = "open") -> QuerySet[Samenwerking]:
    """The chain partner's samenwerkingen, open ones by default, with its own linked contacts."""
    if state not in PARTNER_LIST_STATES:
        state = "open"
    if user.organisation_id is None:
        return Samenwerking.objects.none()
    qs = partner_samenwerkingen(user=user, open_only=state == "open")
    if state == "afgesloten":
        qs = qs.filter(status=SamenwerkingStatus.CLOSED)
    own_contacts = ContactPerson.objects.filter(
        organisation_id=user.organisation_id
    ).select_related("user")
    return qs.prefetch_related(
        Prefetch("youth__contact_persons", queryset=own_contacts, to_attr="partner_contacts")
    ).order_by("-requested_at", "-pk")


@transaction.atomic
def partner_samenwerking_get(
    *, user: User, samenwerking_id: int, open_only: bool = False
) -> Samenwerking:
    """One samenwerking of the user's own chain partner organisation, or 404. The read is audited."""
    samenwerking = (
        partner_samenwerkingen(user=user, open_only=open_only)
        .filter(pk=samenwerking_id)
        .select_related("youth__municipality")
        .first()
    )
    if samenwerking is None:
        raise Http404
    audit_record(
        user=user,
        action=AuditAction.VIEW,
        obj=samenwerking,
        youth_id=samenwerking.youth_id,
        description="samenwerking",
    )
    return samenwerking


def partner_contacts_for_youth(*, user: User, youth_id: int) -> QuerySet[ContactPerson]:
    """The contacts of the user's own organisation already linked to the youth."""
    if user.organisation_id is None:
        return ContactPerson.objects.none()
    return (
        ContactPerson.objects.filter(youth_id=youth_id, organisation_id=user.organisation_id)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )


# --- Documenten (§8.3) ---------------------------------------------------------------------------


def document_get(*, document_id: int) -> Document:
    document = Document.objects.filter(pk=document_id).first()
    if document is None:
        raise Http404
    return document


# --- Monitoring after leaving school (§7, §9) ---------------------------------------------------


# --- Youth detail page: contacts, perspective, samenwerking, trajecten (§4.1-4.6, §5) ----------


def linked_user_ids(*, youth: Youth) -> frozenset[int]:
    """Users already linked as contact person of the youth (any organisation)."""
    return frozenset(ContactPerson.objects.filter(youth=youth).values_list("user_id", flat=True))


def contact_person_get_own(*, youth: Youth, user: User, link_id: int) -> ContactPerson:
    """A contact link of the user's own organisation for this youth; 404 for any other."""
    if user.organisation_id is None:
        raise Http404
    link = (
        ContactPerson.objects.filter(pk=link_id, youth=youth, organisation_id=user.organisation_id)
        .select_related("user", "organisation")
        .first()
    )
    if link is None:
        raise Http404
    return link


def traject_get_own(*, youth: Youth, user: User, traject_id: int) -> Traject:
    """A traject of this youth added by the user's own organisation; 404 for any other."""
    if user.organisation_id is None:
        raise Http404
    traject = (
        Traject.objects.filter(pk=traject_id, youth=youth, organisation_id=user.organisation_id)
        .select_related("youth", "organisation")
        .first()
    )
    if traject is None:
        raise Http404
    return traject


def perspective_document_get(*, youth: Youth, document_id: int) -> PerspectiveDocument:
    """A dossier of one of the youth's perspectives; 404 for a document of another youth."""
    document = (
        PerspectiveDocument.objects.filter(pk=document_id, perspective__youth=youth)
        .select_related("perspective")
        .first()
    )
    if document is None:
        raise Http404
    return document

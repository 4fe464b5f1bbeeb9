"""Writes of the JIKP module. Each runs in one transaction and audits in it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from vangnet.accounts.models import User
from vangnet.audit.models import AuditAction
from vangnet.audit.services import audit_many, audit_record
from vangnet.core import roles
from vangnet.core.uploads import sealed_upload, validate_upload
from vangnet.core.users import organisation_id_of, organisation_of
from vangnet.notifications.services import outbox_enqueue
from vangnet.organisations.models import CHAIN_PARTNER_KINDS, ContactDesignation, Organisation
from vangnet.youth.models import Enrolment, Youth
from vangnet.youth.selectors import youth_visible_to

from .domain import perspectives as rules
from .models import (
    Aanmelding,
    AanmeldingStatus,
    ContactPerson,
    Document,
    EducationLevel,
    LearningPath,
    Monitoring,
    PerspectiveChange,
    PerspectiveDocument,
    PerspectiveStatus,
    Samenwerking,
    SamenwerkingStatus,
    Traject,
    TrajectKind,
    Uitstroomperspectief,
)

DETAIL_FIELDS: dict[str, tuple[str, ...]] = {
    rules.Kind.EDUCATION: ("institution", "programme", "level", "learning_path"),
    rules.Kind.WORK: ("employer", "job", "hours_per_week", "contract_type", "job_support"),
    rules.Kind.DAY_CARE: ("day_care_type", "provider", "support_need", "work_potential"),
}


def _schoolgoing_enrolment(*, youth: Youth, school: Organisation) -> Enrolment:
    """The school's current enrolment of the youth; profile details change only while schoolgoing."""
    enrolment = Enrolment.objects.schoolgoing().filter(youth=youth, organisation=school).first()
    if enrolment is None:
        raise ValidationError(
            _(
                "This youth is no longer schoolgoing at your school; the profile can no longer be changed."
            )
        )
    return enrolment


def _require_schoolgoing_here(*, youth: Youth, acting_user: User) -> Enrolment:
    """Only a school that has the youth schoolgoing changes its profile; nazorg is read-only."""
    if not roles.is_school_user(acting_user):
        raise PermissionDenied
    return _schoolgoing_enrolment(youth=youth, school=organisation_of(acting_user))


def _require_current(perspective: Uitstroomperspectief) -> None:
    if not perspective.is_active:
        raise ValidationError(_("Only the current perspective can be changed."))


def running_application(*, youth: Youth) -> Aanmelding | None:
    return (
        Aanmelding.objects.filter(
            youth=youth, status__in=[AanmeldingStatus.RUNNING, AanmeldingStatus.PLACED]
        )
        .select_related("institution")
        .order_by("-applied_on")
        .first()
    )


@transaction.atomic
def perspective_set(
    *, youth: Youth, school: Organisation, kind: str, acting_user: User
) -> Uitstroomperspectief:
    """Add or change the uitstroomperspectief (§4.2). The previous one stays in the timeline."""
    kind = rules.Kind(kind)
    if acting_user.organisation_id != school.pk:
        raise PermissionDenied
    _schoolgoing_enrolment(youth=youth, school=school)
    current = (
        Uitstroomperspectief.objects.select_for_update().filter(youth=youth, is_active=True).first()
    )
    if current is not None and current.kind == kind:
        return current
    if current is not None:
        current.is_active = False
        current.save(update_fields=["is_active", "updated_at"])
    perspective = Uitstroomperspectief(
        youth=youth,
        organisation=school,
        kind=kind,
        status=rules.INITIAL_STATUS[kind],
        created_by=acting_user,
    )
    # Details of an education perspective come from a known MBO application (§4.3.1).
    application = running_application(youth=youth) if kind == rules.Kind.EDUCATION else None
    if application is not None:
        _fill_education_details(perspective, application)
    perspective.details_complete = rules.details_complete(kind, _details_of(perspective))
    if application is not None:
        # ... and so does the status: aangemeld, or definitief once placed (§4.3.1).
        perspective.status = rules.status_after_application(
            perspective.status, application.status, has_details=perspective.details_complete
        )
    try:
        with transaction.atomic():
            perspective.save()
    except IntegrityError as exc:
        raise ValidationError(
            _("The perspective was changed at the same time; please try again.")
        ) from exc
    PerspectiveChange.objects.create(
        youth=youth,
        user=acting_user,
        organisation=school,
        from_kind=current.kind if current else "",
        from_status=current.status if current else "",
        to_kind=perspective.kind,
        to_status=perspective.status,
    )
    audit_record(
        user=acting_user,
        action=AuditAction.UPDATE,
        obj=perspective,
        youth_id=youth.pk,
        description="uitstroomperspectief set",
        detail={"kind": kind.value},
    )
    return perspective


def _fill_education_details(perspective: Uitstroomperspectief, application: Aanmelding) -> None:
    """Copy an MBO application into the education details (§4.3.1). A level or learning path
    that is not one of the perspective's choices (free text from a feed) is left empty."""
    perspective.institution = application.institution.name[:200]
    perspective.programme = application.programme[:200]
    perspective.level = application.level if application.level in EducationLevel.values else ""
    perspective.learning_path = (
        application.learning_path if application.learning_path in LearningPath.values else ""
    )


def _details_of(perspective: Uitstroomperspectief) -> dict[str, Any]:
    return {name: getattr(perspective, name) for name in DETAIL_FIELDS[perspective.kind]}


@transaction.atomic
def perspective_details_update(
    *, perspective: Uitstroomperspectief, data: dict[str, Any], acting_user: User
) -> Uitstroomperspectief:
    _require_schoolgoing_here(youth=perspective.youth, acting_user=acting_user)
    _require_current(perspective)
    for name in DETAIL_FIELDS[perspective.kind]:
        if name in data:
            setattr(
                perspective,
                name,
                data[name] if data[name] is not None else _blank(perspective, name),
            )
    # Choices and limits of the fields of this perspective; the rest is not this call's business.
    perspective.clean_fields(
        exclude=[
            f.name
            for f in perspective._meta.fields
            if f.name not in DETAIL_FIELDS[perspective.kind]
        ]
    )
    if perspective.hours_per_week is not None and perspective.hours_per_week > 60:
        raise ValidationError(_("Enter at most 60 hours per week."))
    perspective.details_complete = rules.details_complete(
        perspective.kind, _details_of(perspective)
    )
    perspective.save()
    audit_record(
        user=acting_user,
        action=AuditAction.UPDATE,
        obj=perspective,
        youth_id=perspective.youth_id,
        description="uitstroomperspectief details",
    )
    return perspective


def _blank(perspective: Uitstroomperspectief, name: str) -> Any:
    field = perspective._meta.get_field(name)
    return (
        None if field.null else ("" if not isinstance(getattr(perspective, name), bool) else False)
    )


@transaction.atomic
def perspective_status_set(
    *, perspective: Uitstroomperspectief, status: str, acting_user: User
) -> Uitstroomperspectief:
    if not rules.status_allowed(perspective.kind, status):
        raise ValidationError(_("This status does not belong to the perspective."))
    _require_schoolgoing_here(youth=perspective.youth, acting_user=acting_user)
    _require_current(perspective)
    if perspective.status == status:
        return perspective
    if rules.final_status_refused(
        perspective.kind, status, has_details=perspective.details_complete
    ):
        raise ValidationError(
            _(
                "First fill in the details of the uitstroomperspectief; only then can the status "
                "become %(status)s."
            )
            % {"status": PerspectiveStatus(status).label},
            code="details_first",
        )
    previous = perspective.status
    perspective.status = status
    perspective.save(update_fields=["status", "updated_at"])
    PerspectiveChange.objects.create(
        youth=perspective.youth,
        user=acting_user,
        organisation=perspective.organisation,
        from_kind=perspective.kind,
        from_status=previous,
        to_kind=perspective.kind,
        to_status=status,
    )
    audit_record(
        user=acting_user,
        action=AuditAction.UPDATE,
        obj=perspective,
        youth_id=perspective.youth_id,
        description="uitstroomperspectief status",
        detail={"from": previous, "to": status},
    )
    return perspective


@transaction.atomic
def perspective_document_add(
    *, perspective: Uitstroomperspectief, uploaded: UploadedFile, acting_user: User
) -> PerspectiveDocument:
    if perspective.kind not in rules.DOSSIER_KINDS:
        raise ValidationError(_("A dossier can only be added for work or day care."))
    _require_schoolgoing_here(youth=perspective.youth, acting_user=acting_user)
    _require_current(perspective)
    content_type = validate_upload(uploaded)
    document = PerspectiveDocument(
        perspective=perspective,
        original_name=(uploaded.name or "dossier")[:200],
        content_type=content_type,
        size=uploaded.size or 0,
        uploaded_by=acting_user,
    )
    # Encrypted at rest, like the import files: the DAD is about one person.
    document.file.save(uploaded.name or "dossier", sealed_upload(uploaded), save=False)
    document.save()
    audit_record(
        user=acting_user,
        action=AuditAction.CREATE,
        obj=document,
        youth_id=perspective.youth_id,
        description="dossier uploaded",
    )
    return document


@transaction.atomic
def contact_person_link(*, youth: Youth, contact: User, acting_user: User) -> ContactPerson:
    """Link a colleague of the acting user's own organisation as contact person of the youth."""
    if contact.organisation_id != acting_user.organisation_id or not contact.is_active:
        raise ValidationError(_("Choose an active colleague of your own organisation."))
    if roles.is_school_user(acting_user):
        _schoolgoing_enrolment(youth=youth, school=organisation_of(acting_user))
    elif roles.is_chain_partner_user(acting_user):
        open_collaborations = Samenwerking.objects.filter(
            youth=youth, partner_id=acting_user.organisation_id
        ).exclude(status=SamenwerkingStatus.CLOSED)
        if not open_collaborations.exists():
            raise PermissionDenied
        open_collaborations.filter(status=SamenwerkingStatus.REQUESTED).update(
            status=SamenwerkingStatus.CONTACT_LINKED
        )
    else:
        raise PermissionDenied
    link, created = ContactPerson.objects.get_or_create(
        youth=youth,
        user=contact,
        defaults={"organisation_id": organisation_id_of(contact), "added_by": acting_user},
    )
    if created:
        audit_record(
            user=acting_user,
            action=AuditAction.CREATE,
            obj=link,
            youth_id=youth.pk,
            description="contact person linked",
        )
    return link


@transaction.atomic
def contact_person_unlink(*, link: ContactPerson, acting_user: User) -> None:
    if link.organisation_id != acting_user.organisation_id:
        raise PermissionDenied
    if roles.is_school_user(acting_user):
        _schoolgoing_enrolment(youth=link.youth, school=organisation_of(acting_user))
    audit_record(
        user=acting_user,
        action=AuditAction.DELETE,
        obj=link,
        youth_id=link.youth_id,
        description="contact unlinked",
    )
    link.delete()


def designated_partner(*, youth: Youth, kind: str) -> tuple[Organisation | None, list[User]]:
    """The chain partner designated for the youth's municipality and this perspective, in any region."""
    if youth.municipality_id is None:
        return None, []
    designations = (
        ContactDesignation.objects.filter(
            municipality_id=youth.municipality_id,
            perspective=kind,
            user__is_active=True,
            user__organisation__kind__in=CHAIN_PARTNER_KINDS,
        )
        .select_related("user__organisation")
        .order_by("user__organisation_id", "user__last_name")
    )
    contacts = list(d.user for d in designations)
    if not contacts:
        return None, []
    partner = contacts[0].organisation
    if partner is None:  # not reached: the designations were filtered on the organisation's kind
        return None, []
    return partner, [c for c in contacts if c.organisation_id == partner.pk]


@transaction.atomic
def samenwerking_request(*, youth: Youth, school: Organisation, acting_user: User) -> Samenwerking:
    """Ask the designated chain partner to work together (§4.5); its contacts get a signal mail."""
    if acting_user.organisation_id != school.pk:
        raise PermissionDenied
    _schoolgoing_enrolment(youth=youth, school=school)
    perspective = Uitstroomperspectief.objects.filter(youth=youth, is_active=True).first()
    if perspective is None or perspective.kind not in rules.COLLABORATION_KINDS:
        raise ValidationError(
            _("A samenwerking can only be requested for the perspective work or day care.")
        )
    partner, contacts = designated_partner(youth=youth, kind=perspective.kind)
    if partner is None:
        raise ValidationError(
            _(
                "No chain partner has been designated for the municipality of residence of this youth yet."
            )
        )
    try:
        with transaction.atomic():
            samenwerking = Samenwerking.objects.create(
                youth=youth,
                school=school,
                partner=partner,
                kind=perspective.kind,
                requested_by=acting_user,
            )
    except IntegrityError as exc:
        raise ValidationError(_("A samenwerking with this chain partner is already open.")) from exc
    for contact in contacts:
        body = render_to_string(
            "jikp/mail/samenwerking_requested.txt",
            {"contact": contact, "samenwerking": samenwerking, "school": school},
        )
        outbox_enqueue(
            to=contact.email,
            subject=_("Vangnet: new request to work together"),
            body=body,
            kind="samenwerking",
        )
    audit_record(
        user=acting_user,
        action=AuditAction.CREATE,
        obj=samenwerking,
        youth_id=youth.pk,
        description="samenwerking requested",
        detail={"partner": partner.pk},
    )
    return samenwerking


@transaction.atomic
def samenwerking_close(*, samenwerking: Samenwerking, acting_user: User) -> Samenwerking:
    if acting_user.organisation_id not in (samenwerking.school_id, samenwerking.partner_id):
        raise PermissionDenied
    samenwerking.status = SamenwerkingStatus.CLOSED
    samenwerking.closed_at = timezone.now()
    samenwerking.save(update_fields=["status", "closed_at"])
    audit_record(
        user=acting_user,
        action=AuditAction.UPDATE,
        obj=samenwerking,
        youth_id=samenwerking.youth_id,
        description="samenwerking closed",
    )
    return samenwerking


@transaction.atomic
def traject_add(*, youth: Youth, data: dict[str, Any], acting_user: User) -> Traject:
    """A school adds trajecten while the youth is schoolgoing; the gemeente and chain partners
    that see the youth add them at any time (§4.6)."""
    if roles.is_school_user(acting_user):
        _schoolgoing_enrolment(youth=youth, school=organisation_of(acting_user))
    elif roles.is_municipality_user(acting_user) or roles.is_chain_partner_user(acting_user):
        if not youth_visible_to(user=acting_user).filter(pk=youth.pk).exists():
            raise PermissionDenied
    else:
        raise PermissionDenied
    if data.get("kind") not in TrajectKind.values or not data.get("starts_on"):
        raise ValidationError(_("Choose the type of programme and its start date."))
    if data.get("ends_on") and data["ends_on"] < data["starts_on"]:
        raise ValidationError(_("The end date cannot be before the start date."))
    traject = Traject.objects.create(
        youth=youth,
        kind=data["kind"],
        description=data.get("description", ""),
        starts_on=data["starts_on"],
        ends_on=data.get("ends_on"),
        organisation_id=organisation_id_of(acting_user),
        added_by=acting_user,
    )
    audit_record(
        user=acting_user,
        action=AuditAction.CREATE,
        obj=traject,
        youth_id=youth.pk,
        description="traject added",
    )
    return traject


def _traject_of_own_organisation(traject: Traject, acting_user: User) -> None:
    """A traject is changed only by the organisation that added it, while it may add trajecten
    for the youth (a school while schoolgoing; the gemeente and linked chain partners)."""
    if traject.organisation_id != acting_user.organisation_id:
        raise PermissionDenied
    if roles.is_school_user(acting_user):
        _schoolgoing_enrolment(youth=traject.youth, school=organisation_of(acting_user))
    elif roles.is_municipality_user(acting_user) or roles.is_chain_partner_user(acting_user):
        if not youth_visible_to(user=acting_user).filter(pk=traject.youth_id).exists():
            raise PermissionDenied
    else:
        raise PermissionDenied


@transaction.atomic
def traject_update(*, traject: Traject, data: dict[str, Any], acting_user: User) -> Traject:
    """Change the type, description or dates of a traject (§4.6)."""
    _traject_of_own_organisation(traject, acting_user)
    if data.get("kind") not in TrajectKind.values or not data.get("starts_on"):
        raise ValidationError(_("Choose the type of programme and its start date."))
    if data.get("ends_on") and data["ends_on"] < data["starts_on"]:
        raise ValidationError(_("The end date cannot be before the start date."))
    before = {"kind": traject.kind, "starts_on": str(traject.starts_on)}
    traject.kind = data["kind"]
    traject.description = data.get("description", "")
    traject.starts_on = data["starts_on"]
    traject.ends_on = data.get("ends_on")
    traject.save()
    audit_record(
        user=acting_user,
        action=AuditAction.UPDATE,
        obj=traject,
        youth_id=traject.youth_id,
        description="traject changed",
        detail={"before": before},
    )
    return traject


@transaction.atomic
def traject_end(*, traject: Traject, ends_on: date, acting_user: User) -> Traject:
    """End a traject on a date (not before it started)."""
    _traject_of_own_organisation(traject, acting_user)
    if ends_on < traject.starts_on:
        raise ValidationError(_("The end date cannot be before the start date."))
    traject.ends_on = ends_on
    traject.save(update_fields=["ends_on"])
    audit_record(
        user=acting_user,
        action=AuditAction.UPDATE,
        obj=traject,
        youth_id=traject.youth_id,
        description="traject ended",
        detail={"ends_on": str(ends_on)},
    )
    return traject


@transaction.atomic
def traject_remove(*, traject: Traject, acting_user: User) -> None:
    """Remove a traject entered by mistake."""
    _traject_of_own_organisation(traject, acting_user)
    audit_record(
        user=acting_user,
        action=AuditAction.DELETE,
        obj=traject,
        youth_id=traject.youth_id,
        description="traject removed",
        detail={"kind": traject.kind},
    )
    traject.delete()


# --- Bulk actions on the rows selected in the Schoolgaand list ----------------------------------


def _bulk_youth(*, youth_ids: Iterable[int], acting_user: User) -> list[Youth]:
    """The selected youth, each schoolgoing at the acting user's own school; one id that is not
    (another school's youth, a made-up number) refuses the whole action."""
    if not roles.is_school_user(acting_user):
        raise PermissionDenied
    wanted = sorted(set(youth_ids))
    if not wanted:
        raise ValidationError(_("First select one or more youth in the list."))
    own = Enrolment.objects.schoolgoing().filter(
        organisation_id=organisation_id_of(acting_user), youth_id=OuterRef("pk")
    )
    found = list(Youth.objects.filter(pk__in=wanted).filter(Exists(own)).order_by("pk"))
    if len(found) != len(wanted):
        raise ValidationError(
            _(
                "One or more of the selected youth are not schoolgoing at your school; nothing "
                "has been changed."
            ),
            code="not_visible",
        )
    return found


def _refuse_failures(failures: list[str]) -> None:
    if failures:
        raise ValidationError(
            _("Nothing has been changed. Not possible for: %(names)s.")
            % {"names": "; ".join(failures)},
            code="bulk_refused",
        )


@transaction.atomic
def bulk_contact_link(*, youth_ids: Iterable[int], contact: User, acting_user: User) -> int:
    """Link one colleague as contact person of every selected youth, all or nothing; each link
    is audited per youth. Returns the number of youth."""
    youths = _bulk_youth(youth_ids=youth_ids, acting_user=acting_user)
    for youth in youths:
        contact_person_link(youth=youth, contact=contact, acting_user=acting_user)
    return len(youths)


@transaction.atomic
def bulk_status_set(*, youth_ids: Iterable[int], status: str, acting_user: User) -> int:
    """Set one status on every selected youth, all or nothing: a youth whose perspective does not
    have this status, or whose details are missing for a final one, refuses the whole action."""
    youths = _bulk_youth(youth_ids=youth_ids, acting_user=acting_user)
    perspectives = {
        p.youth_id: p
        for p in Uitstroomperspectief.objects.select_for_update().filter(
            youth__in=youths, is_active=True
        )
    }
    failures: list[str] = []
    for youth in youths:
        perspective = perspectives.get(youth.pk)
        if perspective is None:
            failures.append(f"{youth.full_name} ({_('no uitstroomperspectief yet')})")
            continue
        perspective.youth = youth
        try:
            with transaction.atomic():
                perspective_status_set(
                    perspective=perspective, status=status, acting_user=acting_user
                )
        except ValidationError as exc:
            failures.append(f"{youth.full_name} ({' '.join(exc.messages)})")
    _refuse_failures(failures)
    return len(youths)


@transaction.atomic
def aanmelding_create(
    *,
    youth: Youth,
    data: dict[str, Any],
    acting_user: User | None,
    description: str = "application",
) -> Aanmelding:
    """Record an MBO application (from a feed, or entered by the student in the DDD). When the
    youth already has an education perspective whose details are still empty, they are filled
    from this application (§4.3.1), as they would have been had the application come first;
    details a school filled in are never overwritten. The status follows the application."""
    aanmelding = Aanmelding.objects.create(youth=youth, **data)
    audit_record(
        user=acting_user,
        action=AuditAction.CREATE,
        obj=aanmelding,
        youth_id=youth.pk,
        description=description,
        detail={"institution": aanmelding.institution_id},
    )
    if aanmelding.status in (AanmeldingStatus.RUNNING, AanmeldingStatus.PLACED):
        perspective = (
            Uitstroomperspectief.objects.select_for_update()
            .filter(youth=youth, is_active=True, kind=rules.Kind.EDUCATION)
            .first()
        )
        if perspective is not None:
            _follow_application(perspective, aanmelding, acting_user=acting_user)
    return aanmelding


def _follow_application(
    perspective: Uitstroomperspectief, aanmelding: Aanmelding, *, acting_user: User | None
) -> None:
    """Empty education details are filled from the application, and the status moves forward
    to what the application says (aangemeld; definitief once placed), in the timeline too."""
    filled = not any(_details_of(perspective).values())
    if filled:
        _fill_education_details(perspective, aanmelding)
        perspective.details_complete = rules.details_complete(
            perspective.kind, _details_of(perspective)
        )
    previous = perspective.status
    perspective.status = rules.status_after_application(
        previous, aanmelding.status, has_details=perspective.details_complete
    )
    if not filled and perspective.status == previous:
        return
    perspective.save()
    if perspective.status != previous and acting_user is not None:
        PerspectiveChange.objects.create(
            youth_id=perspective.youth_id,
            user=acting_user,
            organisation_id=perspective.organisation_id,
            from_kind=perspective.kind,
            from_status=previous,
            to_kind=perspective.kind,
            to_status=perspective.status,
        )
    audit_record(
        user=acting_user,
        action=AuditAction.UPDATE,
        obj=perspective,
        youth_id=perspective.youth_id,
        description="uitstroomperspectief from application",
        detail={"aanmelding": aanmelding.pk, "from": previous, "to": perspective.status},
    )


@transaction.atomic
def document_add(
    *, title: str, description: str, uploaded: UploadedFile, acting_user: User
) -> Document:
    if not roles.is_platform_admin(acting_user):
        raise PermissionDenied
    content_type = validate_upload(uploaded)
    document = Document(
        title=title,
        description=description,
        original_name=(uploaded.name or "document")[:200],
        content_type=content_type,
        size=uploaded.size or 0,
        uploaded_by=acting_user,
    )
    document.file.save(uploaded.name or "document", uploaded, save=False)
    document.save()
    audit_record(
        user=acting_user, action=AuditAction.CREATE, obj=document, description="document uploaded"
    )
    return document


_AUTO_MONITOR_FIELD: dict[str, str] = {
    rules.Kind.EDUCATION: "auto_monitor_education",
    rules.Kind.WORK: "auto_monitor_work",
    rules.Kind.DAY_CARE: "auto_monitor_day_care",
}
_MONITORING_BATCH = 2000


@transaction.atomic
def monitoring_start_for_processed_unenrolments(
    *, enrolment_ids: Iterable[int], today: date
) -> int:
    """Nightly (§9): start monitoring the youth whose unenrolment was just processed, when their
    school asked for it in its settings for the kind of the youth's active perspective.

    Runs in batches (one SELECT and one INSERT each); youth already monitored by that school are
    left alone. Returns the number of monitorings started.
    """
    ids = list(enrolment_ids)
    active_kind = Uitstroomperspectief.objects.filter(
        youth_id=OuterRef("youth_id"), is_active=True
    ).values("kind")[:1]
    already = Monitoring.objects.filter(
        youth_id=OuterRef("youth_id"), school_id=OuterRef("organisation_id")
    )
    wanted = Q()
    for kind, field in _AUTO_MONITOR_FIELD.items():
        wanted |= Q(active_kind=kind, **{f"organisation__{field}": True})
    started = 0
    for start in range(0, len(ids), _MONITORING_BATCH):
        rows = list(
            Enrolment.objects.filter(pk__in=ids[start : start + _MONITORING_BATCH])
            .annotate(active_kind=Subquery(active_kind))
            .filter(wanted)
            .exclude(Exists(already))
            .values_list("youth_id", "organisation_id", "active_kind")
        )
        if not rows:
            continue
        Monitoring.objects.bulk_create(
            [
                Monitoring(
                    youth_id=youth_id,
                    school_id=school_id,
                    perspective_kind=kind,
                    started_on=today,
                    started_automatically=True,
                )
                for youth_id, school_id, kind in rows
            ],
            ignore_conflicts=True,
        )
        audit_many(
            user=None,
            action=AuditAction.CREATE,
            youth_ids=[youth_id for youth_id, _school, _kind in rows],
            description="monitoring started automatically",
        )
        started += len(rows)
    return started


@transaction.atomic
def document_delete(*, document: Document, acting_user: User) -> None:
    """Remove a document of §8.3; the file itself goes once the removal is committed."""
    if not roles.is_platform_admin(acting_user):
        raise PermissionDenied
    audit_record(
        user=acting_user,
        action=AuditAction.DELETE,
        obj=document,
        description="document removed",
        detail={"title": document.title},
    )
    storage, name = document.file.storage, document.file.name
    document.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))

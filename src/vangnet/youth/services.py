"""Writes to person records. Each runs in one transaction and audits in it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vangnet.audit.models import AuditAction
from vangnet.audit.services import audit_record
from vangnet.core import crypto
from vangnet.organisations.models import Organisation

from . import selectors as youth_selectors
from .models import Enrolment, Youth

PERSON_FIELDS = (
    "first_name",
    "prefix",
    "last_name",
    "birth_date",
    "gender",
    "secret_address",
    "street",
    "house_number",
    "postcode",
    "city",
    "municipality",
    "wlz_indication",
)
ENROLMENT_FIELDS = (
    "location",
    "class_name",
    "school_year_level",
    "student_number",
    "enrolled_on",
    "leaving_year",
)


ENROLLED_ELSEWHERE = gettext_lazy(
    "This youth is already enrolled at another school. Saving adds an enrolment at your school; "
    "the personal data stay as the other organisation supplied them. Tick the confirmation below "
    "and save again to add the youth."
)


def _normalised(name: str) -> str:
    return " ".join(str(name).split()).casefold()


def youth_find_by_identifier(*, bsn: str = "", onderwijsnummer: str = "") -> Youth | None:
    if bsn:
        return Youth.objects.filter(bsn_index=crypto.blind_index(bsn)).first()
    if onderwijsnummer:
        return Youth.objects.filter(onderwijsnummer=onderwijsnummer).first()
    return None


@transaction.atomic
def youth_enrol(*, school: Organisation, data: dict[str, Any], acting_user: Any) -> Enrolment:
    """Enrol a youth at a school, creating the person record when the BSN/onderwijsnummer is new.

    Raises ValidationError (nothing written) when the youth is already enrolled at this school,
    when the last name and date of birth do not match the known record, and (code
    "enrolled_elsewhere") when the youth is enrolled at another school and data["confirm_elsewhere"]
    is not set: the school confirms that first. An existing record is never changed: the person
    data stay as the organisation that supplied them entered them; only the enrolment is added.
    """
    bsn = data.get("bsn") or ""
    onderwijsnummer = data.get("onderwijsnummer") or ""
    youth = youth_find_by_identifier(bsn=bsn, onderwijsnummer=onderwijsnummer)
    created = youth is None
    if youth is not None:
        # Lock the record so two schools enrolling the same youth at once do not interleave.
        youth = Youth.objects.select_for_update().get(pk=youth.pk)
        if Enrolment.objects.filter(youth=youth, organisation=school).exists():
            raise ValidationError(
                _("This youth is already enrolled at your school."), code="duplicate"
            )
        # The person record is shared with other organisations: a second school only links to it
        # when it knows the same last name and date of birth, and never overwrites it.
        if _normalised(youth.last_name) != _normalised(data.get("last_name", "")) or (
            youth.birth_date != data.get("birth_date")
        ):
            raise ValidationError(
                _(
                    "The last name and date of birth do not match this BSN or onderwijsnummer. "
                    "Check the details."
                ),
                code="mismatch",
            )
        elsewhere = youth_selectors.youth_enrolled_elsewhere(
            organisation_id=school.pk, youth_ids=[youth.pk]
        )
        if elsewhere and not data.get("confirm_elsewhere"):
            raise ValidationError(ENROLLED_ELSEWHERE, code="enrolled_elsewhere")
    else:
        youth = Youth(onderwijsnummer=onderwijsnummer or None, supplied_by=school)
        youth.set_bsn(bsn or None)
        for field in PERSON_FIELDS:
            if field in data:
                setattr(youth, field, data[field])
    try:
        with transaction.atomic():
            youth.save()
            enrolment = Enrolment.objects.create(
                youth=youth,
                organisation=school,
                supplied_bsn=bool(bsn),
                **{
                    f: data.get(f)
                    for f in ENROLMENT_FIELDS
                    if f in data and data.get(f) not in (None,)
                },
            )
    except IntegrityError as exc:  # a concurrent double submit lost the race
        raise ValidationError(
            _("This youth is already enrolled at your school."), code="duplicate"
        ) from exc
    audit_record(
        user=acting_user,
        action=AuditAction.CREATE,
        obj=enrolment,
        youth_id=youth.pk,
        description="enrolled" if not created else "created and enrolled",
    )
    return enrolment


@transaction.atomic
def youth_update(
    *, youth: Youth, enrolment: Enrolment | None, data: dict[str, Any], acting_user: Any
) -> Youth:
    """Change the person record and the acting school's enrolment. The person data change only
    for the organisation that supplied them and for the municipality (may_change_person_data)."""
    changed: list[str] = []
    if not youth_selectors.may_change_person_data(user=acting_user, youth=youth):
        # Another organisation supplied the person data: only the enrolment is changed here.
        data = {k: v for k, v in data.items() if k not in PERSON_FIELDS}
    for field in PERSON_FIELDS:
        if field in data and getattr(youth, field) != data[field]:
            setattr(youth, field, data[field])
            changed.append(field)
    if changed:
        youth.save()
    if enrolment is not None:
        enrolment_changed = []
        for field in (
            "class_name",
            "school_year_level",
            "student_number",
            "leaving_year",
            "unenrolled_on",
        ):
            if field in data and getattr(enrolment, field) != data[field]:
                setattr(enrolment, field, data[field])
                enrolment_changed.append(field)
        if "unenrolled_on" in enrolment_changed:
            if (
                enrolment.unenrolled_on is not None
                and enrolment.unenrolled_on < enrolment.enrolled_on
            ):
                raise ValidationError(
                    _("The unenrolment date cannot be before the enrolment date.")
                )
            enrolment.unenrolment_processed = False
        if enrolment_changed:
            enrolment.save()
            changed += enrolment_changed
    if changed:
        audit_record(
            user=acting_user,
            action=AuditAction.UPDATE,
            obj=youth,
            youth_id=youth.pk,
            detail={"fields": sorted(changed)},
        )
    return youth


@transaction.atomic
def enrolments_process_unenrolments(*, today: Any = None) -> list[int]:
    """Nightly: an enrolment whose unenrolment date has passed moves to 'Uitgeschreven'.

    Returns the ids of the enrolments it processed, so that follow-up work (monitoring) can be
    started for exactly those. One SELECT (locking the rows) and one UPDATE, whatever the number.
    """
    today = today or timezone.localdate()
    ids = list(
        Enrolment.objects.select_for_update()
        .filter(unenrolment_processed=False, unenrolled_on__isnull=False, unenrolled_on__lt=today)
        .values_list("pk", flat=True)
    )
    if ids:
        Enrolment.objects.filter(pk__in=ids).update(unenrolment_processed=True)
    return ids

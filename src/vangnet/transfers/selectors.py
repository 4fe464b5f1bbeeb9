"""Reads for imports: the jobs an organisation may see, and the chunked look-ups of validation.

The look-ups fetch, per chunk of identifiers, only the columns the decisions need; the number of
queries depends on the number of chunks, never on the number of rows within one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

from django.db.models import Q, QuerySet
from django.http import Http404

from vangnet.core import roles
from vangnet.jikp.models import Aanmelding, AanmeldingStatus, Uitstroomperspectief
from vangnet.organisations.models import Municipality, Organisation
from vangnet.youth.models import Enrolment, Youth
from vangnet.youth.selectors import nazorg_cutoff

from .domain.decisions import EnrolmentState, PerspectiveState, YouthState
from .domain.values import municipality_key
from .models import ImportJob

CHUNK = 900  # below SQLite's 999 bound parameters; PostgreSQL does not mind
T = TypeVar("T")


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- Jobs ------------------------------------------------------------------------------------


def jobs_visible_to(*, user: Any) -> QuerySet[ImportJob]:
    """A school user sees the import jobs of the own organisation; nobody else sees any."""
    if not roles.is_school_user(user):
        return ImportJob.objects.none()
    return ImportJob.objects.filter(organisation_id=user.organisation_id)


def job_get_for_user(*, user: Any, job_id: int) -> ImportJob:
    job = jobs_visible_to(user=user).select_related("user").filter(pk=job_id).first()
    if job is None:
        raise Http404
    return job


def job_history_for_user(*, user: Any) -> QuerySet[ImportJob]:
    return (
        jobs_visible_to(user=user)
        .select_related("user")
        .defer("errors", "notes")
        .order_by("-created_at", "-id")
    )


# --- Look-ups for validation -----------------------------------------------------------------


def municipality_lookup() -> dict[str, int | None]:
    """municipality_key() of every CBS code and name -> id; None for a name used twice."""
    lookup: dict[str, int | None] = {}
    names: dict[str, int | None] = {}
    for pk, name, code in Municipality.objects.values_list("pk", "name", "cbs_code"):
        lookup[municipality_key(code)] = pk
        key = municipality_key(name)
        names[key] = None if key in names else pk
    for key, found in names.items():
        lookup.setdefault(key, found)
    return lookup


YOUTH_COLUMNS = (
    "id",
    "bsn_index",
    "onderwijsnummer",
    "last_name",
    "prefix",
    "first_name",
    "birth_date",
    "gender",
    "secret_address",
    "street",
    "house_number",
    "postcode",
    "city",
    "municipality_id",
    "identified_by_school",
)
PERSON_COLUMNS = YOUTH_COLUMNS[5:-1]


def _youth_state(values: dict[str, Any]) -> YouthState:
    return YouthState(
        id=values["id"],
        last_name=values["last_name"],
        prefix=values["prefix"],
        fields={k: values[k] for k in PERSON_COLUMNS},
        has_bsn=values["bsn_index"] is not None,
        onderwijsnummer=values["onderwijsnummer"],
        identified_by_school=values["identified_by_school"],
    )


def youth_by_identifiers(
    *, bsn_indexes: Iterable[str], onderwijsnummers: Iterable[str]
) -> tuple[dict[str, YouthState], dict[str, YouthState]]:
    """Youth by BSN blind index and by onderwijsnummer, looked up in chunks."""
    by_index: dict[str, YouthState] = {}
    by_number: dict[str, YouthState] = {}
    for chunk in chunks(sorted(set(bsn_indexes))):
        for values in Youth.objects.filter(bsn_index__in=chunk).values(*YOUTH_COLUMNS):
            by_index[values["bsn_index"]] = _youth_state(values)
    for chunk in chunks(sorted(set(onderwijsnummers))):
        for values in Youth.objects.filter(onderwijsnummer__in=chunk).values(*YOUTH_COLUMNS):
            by_number[values["onderwijsnummer"]] = _youth_state(values)
    return by_index, by_number


ENROLMENT_COLUMNS = (
    "id",
    "youth_id",
    "enrolled_on",
    "unenrolled_on",
    "unenrolment_processed",
    "class_name",
    "school_year_level",
    "student_number",
    "leaving_year",
    "supplied_bsn",
    "student_email",
)


def _enrolment_state(e: dict[str, Any]) -> EnrolmentState:
    return EnrolmentState(
        id=e["id"],
        enrolled_on=e["enrolled_on"],
        unenrolled_on=e["unenrolled_on"],
        processed=e["unenrolment_processed"],
        class_name=e["class_name"],
        school_year_level=e["school_year_level"],
        student_number=e["student_number"],
        leaving_year=e["leaving_year"],
        supplied_bsn=e["supplied_bsn"],
        student_email=e["student_email"],
    )


def enrolments_at_school(
    *, school: Organisation, youth_ids: Iterable[int], visible_only: bool
) -> dict[int, EnrolmentState]:
    """The school's enrolment of each youth; with visible_only, only current ones and those
    within the nazorg period (what the school's lists still show)."""
    base = Enrolment.objects.filter(organisation=school)
    if visible_only:
        base = base.filter(Q(unenrolled_on__isnull=True) | Q(unenrolled_on__gte=nazorg_cutoff()))
    found: dict[int, EnrolmentState] = {}
    for chunk in chunks(sorted(set(youth_ids))):
        for e in base.filter(youth_id__in=chunk).values(*ENROLMENT_COLUMNS):
            found[e["youth_id"]] = _enrolment_state(e)
    return found


def enrolments_by_student_number(
    *, school: Organisation, student_numbers: Iterable[str]
) -> dict[str, tuple[EnrolmentState, YouthState]]:
    """The school's enrolments by leerlingnummer, with their youth. Should a number be stored
    twice, the current (then the newest) enrolment wins."""
    found: dict[str, tuple[EnrolmentState, YouthState]] = {}
    youth_columns = [f"youth__{c}" for c in YOUTH_COLUMNS]
    for chunk in chunks(sorted({n for n in student_numbers if n})):
        rows = (
            Enrolment.objects.filter(organisation=school, student_number__in=chunk)
            .order_by("-unenrolment_processed", "enrolled_on", "id")
            .values(*ENROLMENT_COLUMNS, *youth_columns)
        )
        for e in rows:  # later rows (current, newer) overwrite earlier ones
            youth = _youth_state({c: e[f"youth__{c}"] for c in YOUTH_COLUMNS})
            found[e["student_number"]] = (_enrolment_state(e), youth)
    return found


def youth_with_account(*, youth_ids: Iterable[int]) -> set[int]:
    """The youth among `youth_ids` who have a student portal account."""
    from vangnet.dossiers.models import StudentAccount

    found: set[int] = set()
    for chunk in chunks(sorted(set(youth_ids))):
        found.update(
            StudentAccount.objects.filter(youth_id__in=chunk).values_list("youth_id", flat=True)
        )
    return found


def active_perspectives(*, youth_ids: Iterable[int]) -> dict[int, PerspectiveState]:
    found: dict[int, PerspectiveState] = {}
    for chunk in chunks(sorted(set(youth_ids))):
        for pk, youth_id, kind, status in Uitstroomperspectief.objects.filter(
            youth_id__in=chunk, is_active=True
        ).values_list("pk", "youth_id", "kind", "status"):
            found[youth_id] = PerspectiveState(id=pk, kind=kind, status=status)
    return found


def running_applications(*, youth_ids: Sequence[int]) -> dict[int, dict[str, str]]:
    """The latest running or placed MBO application per youth (details of an education
    perspective come from it, as in jikp.services.perspective_set)."""
    found: dict[int, dict[str, str]] = {}
    for chunk in chunks(sorted(set(youth_ids))):
        rows = (
            Aanmelding.objects.filter(
                youth_id__in=chunk,
                status__in=[AanmeldingStatus.RUNNING, AanmeldingStatus.PLACED],
            )
            .order_by("youth_id", "-applied_on", "-id")
            .values_list(
                "youth_id", "institution__name", "programme", "level", "learning_path", "status"
            )
        )
        for youth_id, institution, programme, level, learning_path, status in rows:
            found.setdefault(
                youth_id,
                {
                    "institution": institution,
                    "programme": programme,
                    "level": level,
                    "learning_path": learning_path,
                    "status": status,
                },
            )
    return found

"""What one checked row does, given what is known about the youth. Pure Python.

The services look up, in chunks, the youth, the enrolment at the uploading school and the active
uitstroomperspectief for every row, and hand them to `decide()`. Rows whose values are already
stored are UNCHANGED, so importing the same file twice changes nothing the second time.

Rules:
- a youth is identified by BSN (or onderwijsnummer); the achternaam must match it, case- and
  space-insensitively (the tussenvoegsel may be written in front of it);
- in a jongerenlijst, a known youth also needs the same geboortedatum. The person data (names,
  geboortedatum, address, geheim adres, woongemeente) are changed only when the uploading school
  supplied them itself (`YouthState.supplied_here`); a youth whose record another organisation
  supplied only gets the school's own enrolment, and the report counts the rows of youth who are
  enrolled at another school (`Decision.enrolled_elsewhere`) so the school confirms them first;
- an import never lifts a geheim adres: the address of a youth with a secret address stays out;
- the three update kinds only touch youth enrolled at the uploading school (uitstroomperspectief
  and jaar van uitstroom: schoolgoing ones); anyone else is reported as "not found at your school",
  whether or not the number exists elsewhere, and before the name is compared, so nothing is
  revealed about other schools' youth;
- in a jongerenlijst, empty optional cells (klas, leerjaar, leerlingnummer, jaar van uitstroom,
  uitstroomperspectief) leave what is stored; the inschrijfdatum of a current enrolment is kept
  (as on the edit page), and a youth who left the school is enrolled again only with a later one;
- a new uitstroomperspectief replaces the active one (jikp.services.perspective_set);
- an unenrolment date is never before the enrolment date; it is processed by the nightly job.

The leerlinglijst (Digitaal Doorstroomdossier) matches each row, in this order:
- the school's enrolment with the same leerlingnummer (or, failing that, the school's enrolment of
  the youth with the row's BSN / onderwijsnummer): the school's own student. Last name and date of
  birth must match; klas, leerjaar, e-mail address and leerlingnummer are brought up to date, and
  a BSN (or onderwijsnummer) given for a student who has none yet is linked, never replaced. The
  rest of the person record is left as it is (the jongerenlijst and the edit page keep it);
- a youth known elsewhere by the row's BSN / onderwijsnummer: enrolled at the school, only when
  last name and date of birth match, and the shared person record is not changed;
- anyone else is created; without BSN and onderwijsnummer as known only by leerlingnummer.
A student with a portal account (activated in an earlier school year) keeps it unchanged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from . import values
from .columns import Col, Kind
from .problems import Code, Problem
from .rows import YouthRow

PERSON_ATTRIBUTES = (
    "first_name",
    "birth_date",
    "gender",
    "secret_address",
    "street",
    "house_number",
    "postcode",
    "city",
    "municipality_id",
)
ENROLMENT_ATTRIBUTES = ("class_name", "school_year_level", "student_number", "leaving_year")


@dataclass(slots=True)
class YouthState:
    id: int
    last_name: str
    prefix: str
    fields: dict[str, Any] = field(default_factory=dict)  # PERSON_ATTRIBUTES
    has_bsn: bool = False
    onderwijsnummer: str | None = None
    identified_by_school: bool = False
    # The uploading school supplied the person data itself, and may change them.
    supplied_here: bool = False
    # The youth has a current enrolment at another school or institution.
    enrolled_elsewhere: bool = False


@dataclass(slots=True)
class EnrolmentState:
    id: int
    enrolled_on: dt.date
    unenrolled_on: dt.date | None = None
    processed: bool = False
    class_name: str = ""
    school_year_level: int | None = None
    student_number: str = ""
    leaving_year: int | None = None
    supplied_bsn: bool = False
    student_email: str = ""


@dataclass(slots=True)
class PerspectiveState:
    id: int
    kind: str
    status: str


class Outcome(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"


@dataclass(slots=True)
class Decision:
    row: YouthRow
    outcome: Outcome = Outcome.UNCHANGED
    youth: YouthState | None = None  # None: create the youth
    youth_changes: dict[str, Any] = field(default_factory=dict)
    enrolment: EnrolmentState | None = None  # None in a youth list: create the enrolment
    enrolment_changes: dict[str, Any] = field(default_factory=dict)
    perspective_from: PerspectiveState | None = None
    perspective_to: str | None = None
    account_kept: bool = False  # leerlinglijst: the student already has a portal account
    # jongerenlijst: the row enrols a youth who is enrolled at another school as well.
    enrolled_elsewhere: bool = False
    # jongerenlijst: the row's person data differ from a record another organisation supplied
    # (and are not used).
    person_kept: bool = False

    @property
    def changed_fields(self) -> list[str]:
        names = list(self.youth_changes) + list(self.enrolment_changes)
        if self.perspective_to:
            names.append("uitstroomperspectief")
        return sorted(names)


def _problem(row: YouthRow, code: Code, column: Col, **params: object) -> Problem:
    return Problem(code, row=row.row, column=column.value, params=params)


def _identifier_column(row: YouthRow) -> Col:
    return Col.BSN if row.bsn else Col.ONDERWIJSNUMMER


def _perspective(decision: Decision, current: PerspectiveState | None) -> None:
    wanted = decision.row.perspective
    if wanted and (current is None or current.kind != wanted):
        decision.perspective_from = current
        decision.perspective_to = wanted


def _decide_update(
    kind: Kind,
    row: YouthRow,
    youth: YouthState | None,
    enrolment: EnrolmentState | None,
    perspective: PerspectiveState | None,
) -> Decision | Problem:
    schoolgoing_only = kind != Kind.UNENROLMENTS
    if youth is None or enrolment is None or (schoolgoing_only and enrolment.processed):
        code = Code.NOT_FOUND_SCHOOLGOING if schoolgoing_only else Code.NOT_FOUND_AT_SCHOOL
        return _problem(row, code, _identifier_column(row))
    if not values.last_name_matches(row.last_name, last_name=youth.last_name, prefix=youth.prefix):
        return _problem(row, Code.LAST_NAME_MISMATCH, Col.LAST_NAME)
    decision = Decision(row=row, youth=youth, enrolment=enrolment)
    if kind == Kind.PERSPECTIVES:
        _perspective(decision, perspective)
    elif kind == Kind.LEAVING_YEARS:
        if enrolment.leaving_year != row.leaving_year:
            decision.enrolment_changes["leaving_year"] = row.leaving_year
    else:
        assert row.unenrolled_on is not None
        if row.unenrolled_on < enrolment.enrolled_on:
            return _problem(
                row,
                Code.UNENROL_BEFORE_ENROL,
                Col.UNENROLLED_ON,
                date=f"{enrolment.enrolled_on:%d-%m-%Y}",
            )
        if enrolment.unenrolled_on != row.unenrolled_on:
            decision.enrolment_changes["unenrolled_on"] = row.unenrolled_on
            decision.enrolment_changes["unenrolment_processed"] = False
    if decision.enrolment_changes or decision.perspective_to:
        decision.outcome = Outcome.UPDATE
    return decision


SECRET_HIDES = ("secret_address", "street", "house_number", "postcode", "city")


def _person_changes(row: YouthRow, youth: YouthState) -> dict[str, Any]:
    """Where the row's person data differ from the record; a geheim adres stays (an import never
    lifts it, and never stores the address behind it)."""
    changes: dict[str, Any] = {}
    keep_secret = bool(youth.fields.get("secret_address")) and not row.secret_address
    for name in PERSON_ATTRIBUTES:
        if keep_secret and name in SECRET_HIDES:
            continue
        new = getattr(row, name)
        if youth.fields.get(name) != new:
            changes[name] = new
    written_with_prefix = values.name_key(row.last_name) != values.name_key(youth.last_name)
    if row.prefix is not None and not written_with_prefix and row.prefix != youth.prefix:
        changes["prefix"] = row.prefix
    return changes


def _decide_youth_list(
    row: YouthRow,
    youth: YouthState | None,
    enrolment: EnrolmentState | None,
    perspective: PerspectiveState | None,
) -> Decision | Problem:
    decision = Decision(row=row, youth=youth, enrolment=enrolment)
    if youth is None:
        decision.outcome = Outcome.CREATE
        _perspective(decision, None)
        return decision
    if not values.last_name_matches(row.last_name, last_name=youth.last_name, prefix=youth.prefix):
        return _problem(row, Code.LAST_NAME_MISMATCH, Col.LAST_NAME)
    if youth.fields.get("birth_date") != row.birth_date:
        return _problem(row, Code.BIRTH_DATE_MISMATCH_YOUTH, Col.BIRTH_DATE)
    person = _person_changes(row, youth)
    if youth.supplied_here:
        decision.youth_changes.update(person)
    else:
        # Another organisation supplied the record: it stays as it is.
        decision.person_kept = bool(person)
    if enrolment is None:
        decision.outcome = Outcome.CREATE
        decision.enrolled_elsewhere = youth.enrolled_elsewhere
        _perspective(decision, perspective)
        return decision
    if enrolment.processed:
        assert enrolment.unenrolled_on is not None and row.enrolled_on is not None
        if row.enrolled_on <= enrolment.unenrolled_on:
            return _problem(
                row,
                Code.UNENROLLED_AT_SCHOOL,
                Col.ENROLLED_ON,
                date=f"{enrolment.unenrolled_on:%d-%m-%Y}",
            )
        # Enrolled again after leaving: the enrolment becomes current once more.
        decision.enrolment_changes.update(
            enrolled_on=row.enrolled_on, unenrolled_on=None, unenrolment_processed=False
        )
    for name in ENROLMENT_ATTRIBUTES:
        new = getattr(row, name)
        if new is not None and getattr(enrolment, name) != new:
            decision.enrolment_changes[name] = new
    if row.bsn and not enrolment.supplied_bsn:
        decision.enrolment_changes["supplied_bsn"] = True
    _perspective(decision, perspective)
    if decision.youth_changes or decision.enrolment_changes or decision.perspective_to:
        decision.outcome = Outcome.UPDATE
    return decision


STUDENT_ENROLMENT_ATTRIBUTES = ("student_number", "class_name", "school_year_level")


@dataclass(slots=True)
class StudentLookup:
    """What the database knows for one leerlinglijst row."""

    # The school's enrolment with the row's leerlingnummer, and its youth.
    by_number: tuple[EnrolmentState, YouthState] | None = None
    # The youth with the row's BSN (or onderwijsnummer), and its enrolment at the school.
    identified: YouthState | None = None
    identified_enrolment: EnrolmentState | None = None


def _link_identifier(row: YouthRow, youth: YouthState, decision: Decision) -> Problem | None:
    """A BSN or onderwijsnummer in the row for the school's own student: linked when the student
    has none, refused when it differs from the one stored."""
    if row.bsn:
        if not youth.has_bsn:
            decision.youth_changes["bsn"] = row.bsn
            if youth.identified_by_school:
                decision.youth_changes["identified_by_school"] = False
        # has_bsn and not the same youth was caught by the caller (identified is another youth,
        # or nobody has this BSN while the student has another one).
        return None
    if row.onderwijsnummer and youth.onderwijsnummer != row.onderwijsnummer:
        if youth.onderwijsnummer:
            return _problem(row, Code.ONDERWIJSNUMMER_DIFFERS, Col.ONDERWIJSNUMMER)
        if not youth.has_bsn:
            decision.youth_changes["onderwijsnummer"] = row.onderwijsnummer
            if youth.identified_by_school:
                decision.youth_changes["identified_by_school"] = False
    return None


def _decide_student_list(
    row: YouthRow, lookup: StudentLookup, today: dt.date
) -> Decision | Problem:
    identified = lookup.identified
    enrolment: EnrolmentState | None
    if lookup.by_number is not None:
        enrolment, youth = lookup.by_number
        if identified is not None and identified.id != youth.id:
            return _problem(row, Code.IDENTIFIER_OF_OTHER_YOUTH, _identifier_column(row))
        if identified is None and row.bsn and youth.has_bsn:
            return _problem(row, Code.BSN_DIFFERS, Col.BSN)
    elif identified is not None:
        youth, enrolment = identified, lookup.identified_enrolment
    else:
        return Decision(row=row, outcome=Outcome.CREATE)
    birth_date_matches = youth.fields.get("birth_date") == row.birth_date
    name_matches = values.last_name_matches(
        row.last_name, last_name=youth.last_name, prefix=youth.prefix
    )
    if enrolment is None:
        # Known at another school: the shared record is only linked to, never changed.
        if not name_matches:
            return _problem(row, Code.LAST_NAME_MISMATCH, Col.LAST_NAME)
        if not birth_date_matches:
            return _problem(row, Code.BIRTH_DATE_MISMATCH, Col.BIRTH_DATE)
        return Decision(row=row, outcome=Outcome.CREATE, youth=youth)
    if not name_matches:
        code = Code.NAME_MISMATCH_STUDENT_NUMBER if lookup.by_number else Code.LAST_NAME_MISMATCH
        return _problem(row, code, Col.LAST_NAME)
    if not birth_date_matches:
        return _problem(row, Code.BIRTH_DATE_MISMATCH, Col.BIRTH_DATE)
    # The person record is kept as it is (it may be shared with other organisations, and the
    # jongerenlijst and the edit page maintain it); only a missing identifier is linked.
    decision = Decision(row=row, youth=youth, enrolment=enrolment)
    problem = _link_identifier(row, youth, decision)
    if problem is not None:
        return problem
    for name in STUDENT_ENROLMENT_ATTRIBUTES:
        new = getattr(row, name)
        if new is not None and getattr(enrolment, name) != new:
            decision.enrolment_changes[name] = new
    if enrolment.student_email != row.email:
        decision.enrolment_changes["student_email"] = row.email
    if row.bsn and not enrolment.supplied_bsn:
        decision.enrolment_changes["supplied_bsn"] = True
    if enrolment.processed:
        # The student left the school and is on its list again: enrolled anew from today.
        decision.enrolment_changes.update(
            enrolled_on=today, unenrolled_on=None, unenrolment_processed=False
        )
    if decision.youth_changes or decision.enrolment_changes:
        decision.outcome = Outcome.UPDATE
    return decision


def decide_student(row: YouthRow, *, lookup: StudentLookup, today: dt.date) -> Decision | Problem:
    """One leerlinglijst row (see the module docstring)."""
    return _decide_student_list(row, lookup, today)


def decide(
    kind: Kind,
    row: YouthRow,
    *,
    youth: YouthState | None,
    enrolment: EnrolmentState | None,
    perspective: PerspectiveState | None,
) -> Decision | Problem:
    """`enrolment` is the youth's enrolment at the uploading school that the school may still see
    (current, or unenrolled within the nazorg period), or None."""
    if kind == Kind.YOUTH_LIST:
        return _decide_youth_list(row, youth, enrolment, perspective)
    return _decide_update(kind, row, youth, enrolment, perspective)

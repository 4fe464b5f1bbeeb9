"""What one checked row does, given what is known about the youth. Pure Python.

The services look up, in chunks, the youth, the enrolment at the uploading school and the active
uitstroomperspectief for every row, and hand them to `decide()`. Rows whose values are already
stored are UNCHANGED, so importing the same file twice changes nothing the second time.

Rules:
- a youth is identified by BSN (or onderwijsnummer); the achternaam must match it, case- and
  space-insensitively (the tussenvoegsel may be written in front of it);
- the three update kinds only touch youth enrolled at the uploading school (uitstroomperspectief
  and jaar van uitstroom: schoolgoing ones); anyone else is reported as "not found at your school",
  whether or not the number exists elsewhere, and before the name is compared, so nothing is
  revealed about other schools' youth;
- in a jongerenlijst, empty optional cells (klas, leerjaar, leerlingnummer, jaar van uitstroom,
  uitstroomperspectief) leave what is stored; the inschrijfdatum of a current enrolment is kept
  (as on the edit page), and a youth who left the school is enrolled again only with a later one;
- a new uitstroomperspectief replaces the active one (jikp.services.perspective_set);
- an unenrolment date is never before the enrolment date; it is processed by the nightly job.
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
    for name in PERSON_ATTRIBUTES:
        new = getattr(row, name)
        if youth.fields.get(name) != new:
            decision.youth_changes[name] = new
    written_with_prefix = values.name_key(row.last_name) != values.name_key(youth.last_name)
    if row.prefix is not None and not written_with_prefix and row.prefix != youth.prefix:
        decision.youth_changes["prefix"] = row.prefix
    if enrolment is None:
        decision.outcome = Outcome.CREATE
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

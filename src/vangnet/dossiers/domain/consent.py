"""The akkoordverklaring (seed 001, "Leerling vult akkoordverklaring in"). Pure Python, no Django.

A student younger than 18 on the day of the akkoord shows the dossier to a parent or guardian, who
consents to sharing it with the MBO; their name, relation and the date of their consent are then
required. That date lies between the day the dossier was sent to the student and the akkoord.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from .state import gettext_noop

ADULT_AGE = 18
MAX_REMARK_LENGTH = 5000
MAX_NAME_LENGTH = 200


class ConsentReason(StrEnum):
    GUARDIAN_REQUIRED = "guardian_required"
    GUARDIAN_INCOMPLETE = "guardian_incomplete"
    GUARDIAN_DATE_IN_FUTURE = "guardian_date_in_future"
    GUARDIAN_DATE_BEFORE_SENT = "guardian_date_before_sent"
    REMARK_TOO_LONG = "remark_too_long"
    NAME_TOO_LONG = "name_too_long"


CONSENT_MESSAGES: dict[ConsentReason, str] = {
    ConsentReason.GUARDIAN_REQUIRED: gettext_noop(
        "You are younger than 18: a parent or guardian must consent. Enter their name, relation and the date of their consent."
    ),
    ConsentReason.GUARDIAN_INCOMPLETE: gettext_noop(
        "Enter the name, the relation and the date of consent of the parent or guardian, or leave all three empty."
    ),
    ConsentReason.GUARDIAN_DATE_IN_FUTURE: gettext_noop(
        "The date of the parent's or guardian's consent cannot be in the future."
    ),
    ConsentReason.GUARDIAN_DATE_BEFORE_SENT: gettext_noop(
        "The parent or guardian can only have consented after the dossier was sent to you."
    ),
    ConsentReason.REMARK_TOO_LONG: gettext_noop("Enter at most 5000 characters."),
    ConsentReason.NAME_TOO_LONG: gettext_noop("Enter at most 200 characters."),
}


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Age in whole years on `day`. Someone born on 29 February turns a year older on 1 March."""
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def guardian_consent_required(birth_date: dt.date, day: dt.date) -> bool:
    return age_on(birth_date, day) < ADULT_AGE


def consent_problems(
    *,
    birth_date: dt.date,
    today: dt.date,
    sent_on: dt.date,
    remark: str,
    guardian_name: str,
    guardian_relation: str,
    guardian_consented_on: dt.date | None,
) -> dict[str, ConsentReason]:
    """Per field, why the akkoordverklaring cannot be accepted; empty when it can."""
    problems: dict[str, ConsentReason] = {}
    if len(remark) > MAX_REMARK_LENGTH:
        problems["remark"] = ConsentReason.REMARK_TOO_LONG
    if len(guardian_name) > MAX_NAME_LENGTH:
        problems["guardian_name"] = ConsentReason.NAME_TOO_LONG
    filled = [bool(guardian_name), bool(guardian_relation), guardian_consented_on is not None]
    if not any(filled):
        if guardian_consent_required(birth_date, today):
            problems["guardian_name"] = ConsentReason.GUARDIAN_REQUIRED
        return problems
    if not all(filled):
        problems.setdefault("guardian_name", ConsentReason.GUARDIAN_INCOMPLETE)
        return problems
    assert guardian_consented_on is not None  # all three are filled
    if guardian_consented_on > today:
        problems["guardian_consented_on"] = ConsentReason.GUARDIAN_DATE_IN_FUTURE
    elif guardian_consented_on < sent_on:
        problems["guardian_consented_on"] = ConsentReason.GUARDIAN_DATE_BEFORE_SENT
    return problems

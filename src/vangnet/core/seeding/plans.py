"""Pure planning of generated youth and their school careers: no database, no Django models.

A plan covers every state a school list can show: schoolgoing, leaving on a date still to come,
unenrolled today (waiting for the nightly job), unenrolled within the 2-year nazorg period,
unenrolled longer ago, and some who went on to an MBO Entree programme after leaving.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from . import names

SCHOOLGOING = "schoolgaand"
LEAVING = "vertrekt"  # unenrolment date in the future
LEFT_TODAY = "vandaag"  # unenrolled today; the nightly job processes it tomorrow
NAZORG = "nazorg"  # unenrolled and processed, within the nazorg period
LONG_AGO = "lang_geleden"  # unenrolled more than two years ago

_STATES = (SCHOOLGOING, LEAVING, LEFT_TODAY, NAZORG, LONG_AGO)
_STATE_WEIGHTS = (45, 6, 1, 28, 20)
ENTREE_SHARE = 0.25  # of those who left: later enrolled at an Entree programme
SECRET_ADDRESS_SHARE = 0.02
WLZ_SHARE = 0.04


@dataclass(slots=True)
class Person:
    first_name: str
    prefix: str
    last_name: str
    gender: str
    birth_date: date
    secret_address: bool
    wlz_indication: bool
    street: str
    house_number: str
    postcode: str


@dataclass(slots=True)
class Stay:
    """One enrolment, at the school (level 1-6) or at the Entree programme."""

    enrolled_on: date
    unenrolled_on: date | None
    processed: bool
    leaving_year: int | None
    level: int
    class_name: str


@dataclass(slots=True)
class Plan:
    state: str
    person: Person
    school: Stay
    entree: Stay | None


def school_year_start(day: date) -> int:
    """The calendar year in which the school year containing `day` started (on 20 August)."""
    return day.year if day >= date(day.year, 8, 20) else day.year - 1


def leaving_year(day: date) -> int:
    """Enrolment.leaving_year: 2022 means school year 2021/2022."""
    return school_year_start(day) + 1


def _birth_date(rng: random.Random, year: int) -> date:
    return date(year, 1, 1) + timedelta(days=rng.randrange(365))


def plan_person(rng: random.Random, birth_year: int) -> Person:
    gender = rng.choices("mvx", weights=(50, 47, 3))[0]
    pool = {"m": names.FIRST_NAMES_M, "v": names.FIRST_NAMES_F}.get(gender, names.FIRST_NAMES_X)
    secret = rng.random() < SECRET_ADDRESS_SHARE
    postcode = f"{rng.randint(1000, 9999)} {rng.choice(names.POSTCODE_LETTERS)}"
    return Person(
        first_name=rng.choice(pool),
        prefix=rng.choice(names.PREFIXES),
        last_name=rng.choice(names.LAST_NAMES),
        gender=gender,
        birth_date=_birth_date(rng, birth_year),
        secret_address=secret,
        wlz_indication=rng.random() < WLZ_SHARE,
        # A secret address is not stored in the shared record: only the municipality remains.
        street="" if secret else rng.choice(names.STREETS),
        house_number="" if secret else str(rng.randint(1, 250)),
        postcode="" if secret else postcode,
    )


def _class_name(rng: random.Random, level: int) -> str:
    return f"{level}{rng.choice(names.CLASS_LETTERS)}"


def plan(rng: random.Random, today: date, *, max_level: int = 6) -> Plan:
    state = rng.choices(_STATES, weights=_STATE_WEIGHTS)[0]
    if state == SCHOOLGOING:
        level = rng.randint(1, max_level)
        start = school_year_start(today) - (level - 1)
        enrolled_on = min(date(start, 8, 20), today)
        school = Stay(enrolled_on, None, False, None, level, _class_name(rng, level))
        person = plan_person(rng, start - 12 - rng.randint(0, 1))
        return Plan(state, person, school, None)

    if state == LEAVING:
        unenrolled_on = today + timedelta(days=rng.randint(1, 150))
    elif state == LEFT_TODAY:
        unenrolled_on = today
    elif state == NAZORG:
        unenrolled_on = today - timedelta(days=rng.randint(1, 2 * 365 - 2))
    else:
        unenrolled_on = today - timedelta(days=rng.randint(2 * 365 + 2, 4 * 365))
    years = rng.randint(2, max_level)
    start = school_year_start(unenrolled_on) - (years - 1)
    enrolled_on = date(start, 8, 20)
    school = Stay(
        enrolled_on,
        unenrolled_on,
        unenrolled_on < today,
        leaving_year(unenrolled_on),
        years,
        _class_name(rng, years),
    )
    person = plan_person(rng, start - 12 - rng.randint(0, 1))

    entree = None
    if state in (NAZORG, LONG_AGO) and rng.random() < ENTREE_SHARE:
        entree_on = min(unenrolled_on + timedelta(days=rng.randint(0, 45)), today)
        entree_off = entree_on + timedelta(days=rng.randint(200, 400))
        if rng.random() < 0.4 and entree_off < today:
            entree = Stay(entree_on, entree_off, True, leaving_year(entree_off), 1, "ENT1")
        else:
            entree = Stay(entree_on, None, False, None, 1, "ENT1")
    return Plan(state, person, school, entree)

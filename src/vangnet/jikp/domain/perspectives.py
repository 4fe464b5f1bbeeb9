"""Uitstroomperspectief rules (seed 000 §3.1, §4.2-4.4). Pure Python, no Django.

Each perspective has an ordered list of statuses; the last one is final (Definitief,
Arbeidsovereenkomst, Definitief dagbesteding). A youth is "te behandelen" while any of the four
rules of §3.1 applies.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    EDUCATION = "onderwijs"
    WORK = "arbeid"
    DAY_CARE = "dagbesteding"


class Status(StrEnum):
    # Onderwijs
    EDU_ORIENTING = "onderwijs_orienterend"
    EDU_APPLIED = "onderwijs_aangemeld"
    EDU_PROVISIONAL = "onderwijs_voorlopig"
    EDU_FINAL = "onderwijs_definitief"
    # Arbeid
    WORK_ORIENTING = "arbeid_orienterend"
    WORK_INTERNSHIP = "arbeid_stage"
    WORK_TRIAL = "arbeid_proefplaatsing"
    WORK_CONTRACT = "arbeid_arbeidsovereenkomst"
    # Dagbesteding
    DAY_ORIENTING = "dagbesteding_orienterend"
    DAY_APPLIED = "dagbesteding_aangemeld"
    DAY_TRIAL = "dagbesteding_proefplaatsing"
    DAY_FINAL = "dagbesteding_definitief"


STATUSES: Mapping[Kind, tuple[Status, ...]] = {
    Kind.EDUCATION: (
        Status.EDU_ORIENTING,
        Status.EDU_APPLIED,
        Status.EDU_PROVISIONAL,
        Status.EDU_FINAL,
    ),
    Kind.WORK: (
        Status.WORK_ORIENTING,
        Status.WORK_INTERNSHIP,
        Status.WORK_TRIAL,
        Status.WORK_CONTRACT,
    ),
    Kind.DAY_CARE: (Status.DAY_ORIENTING, Status.DAY_APPLIED, Status.DAY_TRIAL, Status.DAY_FINAL),
}
FINAL_STATUS: Mapping[Kind, Status] = {kind: statuses[-1] for kind, statuses in STATUSES.items()}
INITIAL_STATUS: Mapping[Kind, Status] = {kind: statuses[0] for kind, statuses in STATUSES.items()}

# Samenwerking (collaboration with a chain partner) exists for work and day care only (§4.5).
COLLABORATION_KINDS = frozenset({Kind.WORK, Kind.DAY_CARE})
# A dossier (DAD) can be uploaded for work and day care.
DOSSIER_KINDS = frozenset({Kind.WORK, Kind.DAY_CARE})

# Which details are required before the perspective counts as "filled in" (§3.1 rule 3).
REQUIRED_DETAILS: Mapping[Kind, tuple[str, ...]] = {
    Kind.EDUCATION: ("institution", "programme", "level"),
    Kind.WORK: ("employer", "job", "contract_type"),
    Kind.DAY_CARE: ("day_care_type", "provider", "support_need"),
}


class Reason(StrEnum):
    NO_CONTACT = "no_contact"
    NO_PERSPECTIVE = "no_perspective"
    DETAILS_MISSING = "details_missing"
    NOT_FINAL = "not_final"


def status_allowed(kind: Kind | str, status: Status | str) -> bool:
    return Status(status) in STATUSES[Kind(kind)]


def is_final(kind: Kind | str, status: Status | str) -> bool:
    return FINAL_STATUS[Kind(kind)] == Status(status)


def details_complete(kind: Kind | str, details: Mapping[str, object]) -> bool:
    return all(details.get(name) not in (None, "") for name in REQUIRED_DETAILS[Kind(kind)])


def final_status_refused(kind: Kind | str, status: Status | str, *, has_details: bool) -> bool:
    """§4.3-4.4: the details come first; the final status (Definitief, Arbeidsovereenkomst,
    Definitief dagbesteding) only once they are filled in."""
    return is_final(kind, status) and not has_details


# A running application is "aangemeld"; a placement is final (§4.3.1: details and status follow
# the MBO application). Keys are the values of jikp.models.AanmeldingStatus.
STATUS_FROM_APPLICATION: Mapping[str, Status] = {
    "lopend": Status.EDU_APPLIED,
    "geplaatst": Status.EDU_FINAL,
}


def status_after_application(
    current: Status | str, application_status: str, *, has_details: bool
) -> Status:
    """The education status once an application is known: it moves forward to what the
    application says, never back, and never to final without details."""
    current = Status(current)
    target = STATUS_FROM_APPLICATION.get(application_status)
    if target is None:
        return current
    if final_status_refused(Kind.EDUCATION, target, has_details=has_details):
        target = Status.EDU_APPLIED
    order = STATUSES[Kind.EDUCATION]
    if current not in order or order.index(target) <= order.index(current):
        return current
    return target


@dataclass(frozen=True)
class Situation:
    has_school_contact: bool
    kind: Kind | None
    details_complete: bool
    status: Status | None


def reasons_to_handle(situation: Situation) -> list[Reason]:
    """The §3.1 rules that still apply; an empty list means the youth leaves 'Te behandelen'."""
    reasons: list[Reason] = []
    if not situation.has_school_contact:
        reasons.append(Reason.NO_CONTACT)
    if situation.kind is None:
        reasons.append(Reason.NO_PERSPECTIVE)
        return reasons
    if not situation.details_complete:
        reasons.append(Reason.DETAILS_MISSING)
    if situation.status is None or not is_final(situation.kind, situation.status):
        reasons.append(Reason.NOT_FINAL)
    return reasons


def leaving_year_label(year: int) -> str:
    """2022 means school year 2021/2022."""
    return f"{year - 1}/{year}"


def leaving_year_valid(year: int, *, current_year: int) -> bool:
    """A sensible range: from ten years back to ten years ahead."""
    return current_year - 10 <= year <= current_year + 10

"""The life of a Digitaal Doorstroomdossier (seed 001). Pure Python, no Django.

Phases, in order: deel A (the student fills it in and sends it to a mentor or decaan), deel B (the
mentor fills in the student-specific and the dossier-specific part and sends it to the student),
akkoordverklaring (the student, with a parent or guardian when under 18, agrees) and afgerond
(visible to the MBO). Archiving is a flag beside the phase: an archived dossier drops out of the
overviews but keeps its phase, and the student can reactivate it.

What the manual allows, and nothing else:

- The mentor may start deel B (the student-specific part) before the student sent deel A; the
  dossier-specific part can only be filled in once deel A was sent, and deel B cannot be sent to
  the student before that either.
- "Opsturen" (deel A) only when every step of deel A is 100 %; "Opsturen naar leerling" only when
  both parts of deel B are 100 %.
- "Terugzetten naar leerling": the mentor sends a dossier in deel B back to deel A.
- "Wijzigen": in the akkoordverklaring the student takes the dossier back to deel A; the
  akkoordverklaring given so far lapses.
- "Akkoord" finishes the dossier once the akkoordverklaring was filled in and the MBO the
  student applied to is known (otherwise no MBO could ever see the completed dossier).
- The mentor or decaan archives (in any phase); only the student reactivates.

`decide` answers every (state, action, actor) with the next state or raises `TransitionRefused`
carrying a reason and its English message, which is the msgid of the Dutch catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum


def gettext_noop(message: str) -> str:
    """Marks a message for the catalogue (makemessages knows this name); translated when shown."""
    return message


class Phase(StrEnum):
    DEEL_A = "deel_a"
    DEEL_B = "deel_b"
    AKKOORD = "akkoordverklaring"
    AFGEROND = "afgerond"


class Actor(StrEnum):
    STUDENT = "leerling"
    MENTOR = "mentor"  # the dossier's mentor or a decaan of the school


class Action(StrEnum):
    SAVE_A = "deel_a_opslaan"
    SEND_A = "deel_a_opsturen"
    START_B = "deel_b_starten"
    SAVE_B_STUDENT = "deel_b_leerling_opslaan"
    SAVE_B_DOSSIER = "deel_b_dossier_opslaan"
    SEND_TO_STUDENT = "opsturen_naar_leerling"
    SEND_BACK = "terugzetten_naar_leerling"
    GIVE_CONSENT = "akkoordverklaring_invullen"
    REQUEST_CHANGE = "wijzigen"
    COMPLETE = "akkoord"
    ARCHIVE = "archiveren"
    REACTIVATE = "heractiveren"


class Reason(StrEnum):
    ONLY_STUDENT = "only_student"
    ONLY_MENTOR = "only_mentor"
    ARCHIVED = "archived"
    NOT_ARCHIVED = "not_archived"
    COMPLETED = "completed"
    DEEL_A_CLOSED = "deel_a_closed"
    DEEL_A_INCOMPLETE = "deel_a_incomplete"
    DEEL_A_NOT_SENT = "deel_a_not_sent"
    DEEL_B_CLOSED = "deel_b_closed"
    DEEL_B_NOT_STARTED = "deel_b_not_started"
    DEEL_B_ALREADY_STARTED = "deel_b_already_started"
    DEEL_B_INCOMPLETE = "deel_b_incomplete"
    NOT_IN_DEEL_B = "not_in_deel_b"
    NOT_IN_AKKOORD = "not_in_akkoord"
    CONSENT_MISSING = "consent_missing"
    MBO_MISSING = "mbo_missing"


MESSAGES: dict[Reason, str] = {
    Reason.ONLY_STUDENT: gettext_noop("Only the student can do this."),
    Reason.ONLY_MENTOR: gettext_noop("Only the mentor or the careers counsellor can do this."),
    Reason.ARCHIVED: gettext_noop("This dossier is archived. The student can reactivate it first."),
    Reason.NOT_ARCHIVED: gettext_noop("This dossier is not archived."),
    Reason.COMPLETED: gettext_noop("This dossier is completed and can no longer be changed."),
    Reason.DEEL_A_CLOSED: gettext_noop(
        "Part A has been sent and can no longer be changed. Ask the mentor to send the dossier back."
    ),
    Reason.DEEL_A_INCOMPLETE: gettext_noop(
        "Part A can be sent once every step is fully filled in."
    ),
    Reason.DEEL_A_NOT_SENT: gettext_noop(
        "The student has not sent part A yet. Until then only the student-specific part of part B can be filled in."
    ),
    Reason.DEEL_B_CLOSED: gettext_noop(
        "Part B has been sent to the student and can no longer be changed."
    ),
    Reason.DEEL_B_NOT_STARTED: gettext_noop("Start part B first."),
    Reason.DEEL_B_ALREADY_STARTED: gettext_noop("Part B has already been started."),
    Reason.DEEL_B_INCOMPLETE: gettext_noop(
        "The dossier can be sent to the student once both parts of part B are fully filled in."
    ),
    Reason.NOT_IN_DEEL_B: gettext_noop("Only a dossier in part B can be sent back to the student."),
    Reason.NOT_IN_AKKOORD: gettext_noop(
        "This is only possible while the dossier waits for the student's declaration of consent."
    ),
    Reason.CONSENT_MISSING: gettext_noop("Fill in the declaration of consent first."),
    Reason.MBO_MISSING: gettext_noop(
        "Enter the MBO you applied to first: only then can the MBO read the completed dossier."
    ),
}


class TransitionRefused(Exception):
    """An action the manual does not allow in this state. `message` is the English msgid."""

    def __init__(self, reason: Reason) -> None:
        self.reason = reason
        self.message = MESSAGES[reason]
        super().__init__(self.message)


@dataclass(frozen=True)
class DossierState:
    """What the rules need to know about a dossier. The completion flags come from the answers."""

    phase: Phase
    archived: bool = False
    deel_b_started: bool = False
    deel_a_complete: bool = False
    deel_b_student_complete: bool = False
    deel_b_dossier_complete: bool = False
    consent_given: bool = False
    # An MBO application of the student is known (linked to the dossier, or running).
    mbo_known: bool = False


ACTORS: dict[Action, Actor] = {
    Action.SAVE_A: Actor.STUDENT,
    Action.SEND_A: Actor.STUDENT,
    Action.START_B: Actor.MENTOR,
    Action.SAVE_B_STUDENT: Actor.MENTOR,
    Action.SAVE_B_DOSSIER: Actor.MENTOR,
    Action.SEND_TO_STUDENT: Actor.MENTOR,
    Action.SEND_BACK: Actor.MENTOR,
    Action.GIVE_CONSENT: Actor.STUDENT,
    Action.REQUEST_CHANGE: Actor.STUDENT,
    Action.COMPLETE: Actor.STUDENT,
    Action.ARCHIVE: Actor.MENTOR,
    Action.REACTIVATE: Actor.STUDENT,
}

# Phases in which the mentor works on deel B (the dossier-specific part only in deel B itself).
_DEEL_B_OPEN = frozenset({Phase.DEEL_A, Phase.DEEL_B})


def decide(state: DossierState, action: Action, actor: Actor) -> DossierState:
    """The state after `actor` does `action`, or TransitionRefused with the reason why not."""
    if ACTORS[action] != actor:
        raise TransitionRefused(
            Reason.ONLY_STUDENT if ACTORS[action] == Actor.STUDENT else Reason.ONLY_MENTOR
        )
    if action == Action.REACTIVATE:
        if not state.archived:
            raise TransitionRefused(Reason.NOT_ARCHIVED)
        return replace(state, archived=False)
    if state.archived:
        raise TransitionRefused(Reason.ARCHIVED)
    if action == Action.ARCHIVE:
        return replace(state, archived=True)
    if state.phase == Phase.AFGEROND:
        raise TransitionRefused(Reason.COMPLETED)
    return _PHASE_RULES[action](state)


def _save_a(state: DossierState) -> DossierState:
    if state.phase != Phase.DEEL_A:
        raise TransitionRefused(Reason.DEEL_A_CLOSED)
    return state


def _send_a(state: DossierState) -> DossierState:
    _save_a(state)
    if not state.deel_a_complete:
        raise TransitionRefused(Reason.DEEL_A_INCOMPLETE)
    return replace(state, phase=Phase.DEEL_B)


def _start_b(state: DossierState) -> DossierState:
    if state.phase not in _DEEL_B_OPEN:
        raise TransitionRefused(Reason.DEEL_B_CLOSED)
    if state.deel_b_started:
        raise TransitionRefused(Reason.DEEL_B_ALREADY_STARTED)
    return replace(state, deel_b_started=True)


def _save_b_student(state: DossierState) -> DossierState:
    if state.phase not in _DEEL_B_OPEN:
        raise TransitionRefused(Reason.DEEL_B_CLOSED)
    if not state.deel_b_started:
        raise TransitionRefused(Reason.DEEL_B_NOT_STARTED)
    return state


def _save_b_dossier(state: DossierState) -> DossierState:
    _save_b_student(state)
    if state.phase == Phase.DEEL_A:
        raise TransitionRefused(Reason.DEEL_A_NOT_SENT)
    return state


def _send_to_student(state: DossierState) -> DossierState:
    _save_b_dossier(state)
    if not (state.deel_b_student_complete and state.deel_b_dossier_complete):
        raise TransitionRefused(Reason.DEEL_B_INCOMPLETE)
    return replace(state, phase=Phase.AKKOORD)


def _send_back(state: DossierState) -> DossierState:
    if state.phase != Phase.DEEL_B:
        raise TransitionRefused(Reason.NOT_IN_DEEL_B)
    return replace(state, phase=Phase.DEEL_A)


def _in_akkoord(state: DossierState) -> DossierState:
    if state.phase != Phase.AKKOORD:
        raise TransitionRefused(Reason.NOT_IN_AKKOORD)
    return state


def _give_consent(state: DossierState) -> DossierState:
    return replace(_in_akkoord(state), consent_given=True)


def _request_change(state: DossierState) -> DossierState:
    return replace(_in_akkoord(state), phase=Phase.DEEL_A, consent_given=False)


def _complete(state: DossierState) -> DossierState:
    _in_akkoord(state)
    if not state.consent_given:
        raise TransitionRefused(Reason.CONSENT_MISSING)
    if not state.mbo_known:
        raise TransitionRefused(Reason.MBO_MISSING)
    return replace(state, phase=Phase.AFGEROND)


_PHASE_RULES = {
    Action.SAVE_A: _save_a,
    Action.SEND_A: _send_a,
    Action.START_B: _start_b,
    Action.SAVE_B_STUDENT: _save_b_student,
    Action.SAVE_B_DOSSIER: _save_b_dossier,
    Action.SEND_TO_STUDENT: _send_to_student,
    Action.SEND_BACK: _send_back,
    Action.GIVE_CONSENT: _give_consent,
    Action.REQUEST_CHANGE: _request_change,
    Action.COMPLETE: _complete,
}


def allowed_actions(state: DossierState, actor: Actor) -> frozenset[Action]:
    """Every action `actor` may take now (for showing buttons)."""
    allowed = set()
    for action in Action:
        try:
            decide(state, action, actor)
        except TransitionRefused:
            continue
        allowed.add(action)
    return frozenset(allowed)

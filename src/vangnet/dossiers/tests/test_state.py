"""The dossier state machine, exhaustively: every action by every actor in every state."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest

from vangnet.dossiers import models
from vangnet.dossiers.domain import questionnaire as q
from vangnet.dossiers.domain.state import (
    ACTORS,
    MESSAGES,
    Action,
    Actor,
    DossierState,
    Phase,
    Reason,
    TransitionRefused,
    allowed_actions,
    decide,
)

A, B, AK, AF = Phase.DEEL_A, Phase.DEEL_B, Phase.AKKOORD, Phase.AFGEROND
S, M = Actor.STUDENT, Actor.MENTOR

# The manual, as a table: action → (actor, phases, extra condition, what changes).
SPEC = {
    Action.SAVE_A: (S, {A}, lambda s: True, {}),
    Action.SEND_A: (S, {A}, lambda s: s.deel_a_complete, {"phase": B}),
    Action.START_B: (M, {A, B}, lambda s: not s.deel_b_started, {"deel_b_started": True}),
    Action.SAVE_B_STUDENT: (M, {A, B}, lambda s: s.deel_b_started, {}),
    Action.SAVE_B_DOSSIER: (M, {B}, lambda s: s.deel_b_started, {}),
    Action.SEND_TO_STUDENT: (
        M,
        {B},
        lambda s: s.deel_b_started and s.deel_b_student_complete and s.deel_b_dossier_complete,
        {"phase": AK},
    ),
    Action.SEND_BACK: (M, {B}, lambda s: True, {"phase": A}),
    Action.GIVE_CONSENT: (S, {AK}, lambda s: True, {"consent_given": True}),
    Action.REQUEST_CHANGE: (S, {AK}, lambda s: True, {"phase": A, "consent_given": False}),
    Action.COMPLETE: (S, {AK}, lambda s: s.consent_given and s.mbo_known, {"phase": AF}),
    Action.ARCHIVE: (M, {A, B, AK, AF}, lambda s: True, {"archived": True}),
}


def all_states():
    for phase, flags in itertools.product(Phase, itertools.product([False, True], repeat=7)):
        archived, started, a_done, bs_done, bd_done, consent, mbo = flags
        yield DossierState(
            phase=phase,
            archived=archived,
            deel_b_started=started,
            deel_a_complete=a_done,
            deel_b_student_complete=bs_done,
            deel_b_dossier_complete=bd_done,
            consent_given=consent,
            mbo_known=mbo,
        )


ALL = [(state, action, actor) for state in all_states() for action in Action for actor in Actor]


def expected(state: DossierState, action: Action, actor: Actor) -> DossierState | None:
    if action == Action.REACTIVATE:
        return replace(state, archived=False) if actor == S and state.archived else None
    who, phases, condition, changes = SPEC[action]
    if actor == who and not state.archived and state.phase in phases and condition(state):
        return replace(state, **changes)
    return None


def test_every_state_is_covered():
    assert len(ALL) == len(Phase) * 128 * len(Action) * len(Actor)


@pytest.mark.parametrize("action", list(Action))
def test_each_action_allows_exactly_what_the_manual_allows(action):
    for state, act, actor in ALL:
        if act != action:
            continue
        outcome = expected(state, action, actor)
        if outcome is None:
            with pytest.raises(TransitionRefused) as refused:
                decide(state, action, actor)
            assert refused.value.message == MESSAGES[refused.value.reason]
        else:
            assert decide(state, action, actor) == outcome, (state, action, actor)


def expected_reason(state: DossierState, action: Action, actor: Actor) -> Reason:
    """Why a refused action is refused: the first rule it breaks."""
    if ACTORS[action] != actor:
        return Reason.ONLY_STUDENT if actor == M else Reason.ONLY_MENTOR
    if action == Action.REACTIVATE:
        return Reason.NOT_ARCHIVED
    if state.archived:
        return Reason.ARCHIVED
    if state.phase == AF:
        return Reason.COMPLETED
    if action in (Action.SAVE_A, Action.SEND_A):
        return Reason.DEEL_A_CLOSED if state.phase != A else Reason.DEEL_A_INCOMPLETE
    if action in (Action.GIVE_CONSENT, Action.REQUEST_CHANGE, Action.COMPLETE):
        if state.phase != AK:
            return Reason.NOT_IN_AKKOORD
        return Reason.CONSENT_MISSING if not state.consent_given else Reason.MBO_MISSING
    if action == Action.SEND_BACK:
        return Reason.NOT_IN_DEEL_B
    if state.phase == AK:
        return Reason.DEEL_B_CLOSED
    if action == Action.START_B:
        return Reason.DEEL_B_ALREADY_STARTED
    if not state.deel_b_started:
        return Reason.DEEL_B_NOT_STARTED
    if state.phase == A:
        return Reason.DEEL_A_NOT_SENT
    return Reason.DEEL_B_INCOMPLETE


def test_every_refusal_names_the_first_rule_broken():
    refused = 0
    for state, action, actor in ALL:
        if expected(state, action, actor) is not None:
            continue
        with pytest.raises(TransitionRefused) as exc:
            decide(state, action, actor)
        assert exc.value.reason == expected_reason(state, action, actor), (state, action, actor)
        refused += 1
    assert refused > 0


def test_every_reason_is_reachable_and_has_a_message():
    seen = set()
    for state, action, actor in ALL:
        try:
            decide(state, action, actor)
        except TransitionRefused as exc:
            seen.add(exc.reason)
    assert seen == set(Reason)
    assert set(MESSAGES) == set(Reason)


# --- The manual's rules, one by one, in words -------------------------------------------------


def test_the_mentor_may_start_deel_b_before_the_student_sent_deel_a():
    state = decide(DossierState(phase=A), Action.START_B, M)
    assert state.deel_b_started and state.phase == A
    assert decide(state, Action.SAVE_B_STUDENT, M) == state


def test_the_dossier_specific_part_waits_for_deel_a():
    state = DossierState(phase=A, deel_b_started=True)
    with pytest.raises(TransitionRefused) as exc:
        decide(state, Action.SAVE_B_DOSSIER, M)
    assert exc.value.reason == Reason.DEEL_A_NOT_SENT


def test_deel_b_cannot_be_sent_before_deel_a_was_sent_even_when_complete():
    state = DossierState(
        phase=A, deel_b_started=True, deel_b_student_complete=True, deel_b_dossier_complete=True
    )
    with pytest.raises(TransitionRefused) as exc:
        decide(state, Action.SEND_TO_STUDENT, M)
    assert exc.value.reason == Reason.DEEL_A_NOT_SENT


@pytest.mark.parametrize(("student_done", "dossier_done"), [(True, False), (False, True)])
def test_opsturen_naar_leerling_needs_both_parts_complete(student_done, dossier_done):
    state = DossierState(
        phase=B,
        deel_b_started=True,
        deel_b_student_complete=student_done,
        deel_b_dossier_complete=dossier_done,
    )
    with pytest.raises(TransitionRefused) as exc:
        decide(state, Action.SEND_TO_STUDENT, M)
    assert exc.value.reason == Reason.DEEL_B_INCOMPLETE


def test_akkoord_waits_for_the_mbo_application():
    """Issue 8: a dossier completed without an MBO could never reach one."""
    state = DossierState(phase=AK, deel_b_started=True, consent_given=True)
    with pytest.raises(TransitionRefused) as exc:
        decide(state, Action.COMPLETE, S)
    assert exc.value.reason == Reason.MBO_MISSING
    assert decide(replace(state, mbo_known=True), Action.COMPLETE, S).phase == AF


def test_wijzigen_takes_the_dossier_back_to_deel_a_and_drops_the_consent():
    state = DossierState(phase=AK, deel_b_started=True, consent_given=True)
    after = decide(state, Action.REQUEST_CHANGE, S)
    assert after.phase == A and not after.consent_given and after.deel_b_started


def test_archived_dossier_keeps_its_phase_and_only_the_student_reactivates():
    state = decide(DossierState(phase=AF), Action.ARCHIVE, M)
    assert state.archived and state.phase == AF
    with pytest.raises(TransitionRefused) as exc:
        decide(state, Action.REACTIVATE, M)
    assert exc.value.reason == Reason.ONLY_STUDENT
    assert decide(state, Action.REACTIVATE, S) == DossierState(phase=AF)


def test_allowed_actions_lists_the_buttons():
    assert allowed_actions(DossierState(phase=A), S) == {Action.SAVE_A}
    assert allowed_actions(DossierState(phase=A, deel_a_complete=True), S) == {
        Action.SAVE_A,
        Action.SEND_A,
    }
    assert allowed_actions(DossierState(phase=A), M) == {Action.START_B, Action.ARCHIVE}
    assert allowed_actions(DossierState(phase=AK), S) == {
        Action.GIVE_CONSENT,
        Action.REQUEST_CHANGE,
    }
    assert allowed_actions(DossierState(phase=AF, archived=True), S) == {Action.REACTIVATE}
    assert allowed_actions(DossierState(phase=AF), M) == {Action.ARCHIVE}


def test_model_choices_mirror_the_domain_enums():
    assert set(models.Phase.values) == {p.value for p in Phase}
    assert set(models.Part.values) == {p.value for p in q.Part}
    assert set(models.QuestionKind.values) == {k.value for k in q.Kind}

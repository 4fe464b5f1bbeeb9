"""Pure rules: answer checks, percentages, questionnaire definitions, the under-18 consent rule."""

from __future__ import annotations

import datetime as dt

import pytest

from vangnet.dossiers.domain import consent as c
from vangnet.dossiers.domain import questionnaire as q
from vangnet.dossiers.domain.default_questionnaire import DEFAULT_STEPS
from vangnet.dossiers.domain.questionnaire import AnswerReason as AR
from vangnet.dossiers.domain.questionnaire import Kind, Part, QuestionDef, StepDef

CHOICE = QuestionDef("c", Kind.CHOICE, choices=("Rood", "Groen", "Blauw"))
MULTI = QuestionDef("m", Kind.MULTIPLE_CHOICE, choices=("Rood", "Groen", "Blauw"))


# --- Answers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "raw", "value"),
    [
        (QuestionDef("t", Kind.TEXT), "  Hallo ", "Hallo"),
        (QuestionDef("t", Kind.TEXT), "   ", None),
        (QuestionDef("t", Kind.TEXT), None, None),
        (QuestionDef("l", Kind.LONG_TEXT), "x" * 5000, "x" * 5000),
        (CHOICE, "Groen", "Groen"),
        (CHOICE, "", None),
        (MULTI, ["Blauw", "Rood"], ["Rood", "Blauw"]),
        (MULTI, ("Groen",), ["Groen"]),
        (MULTI, [], None),
        (QuestionDef("y", Kind.YES_NO), True, True),
        (QuestionDef("y", Kind.YES_NO), False, False),
        (QuestionDef("y", Kind.YES_NO), "ja", True),
        (QuestionDef("y", Kind.YES_NO), " Nee ", False),
        (QuestionDef("y", Kind.YES_NO), "", None),
        (QuestionDef("d", Kind.DATE), dt.date(2025, 3, 1), "2025-03-01"),
        (QuestionDef("d", Kind.DATE), "2025-03-01", "2025-03-01"),
        (QuestionDef("d", Kind.DATE), " 01-03-2025", "2025-03-01"),
        (QuestionDef("d", Kind.DATE), "", None),
    ],
)
def test_clean_answer_normalises(question, raw, value):
    assert q.clean_answer(question, raw) == value


@pytest.mark.parametrize(
    ("question", "raw", "reason"),
    [
        (QuestionDef("t", Kind.TEXT), 12, AR.NOT_TEXT),
        (QuestionDef("t", Kind.TEXT), "x" * 501, AR.TOO_LONG),
        (QuestionDef("l", Kind.LONG_TEXT), "x" * 5001, AR.TOO_LONG),
        (CHOICE, "Paars", AR.UNKNOWN_CHOICE),
        (CHOICE, ["Rood"], AR.UNKNOWN_CHOICE),
        (MULTI, "Rood", AR.NOT_A_LIST),
        (MULTI, ["Rood", "Paars"], AR.UNKNOWN_CHOICE),
        (MULTI, ["Rood", "Rood"], AR.DUPLICATE_CHOICE),
        (QuestionDef("y", Kind.YES_NO), "misschien", AR.NOT_YES_NO),
        (QuestionDef("d", Kind.DATE), "31-02-2025", AR.NOT_A_DATE),
        (QuestionDef("d", Kind.DATE), "morgen", AR.NOT_A_DATE),
        (QuestionDef("d", Kind.DATE), 20250301, AR.NOT_A_DATE),
        (QuestionDef("d", Kind.DATE), dt.datetime(2025, 3, 1, 12, 0), AR.NOT_A_DATE),
        (QuestionDef("d", Kind.DATE), "1899-12-31", AR.DATE_OUT_OF_RANGE),
        (QuestionDef("d", Kind.DATE), dt.date(2101, 1, 1), AR.DATE_OUT_OF_RANGE),
    ],
)
def test_clean_answer_refuses(question, raw, reason):
    with pytest.raises(q.AnswerInvalid) as exc:
        q.clean_answer(question, raw)
    assert exc.value.reason == reason
    assert exc.value.message == q.ANSWER_MESSAGES[reason]


def test_too_long_message_names_the_limit():
    with pytest.raises(q.AnswerInvalid) as exc:
        q.clean_answer(QuestionDef("t", Kind.TEXT), "x" * 501)
    assert exc.value.params == {"limit": 500}
    assert str(exc.value) == "Enter at most 500 characters."


@pytest.mark.parametrize(
    ("value", "answered"),
    [(None, False), ("", False), ([], False), ("a", True), (["a"], True), (False, True)],
)
def test_is_answered(value, answered):
    assert q.is_answered(value) is answered


# --- Percentages --------------------------------------------------------------------------------

STEPS = (
    StepDef(
        "een",
        Part.A,
        (
            QuestionDef("a1", Kind.TEXT),
            QuestionDef("a2", Kind.YES_NO),
            QuestionDef("a3", Kind.TEXT),
            QuestionDef("a_opt", Kind.TEXT, required=False),
        ),
    ),
    StepDef("twee", Part.A, (QuestionDef("a4", Kind.TEXT, required=False),)),
    StepDef("drie", Part.B_STUDENT, (QuestionDef("b1", Kind.TEXT),)),
    StepDef("vier", Part.B_DOSSIER, ()),
)


def test_step_percentage_grows_with_each_required_answer_and_rounds_down():
    assert q.step_percentages(STEPS, {}) == {"een": 0, "twee": 100, "drie": 0, "vier": 100}
    assert q.step_percentages(STEPS, {"a1": "x"})["een"] == 33
    assert q.step_percentages(STEPS, {"a1": "x", "a2": False})["een"] == 66
    assert q.step_percentages(STEPS, {"a1": "x", "a2": False, "a_opt": "y"})["een"] == 66
    assert q.step_percentages(STEPS, {"a1": "x", "a2": False, "a3": "z"})["een"] == 100


def test_part_percentage_counts_all_required_questions_of_the_part():
    answers = {"a1": "x", "a2": True}
    assert q.part_percentage(STEPS, answers, Part.A) == 66
    assert q.part_percentage(STEPS, {**answers, "a3": "z"}, Part.A) == 100
    assert q.part_percentage(STEPS, {}, Part.B_STUDENT) == 0
    assert q.part_percentage(STEPS, {"b1": ""}, Part.B_STUDENT) == 0
    assert q.part_percentage(STEPS, {}, Part.B_DOSSIER) == 100


# --- Questionnaire definitions ------------------------------------------------------------------


def _default_definition() -> list[StepDef]:
    return [
        StepDef(
            s.key,
            s.part,
            tuple(QuestionDef(x.key, x.kind, x.required, x.choices) for x in s.questions),
        )
        for s in DEFAULT_STEPS
    ]


def test_the_default_questionnaire_can_be_published():
    assert q.definition_problems(_default_definition()) == []
    keys = [x.key for s in DEFAULT_STEPS for x in s.questions]
    assert {"warme_overdracht", "contact_mbo_gewenst", "opp"} <= set(keys)
    assert {s.part for s in DEFAULT_STEPS} == set(Part)


def test_definition_problems_name_every_problem():
    steps = [
        StepDef(
            "s1",
            Part.A,
            (
                QuestionDef("x", Kind.CHOICE, choices=("Een",)),
                QuestionDef("x", Kind.TEXT, choices=("Een", "Twee")),
                QuestionDef("z", Kind.MULTIPLE_CHOICE, choices=("Een", "Een")),
            ),
        ),
        StepDef("s2", Part.B_STUDENT, ()),
    ]
    problems = [(p.reason, dict(p.params)) for p in q.definition_problems(steps)]
    R = q.DefinitionReason
    assert problems == [
        (R.PART_EMPTY, {"part": "b_leerling"}),
        (R.PART_EMPTY, {"part": "b_dossier"}),
        (R.CHOICES_MISSING, {"key": "x"}),
        (R.DUPLICATE_KEY, {"key": "x"}),
        (R.CHOICES_NOT_ALLOWED, {"key": "x"}),
        (R.CHOICES_INVALID, {"key": "z"}),
        # The questions the MBO's screens read by key (issue 8).
        (R.FIXED_MISSING, {"key": "opp"}),
        (R.FIXED_MISSING, {"key": "warme_overdracht"}),
        (R.FIXED_MISSING, {"key": "contact_mbo_gewenst"}),
        (R.FIXED_MISSING, {"key": "contact_toelichting"}),
    ]
    assert q.definition_problems(steps)[0].message == q.DEFINITION_MESSAGES[R.PART_EMPTY]


@pytest.mark.parametrize(
    "choices",
    [("Een", " "), ("Een", "x" * 201), tuple(f"k{i}" for i in range(51))],
)
def test_choices_must_be_sensible(choices):
    assert q.choices_problem(Kind.CHOICE, choices) == q.DefinitionReason.CHOICES_INVALID


def test_choices_fine():
    assert q.choices_problem(Kind.MULTIPLE_CHOICE, ("Een", "Twee")) is None
    assert q.choices_problem(Kind.DATE, ()) is None


# --- Age and the akkoordverklaring --------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "day", "age"),
    [
        (dt.date(2008, 6, 15), dt.date(2026, 6, 14), 17),
        (dt.date(2008, 6, 15), dt.date(2026, 6, 15), 18),
        (dt.date(2008, 2, 29), dt.date(2026, 2, 28), 17),
        (dt.date(2008, 2, 29), dt.date(2026, 3, 1), 18),
    ],
)
def test_age_on(birth, day, age):
    assert c.age_on(birth, day) == age
    assert c.guardian_consent_required(birth, day) is (age < 18)


TODAY = dt.date(2026, 5, 20)
SENT = dt.date(2026, 5, 10)
MINOR = dt.date(2009, 1, 1)
ADULT = dt.date(2007, 1, 1)


def problems(birth=MINOR, remark="", name="", relation="", on=None):
    return c.consent_problems(
        birth_date=birth,
        today=TODAY,
        sent_on=SENT,
        remark=remark,
        guardian_name=name,
        guardian_relation=relation,
        guardian_consented_on=on,
    )


R = c.ConsentReason


def test_under_18_needs_the_guardian():
    assert problems() == {"guardian_name": R.GUARDIAN_REQUIRED}
    assert problems(name="J. Jansen", relation="ouder", on=SENT) == {}


def test_18_or_older_needs_no_guardian_but_may_add_one():
    assert problems(birth=ADULT) == {}
    assert problems(birth=ADULT, name="J. Jansen", relation="ouder", on=TODAY) == {}


def test_guardian_details_come_all_together():
    assert problems(birth=ADULT, name="J. Jansen") == {"guardian_name": R.GUARDIAN_INCOMPLETE}
    assert problems(relation="ouder", on=TODAY) == {"guardian_name": R.GUARDIAN_INCOMPLETE}


def test_guardian_date_lies_between_sending_and_today():
    late = TODAY + dt.timedelta(days=1)
    early = SENT - dt.timedelta(days=1)
    assert problems(name="J", relation="ouder", on=late) == {
        "guardian_consented_on": R.GUARDIAN_DATE_IN_FUTURE
    }
    assert problems(name="J", relation="ouder", on=early) == {
        "guardian_consented_on": R.GUARDIAN_DATE_BEFORE_SENT
    }


def test_lengths_are_limited():
    assert problems(birth=ADULT, remark="x" * 5001) == {"remark": R.REMARK_TOO_LONG}
    assert problems(name="x" * 201, relation="ouder", on=TODAY) == {
        "guardian_name": R.NAME_TOO_LONG
    }
    assert set(c.CONSENT_MESSAGES) == set(R)

"""The questionnaire of a dossier as data: question kinds, answer checks and completion percentages.

Pure Python, no Django. A questionnaire has steps; each step belongs to one part (deel A, the
student-specific part of deel B or the dossier-specific part of deel B) and holds questions. The
percentage of a step grows with every required question answered (seed 001, "Leerling vult deel A
in"); a step without required questions is 100 %.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .state import gettext_noop


class Part(StrEnum):
    A = "a"
    B_STUDENT = "b_leerling"
    B_DOSSIER = "b_dossier"


class Kind(StrEnum):
    TEXT = "text"
    LONG_TEXT = "long_text"
    CHOICE = "choice"
    MULTIPLE_CHOICE = "multiple_choice"
    YES_NO = "yes_no"
    DATE = "date"


CHOICE_KINDS = frozenset({Kind.CHOICE, Kind.MULTIPLE_CHOICE})
MAX_LENGTH = {Kind.TEXT: 500, Kind.LONG_TEXT: 5000}
MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2100, 12, 31)
MAX_CHOICES = 50
MAX_CHOICE_LENGTH = 200
_YES = frozenset({"ja", "yes", "true", "1", "on"})
_NO = frozenset({"nee", "no", "false", "0", "off"})


@dataclass(frozen=True)
class QuestionDef:
    key: str
    kind: Kind
    required: bool = True
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class StepDef:
    key: str
    part: Part
    questions: tuple[QuestionDef, ...] = field(default_factory=tuple)


class AnswerReason(StrEnum):
    NOT_TEXT = "not_text"
    TOO_LONG = "too_long"
    UNKNOWN_CHOICE = "unknown_choice"
    NOT_A_LIST = "not_a_list"
    DUPLICATE_CHOICE = "duplicate_choice"
    NOT_YES_NO = "not_yes_no"
    NOT_A_DATE = "not_a_date"
    DATE_OUT_OF_RANGE = "date_out_of_range"


ANSWER_MESSAGES: dict[AnswerReason, str] = {
    AnswerReason.NOT_TEXT: gettext_noop("Enter text."),
    AnswerReason.TOO_LONG: gettext_noop("Enter at most %(limit)s characters."),
    AnswerReason.UNKNOWN_CHOICE: gettext_noop("Choose one of the options offered."),
    AnswerReason.NOT_A_LIST: gettext_noop("Choose one or more of the options offered."),
    AnswerReason.DUPLICATE_CHOICE: gettext_noop("Choose each option at most once."),
    AnswerReason.NOT_YES_NO: gettext_noop("Answer yes or no."),
    AnswerReason.NOT_A_DATE: gettext_noop("Enter a date as dd-mm-yyyy."),
    AnswerReason.DATE_OUT_OF_RANGE: gettext_noop("Enter a date between 1900 and 2100."),
}


class AnswerInvalid(Exception):
    """An answer that does not fit its question. `message` is the English msgid, `params` fill it."""

    def __init__(self, reason: AnswerReason, **params: Any) -> None:
        self.reason = reason
        self.message = ANSWER_MESSAGES[reason]
        self.params = params
        super().__init__(self.message % params if params else self.message)


def clean_answer(question: QuestionDef, raw: Any) -> Any:
    """The value to store for `raw`, None when it leaves the question unanswered.

    text / long text: a stripped string; choice: one of the choices; multiple choice: a list of
    choices in the order of the question; yes/no: a bool; date: an ISO date string.
    """
    if raw is None:
        return None
    if question.kind in MAX_LENGTH:
        return _clean_text(raw, MAX_LENGTH[question.kind])
    if question.kind == Kind.CHOICE:
        return _clean_choice(question, raw)
    if question.kind == Kind.MULTIPLE_CHOICE:
        return _clean_multiple_choice(question, raw)
    if question.kind == Kind.YES_NO:
        return _clean_yes_no(raw)
    return _clean_date(raw)


def _clean_text(raw: Any, limit: int) -> str | None:
    if not isinstance(raw, str):
        raise AnswerInvalid(AnswerReason.NOT_TEXT)
    value = raw.strip()
    if len(value) > limit:
        raise AnswerInvalid(AnswerReason.TOO_LONG, limit=limit)
    return value or None


def _clean_choice(question: QuestionDef, raw: Any) -> str | None:
    if raw == "":
        return None
    if raw not in question.choices:
        raise AnswerInvalid(AnswerReason.UNKNOWN_CHOICE)
    return str(raw)


def _clean_multiple_choice(question: QuestionDef, raw: Any) -> list[str] | None:
    if not isinstance(raw, list | tuple):
        raise AnswerInvalid(AnswerReason.NOT_A_LIST)
    if any(item not in question.choices for item in raw):
        raise AnswerInvalid(AnswerReason.UNKNOWN_CHOICE)
    if len(set(raw)) != len(raw):
        raise AnswerInvalid(AnswerReason.DUPLICATE_CHOICE)
    chosen = set(raw)
    return [choice for choice in question.choices if choice in chosen] or None


def _clean_yes_no(raw: Any) -> bool | None:
    if isinstance(raw, bool):
        return raw
    if raw == "":
        return None
    text = str(raw).strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise AnswerInvalid(AnswerReason.NOT_YES_NO)


def _clean_date(raw: Any) -> str | None:
    if raw == "":
        return None
    if isinstance(raw, dt.datetime):
        raise AnswerInvalid(AnswerReason.NOT_A_DATE)
    if isinstance(raw, dt.date):
        value = raw
    elif isinstance(raw, str):
        value = _parse_date(raw.strip())
    else:
        raise AnswerInvalid(AnswerReason.NOT_A_DATE)
    if not MIN_DATE <= value <= MAX_DATE:
        raise AnswerInvalid(AnswerReason.DATE_OUT_OF_RANGE)
    return value.isoformat()


def _parse_date(text: str) -> dt.date:
    for fmt in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a date, no time zone)
        except ValueError:
            continue
    raise AnswerInvalid(AnswerReason.NOT_A_DATE)


def is_answered(value: Any) -> bool:
    """A stored value counts as an answer unless it is missing or empty (False is an answer)."""
    if value is None:
        return False
    if isinstance(value, str | list):
        return bool(value)
    return True


def step_percentages(steps: Sequence[StepDef], answers: Mapping[str, Any]) -> dict[str, int]:
    """Per step key: the share of its required questions answered, rounded down to whole percents."""
    return {step.key: _percentage(step.questions, answers) for step in steps}


def part_percentage(steps: Iterable[StepDef], answers: Mapping[str, Any], part: Part) -> int:
    """The share of all required questions of `part` answered; 100 means the part is complete."""
    return _percentage([q for step in steps if step.part == part for q in step.questions], answers)


def _percentage(questions: Iterable[QuestionDef], answers: Mapping[str, Any]) -> int:
    required = [q for q in questions if q.required]
    if not required:
        return 100
    done = sum(1 for q in required if is_answered(answers.get(q.key)))
    return done * 100 // len(required)


# --- Checking a questionnaire version before it is published ------------------------------------


class FixedKey(StrEnum):
    """The questions the screens read by their key: the MBO's list flags (warme overdracht,
    contact gewenst) and highlights, and the "visible to the MBO" note of deel B. Named here
    only; every published questionnaire version must have them (see definition_problems)."""

    OPP = "opp"
    WARM_HANDOVER = "warme_overdracht"
    CONTACT_WANTED = "contact_mbo_gewenst"
    CONTACT_NOTE = "contact_toelichting"


# The kinds a fixed question must have, in the order the MBO's dossier page highlights them.
FIXED_KINDS: dict[FixedKey, frozenset[Kind]] = {
    FixedKey.OPP: frozenset({Kind.YES_NO}),
    FixedKey.WARM_HANDOVER: frozenset({Kind.YES_NO}),
    FixedKey.CONTACT_WANTED: frozenset({Kind.YES_NO}),
    FixedKey.CONTACT_NOTE: frozenset({Kind.TEXT, Kind.LONG_TEXT}),
}
# The answers the MBO sees on its list (and the deel B screen marks as visible to the MBO).
MBO_FLAG_KEYS = (FixedKey.WARM_HANDOVER, FixedKey.CONTACT_WANTED)


class DefinitionReason(StrEnum):
    FIXED_MISSING = "fixed_missing"
    FIXED_WRONG_KIND = "fixed_wrong_kind"
    PART_EMPTY = "part_empty"
    CHOICES_MISSING = "choices_missing"
    CHOICES_NOT_ALLOWED = "choices_not_allowed"
    CHOICES_INVALID = "choices_invalid"
    DUPLICATE_KEY = "duplicate_key"


DEFINITION_MESSAGES: dict[DefinitionReason, str] = {
    DefinitionReason.FIXED_MISSING: gettext_noop(
        "The question with key %(key)s is missing. Vangnet reads it for the MBO; add it before publishing."
    ),
    DefinitionReason.FIXED_WRONG_KIND: gettext_noop(
        "The question with key %(key)s has the wrong kind. Vangnet reads it for the MBO as %(kinds)s."
    ),
    DefinitionReason.PART_EMPTY: gettext_noop("Part %(part)s has no questions."),
    DefinitionReason.CHOICES_MISSING: gettext_noop("Question %(key)s needs at least two options."),
    DefinitionReason.CHOICES_NOT_ALLOWED: gettext_noop(
        "Question %(key)s is not a choice question and cannot have options."
    ),
    DefinitionReason.CHOICES_INVALID: gettext_noop(
        "The options of question %(key)s must be different, non-empty and at most 200 characters; at most 50 options."
    ),
    DefinitionReason.DUPLICATE_KEY: gettext_noop("The key %(key)s is used more than once."),
}


@dataclass(frozen=True)
class DefinitionProblem:
    reason: DefinitionReason
    params: Mapping[str, str]

    @property
    def message(self) -> str:
        return DEFINITION_MESSAGES[self.reason]


def choices_problem(kind: Kind, choices: Sequence[str]) -> DefinitionReason | None:
    """Why these options do not fit a question of this kind, or None."""
    if kind not in CHOICE_KINDS:
        return DefinitionReason.CHOICES_NOT_ALLOWED if choices else None
    if len(choices) < 2:
        return DefinitionReason.CHOICES_MISSING
    if (
        len(choices) > MAX_CHOICES
        or len(set(choices)) != len(choices)
        or any(not c.strip() or len(c) > MAX_CHOICE_LENGTH for c in choices)
    ):
        return DefinitionReason.CHOICES_INVALID
    return None


def definition_problems(steps: Sequence[StepDef]) -> list[DefinitionProblem]:
    """Everything that keeps a questionnaire from being published; empty when it can be."""
    problems: list[DefinitionProblem] = []
    for part in Part:
        if not any(step.questions for step in steps if step.part == part):
            problems.append(DefinitionProblem(DefinitionReason.PART_EMPTY, {"part": part.value}))
    seen: set[str] = set()
    for step in steps:
        for question in step.questions:
            if question.key in seen:
                problems.append(
                    DefinitionProblem(DefinitionReason.DUPLICATE_KEY, {"key": question.key})
                )
            seen.add(question.key)
            reason = choices_problem(question.kind, question.choices)
            if reason is not None:
                problems.append(DefinitionProblem(reason, {"key": question.key}))
    kinds = {question.key: question.kind for step in steps for question in step.questions}
    for key, allowed in FIXED_KINDS.items():
        if key not in kinds:
            problems.append(DefinitionProblem(DefinitionReason.FIXED_MISSING, {"key": key.value}))
        elif kinds[key] not in allowed:
            problems.append(
                DefinitionProblem(
                    DefinitionReason.FIXED_WRONG_KIND,
                    {"key": key.value, "kinds": " / ".join(sorted(k.value for k in allowed))},
                )
            )
    return problems

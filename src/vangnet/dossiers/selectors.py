"""Reads of the Digitaal Doorstroomdossier. Every list starts from the user and is scoped to them.

Who sees which dossier:
- a student: their own dossiers (archived ones too, so that they can reactivate them);
- a mentor: the dossiers sent to them (they are its mentor) and those of the students of the
  classes linked to them (ClassMentor), at their school; never another class's dossier;
- a decaan: every dossier of their school;
- an MBO: completed dossiers of students who applied to it (an application that was not
  withdrawn), also after the school archived them (archiving tidies the school's overviews, it
  does not withdraw the dossier), never the BSN;
- anybody else: nothing.
Staff see a dossier only while the school still sees the student (enrolled, or in nazorg).
Archived dossiers drop out of the staff overviews and counts unless asked for (the staff's list
of archived dossiers).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    JSONField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)

from vangnet.accounts.models import AccountKind, Role, User, UserRole
from vangnet.core import roles
from vangnet.jikp.models import Aanmelding, AanmeldingStatus
from vangnet.organisations.models import Organisation, OrganisationKind
from vangnet.youth.models import Enrolment
from vangnet.youth.selectors import enrolments_visible_to

from .domain import questionnaire as q
from .domain.state import Actor, DossierState
from .domain.state import Phase as StatePhase
from .models import (
    Answer,
    ClassMentor,
    Consent,
    Dossier,
    DossierEvent,
    EventKind,
    Part,
    Phase,
    Question,
    QuestionnaireVersion,
    SchoolDossierSetting,
    Step,
    StudentAccount,
)

# The fields an MBO list may load from the person record: no BSN, no address.
MBO_YOUTH_FIELDS = ("youth__id", "youth__first_name", "youth__prefix", "youth__last_name")


def student_youth_id(*, user: User) -> int | None:
    """The person record behind a student's portal account, None for anybody else."""
    if user.kind != AccountKind.STUDENT or not user.is_active:
        return None
    return StudentAccount.objects.filter(user=user).values_list("youth_id", flat=True).first()


def _base() -> QuerySet[Dossier]:
    return Dossier.objects.select_related("youth", "school", "mentor", "questionnaire")


def _still_at_school(user: User) -> Exists:
    return Exists(enrolments_visible_to(user=user).filter(youth_id=OuterRef("youth_id")))


def _is_staff_of_school(user: User) -> bool:
    return user.is_active and user.kind == AccountKind.STAFF and roles.is_school_user(user)


def _in_mentor_class(user: User) -> QuerySet[Enrolment]:
    """The dossier's student is, at the dossier's school, in a class linked to the mentor (for use
    in Exists() on a Dossier queryset)."""
    classes = ClassMentor.objects.filter(
        mentor=user, organisation_id=user.organisation_id or 0
    ).values("class_name")
    return Enrolment.objects.filter(
        youth_id=OuterRef("youth_id"),
        organisation_id=OuterRef("school_id"),
        unenrolment_processed=False,
        class_name__in=classes,
    )


def mentor_of_class(*, user: User, dossier: Dossier) -> bool:
    """The dossier's student is in a class linked to the user (the klaskoppeling)."""
    return Dossier.objects.filter(pk=dossier.pk).filter(Exists(_in_mentor_class(user))).exists()


def dossiers_for_student(*, user: User) -> QuerySet[Dossier]:
    youth_id = student_youth_id(user=user)
    if youth_id is None:
        return Dossier.objects.none()
    return _base().filter(youth_id=youth_id)


def dossiers_for_mentor(*, user: User, include_archived: bool = False) -> QuerySet[Dossier]:
    if not (_is_staff_of_school(user) and user.has_role(Role.MENTOR)):
        return Dossier.objects.none()
    qs = _base().filter(mentor=user, school_id=user.organisation_id).filter(_still_at_school(user))
    return qs if include_archived else qs.filter(archived=False)


def dossiers_for_dean(*, user: User, include_archived: bool = False) -> QuerySet[Dossier]:
    if not (_is_staff_of_school(user) and user.has_role(Role.DEAN)):
        return Dossier.objects.none()
    qs = _base().filter(school_id=user.organisation_id).filter(_still_at_school(user))
    return qs if include_archived else qs.filter(archived=False)


def _answer_value(key: str) -> Subquery:
    return Subquery(
        Answer.objects.filter(dossier_id=OuterRef("pk"), question__key=key).values("value")[:1],
        output_field=JSONField(),
    )


def dossiers_for_mbo(*, user: User) -> QuerySet[Dossier]:
    """Completed dossiers of students who applied to the user's MBO.

    A dossier tied to one application goes to that application's MBO only. The rows carry the
    "OPP en nader contact" answers (warm_handover, contact_wanted) and load no BSN.
    """
    if not (user.is_active and roles.is_mbo_user(user)):
        return Dossier.objects.none()
    applied_here = Aanmelding.objects.filter(
        youth_id=OuterRef("youth_id"), institution_id=user.organisation_id
    ).exclude(status=AanmeldingStatus.WITHDRAWN)
    return (
        Dossier.objects.filter(phase=Phase.AFGEROND)
        .filter(
            Q(aanmelding__institution_id=user.organisation_id)
            | (Q(aanmelding__isnull=True) & Exists(applied_here))
        )
        .select_related("youth", "school")
        .only(
            "id",
            "phase",
            "completed_at",
            "created_at",
            "questionnaire_id",
            "aanmelding_id",
            "school__id",
            "school__name",
            *MBO_YOUTH_FIELDS,
        )
        .annotate(
            warm_handover=_answer_value(q.FixedKey.WARM_HANDOVER),
            contact_wanted=_answer_value(q.FixedKey.CONTACT_WANTED),
        )
        .order_by("-completed_at", "-id")
    )


def dossiers_visible_to(*, user: User) -> QuerySet[Dossier]:
    """Every dossier the user may open (for object lookups: another's id gives nothing)."""
    if user.kind == AccountKind.STUDENT:
        return dossiers_for_student(user=user)
    if roles.is_mbo_user(user):
        return dossiers_for_mbo(user=user)
    if not _is_staff_of_school(user):
        return Dossier.objects.none()
    qs = _base().filter(school_id=user.organisation_id).filter(_still_at_school(user))
    if user.has_role(Role.DEAN):
        return qs
    if user.has_role(Role.MENTOR):
        # Sent to them, or a student of a class linked to them (to start deel B early).
        return qs.filter(Q(mentor=user) | Q(Exists(_in_mentor_class(user))))
    return Dossier.objects.none()


def dashboard_counts_per_phase(*, user: User) -> dict[str, int]:
    """Dossiers per phase (not archived) plus the archived ones, for the dean's school or the
    mentor's own dossiers. One query."""
    if _is_staff_of_school(user) and user.has_role(Role.DEAN):
        qs = dossiers_for_dean(user=user, include_archived=True)
    else:
        qs = dossiers_for_mentor(user=user, include_archived=True)
    counts = {phase.value: 0 for phase in Phase}
    counts["archived"] = 0
    rows = (
        qs.order_by()
        .values("phase")
        .annotate(
            open=Count("id", filter=Q(archived=False)),
            archived=Count("id", filter=Q(archived=True)),
        )
    )
    for row in rows:
        counts[row["phase"]] += row["open"]
        counts["archived"] += row["archived"]
    return counts


def dossier_recipients(*, dossier: Dossier) -> QuerySet[User]:
    """Whom the student can send deel A to: the mentors linked to the student's current class
    at the dossier's school (the klaskoppeling) and the school's decanen, each with `is_dean`. A
    class without a mentor leaves only the decanen."""
    classes = (
        Enrolment.objects.schoolgoing()
        .filter(youth_id=dossier.youth_id, organisation_id=dossier.school_id)
        .values("class_name")
    )
    class_mentors = ClassMentor.objects.filter(
        organisation_id=dossier.school_id, class_name__in=classes
    ).values("mentor_id")
    return (
        User.objects.filter(
            organisation_id=dossier.school_id,
            kind=AccountKind.STAFF,
            is_active=True,
        )
        .filter(Q(roles__role=Role.DEAN) | Q(roles__role=Role.MENTOR, pk__in=class_mentors))
        .distinct()
        # Shown beside the name: decaan or mentor.
        .annotate(is_dean=Exists(UserRole.objects.filter(user=OuterRef("pk"), role=Role.DEAN)))
        .order_by("last_name", "first_name")
    )


def dossier_events(*, dossier: Dossier, important_only: bool = False) -> QuerySet[DossierEvent]:
    """The verloop; `important_only` leaves out the saves of answers."""
    qs = DossierEvent.objects.filter(dossier=dossier).select_related("user")
    return qs.exclude(kind=EventKind.ANSWERS_SAVED) if important_only else qs


def send_back_notes(*, dossiers: Iterable[Dossier]) -> dict[int, str]:
    """Dossier id → the note of the last "terugzetten", for the dossiers that are back in deel A
    after being sent (the note is for the student to act on). One query."""
    waiting = [d.pk for d in dossiers if d.phase == Phase.DEEL_A and d.deel_a_sent_at is not None]
    notes: dict[int, str] = {}
    for dossier_id, detail in (
        DossierEvent.objects.filter(dossier_id__in=waiting, kind=EventKind.SENT_BACK)
        .order_by("at", "id")
        .values_list("dossier_id", "detail")
    ):
        notes[dossier_id] = str((detail or {}).get("note", ""))  # the last one wins
    return {k: v for k, v in notes.items() if v}


def actor_of(*, user: User, dossier: Dossier) -> Actor | None:
    """In which capacity the user acts on the dossier, None when they may not act on it.

    The student of the dossier; the chosen mentor, a decaan of the school, or, while nobody has
    been chosen yet, a mentor of the student's class (to start deel B early). A mentor of another
    class never acts on it.
    """
    if user.kind == AccountKind.STUDENT:
        return Actor.STUDENT if student_youth_id(user=user) == dossier.youth_id else None
    if not _is_staff_of_school(user) or user.organisation_id != dossier.school_id:
        return None
    if user.has_role(Role.DEAN):
        return Actor.MENTOR
    if not user.has_role(Role.MENTOR):
        return None
    if dossier.mentor_id == user.pk:
        return Actor.MENTOR
    if dossier.mentor_id is None and mentor_of_class(user=user, dossier=dossier):
        return Actor.MENTOR
    return None


# --- The questionnaire and progress -------------------------------------------------------------


def questionnaire_current() -> QuestionnaireVersion | None:
    """The newest published version: new dossiers start with it."""
    return QuestionnaireVersion.objects.filter(published=True).order_by("-number").first()


def questionnaire_versions() -> QuerySet[QuestionnaireVersion]:
    return QuestionnaireVersion.objects.select_related("created_by").annotate(
        dossier_count=Count("dossiers")
    )


def questionnaire_steps(*, version_id: int) -> list[Step]:
    """Steps in order, each with its questions prefetched (two queries)."""
    return list(
        Step.objects.filter(version_id=version_id)
        .order_by("order", "id")
        .prefetch_related(Prefetch("questions", queryset=Question.objects.order_by("order", "id")))
    )


def step_definitions(steps: Iterable[Step]) -> list[q.StepDef]:
    return [
        q.StepDef(
            key=step.key,
            part=q.Part(step.part),
            questions=tuple(
                q.QuestionDef(
                    key=question.key,
                    kind=q.Kind(question.kind),
                    required=question.required,
                    choices=tuple(question.choices or ()),
                )
                for question in step.questions.all()
            ),
        )
        for step in steps
    ]


def dossier_answers(*, dossier: Dossier) -> dict[str, Any]:
    """Question key → stored value."""
    return dict(Answer.objects.filter(dossier=dossier).values_list("question__key", "value"))


@dataclass(frozen=True)
class Progress:
    steps: Mapping[str, int]  # step key → percentage
    parts: Mapping[str, int]  # Part value → percentage

    @property
    def deel_a_complete(self) -> bool:
        return self.parts[Part.A] == 100

    @property
    def deel_b_student_complete(self) -> bool:
        return self.parts[Part.B_STUDENT] == 100

    @property
    def deel_b_dossier_complete(self) -> bool:
        return self.parts[Part.B_DOSSIER] == 100


def _progress(definition: list[q.StepDef], answers: Mapping[str, Any]) -> Progress:
    return Progress(
        steps=q.step_percentages(definition, answers),
        parts={part.value: q.part_percentage(definition, answers, part) for part in q.Part},
    )


def dossiers_progress(*, dossiers: Iterable[Dossier]) -> dict[int, Progress]:
    """Progress of many dossiers in a fixed number of queries (steps, questions, answers)."""
    dossiers = list(dossiers)
    version_ids = {d.questionnaire_id for d in dossiers}
    steps = (
        Step.objects.filter(version_id__in=version_ids)
        .order_by("order", "id")
        .prefetch_related(Prefetch("questions", queryset=Question.objects.order_by("order", "id")))
    )
    per_version: dict[int, list[Step]] = defaultdict(list)
    for step in steps:
        per_version[step.version_id].append(step)
    definitions = {vid: step_definitions(per_version[vid]) for vid in version_ids}
    answers: dict[int, dict[str, Any]] = defaultdict(dict)
    for dossier_id, key, value in Answer.objects.filter(
        dossier_id__in=[d.pk for d in dossiers]
    ).values_list("dossier_id", "question__key", "value"):
        answers[dossier_id][key] = value
    return {d.pk: _progress(definitions[d.questionnaire_id], answers[d.pk]) for d in dossiers}


def dossier_progress(*, dossier: Dossier) -> Progress:
    return dossiers_progress(dossiers=[dossier])[dossier.pk]


# --- The dossier as a document (screens and PDF share it) ---------------------------------------


@dataclass(frozen=True)
class AnsweredQuestion:
    key: str
    section: str
    text: str
    required: bool
    value: Any  # as stored; None when not answered

    @property
    def answered(self) -> bool:
        return q.is_answered(self.value)


@dataclass(frozen=True)
class DocumentStep:
    key: str
    part: str
    title: str
    intro: str
    percentage: int
    questions: tuple[AnsweredQuestion, ...]


def dossier_document(*, dossier: Dossier, parts: Iterable[str] | None = None) -> list[DocumentStep]:
    """The steps of the dossier's questionnaire version with their answers, in order; only the
    given parts (Part values) when asked. Three queries, whatever the size of the questionnaire."""
    wanted = set(parts) if parts is not None else None
    steps = questionnaire_steps(version_id=dossier.questionnaire_id)
    answers = dossier_answers(dossier=dossier)
    percentages = q.step_percentages(step_definitions(steps), answers)
    return [
        DocumentStep(
            key=step.key,
            part=step.part,
            title=step.title,
            intro=step.intro,
            percentage=percentages[step.key],
            questions=tuple(
                AnsweredQuestion(
                    key=question.key,
                    section=question.section,
                    text=question.text,
                    required=question.required,
                    value=answers.get(question.key),
                )
                for question in step.questions.all()
            ),
        )
        for step in steps
        if wanted is None or step.part in wanted
    ]


# --- Staff screens ------------------------------------------------------------------------------


def staff_is_dean(user: User) -> bool:
    return _is_staff_of_school(user) and user.has_role(Role.DEAN)


def staff_dossiers(*, user: User, archived: bool = False) -> QuerySet[Dossier]:
    """The dossiers of the staff overviews and counters: the decaan's school, the mentor's own;
    with `archived` only the archived ones (the list of archived dossiers)."""
    if staff_is_dean(user):
        qs = dossiers_for_dean(user=user, include_archived=archived)
    else:
        qs = dossiers_for_mentor(user=user, include_archived=archived)
    return qs.filter(archived=True) if archived else qs


def _current_enrolments(school_id: int) -> QuerySet[Enrolment]:
    return Enrolment.objects.schoolgoing().filter(organisation_id=school_id)


def school_classes(*, school_id: int) -> list[str]:
    """The classes of the school's current students, sorted."""
    return sorted(
        set(
            _current_enrolments(school_id)
            .exclude(class_name="")
            .order_by()
            .values_list("class_name", flat=True)
            .distinct()
        )
    )


def class_mentor_links(*, school_id: int) -> QuerySet[ClassMentor]:
    return ClassMentor.objects.filter(organisation_id=school_id).select_related("mentor")


def school_mentors(*, school_id: int) -> QuerySet[User]:
    """Active staff of the school with the role mentor (candidates for the klaskoppeling)."""
    return (
        User.objects.filter(
            organisation_id=school_id,
            kind=AccountKind.STAFF,
            is_active=True,
            roles__role=Role.MENTOR,
        )
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def participating_mbos(*, region_id: int | None) -> list[Organisation]:
    """MBOs that take part in the DDD, those of the given region first."""
    mbos = Organisation.objects.filter(
        kind=OrganisationKind.MBO, takes_part_in_ddd=True, is_active=True
    ).select_related("region")
    return sorted(mbos, key=lambda o: (o.region_id != region_id, o.name.lower(), o.pk))


@dataclass(frozen=True)
class StudentFilters:
    q: str = ""
    class_name: str = ""
    year_level: int | None = None
    phase: str = ""


def staff_students(*, user: User, filters: StudentFilters | None = None) -> QuerySet[Enrolment]:
    """The current students of "Mijn leerlingen" (mentor: the classes linked to them plus the
    students whose dossier they are the mentor of) or "Alle leerlingen" (decaan: the school).

    Rows are enrolments with the youth's name loaded (no BSN), sorted by name."""
    school_id = user.organisation_id
    if not _is_staff_of_school(user) or school_id is None:
        return Enrolment.objects.none()
    qs = enrolments_visible_to(user=user).schoolgoing()
    if not user.has_role(Role.DEAN):
        if not user.has_role(Role.MENTOR):
            return Enrolment.objects.none()
        classes = ClassMentor.objects.filter(mentor=user, organisation_id=school_id).values(
            "class_name"
        )
        theirs = Dossier.objects.filter(
            youth_id=OuterRef("youth_id"), school_id=school_id, mentor=user
        )
        qs = qs.filter(Q(class_name__in=classes) | Exists(theirs))
    filters = filters or StudentFilters()
    if filters.class_name:
        qs = qs.filter(class_name=filters.class_name)
    if filters.year_level is not None:
        qs = qs.filter(school_year_level=filters.year_level)
    if filters.q:
        for word in filters.q.split():
            qs = qs.filter(
                Q(youth__first_name__icontains=word)
                | Q(youth__last_name__icontains=word)
                | Q(student_number__iexact=word)
            )
    if filters.phase:
        visible = dossiers_visible_to(user=user).filter(archived=False)
        qs = qs.filter(Exists(visible.filter(youth_id=OuterRef("youth_id"), phase=filters.phase)))
    if user.has_role(Role.DEAN):
        # For the decaan: e-mail address known, portal account activated (a password chosen).
        qs = qs.annotate(
            email_known=ExpressionWrapper(~Q(student_email=""), output_field=BooleanField()),
            activated=Exists(
                StudentAccount.objects.filter(youth_id=OuterRef("youth_id")).exclude(
                    user__password__startswith=UNUSABLE_PASSWORD_PREFIX
                )
            ),
        )
    return (
        qs.select_related("youth")
        .only(
            "id",
            "class_name",
            "school_year_level",
            "student_number",
            "youth__id",
            "youth__first_name",
            "youth__prefix",
            "youth__last_name",
        )
        .order_by("youth__last_name", "youth__first_name", "id")
    )


# What a row of a staff overview shows of a dossier (no wide person record, no BSN).
_ROW_FIELDS = (
    "id",
    "youth_id",
    "school_id",
    "mentor_id",
    "questionnaire_id",
    "phase",
    "archived",
    "created_at",
    "deel_b_started_at",
    "completed_at",
    "youth__id",
    "youth__first_name",
    "youth__prefix",
    "youth__last_name",
)


def staff_dossier_rows(*, ids: list[int]) -> list[Dossier]:
    """The dossiers with these ids (already checked by the caller), in the order given, with the
    student's class at the school (`class_name`). One query."""
    rows = with_class_name(
        Dossier.objects.filter(pk__in=ids).select_related("youth").only(*_ROW_FIELDS)
    )
    by_id = {d.pk: d for d in rows}
    return [by_id[i] for i in ids if i in by_id]


def open_dossiers_of(*, user: User, youth_ids: Iterable[int]) -> dict[int, list[Dossier]]:
    """Youth id → the dossiers the user may open that are not archived, newest first (one query)."""
    result: dict[int, list[Dossier]] = defaultdict(list)
    rows = (
        dossiers_visible_to(user=user)
        .filter(archived=False, youth_id__in=list(youth_ids))
        .select_related(None)
        .select_related("youth")
        .only(*_ROW_FIELDS)
        .order_by("-created_at", "-id")
    )
    for dossier in rows:
        result[dossier.youth_id].append(dossier)
    return result


def with_class_name(qs: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """Annotates `class_name`: the student's class at the dossier's school."""
    return qs.annotate(
        class_name=Subquery(
            Enrolment.objects.filter(
                youth_id=OuterRef("youth_id"), organisation_id=OuterRef("school_id")
            ).values("class_name")[:1]
        )
    )


def dossier_state(*, dossier: Dossier, progress: Progress | None = None) -> DossierState:
    """The dossier as the state machine sees it (for showing buttons and reasons)."""
    progress = progress or dossier_progress(dossier=dossier)
    return DossierState(
        phase=StatePhase(dossier.phase),
        archived=dossier.archived,
        deel_b_started=dossier.deel_b_started_at is not None,
        deel_a_complete=progress.deel_a_complete,
        deel_b_student_complete=progress.deel_b_student_complete,
        deel_b_dossier_complete=progress.deel_b_dossier_complete,
        consent_given=Consent.objects.filter(dossier=dossier).exists(),
        mbo_known=dossier.pk in dossiers_mbo_known(dossiers=[dossier]),
    )


def dossiers_mbo_known(*, dossiers: Iterable[Dossier]) -> set[int]:
    """The ids of the dossiers whose MBO is known: an application linked to the dossier, or a
    running (not withdrawn) application of the student. One query."""
    dossiers = list(dossiers)
    running = set(
        Aanmelding.objects.filter(youth_id__in={d.youth_id for d in dossiers})
        .exclude(status=AanmeldingStatus.WITHDRAWN)
        .values_list("youth_id", flat=True)
    )
    return {d.pk for d in dossiers if d.aanmelding_id is not None or d.youth_id in running}


def dossiers_part_progress(*, dossiers: Iterable[Dossier]) -> dict[int, Progress]:
    """The percentage per part (no per-step figures) of many dossiers in two aggregate queries,
    for the overviews: required questions per part of each version, and answered required
    questions per part of each dossier (an empty answer is never stored, see answers_save)."""
    dossiers = list(dossiers)
    required: dict[tuple[int, str], int] = {
        (row["step__version_id"], row["step__part"]): row["n"]
        for row in Question.objects.filter(
            step__version_id__in={d.questionnaire_id for d in dossiers}, required=True
        )
        .order_by()
        .values("step__version_id", "step__part")
        .annotate(n=Count("id"))
    }
    answered: dict[tuple[int, str], int] = {
        (row["dossier_id"], row["question__step__part"]): row["n"]
        for row in Answer.objects.filter(
            dossier_id__in=[d.pk for d in dossiers], question__required=True
        )
        .order_by()
        .values("dossier_id", "question__step__part")
        .annotate(n=Count("id"))
    }

    def percentage(dossier: Dossier, part: str) -> int:
        total = required.get((dossier.questionnaire_id, part), 0)
        done = answered.get((dossier.pk, part), 0)
        return 100 if not total else min(done, total) * 100 // total

    return {
        d.pk: Progress(steps={}, parts={part.value: percentage(d, part.value) for part in q.Part})
        for d in dossiers
    }


def staff_student_options(*, user: User) -> tuple[list[str], list[int]]:
    """The classes and years of the students the user sees in "Mijn leerlingen" (one query)."""
    pairs = (
        staff_students(user=user)
        .order_by()
        .values_list("class_name", "school_year_level")
        .distinct()
    )
    classes, years = set(), set()
    for class_name, year in pairs:
        if class_name:
            classes.add(class_name)
        if year is not None:
            years.add(year)
    return sorted(classes), sorted(years)


def parallel_dossiers_allowed(*, school_id: int) -> bool:
    """The school lets a student have more than one open (not completed, not archived) dossier."""
    return SchoolDossierSetting.objects.filter(
        organisation_id=school_id, parallel_dossiers=True
    ).exists()


def open_dossier_exists(*, youth_id: int) -> bool:
    return (
        Dossier.objects.filter(youth_id=youth_id, archived=False)
        .exclude(phase=Phase.AFGEROND)
        .exists()
    )


@dataclass(frozen=True)
class PdfHeader:
    """What the PDF's head shows beside the name: the student's number and class at the dossier's
    school and the receiving MBO (the linked application, else the running ones)."""

    student_number: str
    class_name: str
    mbos: tuple[str, ...]


def dossier_pdf_header(*, dossier: Dossier) -> PdfHeader:
    enrolment = (
        Enrolment.objects.filter(youth_id=dossier.youth_id, organisation_id=dossier.school_id)
        .order_by("unenrolment_processed", "-enrolled_on", "-pk")
        .only("student_number", "class_name")
        .first()
    )
    if dossier.aanmelding_id is not None:
        applications = Aanmelding.objects.filter(pk=dossier.aanmelding_id)
    else:
        applications = Aanmelding.objects.filter(youth_id=dossier.youth_id).exclude(
            status=AanmeldingStatus.WITHDRAWN
        )
    mbos = tuple(
        f"{name}: {programme}" if programme else name
        for name, programme in applications.order_by("-applied_on", "-pk").values_list(
            "institution__name", "programme"
        )
    )
    return PdfHeader(
        student_number=enrolment.student_number if enrolment else "",
        class_name=enrolment.class_name if enrolment else "",
        mbos=mbos,
    )

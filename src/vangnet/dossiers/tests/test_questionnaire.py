"""The questionnaire as data: the default version, new versions by platform beheer, and dossiers
keeping the version they started with."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from vangnet.dossiers import selectors, services
from vangnet.dossiers.domain.default_questionnaire import DEFAULT_STEPS
from vangnet.dossiers.models import Part, Question, QuestionnaireVersion, Step

from .helpers import answers_for, fill, make_student, walk_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def beheer(world):
    return world.users["platformbeheer"]


def test_default_questionnaire_is_created_once(db):
    first = services.questionnaire_default_ensure()
    again = services.questionnaire_default_ensure()
    assert first == again and QuestionnaireVersion.objects.count() == 1
    assert first.number == 1 and first.published and first.created_by is None
    steps = selectors.questionnaire_steps(version_id=first.pk)
    assert [s.key for s in steps] == [s.key for s in DEFAULT_STEPS]
    assert Question.objects.filter(step__version=first).count() == sum(
        len(s.questions) for s in DEFAULT_STEPS
    )
    opp = Question.objects.get(step__version=first, key="warme_overdracht")
    assert opp.step.part == Part.B_STUDENT and opp.section == "OPP en nader contact"
    assert opp.kind == "yes_no" and opp.required


def test_default_is_not_forced_on_an_installation_with_versions_of_its_own(db):
    QuestionnaireVersion.objects.create(number=1)  # a draft, nothing published
    with pytest.raises(ValidationError):
        services.questionnaire_default_ensure()
    assert QuestionnaireVersion.objects.count() == 1


def test_only_platform_beheer_makes_versions(world):
    v1 = services.questionnaire_default_ensure()
    for user in (world.users["vo_decaan"], world.users["school_beheerder"]):
        with pytest.raises(PermissionDenied):
            services.questionnaire_version_create_from(source=v1, acting_user=user)


def test_new_version_without_code_and_old_dossiers_keep_theirs(world, beheer):
    mentor = world.users["vo_mentor"]
    student = make_student(world.vo)
    old = walk_to("deel_b", student=student, mentor=mentor)
    v1 = old.questionnaire

    v2 = services.questionnaire_version_create_from(source=v1, acting_user=beheer)
    assert (v2.number, v2.published, v2.based_on, v2.created_by) == (2, False, v1, beheer)
    assert (
        Question.objects.filter(step__version=v2).count()
        == Question.objects.filter(step__version=v1).count()
    )
    # A draft is not used yet.
    assert services.questionnaire_default_ensure() == v1

    # Edit: drop a question, add a step with a new question, change one.
    services.questionnaire_question_delete(
        question=Question.objects.get(step__version=v2, key="telefoon"), acting_user=beheer
    )
    step = services.questionnaire_step_save(
        version=v2, acting_user=beheer, key="stage", part=Part.A, title="Stage", order=99
    )
    services.questionnaire_question_save(
        step=step,
        acting_user=beheer,
        key="stage_plek",
        text="Waar heb je stage gelopen?",
        kind="text",
    )
    email = Question.objects.get(step__version=v2, key="email")
    services.questionnaire_question_save(
        step=email.step,
        question=email,
        acting_user=beheer,
        key="email",
        text="Je e-mailadres",
        kind="text",
        required=False,
    )
    services.questionnaire_version_publish(version=v2, acting_user=beheer)

    # New dossiers start with version 2 ...
    new = services.dossier_start(youth=make_student(world.vo).youth, acting_user=mentor)
    assert new.questionnaire == v2
    assert "stage_plek" in answers_for(new, Part.A)
    assert "telefoon" not in answers_for(new, Part.A)
    # ... the old one keeps version 1, its questions and its answers.
    old.refresh_from_db()
    assert old.questionnaire == v1
    assert selectors.dossier_answers(dossier=old)["telefoon"]
    assert Question.objects.get(step__version=v1, key="email").text.startswith("Op welk")
    services.deel_b_start(dossier=old, acting_user=mentor)
    fill(old, Part.B_STUDENT, mentor)
    fill(old, Part.B_DOSSIER, mentor)
    services.deel_b_send_to_student(dossier=old, acting_user=mentor)
    # A question of the other version is not part of this dossier.
    with pytest.raises(ValidationError) as exc:
        services.answers_save(
            dossier=new,
            answers={"telefoon": "06"},
            acting_user=mentor,
        )
    assert "telefoon" in exc.value.message_dict


def test_published_versions_are_frozen(world, beheer):
    v1 = services.questionnaire_default_ensure()
    step = Step.objects.filter(version=v1).first()
    question = Question.objects.filter(step__version=v1).first()
    calls = [
        lambda: services.questionnaire_step_save(
            version=v1, acting_user=beheer, key="x", part=Part.A, title="X"
        ),
        lambda: services.questionnaire_question_save(
            step=step, acting_user=beheer, key="x", text="X", kind="text"
        ),
        lambda: services.questionnaire_question_delete(question=question, acting_user=beheer),
        lambda: services.questionnaire_step_delete(step=step, acting_user=beheer),
        lambda: services.questionnaire_version_publish(version=v1, acting_user=beheer),
    ]
    for call in calls:
        with pytest.raises(ValidationError) as exc:
            call()
        assert "gepubliceerde versie" in exc.value.messages[0]


def test_edits_are_checked(world, beheer):
    v2 = services.questionnaire_version_create_from(
        source=services.questionnaire_default_ensure(), acting_user=beheer
    )
    step = Step.objects.get(version=v2, key="schoolloopbaan")
    with pytest.raises(ValidationError) as exc:  # "email" is a question of another step
        services.questionnaire_question_save(
            step=step, acting_user=beheer, key="email", text="Nog eens", kind="text"
        )
    assert exc.value.message_dict == {"key": ["De sleutel email wordt meer dan eens gebruikt."]}
    with pytest.raises(ValidationError) as exc:
        services.questionnaire_question_save(
            step=step,
            acting_user=beheer,
            key="kleur",
            text="Kleur?",
            kind="choice",
            choices=["Rood"],
        )
    assert exc.value.message_dict == {
        "choices": ["Vraag kleur heeft minstens twee mogelijkheden nodig."]
    }
    with pytest.raises(ValidationError) as exc:
        services.questionnaire_question_save(
            step=step, acting_user=beheer, key="met spatie", text="X", kind="soep"
        )
    assert {"key", "kind"} <= set(exc.value.message_dict)
    with pytest.raises(ValidationError):
        services.questionnaire_step_save(
            version=v2, acting_user=beheer, key="persoon", part=Part.A, title="Dubbel"
        )
    other = services.questionnaire_version_create_from(source=v2, acting_user=beheer)
    with pytest.raises(PermissionDenied):
        services.questionnaire_step_save(
            version=other, step=step, acting_user=beheer, key="x", part=Part.A, title="X"
        )
    with pytest.raises(PermissionDenied):
        services.questionnaire_question_save(
            step=Step.objects.filter(version=other).first(),
            question=Question.objects.filter(step=step).first(),
            acting_user=beheer,
            key="x",
            text="X",
            kind="text",
        )


def test_a_version_without_a_part_cannot_be_published(world, beheer):
    v2 = services.questionnaire_version_create_from(
        source=services.questionnaire_default_ensure(), acting_user=beheer
    )
    for step in Step.objects.filter(version=v2, part=Part.B_DOSSIER):
        services.questionnaire_step_delete(step=step, acting_user=beheer)
    with pytest.raises(ValidationError) as exc:
        services.questionnaire_version_publish(version=v2, acting_user=beheer)
    assert exc.value.messages == ["Onderdeel b_dossier heeft geen vragen."]
    v2.refresh_from_db()
    assert not v2.published


def test_a_version_without_the_mbo_questions_cannot_be_published(world, beheer):
    """Issue 8: the screens read fixed keys; a version without them silently emptied the MBO's
    flags. Publishing it is refused with a Dutch message, and nothing changes."""
    v2 = services.questionnaire_version_create_from(
        source=services.questionnaire_default_ensure(), acting_user=beheer
    )
    question = Question.objects.get(step__version=v2, key="warme_overdracht")
    services.questionnaire_question_delete(question=question, acting_user=beheer)
    with pytest.raises(ValidationError) as exc:
        services.questionnaire_version_publish(version=v2, acting_user=beheer)
    assert exc.value.messages == [
        "De vraag met sleutel warme_overdracht ontbreekt. Vangnet leest die voor het mbo; "
        "voeg hem toe voordat je publiceert."
    ]
    v2.refresh_from_db()
    assert not v2.published


def test_a_fixed_question_of_another_kind_cannot_be_published(world, beheer):
    v2 = services.questionnaire_version_create_from(
        source=services.questionnaire_default_ensure(), acting_user=beheer
    )
    Question.objects.filter(step__version=v2, key="contact_mbo_gewenst").update(kind="text")
    with pytest.raises(ValidationError) as exc:
        services.questionnaire_version_publish(version=v2, acting_user=beheer)
    assert (
        "contact_mbo_gewenst" in exc.value.messages[0]
        and "verkeerde soort" in exc.value.messages[0]
    )
    v2.refresh_from_db()
    assert not v2.published

"""Platform beheer keeps the DDD questionnaire as versions: copy, change a draft, preview, publish.
Published versions stay as they are, running dossiers keep their version, bad input gets a Dutch
message and changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import login_verified
from vangnet.audit.models import AuditAction, AuditEvent
from vangnet.dossiers import services
from vangnet.dossiers.models import Question, QuestionnaireVersion, Step

from .helpers import make_student

pytestmark = pytest.mark.django_db

VERSIONS = reverse("ddd_questionnaire:versions")
NEW = reverse("ddd_questionnaire:version_new")


def url(name, *args):
    return reverse(f"ddd_questionnaire:{name}", args=args)


@pytest.fixture
def beheer(client, world):
    login_verified(client, world.users["platformbeheer"])
    client.token = 0
    return client


def post(client, address, data=None):
    client.token += 1
    return client.post(address, {**(data or {}), "form_token": f"t{client.token}"})


@pytest.fixture
def v1():
    return services.questionnaire_default_ensure()


@pytest.fixture
def draft(beheer, v1):
    post(beheer, NEW)
    return QuestionnaireVersion.objects.get(number=2)


def question_data(**overrides):
    return {
        "text": "Welke sport doe je?",
        "key": "sport",
        "section": "",
        "help_text": "",
        "kind": "text",
        "required": "on",
        "options": "",
        "order": "9",
        **overrides,
    }


def test_versions_list_shows_number_status_and_dossier_count(beheer, world, v1):
    student = make_student(world.vo)
    services.dossier_start(youth=student.youth, acting_user=student.user)
    response = beheer.get(VERSIONS)
    assert response.status_code == 200
    (row,) = response.context["versions"]
    assert (row.number, row.published, row.dossier_count) == (1, True, 1)
    assert url("version", v1.pk) in response.content.decode()


def test_first_version_can_be_created_from_the_standard_questionnaire(beheer):
    assert beheer.get(VERSIONS).status_code == 200
    post(beheer, NEW)
    numbers = sorted(QuestionnaireVersion.objects.values_list("number", "published"))
    assert numbers == [(1, True), (2, False)]


def test_new_version_copies_the_current_one_as_draft(beheer, v1):
    response = post(beheer, NEW)
    version = QuestionnaireVersion.objects.get(number=2)
    assert response.status_code == 302
    assert response["Location"] == url("version", version.pk)
    assert not version.published and version.based_on == v1
    assert Question.objects.filter(step__version=version).count() == (
        Question.objects.filter(step__version=v1).count()
    )
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="dossiers.questionnaireversion"
    ).exists()


def test_new_version_posted_twice_makes_one(beheer, v1):
    beheer.post(NEW, {"form_token": "same"})
    beheer.post(NEW, {"form_token": "same"})
    assert QuestionnaireVersion.objects.count() == 2


def test_new_version_from_unknown_source_is_refused(beheer, v1):
    response = post(beheer, NEW, {"source": "99999"})
    assert response.status_code == 302
    assert QuestionnaireVersion.objects.count() == 1
    response = post(beheer, NEW, {"source": "abc"})
    assert QuestionnaireVersion.objects.count() == 1


def test_draft_page_offers_editing_published_page_does_not(beheer, v1, draft):
    html = beheer.get(url("version", draft.pk)).content.decode()
    assert url("step_add", draft.pk) in html
    assert url("publish", draft.pk) in html
    html = beheer.get(url("version", v1.pk)).content.decode()
    assert url("step_add", v1.pk) not in html
    assert url("publish", v1.pk) not in html
    assert "Opleidingskeuze" in html or "opleiding" in html.lower()


def test_add_change_and_delete_a_question_of_a_draft(beheer, draft):
    step = draft.steps.order_by("order").first()
    response = post(beheer, url("question_add", draft.pk, step.pk), question_data())
    assert response.status_code == 302
    question = Question.objects.get(step=step, key="sport")
    assert (question.text, question.required, question.order) == ("Welke sport doe je?", True, 9)
    response = post(
        beheer,
        url("question_edit", draft.pk, question.pk),
        question_data(kind="choice", options="Voetbal\n\n Hockey \nGeen", required=""),
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.kind, question.choices, question.required) == (
        "choice",
        ["Voetbal", "Hockey", "Geen"],
        False,
    )
    assert beheer.get(url("question_delete", draft.pk, question.pk)).status_code == 200
    post(beheer, url("question_delete", draft.pk, question.pk))
    assert not Question.objects.filter(pk=question.pk).exists()
    assert AuditEvent.objects.filter(description="questionnaire question deleted").exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"kind": "choice", "options": "Alleen een"}, "options", "minstens twee"),
        ({"kind": "text", "options": "A\nB"}, "options", "geen keuzevraag"),
        ({"key": "advies_keuze"}, "key", "meer dan eens"),
        ({"key": "met spatie"}, "key", ""),
        ({"text": ""}, "text", "verplicht"),
        ({"kind": "onzin"}, "kind", ""),
        ({"order": "-1"}, "order", ""),
    ],
)
def test_bad_question_gets_a_dutch_message_and_saves_nothing(
    beheer, draft, overrides, field, message
):
    step = draft.steps.order_by("order").first()
    before = list(Question.objects.filter(step__version=draft).values_list("pk", "key", "kind"))
    response = post(beheer, url("question_add", draft.pk, step.pk), question_data(**overrides))
    assert response.status_code == 400
    errors = " ".join(str(e) for e in response.context["form"].errors[field])
    assert errors
    assert message in errors
    after = list(Question.objects.filter(step__version=draft).values_list("pk", "key", "kind"))
    assert after == before


def test_add_change_and_delete_a_step(beheer, draft):
    data = {"title": "Sport en vrije tijd", "key": "sport", "part": "a", "intro": "", "order": "3"}
    response = post(beheer, url("step_add", draft.pk), data)
    assert response.status_code == 302
    step = Step.objects.get(version=draft, key="sport")
    post(beheer, url("step_edit", draft.pk, step.pk), {**data, "title": "Hobby's"})
    step.refresh_from_db()
    assert step.title == "Hobby's"
    post(beheer, url("step_delete", draft.pk, step.pk))
    assert not Step.objects.filter(pk=step.pk).exists()


def test_duplicate_step_key_is_refused(beheer, draft):
    existing = draft.steps.first()
    data = {"title": "Dubbel", "key": existing.key, "part": "a", "intro": "", "order": "1"}
    count = draft.steps.count()
    response = post(beheer, url("step_add", draft.pk), data)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert draft.steps.count() == count


def test_published_version_cannot_be_changed(beheer, v1):
    step = v1.steps.first()
    question = Question.objects.filter(step=step).first()
    before = Question.objects.filter(step__version=v1).count()
    for address in (
        url("step_add", v1.pk),
        url("step_edit", v1.pk, step.pk),
        url("step_delete", v1.pk, step.pk),
        url("question_add", v1.pk, step.pk),
        url("question_edit", v1.pk, question.pk),
        url("question_delete", v1.pk, question.pk),
        url("publish", v1.pk),
    ):
        assert beheer.get(address).status_code == 302
        response = post(beheer, address, question_data(key="nieuw"))
        assert response.status_code == 302
        assert response["Location"] == url("version", v1.pk)
    assert Question.objects.filter(step__version=v1).count() == before
    assert Step.objects.filter(pk=step.pk).exists()


def test_ids_of_another_version_give_404(beheer, v1, draft):
    step_v1 = v1.steps.first()
    question_v1 = Question.objects.filter(step=step_v1).first()
    assert beheer.get(url("step_edit", draft.pk, step_v1.pk)).status_code == 404
    assert beheer.get(url("question_edit", draft.pk, question_v1.pk)).status_code == 404
    assert post(beheer, url("question_delete", draft.pk, question_v1.pk)).status_code == 404
    assert beheer.get(url("version", 99999)).status_code == 404
    assert Question.objects.filter(pk=question_v1.pk).exists()


def test_preview_shows_every_question_disabled(beheer, v1):
    response = beheer.get(url("preview", v1.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Is er sprake van een warme overdracht van een zorgdossier?" in html
    assert "disabled" in html


def test_publishing_makes_new_dossiers_start_with_it_and_running_ones_keep_theirs(
    beheer, world, v1, draft
):
    running_student = make_student(world.vo)
    running = services.dossier_start(youth=running_student.youth, acting_user=running_student.user)
    step = draft.steps.order_by("order").first()
    post(beheer, url("question_add", draft.pk, step.pk), question_data())
    assert beheer.get(url("publish", draft.pk)).status_code == 200
    response = post(beheer, url("publish", draft.pk))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.published
    running.refresh_from_db()
    assert running.questionnaire_id == v1.pk
    new_student = make_student(world.vo)
    new = services.dossier_start(youth=new_student.youth, acting_user=new_student.user)
    assert new.questionnaire_id == draft.pk
    assert AuditEvent.objects.filter(description="questionnaire version published").exists()


def test_version_with_an_empty_part_is_not_published(beheer, draft):
    for step in draft.steps.filter(part="b_dossier"):
        post(beheer, url("step_delete", draft.pk, step.pk))
    response = post(beheer, url("publish", draft.pk))
    assert response.status_code == 400
    assert response.context["problems"]
    draft.refresh_from_db()
    assert not draft.published


@pytest.mark.parametrize("who", ["vo_decaan", "vo_mentor", "mbo_gebruiker", "gemeente_beheerder"])
def test_only_platform_beheer_edits_the_questionnaire(client, world, v1, who):
    login_verified(client, world.users[who])
    step = v1.steps.first()
    for address in (VERSIONS, url("version", v1.pk), url("preview", v1.pk)):
        assert client.get(address).status_code == 403
    assert client.post(NEW, {"form_token": "x"}).status_code == 403
    assert client.post(url("step_delete", v1.pk, step.pk), {"form_token": "y"}).status_code == 403
    assert QuestionnaireVersion.objects.count() == 1


def test_menu_of_platform_beheer_offers_the_questionnaire(beheer):
    assert VERSIONS in beheer.get(reverse("core:home")).content.decode()


def test_deleting_a_step_counts_its_questions_in_proper_dutch(beheer, draft):
    step = Step.objects.filter(version=draft).first()
    questions = list(Question.objects.filter(step=step).order_by("pk"))
    Question.objects.filter(pk__in=[q.pk for q in questions[2:]]).delete()
    page = beheer.get(url("step_delete", draft.pk, step.pk)).content.decode()
    assert "en de 2 vragen erin verwijderen?" in page
    Question.objects.filter(pk=questions[1].pk).delete()
    page = beheer.get(url("step_delete", draft.pk, step.pk)).content.decode()
    assert "en de vraag erin verwijderen?" in page
    assert "de 1 vragen" not in page

"""Who sees which dossier, the MBO view without BSN, dashboard counts, and flat query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import AanmeldingFactory, OrganisationFactory, StudentUserFactory, UserFactory
from vangnet.accounts.models import Role
from vangnet.dossiers import selectors, services
from vangnet.dossiers.domain.state import Actor
from vangnet.dossiers.models import ClassMentor, Dossier, Phase
from vangnet.jikp.models import AanmeldingStatus
from vangnet.organisations.models import OrganisationKind

from .helpers import make_student, walk_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(world):
    """Two students of the VO school with a mentor each, and one of another school."""
    w = world
    w.mentor = w.users["vo_mentor"]
    w.mentor2 = UserFactory(organisation=w.vo, roles=[Role.MENTOR])
    w.dean = w.users["vo_decaan"]
    w.other_dean = UserFactory(organisation=w.other_school, roles=[Role.DEAN])
    w.s1 = make_student(w.vo)
    w.s2 = make_student(w.vo)
    w.s3 = make_student(w.other_school)
    w.d1 = walk_to("afgerond", student=w.s1, mentor=w.mentor)
    w.d2 = walk_to("deel_b", student=w.s2, mentor=w.mentor2)
    w.d3 = walk_to("akkoordverklaring", student=w.s3, mentor=w.other_dean)
    return w


def ids(qs):
    return sorted(d.pk for d in qs)


def test_student_sees_own_dossiers_only(setting):
    w = setting
    assert ids(selectors.dossiers_for_student(user=w.s1.user)) == [w.d1.pk]
    assert ids(selectors.dossiers_for_student(user=StudentUserFactory())) == []
    assert ids(selectors.dossiers_for_student(user=w.mentor)) == []
    w.s1.user.is_active = False
    assert ids(selectors.dossiers_for_student(user=w.s1.user)) == []


def test_mentor_sees_their_students_dean_the_school(setting):
    w = setting
    assert ids(selectors.dossiers_for_mentor(user=w.mentor)) == [w.d1.pk]
    assert ids(selectors.dossiers_for_mentor(user=w.mentor2)) == [w.d2.pk]
    assert ids(selectors.dossiers_for_mentor(user=w.dean)) == []  # not a mentor
    assert ids(selectors.dossiers_for_dean(user=w.dean)) == [w.d1.pk, w.d2.pk]
    assert ids(selectors.dossiers_for_dean(user=w.mentor)) == []
    assert ids(selectors.dossiers_for_dean(user=w.other_dean)) == [w.d3.pk]


def test_archived_dossiers_leave_the_overviews_but_not_the_student(setting):
    w = setting
    services.dossier_archive(dossier=w.d2, acting_user=w.mentor2)
    assert ids(selectors.dossiers_for_dean(user=w.dean)) == [w.d1.pk]
    assert ids(selectors.dossiers_for_dean(user=w.dean, include_archived=True)) == [
        w.d1.pk,
        w.d2.pk,
    ]
    assert ids(selectors.dossiers_for_mentor(user=w.mentor2)) == []
    assert ids(selectors.dossiers_for_mentor(user=w.mentor2, include_archived=True)) == [w.d2.pk]
    assert ids(selectors.dossiers_for_student(user=w.s2.user)) == [w.d2.pk]


def test_staff_lose_sight_after_nazorg(setting):
    w = setting
    enrolment = w.s1.enrolment
    enrolment.unenrolled_on = timezone.localdate() - dt.timedelta(days=3 * 365)
    enrolment.unenrolment_processed = True
    enrolment.save()
    assert ids(selectors.dossiers_for_dean(user=w.dean)) == [w.d2.pk]
    assert ids(selectors.dossiers_for_mentor(user=w.mentor)) == []


def test_mbo_sees_completed_dossiers_of_its_applicants_without_bsn(setting):
    w = setting
    mbo_user = w.users["mbo_gebruiker"]
    assert ids(selectors.dossiers_for_mbo(user=mbo_user)) == []  # nobody applied yet
    AanmeldingFactory(youth=w.s1.youth, institution=w.mbo)
    AanmeldingFactory(youth=w.s2.youth, institution=w.mbo)  # d2 is not completed
    assert ids(selectors.dossiers_for_mbo(user=mbo_user)) == [w.d1.pk]

    other_mbo = OrganisationFactory(kind=OrganisationKind.MBO, municipality=w.gem_a)
    other_user = UserFactory(organisation=other_mbo, roles=[Role.USER])
    assert ids(selectors.dossiers_for_mbo(user=other_user)) == []

    with CaptureQueriesContext(connection) as ctx:
        (row,) = selectors.dossiers_for_mbo(user=mbo_user)
        assert row.youth.first_name == w.s1.youth.first_name
        assert row.warm_handover is True and row.contact_wanted is True
    assert len(ctx.captured_queries) == 1
    assert "bsn" not in ctx.captured_queries[0]["sql"].lower()
    assert "birth_date" not in ctx.captured_queries[0]["sql"].lower()


def test_mbo_view_follows_the_application(setting):
    w = setting
    mbo_user = w.users["mbo_gebruiker"]
    application = AanmeldingFactory(youth=w.s1.youth, institution=w.mbo)
    application.status = AanmeldingStatus.WITHDRAWN
    application.save()
    assert ids(selectors.dossiers_for_mbo(user=mbo_user)) == []
    # A dossier tied to an application goes to that application's MBO only.
    other_mbo = OrganisationFactory(kind=OrganisationKind.MBO, municipality=w.gem_a)
    tied = AanmeldingFactory(youth=w.s1.youth, institution=other_mbo)
    Dossier.objects.filter(pk=w.d1.pk).update(aanmelding=tied)
    AanmeldingFactory(youth=w.s1.youth, institution=w.mbo)
    assert ids(selectors.dossiers_for_mbo(user=mbo_user)) == []
    other_user = UserFactory(organisation=other_mbo, roles=[Role.USER])
    assert ids(selectors.dossiers_for_mbo(user=other_user)) == [w.d1.pk]
    # Archiving a completed dossier tidies the school's overviews; the MBO keeps it (issue 8).
    services.dossier_archive(dossier=w.d1, acting_user=w.mentor)
    assert ids(selectors.dossiers_for_mbo(user=other_user)) == [w.d1.pk]


@pytest.mark.parametrize(
    "role", ["gemeente_consulent", "ketenpartner", "platformbeheer", "school_gebruiker"]
)
def test_other_roles_see_no_dossiers(setting, role):
    user = setting.users[role]
    for selector in (
        selectors.dossiers_for_student,
        selectors.dossiers_for_mentor,
        selectors.dossiers_for_dean,
        selectors.dossiers_for_mbo,
        selectors.dossiers_visible_to,
    ):
        assert ids(selector(user=user)) == []


def test_object_lookups_and_actors(setting):
    w = setting
    unassigned = services.dossier_start(youth=make_student(w.vo).youth, acting_user=w.dean)
    Dossier.objects.filter(pk=unassigned.pk).update(mentor=None)
    student_started = services.dossier_start(
        youth=w.s2.youth, acting_user=w.s2.user
    )  # a second dossier of s2, nobody chosen yet
    assert ids(selectors.dossiers_visible_to(user=w.s2.user)) == [w.d2.pk, student_started.pk]
    # All three students are in class 3A, which is linked to both mentors (see walk_to).
    assert ids(selectors.dossiers_visible_to(user=w.mentor)) == sorted(
        [w.d1.pk, w.d2.pk, unassigned.pk, student_started.pk]
    )
    assert ids(selectors.dossiers_visible_to(user=w.dean)) == sorted(
        [w.d1.pk, w.d2.pk, unassigned.pk, student_started.pk]
    )
    assert ids(selectors.dossiers_visible_to(user=w.other_dean)) == [w.d3.pk]
    assert selectors.actor_of(user=w.s1.user, dossier=w.d1) == Actor.STUDENT
    assert selectors.actor_of(user=w.s2.user, dossier=w.d1) is None
    assert selectors.actor_of(user=w.mentor, dossier=w.d1) == Actor.MENTOR
    assert selectors.actor_of(user=w.mentor, dossier=w.d2) is None
    assert selectors.actor_of(user=w.dean, dossier=w.d2) == Actor.MENTOR
    assert selectors.actor_of(user=w.other_dean, dossier=w.d2) is None
    assert selectors.actor_of(user=w.users["school_gebruiker"], dossier=w.d2) is None


def test_dashboard_counts_per_phase_in_one_query(setting):
    w = setting
    walk_to("deel_a", student=w.s1, mentor=w.mentor)
    walk_to("akkoordverklaring", student=w.s2, mentor=w.mentor)
    archived = walk_to("deel_b", student=w.s2, mentor=w.mentor2)
    services.dossier_archive(dossier=archived, acting_user=w.mentor2)
    with CaptureQueriesContext(connection) as ctx:
        counts = selectors.dashboard_counts_per_phase(user=w.dean)
    assert len(ctx.captured_queries) <= 2  # the dean's roles, then one aggregate
    assert counts == {
        Phase.DEEL_A: 1,
        Phase.DEEL_B: 1,
        Phase.AKKOORD: 1,
        Phase.AFGEROND: 1,
        "archived": 1,
    }
    assert selectors.dashboard_counts_per_phase(user=w.mentor2) == {
        Phase.DEEL_A: 0,
        Phase.DEEL_B: 1,
        Phase.AKKOORD: 0,
        Phase.AFGEROND: 0,
        "archived": 1,
    }
    assert sum(selectors.dashboard_counts_per_phase(user=w.users["mbo_gebruiker"]).values()) == 0


def _list_queries(user, selector):
    with CaptureQueriesContext(connection) as ctx:
        rows = list(selector(user=user))
        for dossier in rows:
            (
                str(dossier.youth),
                str(dossier.school),
                str(dossier.mentor),
                dossier.questionnaire.number,
            )
        selectors.dossiers_progress(dossiers=rows)
    return len(rows), len(ctx.captured_queries)


def test_lists_and_progress_do_not_grow_with_the_number_of_dossiers(setting):
    w = setting
    w.dean.forget_roles()
    few = _list_queries(w.dean, selectors.dossiers_for_dean)
    for _ in range(4):
        walk_to("deel_b", student=make_student(w.vo), mentor=w.mentor)
    w.dean.forget_roles()
    many = _list_queries(w.dean, selectors.dossiers_for_dean)
    assert many[0] == few[0] + 4
    assert many[1] == few[1]


def test_progress_of_many_dossiers(setting):
    w = setting
    progress = selectors.dossiers_progress(dossiers=[w.d1, w.d2])
    assert progress[w.d1.pk].deel_b_dossier_complete and progress[w.d1.pk].deel_a_complete
    assert progress[w.d2.pk].deel_a_complete and not progress[w.d2.pk].deel_b_student_complete
    assert selectors.dossiers_progress(dossiers=[]) == {}


def test_the_verloop(setting):
    w = setting
    everything = list(selectors.dossier_events(dossier=w.d1))
    important = list(selectors.dossier_events(dossier=w.d1, important_only=True))
    assert len(important) < len(everything)
    assert important[0].kind == "gestart"
    assert important[-1].kind == "afgerond"


def test_a_mentor_of_another_class_sees_no_unassigned_dossier(setting):
    """Privacy (issue 8, item 6): a mentor sees the dossiers sent to them and those of the
    students of their own classes; another class's dossier nobody was chosen for stays out."""
    w = setting
    elsewhere = UserFactory(organisation=w.vo, roles=[Role.MENTOR])  # linked to no class
    other_class = make_student(w.vo)
    other_class.enrolment.class_name = "6V9"
    other_class.enrolment.save()
    unassigned = services.dossier_start(youth=other_class.youth, acting_user=other_class.user)
    assert unassigned.mentor_id is None
    assert ids(selectors.dossiers_visible_to(user=elsewhere)) == []
    assert unassigned.pk not in ids(selectors.dossiers_visible_to(user=w.mentor))
    assert selectors.actor_of(user=elsewhere, dossier=unassigned) is None
    assert selectors.actor_of(user=w.mentor, dossier=unassigned) is None
    assert unassigned.pk in ids(selectors.dossiers_visible_to(user=w.dean))
    # Once their class is linked to the mentor, they see it and may start deel B.
    ClassMentor.objects.create(organisation=w.vo, class_name="6V9", mentor=elsewhere)
    assert ids(selectors.dossiers_visible_to(user=elsewhere)) == [unassigned.pk]
    assert selectors.actor_of(user=elsewhere, dossier=unassigned) == Actor.MENTOR

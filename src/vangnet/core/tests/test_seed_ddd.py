"""The demo region's Digitaal Doorstroomdossier data: students with e-mail and accounts, a demo
student login, class mentors, dossiers in every phase with a real verloop, and an MBO taking
part that sees the completed ones."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from vangnet.accounts.models import AccountKind, User
from vangnet.core.seeding.accounts import DEMO_PASSWORD
from vangnet.core.seeding.ddd_demo import DEMO_STUDENT_EMAIL, STUDENTS_WITH_EMAIL
from vangnet.dossiers import selectors
from vangnet.dossiers.models import ClassMentor, Dossier, DossierEvent, EventKind, Phase
from vangnet.organisations.models import Organisation
from vangnet.youth.models import Enrolment

pytestmark = pytest.mark.django_db


def test_demo_region_carries_the_ddd_from_student_to_mbo():
    """One build (it takes seconds: completing a dossier renders its PDF), four checks."""
    call_command("seed", "--scale", "demo", verbosity=0)
    _dossiers_in_every_phase_walked_through_the_services()
    _demo_student_can_sign_in_with_ddd_activated_and_a_bsn()
    _school_has_students_with_email_and_class_mentors()
    _mbo_takes_part_and_sees_the_completed_dossiers()


def _dossiers_in_every_phase_walked_through_the_services():
    school = Organisation.objects.get(code="demo-vo")
    dossiers = Dossier.objects.filter(school=school)
    assert {d.phase for d in dossiers} == set(Phase.values)
    assert dossiers.filter(archived=True).count() == 1
    for dossier in dossiers:
        events = list(DossierEvent.objects.filter(dossier=dossier).order_by("at", "id"))
        assert events[0].kind == EventKind.STARTED
        assert [e.at for e in events] == sorted(e.at for e in events)
        assert dossier.created_at == events[0].at
    # A second round: sent back to the student and sent again.
    assert DossierEvent.objects.filter(dossier__school=school, kind=EventKind.SENT_BACK).exists()
    for dossier in dossiers.filter(phase=Phase.AFGEROND):
        assert dossier.completed_at > dossier.sent_to_student_at > dossier.deel_a_sent_at
        assert dossier.consent.given_on >= dossier.consent.guardian_consented_on


def _demo_student_can_sign_in_with_ddd_activated_and_a_bsn():
    student = User.objects.get(email=DEMO_STUDENT_EMAIL)
    assert student.kind == AccountKind.STUDENT
    assert student.check_password(DEMO_PASSWORD)
    account = student.student_account
    assert account.ddd_activated_at is not None
    assert account.youth.bsn
    assert selectors.dossiers_for_student(user=student).filter(phase=Phase.AKKOORD).exists()


def _school_has_students_with_email_and_class_mentors():
    school = Organisation.objects.get(code="demo-vo")
    with_email = Enrolment.objects.filter(organisation=school).exclude(student_email="")
    assert with_email.count() == STUDENTS_WITH_EMAIL
    mentor = User.objects.get(email="vo.mentor@demo.vangnet.nl")
    linked = set(ClassMentor.objects.filter(mentor=mentor).values_list("class_name", flat=True))
    accounts = with_email.filter(youth__student_account__isnull=False)
    assert accounts.exists()
    assert {e.class_name for e in accounts} <= linked


def _mbo_takes_part_and_sees_the_completed_dossiers():
    mbo_user = User.objects.get(email="mbo.gebruiker@demo.vangnet.nl")
    assert mbo_user.organisation.takes_part_in_ddd
    seen = list(selectors.dossiers_for_mbo(user=mbo_user))
    assert len(seen) == Dossier.objects.filter(phase=Phase.AFGEROND, archived=False).count() >= 1
    assert {(d.warm_handover, d.contact_wanted) for d in seen} == {(True, True), (False, True)}


def test_readme_student_logins_exist_after_the_demo_seed():
    """The README names the student logins of the demo; each must be an active student account
    with the demo password, and the range it names must be complete."""
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[4] / "README.md").read_text(encoding="utf-8")
    section = readme.split("Students sign in at", 1)[1].split("\n\n", 1)[0]
    named = re.findall(r"`(leerling\.[\w.]+@[\w.]+)`", section)
    assert DEMO_STUDENT_EMAIL in named
    numbered = sorted(int(re.search(r"\.(\d+)@", e).group(1)) for e in named if "demo@" not in e)
    assert len(numbered) == 2, named  # "first … last"
    domain = DEMO_STUDENT_EMAIL.split("@", 1)[1]
    emails = [DEMO_STUDENT_EMAIL] + [
        f"leerling.{n:03d}@{domain}" for n in range(numbered[0], numbered[1] + 1)
    ]
    call_command("seed", "--scale", "demo", verbosity=0)
    for email in emails:
        user = User.objects.filter(email=email, kind=AccountKind.STUDENT, is_active=True).first()
        assert user is not None, f"README names {email}, the demo seed has no such account"
        assert user.check_password(DEMO_PASSWORD), email

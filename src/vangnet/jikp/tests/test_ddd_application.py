"""An MBO application the student enters in the DDD goes through jikp.services.aanmelding_create,
so the school's education perspective is filled from it (seed 000 §4.3.1, issue 8)."""

from __future__ import annotations

import pytest

from vangnet.audit.models import AuditEvent
from vangnet.dossiers import services as dossier_services
from vangnet.dossiers.tests.helpers import make_student
from vangnet.jikp import selectors, services

pytestmark = pytest.mark.django_db


def test_an_application_entered_in_the_ddd_fills_the_education_perspective(world):
    student = make_student(world.vo)
    services.perspective_set(
        youth=student.youth, school=world.vo, kind="onderwijs", acting_user=world.users["vo_decaan"]
    )
    dossier = dossier_services.dossier_start(youth=student.youth, acting_user=student.user)

    dossier_services.dossier_aanmelding_set(
        dossier=dossier,
        acting_user=student.user,
        institution=world.mbo,
        programme="Verzorgende IG",
        level="3",
    )

    perspective = selectors.active_perspective(youth=student.youth)
    assert (perspective.institution, perspective.programme, perspective.level) == (
        world.mbo.name,
        "Verzorgende IG",
        "3",
    )
    assert perspective.details_complete is True
    assert perspective.status == "onderwijs_aangemeld"
    dossier.refresh_from_db()
    assert dossier.aanmelding.programme == "Verzorgende IG"
    assert AuditEvent.objects.filter(
        youth_id=student.youth.pk, description="MBO application entered by student"
    ).exists()

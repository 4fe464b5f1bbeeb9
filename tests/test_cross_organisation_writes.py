"""Writes with another organisation's record id: refused (403/404) and nothing changes.

For every POST URL that takes the id of a youth (or of a record hanging off one, a colleague, a
samenwerking or a designation), users of other organisations post a payload that would
succeed for the owner. Each must be refused and leave every table of Vangnet as it was. Then the
owner posts the same payload, which must change something: that proves the payload is valid, so
the refusal really comes from the access check and not from a form error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from conftest import login_verified
from tests.factories import (
    ContactDesignationFactory,
    EnrolmentFactory,
    OrganisationFactory,
    TOTPDeviceFactory,
    UserFactory,
)
from vangnet.accounts.models import Role
from vangnet.organisations.models import OrganisationKind

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
# Audit events and sessions may be written by a refused request (sign-in, a refusal note).
IGNORED_MODELS = {"audit.auditevent"}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


@pytest.fixture
def scene(world):
    """A PrO youth with the perspective arbeid, a contact, a samenwerking and a designation."""
    from vangnet.jikp import services
    from vangnet.jikp.models import Samenwerking

    school_user = world.users["school_gebruiker"]
    youth = EnrolmentFactory(organisation=world.pro, youth__municipality=world.gem_a).youth
    services.perspective_set(youth=youth, school=world.pro, kind="arbeid", acting_user=school_user)
    link = services.contact_person_link(youth=youth, contact=school_user, acting_user=school_user)
    TOTPDeviceFactory(user=school_user, confirmed=True)
    second = EnrolmentFactory(organisation=world.pro, youth__municipality=world.gem_a).youth
    services.perspective_set(youth=second, school=world.pro, kind="arbeid", acting_user=school_user)
    partner_user = world.users["ketenpartner"]
    ContactDesignationFactory(municipality=world.gem_a, perspective="arbeid", user=partner_user)
    samenwerking = Samenwerking.objects.create(
        youth=youth,
        school=world.pro,
        partner=world.partner,
        kind="arbeid",
        requested_by=school_user,
    )
    # Outsiders: staff of a chain partner without samenwerking and of another region's gemeente.
    other_partner = OrganisationFactory(
        kind=OrganisationKind.CARE_PROVIDER,
        name="Zorg Elders",
        municipality=world.gem_b,
        region=world.region,
    )
    world.users["other_partner"] = UserFactory(
        organisation=other_partner, roles=[Role.GENERALIST, Role.ADMIN]
    )
    world.users["other_gemeente"] = UserFactory(
        organisation=world.other_gemeente, roles=[Role.TRANSITION_CONSULTANT, Role.ADMIN]
    )
    designation = ContactDesignationFactory(
        municipality=world.gem_a, perspective="onderwijs", user=partner_user
    )
    # Digitaal Doorstroomdossier: a student of the VO school with a dossier in deel B (mentor:
    # vo_mentor) and one waiting for the akkoordverklaring; a second student of the school, a
    # mentor of the same school who is not theirs, and the decaan of another VO school.
    from types import SimpleNamespace

    from django.utils import timezone

    from tests.factories import StudentAccountFactory
    from vangnet.dossiers.models import ClassMentor
    from vangnet.dossiers.tests.helpers import make_student, walk_to

    mentor = world.users["vo_mentor"]
    student = make_student(world.vo)
    student.enrolment.class_name = "4H1"
    student.enrolment.save()
    StudentAccountFactory._meta.model.objects.filter(user=student.user).update(
        ddd_activated_at=timezone.now()
    )
    ClassMentor.objects.create(organisation=world.vo, class_name="4H1", mentor=mentor)
    in_deel_b = walk_to("deel_b", student=student, mentor=mentor)
    in_akkoord = walk_to("akkoordverklaring", student=student, mentor=mentor)
    b_started = walk_to("deel_b", student=student, mentor=mentor)
    from vangnet.dossiers import services as dossier_services

    dossier_services.deel_b_start(dossier=b_started, acting_user=mentor)
    other_student = make_student(world.vo)
    other_student.enrolment.class_name = "4H2"
    other_student.enrolment.save()
    world.users["vo_student"] = student.user
    world.users["other_student"] = other_student.user
    world.users["vo_other_mentor"] = UserFactory(organisation=world.vo, roles=[Role.MENTOR])
    other_vo = OrganisationFactory(
        kind=OrganisationKind.VO_SCHOOL,
        name="College Elders",
        municipality=world.gem_b,
        region=world.region,
    )
    world.users["other_vo_decaan"] = UserFactory(
        organisation=other_vo, roles=[Role.DEAN, Role.MENTOR]
    )
    class_link = ClassMentor.objects.create(organisation=world.vo, class_name="4H2", mentor=mentor)
    return {
        "world": world,
        "ddd": SimpleNamespace(
            deel_b=in_deel_b,
            b_started=b_started,
            akkoord=in_akkoord,
            student=student,
            fresh_youth=EnrolmentFactory(organisation=world.vo, class_name="4H1").youth,
            class_link=class_link,
        ),
        "youth": youth,
        "youth_without_samenwerking": second,
        "link": link,
        "samenwerking": samenwerking,
        "designation": designation,
    }


def _person(scene: dict[str, Any], poster: Any) -> dict[str, Any]:
    return {
        "first_name": "Anders",
        "last_name": "Genoemd",
        "birth_date": "2008-05-01",
        "gender": "x",
        "municipality": scene["world"].gem_b.pk,
        "secret_address": "on",
        "class_name": "4B",
    }


def _user_payload(scene: dict[str, Any], poster: Any) -> dict[str, Any]:
    return {
        "email": "veranderd@example.org",
        "first_name": "Veranderd",
        "last_name": "Gebruiker",
        "roles": [Role.USER],
    }


def _nothing(scene: dict[str, Any], poster: Any) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Write:
    url_name: str
    kwargs: Callable[[dict[str, Any]], dict[str, Any]]
    payload: Callable[[dict[str, Any], Any], dict[str, Any]]
    owner: str
    outsiders: tuple[str, ...]


def _youth(scene):
    return {"youth_id": scene["youth"].pk}


# The chain partner of the world has a samenwerking for the youth; other_partner has none.
YOUTH_OUTSIDERS = (
    "vso_gebruiker",
    "other_school",
    "mbo_gebruiker",
    "other_partner",
    "other_gemeente",
)
ADMIN_OUTSIDERS = ("gemeente_beheerder", "other_school", "other_partner", "other_gemeente")

# Outsiders of a VO school's dossier: the other mentor of the same school, another VO school's
# decaan, the MBO, a PrO school.
DDD_OUTSIDERS = ("vo_other_mentor", "other_vo_decaan", "mbo_gebruiker", "school_gebruiker")


def _ddd(name: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda scene: {"dossier_id": getattr(scene["ddd"], name).pk}


WRITES = [
    Write("youth:edit", _youth, _person, "school_gebruiker", YOUTH_OUTSIDERS),
    Write(
        "jikp:detail_contact_add",
        _youth,
        lambda scene, poster: {"contact": poster.pk},
        "school_beheerder",
        YOUTH_OUTSIDERS,
    ),
    Write(
        "jikp:detail_contact_remove",
        lambda scene: {"youth_id": scene["youth"].pk, "link_id": scene["link"].pk},
        _nothing,
        "school_gebruiker",
        YOUTH_OUTSIDERS,
    ),
    Write(
        "jikp:detail_perspective_set",
        _youth,
        lambda scene, poster: {"kind": "onderwijs"},
        "school_gebruiker",
        YOUTH_OUTSIDERS,
    ),
    Write(
        "jikp:detail_perspective_details",
        _youth,
        lambda scene, poster: {"employer": "Bakkerij", "job": "Hulp", "contract_type": "vast"},
        "school_gebruiker",
        YOUTH_OUTSIDERS,
    ),
    Write(
        "jikp:detail_perspective_status",
        _youth,
        lambda scene, poster: {"status": "arbeid_stage"},
        "school_gebruiker",
        YOUTH_OUTSIDERS,
    ),
    Write(
        "jikp:detail_document_add",
        _youth,
        lambda scene, poster: {"file": SimpleUploadedFile("dad.pdf", PDF, "application/pdf")},
        "school_gebruiker",
        YOUTH_OUTSIDERS,
    ),
    Write(
        "jikp:detail_samenwerking_request",
        lambda scene: {"youth_id": scene["youth_without_samenwerking"].pk},
        _nothing,
        "school_gebruiker",
        YOUTH_OUTSIDERS,
    ),
    Write(
        "jikp:detail_traject_add",
        _youth,
        lambda scene, poster: {"kind": "taal", "starts_on": "2025-09-01"},
        "school_gebruiker",
        YOUTH_OUTSIDERS,
    ),
    Write(
        "jikp:partner_contact",
        lambda scene: {"samenwerking_id": scene["samenwerking"].pk},
        lambda scene, poster: {"contact": poster.pk},
        "ketenpartner",
        ("other_partner",),
    ),
    Write(
        "jikp:partner_close",
        lambda scene: {"samenwerking_id": scene["samenwerking"].pk},
        _nothing,
        "ketenpartner",
        ("other_partner",),
    ),
    Write(
        "accounts:user_edit",
        lambda scene: {"user_id": scene["world"].users["school_gebruiker"].pk},
        _user_payload,
        "school_beheerder",
        ADMIN_OUTSIDERS,
    ),
    Write(
        "accounts:user_deactivate",
        lambda scene: {"user_id": scene["world"].users["school_gebruiker"].pk},
        _nothing,
        "school_beheerder",
        ADMIN_OUTSIDERS,
    ),
    Write(
        "accounts:user_two_factor_reset",
        lambda scene: {"user_id": scene["world"].users["school_gebruiker"].pk},
        _nothing,
        "school_beheerder",
        ADMIN_OUTSIDERS,
    ),
    # Digitaal Doorstroomdossier: the school's side...
    Write("ddd:start_b", _ddd("deel_b"), _nothing, "vo_mentor", (*DDD_OUTSIDERS, "vo_student")),
    Write(
        "ddd:send_back",
        _ddd("deel_b"),
        lambda scene, poster: {"note": "Vul je keuze aan."},
        "vo_mentor",
        DDD_OUTSIDERS,
    ),
    Write("ddd:archive", _ddd("deel_b"), _nothing, "vo_decaan", DDD_OUTSIDERS),
    Write(
        "ddd:dossier",
        _ddd("b_started"),
        lambda scene, poster: {"sterke_punten": "Werkt graag met zijn handen."},
        "vo_mentor",
        DDD_OUTSIDERS,
    ),
    Write(
        "ddd:early_start",
        lambda scene: {"youth_id": scene["ddd"].fresh_youth.pk},
        _nothing,
        "vo_mentor",
        ("other_vo_decaan", "mbo_gebruiker", "school_gebruiker"),
    ),
    Write(
        "ddd:class_mentor_remove",
        lambda scene: {"link_id": scene["ddd"].class_link.pk},
        _nothing,
        "vo_decaan",
        ("other_vo_decaan", "vo_mentor", "school_beheerder"),
    ),
    Write(
        "student_accounts:resend",
        lambda scene: {"enrolment_id": scene["ddd"].student.enrolment.pk},
        _nothing,
        "vo_decaan",
        ("other_vo_decaan", "vo_mentor", "school_beheerder"),
    ),
    # ...and the student's: another student's dossier id is refused.
    Write(
        "ddd_student:change",
        _ddd("akkoord"),
        _nothing,
        "vo_student",
        ("other_student",),
    ),
    Write(
        "ddd_student:consent",
        _ddd("akkoord"),
        lambda scene, poster: {
            "remark": "Akkoord.",
            "guardian_name": "J. Jansen",
            "guardian_relation": "ouder",
            "guardian_consented_on": dt.date.today().isoformat(),
        },
        "vo_student",
        ("other_student",),
    ),
    Write(
        "organisations:designation_delete",
        lambda scene: {"designation_id": scene["designation"].pk},
        _nothing,
        "gemeente_beheerder",
        ("other_gemeente", "other_partner", "school_beheerder"),
    ),
]


def _snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every Vangnet table (and the two-step devices), audit events left out."""
    state = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in IGNORED_MODELS:
            continue
        if not (model.__module__.startswith("vangnet.") or label.startswith("otp_")):
            continue
        state[label] = list(model.objects.order_by("pk").values_list())
    return state


def _post(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, {**data, "form_token": f"t-{dt.datetime.now().timestamp()}"})


@pytest.mark.parametrize("write", WRITES, ids=lambda w: w.url_name)
def test_another_organisations_record_id_is_refused_and_changes_nothing(scene, write):
    users = scene["world"].users
    url = reverse(write.url_name, kwargs=write.kwargs(scene))
    for role in write.outsiders:
        client = login_verified(Client(), users[role])
        before = _snapshot()
        response = _post(client, url, write.payload(scene, users[role]))
        if users[role].kind == "student" and not url.startswith("/leerling/"):
            # A student's account is confined to the portal: sent back there, nothing done.
            assert response.status_code == 302 and response["Location"] == "/leerling/"
        else:
            assert response.status_code in {403, 404}, f"{role} POST {url}: {response.status_code}"
        assert _snapshot() == before, f"{role} POST {url} changed data"

    owner = login_verified(Client(), users[write.owner])
    before = _snapshot()
    response = _post(owner, url, write.payload(scene, users[write.owner]))
    assert response.status_code == 302, f"owner POST {url}: {response.status_code}"
    assert _snapshot() != before, f"the payload for {url} changes nothing, so it proves nothing"

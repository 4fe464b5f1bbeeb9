"""Access matrix: every URL of the project, for anonymous and every role, allowed or refused.

`test_every_url_has_a_row` fails when a URL pattern is added without a row here, so no page can
ship without someone deciding who may open it. Refused means 403 or 404 (never the record);
anonymous visitors of protected pages are sent to the login page.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import login_verified
from tests.factories import EnrolmentFactory
from vangnet.core.forms import FIELD as FORM_TOKEN
from vangnet.youth.models import Youth

ROLES = [
    "school_gebruiker",
    "school_beheerder",
    "vso_gebruiker",
    "vo_decaan",
    "vo_mentor",
    "mbo_gebruiker",
    "gemeente_consulent",
    "gemeente_beheerder",
    "ketenpartner",
    "platformbeheer",
    "other_school",
    "leerling",
]
ALL = frozenset(ROLES)
# A student's portal account reaches only /leerling/; every other page sends it there.
STUDENT = "leerling"
STAFF = ALL - {STUDENT}
SCHOOLS = frozenset(
    {
        "school_gebruiker",
        "school_beheerder",
        "vso_gebruiker",
        "vo_decaan",
        "vo_mentor",
        "other_school",
    }
)
ADMINS = frozenset({"school_beheerder", "gemeente_beheerder", "other_school"})
YOUTH_LISTERS = SCHOOLS | {
    "mbo_gebruiker",
    "gemeente_consulent",
    "gemeente_beheerder",
    "ketenpartner",
}
YOUTH_EXPORTERS = YOUTH_LISTERS - SCHOOLS
PRO_YOUTH_READERS = frozenset(
    {"school_gebruiker", "school_beheerder", "gemeente_consulent", "gemeente_beheerder"}
)

PRO_SCHOOL_STAFF = frozenset({"school_gebruiker", "school_beheerder"})


def user_for(world, role: str):
    """The world's user for a role; the student (with an account at the VO school and the DDD
    activated) is made on first use, so that other tests keep a world without students."""
    if role == STUDENT and STUDENT not in world.users:
        from django.utils import timezone

        from tests.factories import StudentAccountFactory

        enrolment = EnrolmentFactory(
            organisation=world.vo, youth__municipality=world.gem_a, class_name="4H1"
        )
        account = StudentAccountFactory(youth=enrolment.youth, ddd_activated_at=timezone.now())
        world.users[STUDENT] = account.user
        world.student_enrolment = enrolment
    return world.users[role]


REFUSED = {403, 404}
LOGIN_REDIRECT = {302}


@dataclass(frozen=True)
class Row:
    allowed: frozenset[str]
    anonymous: set[int] = field(default_factory=lambda: set(LOGIN_REDIRECT))
    ok: set[int] = field(default_factory=lambda: {200})
    kwargs: Callable[[Any], dict[str, Any]] | None = None
    refused: set[int] = field(default_factory=lambda: set(REFUSED))


def _pro_youth(world) -> dict[str, Any]:
    enrolment = EnrolmentFactory(organisation=world.pro, youth__municipality=world.gem_a)
    return {"youth_id": enrolment.youth_id}


def _reset_link(world) -> dict[str, Any]:
    return {"uidb64": "MQ", "token": "set-password"}


def _pro_youth_at_work(world) -> dict[str, Any]:
    """A PrO youth with the perspective arbeid, so every profile page has something to show."""
    from vangnet.jikp import services

    kwargs = _pro_youth(world)
    services.perspective_set(
        youth=Youth.objects.get(pk=kwargs["youth_id"]),
        school=world.pro,
        kind="arbeid",
        acting_user=world.users["school_gebruiker"],
    )
    return kwargs


def _pro_contact_link(world) -> dict[str, Any]:
    from vangnet.jikp import services

    kwargs = _pro_youth(world)
    user = world.users["school_gebruiker"]
    link = services.contact_person_link(
        youth=Youth.objects.get(pk=kwargs["youth_id"]), contact=user, acting_user=user
    )
    return {**kwargs, "link_id": link.pk}


def _pro_dossier(world) -> dict[str, Any]:
    import atexit

    from django.core.files.uploadedfile import SimpleUploadedFile

    from vangnet.jikp import selectors, services

    kwargs = _pro_youth_at_work(world)
    youth = Youth.objects.get(pk=kwargs["youth_id"])
    document = services.perspective_document_add(
        perspective=selectors.active_perspective(youth=youth),
        uploaded=SimpleUploadedFile("dad.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
        acting_user=world.users["school_gebruiker"],
    )
    atexit.register(document.file.storage.delete, document.file.name)
    return {**kwargs, "document_id": document.pk}


def _pro_traject(world) -> dict[str, Any]:
    """A traject the PrO school added; only that school changes, ends or removes it."""
    import datetime as dt

    from vangnet.jikp import services

    kwargs = _pro_youth(world)
    traject = services.traject_add(
        youth=Youth.objects.get(pk=kwargs["youth_id"]),
        data={"kind": "taal", "starts_on": dt.date(2025, 1, 6)},
        acting_user=world.users["school_gebruiker"],
    )
    return {**kwargs, "traject_id": traject.pk}


def _pro_colleague(world) -> dict[str, Any]:
    return {"user_id": world.users["school_gebruiker"].pk}


# Only the administrator of the colleague's own organisation; other administrators get 404.
PRO_ADMIN = frozenset({"school_beheerder"})


def _partner_samenwerking(world) -> dict[str, Any]:
    """An open samenwerking of the PrO school with the chain partner of the world."""
    from vangnet.jikp.models import Samenwerking

    kwargs = _pro_youth(world)
    samenwerking = Samenwerking.objects.create(
        youth_id=kwargs["youth_id"],
        school=world.pro,
        partner=world.partner,
        kind="arbeid",
        requested_by=world.users["school_gebruiker"],
    )
    return {"samenwerking_id": samenwerking.pk}


def _region_contacts(world) -> dict[str, Any]:
    return {"municipality_id": world.gem_a.pk, "perspective": "arbeid"}


def _general_document(world) -> dict[str, Any]:
    import atexit

    from django.core.files.uploadedfile import SimpleUploadedFile

    from vangnet.jikp import services

    document = services.document_add(
        title="Handleiding",
        description="",
        uploaded=SimpleUploadedFile("handleiding.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
        acting_user=world.users["platformbeheer"],
    )
    atexit.register(document.file.storage.delete, document.file.name)
    return {"document_id": document.pk}


def _designation(world) -> dict[str, Any]:
    from tests.factories import ContactDesignationFactory, UserFactory

    designation = ContactDesignationFactory(
        municipality=world.gem_a, user=UserFactory(organisation=world.partner)
    )
    return {"designation_id": designation.pk}


def _import_kind(world) -> dict[str, Any]:
    return {"kind": "jongerenlijst"}


def _pro_import_job(world) -> dict[str, Any]:
    from vangnet.transfers.models import ImportJob, ImportStatus

    job = ImportJob.objects.create(
        kind="jongerenlijst",
        organisation=world.pro,
        user=world.users["school_gebruiker"],
        file_name="jongerenlijst.xlsx",
        sha256="0" * 64,
        status=ImportStatus.DONE,
    )
    return {"job_id": job.pk}


PLATFORM_ADMIN = frozenset({"platformbeheer"})


def _master_kind(world) -> dict[str, Any]:
    return {"kind": "organisatie"}


def _master_record(world) -> dict[str, Any]:
    return {"kind": "organisatie", "pk": world.pro.pk}


def _pro_organisation(world) -> dict[str, Any]:
    return {"organisation_id": world.pro.pk}


# --- Digitaal Doorstroomdossier -----------------------------------------------------------------
DDD_STAFF = frozenset({"vo_decaan", "vo_mentor"})
DEAN = frozenset({"vo_decaan"})
STUDENTS = frozenset({STUDENT})
MBO = frozenset({"mbo_gebruiker"})


def post_only(
    kwargs: Callable[[Any], dict[str, Any]] | None = None, *, portal: bool = False
) -> Row:
    """A POST-only address: the method check comes first, so a GET gets 405 (anonymous too). A
    student is sent back to /leerling/ before that, except on the portal's own addresses."""
    return Row(allowed=ALL if portal else STAFF, anonymous={405}, ok={405}, kwargs=kwargs)


PAGE_OR_BACK = {200, 302}  # a page, or back to the overview with a message in this phase


def _student_dossier(world, phase: str = "deel_b") -> dict[str, Any]:
    """A dossier of the world's student, sent to the VO mentor (linked to the student's class)."""
    from types import SimpleNamespace

    from vangnet.dossiers.models import ClassMentor
    from vangnet.dossiers.tests.helpers import walk_to

    user = user_for(world, STUDENT)
    ClassMentor.objects.get_or_create(
        organisation=world.vo, class_name="4H1", mentor=world.users["vo_mentor"]
    )
    student = SimpleNamespace(
        user=user, youth=world.student_enrolment.youth, enrolment=world.student_enrolment
    )
    dossier = walk_to(phase, student=student, mentor=world.users["vo_mentor"])
    return {"dossier_id": dossier.pk}


def _student_dossier_pdf(world) -> dict[str, Any]:
    return {**_student_dossier(world), "which": "deel-a"}


def _mbo_takes_part(world) -> dict[str, Any]:
    world.mbo.takes_part_in_ddd = True
    world.mbo.save()
    return {}


def _mbo_dossier(world) -> dict[str, Any]:
    from tests.factories import AanmeldingFactory

    _mbo_takes_part(world)
    kwargs = _student_dossier(world, "afgerond")
    AanmeldingFactory(youth=world.student_enrolment.youth, institution=world.mbo)
    return kwargs


def _class_mentor_link(world) -> dict[str, Any]:
    from vangnet.dossiers.models import ClassMentor

    EnrolmentFactory(organisation=world.vo, class_name="4H2")
    link = ClassMentor.objects.create(
        organisation=world.vo, class_name="4H2", mentor=world.users["vo_mentor"]
    )
    return {"link_id": link.pk}


def _vo_student(world) -> dict[str, Any]:
    return {"youth_id": EnrolmentFactory(organisation=world.vo).youth_id}


def _draft_version(world) -> dict[str, Any]:
    from vangnet.dossiers import services

    current = services.questionnaire_default_ensure()
    version = services.questionnaire_version_create_from(
        source=current, acting_user=world.users["platformbeheer"]
    )
    return {"version_id": version.pk}


def _draft_step(world) -> dict[str, Any]:
    from vangnet.dossiers.models import Step

    kwargs = _draft_version(world)
    step = Step.objects.filter(version_id=kwargs["version_id"]).first()
    return {**kwargs, "step_id": step.pk}


def _draft_question(world) -> dict[str, Any]:
    from vangnet.dossiers.models import Question

    kwargs = _draft_version(world)
    question = Question.objects.filter(step__version_id=kwargs["version_id"]).first()
    return {**kwargs, "question_id": question.pk}


def _set_password_link(world) -> dict[str, Any]:
    return {"uidb64": "MQ", "token": "set-password"}


# Pages of the sign-in flow are open to everyone; they answer a signed-in user too.
SIGN_IN_FLOW = {200, 302}

MATRIX: dict[str, Row] = {
    "two_factor:login": Row(allowed=STAFF, anonymous={200}, ok=SIGN_IN_FLOW),
    "two_factor:setup": Row(allowed=STAFF, ok=SIGN_IN_FLOW),
    "two_factor:qr": Row(allowed=STAFF, ok={200, 302, 404}),
    "two_factor:setup_complete": Row(allowed=STAFF, ok=SIGN_IN_FLOW),
    "two_factor:backup_tokens": Row(allowed=STAFF),
    "two_factor:profile": Row(allowed=STAFF),
    # Two-step verification is mandatory: nobody may switch it off.
    "two_factor:disable": Row(allowed=frozenset(), anonymous={403}, refused={403}),
    "two_factor_disable_refused": Row(allowed=frozenset(), anonymous={403}, refused={403}),
    "accounts:logout": Row(allowed=ALL, anonymous={405}, ok={405}),
    "accounts:password_reset": Row(allowed=STAFF, anonymous={200}),
    "accounts:password_reset_done": Row(allowed=STAFF, anonymous={200}),
    "accounts:password_reset_confirm": Row(allowed=STAFF, anonymous={200}, kwargs=_reset_link),
    "accounts:password_reset_complete": Row(allowed=STAFF, anonymous={200}),
    "accounts:user_list": Row(allowed=ADMINS),
    "accounts:user_export": Row(allowed=ADMINS),
    "accounts:user_add": Row(allowed=ADMINS),
    "accounts:user_edit": Row(allowed=PRO_ADMIN, kwargs=_pro_colleague),
    "accounts:user_deactivate": Row(allowed=PRO_ADMIN, kwargs=_pro_colleague),
    "accounts:user_reactivate": Row(allowed=PRO_ADMIN, kwargs=_pro_colleague),
    "accounts:user_two_factor_reset": Row(allowed=PRO_ADMIN, kwargs=_pro_colleague),
    "accounts:welcome": Row(allowed=STAFF, anonymous={200}, kwargs=_reset_link),
    "accounts:password_change": Row(allowed=STAFF),
    "youth:list": Row(allowed=YOUTH_LISTERS),
    # Schools export from their own JIKP lists; the youth list exports for the others.
    "youth:export": Row(allowed=YOUTH_EXPORTERS),
    "youth:add": Row(allowed=SCHOOLS),
    # Search by BSN (POST form): only roles that may see a full BSN (can_see_bsn).
    "youth:bsn_search": Row(allowed=SCHOOLS | {"gemeente_consulent", "gemeente_beheerder"}),
    "youth:detail": Row(allowed=PRO_YOUTH_READERS, kwargs=_pro_youth),
    "youth:edit": Row(allowed=PRO_YOUTH_READERS, kwargs=_pro_youth),
    "organisations:settings": Row(allowed=STAFF),
    "audit:search": Row(allowed=frozenset({"platformbeheer"})),
    # JIKP school lists (§3 Schoolgaand, §6 Entree, §7 Uitgeschreven) and their exports.
    "jikp:schoolgaand": Row(allowed=SCHOOLS),
    "jikp:schoolgaand_export": Row(allowed=SCHOOLS),
    # Bulk actions on selected rows: POST only. Schools pass the permission and get 405 for a
    # GET; everyone else is refused before the method check (403). POSTs: jikp test_followup.
    "jikp:schoolgaand_bulk": Row(allowed=SCHOOLS, ok={405}),
    "jikp:entree": Row(allowed=SCHOOLS),
    "jikp:entree_export": Row(allowed=SCHOOLS),
    "jikp:uitgeschreven": Row(allowed=SCHOOLS),
    "jikp:uitgeschreven_export": Row(allowed=SCHOOLS),
    "core:home": Row(allowed=STAFF),
    "core:general": Row(allowed=STAFF),
    "core:health": Row(allowed=STAFF, anonymous={200}),
    # JIKP panels of the youth detail page: the enrolling school changes the profile; the
    # gemeente reads and adds trajecten; a chain partner without samenwerking sees nothing.
    "jikp:detail_contact_add": Row(allowed=PRO_SCHOOL_STAFF, kwargs=_pro_youth),
    "jikp:detail_contact_remove": Row(allowed=PRO_SCHOOL_STAFF, kwargs=_pro_contact_link),
    "jikp:detail_perspective_set": Row(allowed=PRO_SCHOOL_STAFF, kwargs=_pro_youth),
    "jikp:detail_perspective_details": Row(allowed=PRO_SCHOOL_STAFF, kwargs=_pro_youth_at_work),
    "jikp:detail_perspective_status": Row(allowed=PRO_SCHOOL_STAFF, kwargs=_pro_youth_at_work),
    "jikp:detail_document_add": Row(allowed=PRO_SCHOOL_STAFF, kwargs=_pro_youth_at_work),
    "jikp:detail_document_download": Row(allowed=PRO_YOUTH_READERS, kwargs=_pro_dossier),
    "jikp:detail_samenwerking_request": Row(allowed=PRO_SCHOOL_STAFF, kwargs=_pro_youth_at_work),
    "jikp:detail_traject_add": Row(allowed=PRO_YOUTH_READERS, kwargs=_pro_youth),
    # Only the organisation that added a traject changes it; the gemeente gets 404 here.
    "jikp:detail_traject_edit": Row(allowed=PRO_SCHOOL_STAFF, kwargs=_pro_traject),
    "jikp:detail_traject_end": Row(allowed=PRO_SCHOOL_STAFF, kwargs=_pro_traject),
    "jikp:detail_traject_remove": Row(allowed=PRO_SCHOOL_STAFF, kwargs=_pro_traject),
    # Chain partner: incoming samenwerkingen (§4.5); Algemeen: contacts (§8.2) and documents (§8.3).
    "jikp:partner_samenwerkingen": Row(allowed=frozenset({"ketenpartner"})),
    "jikp:partner_samenwerkingen_export": Row(allowed=frozenset({"ketenpartner"})),
    "jikp:partner_contact": Row(allowed=frozenset({"ketenpartner"}), kwargs=_partner_samenwerking),
    "jikp:partner_close": Row(allowed=frozenset({"ketenpartner"}), kwargs=_partner_samenwerking),
    # Everyone of the region (and platform management) sees the contacts; another region: 404.
    "jikp:general_contacts": Row(allowed=STAFF - {"other_school"}, kwargs=_region_contacts),
    "jikp:document_download": Row(allowed=STAFF, kwargs=_general_document),
    "jikp:document_add": Row(allowed=frozenset({"platformbeheer"})),
    "jikp:document_delete": Row(allowed=frozenset({"platformbeheer"}), kwargs=_general_document),
    "organisations:designations": Row(allowed=frozenset({"gemeente_beheerder", "platformbeheer"})),
    # Master data (regions, gemeenten, organisations, locations): platform management only.
    "organisations:manage": Row(allowed=PLATFORM_ADMIN),
    "organisations:manage_add": Row(allowed=PLATFORM_ADMIN, kwargs=_master_kind),
    "organisations:manage_edit": Row(allowed=PLATFORM_ADMIN, kwargs=_master_record),
    "organisations:manage_user_add": Row(allowed=PLATFORM_ADMIN, kwargs=_pro_organisation),
    "organisations:designation_delete": Row(
        allowed=frozenset({"gemeente_beheerder", "platformbeheer"}), kwargs=_designation
    ),
    # Imports ("Jongeren bijwerken", §4.7-4.9): school staff, for the own school only; another
    # school's job is 404. Processing a checked file is a POST.
    "transfers:index": Row(allowed=SCHOOLS),
    "transfers:history": Row(allowed=SCHOOLS),
    "transfers:history_export": Row(allowed=SCHOOLS),
    "transfers:template": Row(allowed=SCHOOLS, kwargs=_import_kind),
    "transfers:upload": Row(allowed=SCHOOLS, kwargs=_import_kind),
    "transfers:job": Row(allowed=PRO_SCHOOL_STAFF, kwargs=_pro_import_job),
    "transfers:job_status": Row(allowed=PRO_SCHOOL_STAFF, kwargs=_pro_import_job),
    "transfers:job_apply": Row(allowed=PRO_SCHOOL_STAFF, ok={405}, kwargs=_pro_import_job),
    # --- Student portal (/leerling/): students only; staff get 404 there, students are sent back
    # to /leerling/ from every other page. Sign-in, activation and choosing a password are open.
    "students:login": Row(allowed=ALL, anonymous={200}, ok=SIGN_IN_FLOW),
    "students:logout": post_only(portal=True),
    "students:activate": Row(allowed=ALL, anonymous={200}, ok=SIGN_IN_FLOW),
    "students:activate_sent": Row(allowed=ALL, anonymous={200}, ok=SIGN_IN_FLOW),
    "students:set_password": Row(
        allowed=ALL, anonymous={200}, ok=SIGN_IN_FLOW, kwargs=_set_password_link
    ),
    "students:home": Row(allowed=STUDENTS),
    "students:ddd_activate": Row(allowed=STUDENTS, ok=PAGE_OR_BACK),
    "ddd_student:list": Row(allowed=STUDENTS),
    "ddd_student:start": post_only(portal=True),
    "ddd_student:detail": Row(allowed=STUDENTS, kwargs=_student_dossier),
    "ddd_student:deel_a": Row(allowed=STUDENTS, ok=PAGE_OR_BACK, kwargs=_student_dossier),
    "ddd_student:deel_a_step": Row(
        allowed=STUDENTS,
        ok=PAGE_OR_BACK,
        kwargs=lambda w: {**_student_dossier(w, "deel_a"), "step_key": "persoon"},
    ),
    "ddd_student:deel_a_progress": post_only(
        lambda w: {**_student_dossier(w, "deel_a"), "step_key": "persoon"}, portal=True
    ),
    "ddd_student:send": Row(allowed=STUDENTS, ok=PAGE_OR_BACK, kwargs=_student_dossier),
    "ddd_student:consent": Row(
        allowed=STUDENTS, kwargs=lambda w: _student_dossier(w, "akkoordverklaring")
    ),
    # "Wijzigen": a confirmation page (GET), then the change (POST).
    "ddd_student:change": Row(
        allowed=STUDENTS, kwargs=lambda w: _student_dossier(w, "akkoordverklaring")
    ),
    "ddd_student:reactivate": post_only(_student_dossier, portal=True),
    "ddd_student:aanmelding": Row(allowed=STUDENTS, ok=PAGE_OR_BACK, kwargs=_student_dossier),
    "ddd_student:pdf": Row(allowed=STUDENTS, kwargs=_student_dossier_pdf),
    # The school's DDD (mentor and decaan of the VO school; the dossier's mentor is vo_mentor).
    "ddd:dashboard": Row(allowed=DDD_STAFF),
    "ddd:dossiers": Row(allowed=DDD_STAFF),
    "ddd:dossier": Row(allowed=DDD_STAFF, kwargs=_student_dossier),
    "ddd:start_b": post_only(_student_dossier),
    "ddd:send_to_student": post_only(_student_dossier),
    "ddd:send_back": Row(allowed=DDD_STAFF, ok=PAGE_OR_BACK, kwargs=_student_dossier),
    "ddd:archive": Row(allowed=DDD_STAFF, ok=PAGE_OR_BACK, kwargs=_student_dossier),
    "ddd:history": Row(allowed=DDD_STAFF, kwargs=_student_dossier),
    "ddd:pdf": Row(allowed=DDD_STAFF, kwargs=_student_dossier_pdf),
    "ddd:students": Row(allowed=DDD_STAFF),
    "ddd:early_start": post_only(_vo_student),
    "ddd:class_mentors": Row(allowed=DEAN),
    "ddd:school_settings": Row(allowed=DEAN),
    "ddd:class_mentor_remove": Row(allowed=DEAN, ok=PAGE_OR_BACK, kwargs=_class_mentor_link),
    "student_accounts:instructions": Row(allowed=DEAN),
    "student_accounts:suggest": Row(allowed=DEAN),
    # "Opnieuw versturen" (Alle leerlingen): a confirmation page, then the mail (POST).
    "student_accounts:resend": Row(
        allowed=DEAN, kwargs=lambda w: {"enrolment_id": EnrolmentFactory(organisation=w.vo).pk}
    ),
    # The MBO (taking part in the DDD) sees completed dossiers of its applicants.
    "ddd_mbo:list": Row(allowed=MBO, kwargs=_mbo_takes_part),
    "ddd_mbo:detail": Row(allowed=MBO, kwargs=_mbo_dossier),
    "ddd_mbo:pdf": Row(allowed=MBO, kwargs=_mbo_dossier),
    # The questionnaire editor: platform management only.
    "ddd_questionnaire:versions": Row(allowed=PLATFORM_ADMIN),
    "ddd_questionnaire:version_new": post_only(),
    "ddd_questionnaire:version": Row(allowed=PLATFORM_ADMIN, kwargs=_draft_version),
    "ddd_questionnaire:preview": Row(allowed=PLATFORM_ADMIN, kwargs=_draft_version),
    "ddd_questionnaire:publish": Row(allowed=PLATFORM_ADMIN, kwargs=_draft_version),
    "ddd_questionnaire:step_add": Row(allowed=PLATFORM_ADMIN, kwargs=_draft_version),
    "ddd_questionnaire:step_edit": Row(allowed=PLATFORM_ADMIN, kwargs=_draft_step),
    "ddd_questionnaire:step_delete": Row(allowed=PLATFORM_ADMIN, kwargs=_draft_step),
    "ddd_questionnaire:question_add": Row(allowed=PLATFORM_ADMIN, kwargs=_draft_step),
    "ddd_questionnaire:question_edit": Row(allowed=PLATFORM_ADMIN, kwargs=_draft_question),
    "ddd_questionnaire:question_delete": Row(allowed=PLATFORM_ADMIN, kwargs=_draft_question),
}


# --- POST-only addresses --------------------------------------------------------------------------
# A GET of a POST-only address answers 405 for everyone, so its MATRIX row decides nothing about
# who may use it. Each such address has a row here as well, and test_post_access POSTs to it as
# anonymous and as every role, with a fresh form token (without one, every POST is answered as a
# duplicate form, allowed or not). Every POST runs in a savepoint that is rolled back, so each
# role finds the same data. Allowed: the view's own answer (its page, a redirect onwards, or its
# form error) - never 403/404/405, never the sign-in page (unless the address signs out), never
# the duplicate-form answer. Refused: 403 or 404, or the sign-in page, or (a student) /leerling/.
# test_every_post_only_url_has_a_post_row fails when a POST-only address has no row here.


@dataclass(frozen=True)
class PostRow:
    allowed: frozenset[str]
    kwargs: Callable[[Any], dict[str, Any]] | None = None
    data: Callable[[Any, dict[str, Any]], dict[str, Any]] | None = None
    ok: set[int] = field(default_factory=lambda: {200, 302})
    signs_out: bool = False  # its success is the sign-in page


def _student_dossier_in_part_b(world) -> dict[str, Any]:
    """A dossier whose part B the mentor has started and filled in: ready for the student."""
    from vangnet.dossiers import services
    from vangnet.dossiers.models import Dossier, Part
    from vangnet.dossiers.tests.helpers import fill

    kwargs = _student_dossier(world)
    mentor = world.users["vo_mentor"]
    dossier = services.deel_b_start(
        dossier=Dossier.objects.get(pk=kwargs["dossier_id"]), acting_user=mentor
    )
    fill(dossier, Part.B_STUDENT, mentor)
    fill(dossier, Part.B_DOSSIER, mentor)
    return kwargs


def _archived_student_dossier(world) -> dict[str, Any]:
    from vangnet.dossiers import services
    from vangnet.dossiers.models import Dossier

    kwargs = _student_dossier(world)
    services.dossier_archive(
        dossier=Dossier.objects.get(pk=kwargs["dossier_id"]), acting_user=world.users["vo_mentor"]
    )
    return kwargs


def _vo_student_of_mentor(world) -> dict[str, Any]:
    """A VO student without a dossier, in a class linked to the world's mentor."""
    from vangnet.dossiers.models import ClassMentor

    enrolment = EnrolmentFactory(
        organisation=world.vo, youth__municipality=world.gem_a, class_name="4H3"
    )
    ClassMentor.objects.create(
        organisation=world.vo, class_name="4H3", mentor=world.users["vo_mentor"]
    )
    return {"youth_id": enrolment.youth_id}


def _current_questionnaire(world) -> dict[str, Any]:
    from vangnet.dossiers import services

    services.questionnaire_default_ensure()
    return {}


def _pro_checked_import_job(world) -> dict[str, Any]:
    """An uploaded and checked jongerenlijst of the PrO school, ready to apply."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from vangnet.transfers import services
    from vangnet.transfers.tests.builders import youth_list, youth_row

    data = youth_list([youth_row(municipality=world.gem_a.name)])
    job = services.job_create(
        kind="jongerenlijst",
        uploaded=SimpleUploadedFile("jongerenlijst.xlsx", data),
        acting_user=world.users["school_gebruiker"],
    )
    job = services.job_check(job_id=job.pk)
    assert job is not None and job.status == "valid", job and job.status
    return {"job_id": job.pk}


def _pro_bulk_status(world, kwargs) -> dict[str, Any]:
    """A bulk status change for one schoolgoing youth of the PrO school."""
    enrolment = EnrolmentFactory(organisation=world.pro, youth__municipality=world.gem_a)
    return {"action": "status", "status": "arbeid_stage", "ids": [enrolment.youth_id]}


POST_MATRIX: dict[str, PostRow] = {
    # Signing out is open to every signed-in account (a student's portal session too).
    "accounts:logout": PostRow(allowed=ALL, signs_out=True),
    "students:logout": PostRow(allowed=ALL, signs_out=True),
    "ddd_student:start": PostRow(allowed=STUDENTS),
    "ddd_student:deel_a_progress": PostRow(
        allowed=STUDENTS, kwargs=lambda w: {**_student_dossier(w, "deel_a"), "step_key": "persoon"}
    ),
    "ddd_student:change": PostRow(
        allowed=STUDENTS, kwargs=lambda w: _student_dossier(w, "akkoordverklaring")
    ),
    "ddd_student:reactivate": PostRow(allowed=STUDENTS, kwargs=_archived_student_dossier),
    "ddd:start_b": PostRow(allowed=DDD_STAFF, kwargs=_student_dossier),
    "ddd:send_to_student": PostRow(allowed=DDD_STAFF, kwargs=_student_dossier_in_part_b),
    "ddd:early_start": PostRow(allowed=DDD_STAFF, kwargs=_vo_student_of_mentor),
    "ddd_questionnaire:version_new": PostRow(allowed=PLATFORM_ADMIN, kwargs=_current_questionnaire),
    "transfers:job_apply": PostRow(allowed=PRO_SCHOOL_STAFF, kwargs=_pro_checked_import_job),
    "jikp:schoolgaand_bulk": PostRow(allowed=SCHOOLS, data=_pro_bulk_status),
}


def _walk(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or namespace
            if namespace and pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}"
            yield from _walk(pattern.url_patterns, ns)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}:{pattern.name}" if namespace else str(pattern.name)


def project_url_names() -> set[str]:
    return set(_walk(get_resolver().url_patterns))


def test_every_url_has_a_row():
    names = project_url_names()
    missing = sorted(names - MATRIX.keys())
    stale = sorted(MATRIX.keys() - names)
    assert missing == [], f"URLs without an access-matrix row: {missing}"
    assert stale == [], f"Rows for URLs that no longer exist: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_access(client, world, url_name):
    row = MATRIX[url_name]
    url = reverse(url_name, kwargs=row.kwargs(world) if row.kwargs else None)
    response = client.get(url)
    assert response.status_code in row.anonymous, f"anonymous {url_name}: {response.status_code}"
    for role in ROLES:
        client.logout()
        login_verified(client, user_for(world, role))
        response = client.get(url)
        expected = row.ok if role in row.allowed else row.refused
        if role == STUDENT and role not in row.allowed and response.status_code == 302:
            # Refused by confinement: sent back to the student portal, nothing of the page shown.
            assert response["Location"].startswith("/leerling/"), (
                f"{url_name}: {response['Location']}"
            )
            continue
        assert response.status_code in expected, (
            f"{role} {url_name}: {response.status_code}, expected {expected}"
        )
        if response.status_code == 405:
            assert url_name in POST_MATRIX, f"{url_name} refuses GET: give it a POST_MATRIX row"


def test_every_post_only_url_has_a_post_row():
    """A row that expects 405 from a GET describes a POST-only address: it needs a POST row."""
    post_only_rows = {
        name for name, row in MATRIX.items() if row.ok == {405} or row.anonymous == {405}
    }
    assert sorted(post_only_rows - POST_MATRIX.keys()) == []
    assert sorted(POST_MATRIX.keys() - MATRIX.keys()) == []


def _sign_in_pages() -> tuple[str, ...]:
    return (reverse("two_factor:login"), reverse("students:login"))


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(POST_MATRIX))
def test_post_access(client, world, url_name):
    row = POST_MATRIX[url_name]
    kwargs = row.kwargs(world) if row.kwargs else {}
    url = reverse(url_name, kwargs=kwargs or None)
    data = row.data(world, kwargs) if row.data else {}
    user_for(world, STUDENT)  # made before the first savepoint, so that it outlives the rollbacks

    def post():
        with transaction.atomic():
            response = client.post(url, {**data, FORM_TOKEN: uuid.uuid4().hex})
            transaction.set_rollback(True)
        return response

    def to(response, prefixes) -> bool:
        return response.status_code == 302 and response["Location"].startswith(prefixes)

    response = post()
    assert to(response, _sign_in_pages()), f"anonymous {url_name}: {response.status_code}"
    for role in ROLES:
        client.logout()
        login_verified(client, user_for(world, role))
        response = post()
        answer = f"{role} {url_name}: {response.status_code} {response.get('Location', '')}"
        if role in row.allowed:
            assert response.status_code in row.ok, answer
            assert not to(response, (url,)), f"answered as a duplicate form: {answer}"
            if not row.signs_out:
                assert not to(response, _sign_in_pages()), answer
                if role != STUDENT:
                    assert not to(response, ("/leerling/",)), answer
        else:
            assert (
                response.status_code in REFUSED
                or to(response, _sign_in_pages())
                or (role == STUDENT and to(response, ("/leerling/",)))
            ), f"refused expected: {answer}"

"""Access matrix: every URL of the project, for anonymous and every role, allowed or refused.

`test_every_url_has_a_row` fails when a URL pattern is added without a row here, so no page can
ship without someone deciding who may open it. Refused means 403 or 404 (never the record);
anonymous visitors of protected pages are sent to the login page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import login_verified
from tests.factories import EnrolmentFactory
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
]
ALL = frozenset(ROLES)
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


# Pages of the sign-in flow are open to everyone; they answer a signed-in user too.
SIGN_IN_FLOW = {200, 302}

MATRIX: dict[str, Row] = {
    "two_factor:login": Row(allowed=ALL, anonymous={200}, ok=SIGN_IN_FLOW),
    "two_factor:setup": Row(allowed=ALL, ok=SIGN_IN_FLOW),
    "two_factor:qr": Row(allowed=ALL, ok={200, 302, 404}),
    "two_factor:setup_complete": Row(allowed=ALL, ok=SIGN_IN_FLOW),
    "two_factor:backup_tokens": Row(allowed=ALL),
    "two_factor:profile": Row(allowed=ALL),
    # Two-step verification is mandatory: nobody may switch it off.
    "two_factor:disable": Row(allowed=frozenset(), anonymous={403}, refused={403}),
    "two_factor_disable_refused": Row(allowed=frozenset(), anonymous={403}, refused={403}),
    "accounts:logout": Row(allowed=ALL, anonymous={405}, ok={405}),
    "accounts:password_reset": Row(allowed=ALL, anonymous={200}),
    "accounts:password_reset_done": Row(allowed=ALL, anonymous={200}),
    "accounts:password_reset_confirm": Row(allowed=ALL, anonymous={200}, kwargs=_reset_link),
    "accounts:password_reset_complete": Row(allowed=ALL, anonymous={200}),
    "accounts:user_list": Row(allowed=ADMINS),
    "accounts:user_export": Row(allowed=ADMINS),
    "accounts:user_add": Row(allowed=ADMINS),
    "accounts:user_edit": Row(allowed=PRO_ADMIN, kwargs=_pro_colleague),
    "accounts:user_deactivate": Row(allowed=PRO_ADMIN, kwargs=_pro_colleague),
    "accounts:user_reactivate": Row(allowed=PRO_ADMIN, kwargs=_pro_colleague),
    "accounts:user_two_factor_reset": Row(allowed=PRO_ADMIN, kwargs=_pro_colleague),
    "accounts:welcome": Row(allowed=ALL, anonymous={200}, kwargs=_reset_link),
    "accounts:password_change": Row(allowed=ALL),
    "youth:list": Row(allowed=YOUTH_LISTERS),
    # Schools export from their own JIKP lists; the youth list exports for the others.
    "youth:export": Row(allowed=YOUTH_EXPORTERS),
    "youth:add": Row(allowed=SCHOOLS),
    "youth:detail": Row(allowed=PRO_YOUTH_READERS, kwargs=_pro_youth),
    "youth:edit": Row(allowed=PRO_YOUTH_READERS, kwargs=_pro_youth),
    "organisations:settings": Row(allowed=ALL),
    "audit:search": Row(allowed=frozenset({"platformbeheer"})),
    # JIKP school lists (§3 Schoolgaand, §6 Entree, §7 Uitgeschreven) and their exports.
    "jikp:schoolgaand": Row(allowed=SCHOOLS),
    "jikp:schoolgaand_export": Row(allowed=SCHOOLS),
    "jikp:entree": Row(allowed=SCHOOLS),
    "jikp:entree_export": Row(allowed=SCHOOLS),
    "jikp:uitgeschreven": Row(allowed=SCHOOLS),
    "jikp:uitgeschreven_export": Row(allowed=SCHOOLS),
    "core:home": Row(allowed=ALL),
    "core:general": Row(allowed=ALL),
    "core:health": Row(allowed=ALL, anonymous={200}),
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
    # Chain partner: incoming samenwerkingen (§4.5); Algemeen: contacts (§8.2) and documents (§8.3).
    "jikp:partner_samenwerkingen": Row(allowed=frozenset({"ketenpartner"})),
    "jikp:partner_samenwerkingen_export": Row(allowed=frozenset({"ketenpartner"})),
    "jikp:partner_contact": Row(allowed=frozenset({"ketenpartner"}), kwargs=_partner_samenwerking),
    "jikp:partner_close": Row(allowed=frozenset({"ketenpartner"}), kwargs=_partner_samenwerking),
    # Everyone of the region (and platform management) sees the contacts; another region: 404.
    "jikp:general_contacts": Row(allowed=ALL - {"other_school"}, kwargs=_region_contacts),
    "jikp:document_download": Row(allowed=ALL, kwargs=_general_document),
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
        login_verified(client, world.users[role])
        response = client.get(url)
        expected = row.ok if role in row.allowed else row.refused
        assert response.status_code in expected, (
            f"{role} {url_name}: {response.status_code}, expected {expected}"
        )

"""Algemeen (seed 000 §8): contact details of the region and their management, documents; and
Instellingen (§9) honoured by the nightly job."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import login_verified
from tests.factories import (
    ContactDesignationFactory,
    EnrolmentFactory,
    MunicipalityFactory,
    OrganisationFactory,
    UserFactory,
)
from vangnet.accounts.models import Role
from vangnet.audit.models import AuditAction, AuditEvent
from vangnet.core.nightly import run_nightly
from vangnet.core.uploads import MAX_UPLOAD_BYTES
from vangnet.jikp import selectors, services
from vangnet.jikp.models import Document, Monitoring, Uitstroomperspectief
from vangnet.jikp.selectors import SchoolListFilters
from vangnet.organisations.models import ContactDesignation, OrganisationKind
from vangnet.organisations.services import designation_add
from vangnet.youth.models import Enrolment
from vangnet.youth.services import enrolments_process_unenrolments

pytestmark = pytest.mark.django_db

GENERAL = "core:general"
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"


def _token(client, url: str) -> str:
    html = client.get(url).content.decode()
    return re.search(r'name="form_token" value="([^"]+)"', html).group(1)


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }


# --- Contactgegevens (§8.2) -----------------------------------------------------------------------


@pytest.fixture
def designations(world):
    """Contacts of the region, one of them no longer active, and one in another region."""
    partner_a = UserFactory(organisation=world.partner, first_name="Ada")
    partner_b = UserFactory(organisation=world.partner, first_name="Bram")
    gemeente = world.users["gemeente_consulent"]
    gone = UserFactory(organisation=world.partner, is_active=False)
    return [
        ContactDesignationFactory(municipality=world.gem_a, perspective="arbeid", user=partner_a),
        ContactDesignationFactory(municipality=world.gem_a, perspective="arbeid", user=partner_b),
        ContactDesignationFactory(
            municipality=world.gem_a, perspective="dagbesteding", user=partner_a
        ),
        ContactDesignationFactory(municipality=world.gem_b, perspective="onderwijs", user=gemeente),
        ContactDesignationFactory(municipality=world.gem_b, perspective="arbeid", user=gone),
        ContactDesignationFactory(municipality=world.gem_x, perspective="arbeid"),
    ]


def test_counts_per_municipality_match_the_lists(client, world, designations):
    login_verified(client, world.users["school_gebruiker"])
    response = client.get(reverse(GENERAL))
    assert response.status_code == 200

    rows = response.context["municipalities"]
    assert [row["name"] for row in rows] == ["Aastad", "Beedorp"]
    counts = {(row["name"], kind): n for row in rows for kind, _label, n in row["cells"]}
    assert counts == {
        ("Aastad", "onderwijs"): 0,
        ("Aastad", "arbeid"): 2,
        ("Aastad", "dagbesteding"): 1,
        ("Beedorp", "onderwijs"): 1,
        ("Beedorp", "arbeid"): 0,  # the only contact is no longer active
        ("Beedorp", "dagbesteding"): 0,
    }
    html = response.content.decode()
    for row in rows:
        for kind, _label, n in row["cells"]:
            url = reverse("jikp:general_contacts", args=[row["id"], kind])
            listed = client.get(url)
            assert listed.status_code == 200
            assert len(listed.context["contacts"]) == n
            assert (url in html) == bool(n)
    # The list of a number shows who they are.
    aastad_work = client.get(reverse("jikp:general_contacts", args=[world.gem_a.pk, "arbeid"]))
    text = aastad_work.content.decode()
    for designation in designations[:2]:
        assert designation.user.email in text
        assert world.partner.name in text


def test_the_region_selectors_agree_with_the_table(world, designations):
    counts = selectors.contact_counts_for_region(region_id=world.region.pk)
    aastad = next(row for row in counts if row["id"] == world.gem_a.pk)
    assert aastad["counts"]["arbeid"] == 2
    assert (
        selectors.designated_contacts_for_region(
            region_id=world.region.pk, municipality_id=world.gem_a.pk, perspective="arbeid"
        ).count()
        == 2
    )
    assert not selectors.designated_contacts_for_region(
        region_id=None, municipality_id=world.gem_a.pk, perspective="arbeid"
    ).exists()


def test_contacts_of_another_region_are_not_found(client, world, designations):
    login_verified(client, world.users["school_gebruiker"])
    assert (
        client.get(reverse("jikp:general_contacts", args=[world.gem_x.pk, "arbeid"])).status_code
        == 404
    )
    assert (
        client.get(reverse("jikp:general_contacts", args=[world.gem_a.pk, "zorg"])).status_code
        == 404
    )
    # Another region's user asking for our region's numbers gets their own region instead.
    client.logout()
    login_verified(client, world.users["other_school"])
    rows = client.get(reverse(GENERAL), {"regio": world.region.pk}).context["municipalities"]
    assert [row["name"] for row in rows] == ["Xveen"]


def test_platform_management_chooses_a_region(client, world, designations):
    login_verified(client, world.users["platformbeheer"])
    response = client.get(reverse(GENERAL), {"regio": world.other_region.pk})
    assert [row["name"] for row in response.context["municipalities"]] == ["Xveen"]
    assert response.context["regions"] is not None


def test_school_contacts_are_the_school_administrators_of_the_region(client, world):
    login_verified(client, world.users["gemeente_consulent"])
    contacts = list(client.get(reverse(GENERAL)).context["school_contacts"])
    assert contacts == [world.users["school_beheerder"]]  # not other_school: another region


def test_users_section_only_for_administrators(client, world):
    user_list = reverse("accounts:user_list")
    login_verified(client, world.users["school_beheerder"])
    assert user_list in client.get(reverse(GENERAL)).content.decode()
    client.logout()
    login_verified(client, world.users["school_gebruiker"])
    assert user_list not in client.get(reverse(GENERAL)).content.decode()


# --- Managing the designated contacts -------------------------------------------------------------


def test_gemeente_beheerder_designates_and_removes_a_contact(client, world):
    admin = world.users["gemeente_beheerder"]
    partner_user = world.users["ketenpartner"]
    login_verified(client, admin)
    url = reverse("organisations:designations")

    response = client.post(
        url,
        {
            "municipality": world.gem_b.pk,
            "perspective": "dagbesteding",
            "user": partner_user.pk,
            "form_token": _token(client, url),
        },
    )

    assert response.status_code == 302
    designation = ContactDesignation.objects.get()
    assert (designation.municipality, designation.perspective, designation.user) == (
        world.gem_b,
        "dagbesteding",
        partner_user,
    )
    assert AuditEvent.objects.filter(
        user_id=admin.pk, action=AuditAction.CREATE, object_type="organisations.contactdesignation"
    ).exists()
    # The school now finds the contact under Algemeen.
    assert (
        selectors.designated_contacts_for_region(
            region_id=world.region.pk,
            municipality_id=world.gem_b.pk,
            perspective="dagbesteding",
        )
        .get()
        .user
        == partner_user
    )

    remove = reverse("organisations:designation_delete", args=[designation.pk])
    assert client.get(remove).status_code == 200
    assert client.post(remove).status_code == 302
    assert not ContactDesignation.objects.exists()
    assert AuditEvent.objects.filter(
        user_id=admin.pk, action=AuditAction.DELETE, object_type="organisations.contactdesignation"
    ).exists()


def test_a_duplicate_designation_is_refused_with_a_message(client, world):
    login_verified(client, world.users["gemeente_beheerder"])
    ContactDesignationFactory(
        municipality=world.gem_a, perspective="arbeid", user=world.users["ketenpartner"]
    )
    url = reverse("organisations:designations")
    response = client.post(
        url,
        {
            "municipality": world.gem_a.pk,
            "perspective": "arbeid",
            "user": world.users["ketenpartner"].pk,
            "form_token": _token(client, url),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert ContactDesignation.objects.count() == 1


def test_only_people_of_partners_and_municipalities_of_the_region_can_be_designated(client, world):
    login_verified(client, world.users["gemeente_beheerder"])
    url = reverse("organisations:designations")
    outsider_partner = OrganisationFactory(
        kind=OrganisationKind.CARE_PROVIDER, municipality=world.gem_x
    )
    for user in (
        world.users["school_gebruiker"],  # a school
        UserFactory(organisation=outsider_partner),  # another region
        UserFactory(organisation=world.partner, is_active=False),
    ):
        response = client.post(
            url,
            {
                "municipality": world.gem_a.pk,
                "perspective": "arbeid",
                "user": user.pk,
                "form_token": _token(client, url),
            },
        )
        assert response.status_code == 200
        assert "user" in response.context["form"].errors
    # Nor for a municipality of another region.
    response = client.post(
        url,
        {
            "municipality": world.gem_x.pk,
            "perspective": "arbeid",
            "user": world.users["ketenpartner"].pk,
            "form_token": _token(client, url),
        },
    )
    assert "municipality" in response.context["form"].errors
    assert not ContactDesignation.objects.exists()


def test_non_beheerders_cannot_manage_designations(client, world):
    designation = ContactDesignationFactory(
        municipality=world.gem_a, user=world.users["ketenpartner"]
    )
    for role in ("gemeente_consulent", "school_beheerder", "ketenpartner", "school_gebruiker"):
        client.logout()
        login_verified(client, world.users[role])
        assert client.get(reverse("organisations:designations")).status_code == 403
        remove = reverse("organisations:designation_delete", args=[designation.pk])
        assert client.post(remove).status_code == 403
    assert ContactDesignation.objects.filter(pk=designation.pk).exists()
    # The service refuses too, whatever the caller.
    with pytest.raises(PermissionDenied):
        designation_add(
            municipality=world.gem_a,
            perspective="onderwijs",
            user=world.users["ketenpartner"],
            acting_user=world.users["gemeente_consulent"],
        )


def test_a_gemeente_beheerder_of_another_region_cannot_touch_ours(client, world):
    other_admin = UserFactory(organisation=world.other_gemeente, roles=[Role.ADMIN])
    designation = ContactDesignationFactory(
        municipality=world.gem_a, user=world.users["ketenpartner"]
    )
    login_verified(client, other_admin)
    remove = reverse("organisations:designation_delete", args=[designation.pk])
    assert client.post(remove).status_code == 404
    assert (
        client.get(reverse("organisations:designations"), {"regio": world.region.pk}).context[
            "region"
        ]
        == world.other_region
    )
    with pytest.raises(PermissionDenied):
        designation_add(
            municipality=world.gem_a,
            perspective="arbeid",
            user=world.users["ketenpartner"],
            acting_user=other_admin,
        )


def test_platform_management_manages_every_region(world):
    x_partner = OrganisationFactory(kind=OrganisationKind.CARE_ACCESS, municipality=world.gem_x)
    contact = UserFactory(organisation=x_partner)
    designation = designation_add(
        municipality=world.gem_x,
        perspective="dagbesteding",
        user=contact,
        acting_user=world.users["platformbeheer"],
    )
    assert designation.pk
    with pytest.raises(ValidationError):
        designation_add(
            municipality=MunicipalityFactory(region=world.region),
            perspective="dagbesteding",
            user=contact,  # of another region
            acting_user=world.users["platformbeheer"],
        )


# --- Documenten (§8.3) -------------------------------------------------------------------------


def _upload(client, name: str, content: bytes, title: str = "Handleiding"):
    url = reverse("jikp:document_add")
    return client.post(
        url,
        {
            "title": title,
            "description": "Voor scholen",
            "file": SimpleUploadedFile(name, content),
            "form_token": _token(client, url),
        },
    )


def test_platform_management_uploads_and_everyone_downloads(client, world):
    login_verified(client, world.users["platformbeheer"])
    assert _upload(client, "handleiding.pdf", PDF).status_code == 302
    assert _upload(client, "werkwijze.docx", _docx(), title="Werkwijze").status_code == 302
    pdf, docx = Document.objects.order_by("title")
    assert (pdf.content_type, docx.content_type) == (
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )

    for role in ("school_gebruiker", "ketenpartner", "mbo_gebruiker", "other_school"):
        client.logout()
        login_verified(client, world.users[role])
        page = client.get(reverse(GENERAL), {"tab": "documenten"})
        assert "Handleiding" in page.content.decode()
        assert reverse("jikp:document_add") not in page.content.decode()
        response = client.get(reverse("jikp:document_download", args=[pdf.pk]))
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert 'filename="handleiding.pdf"' in response["Content-Disposition"]
        assert b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("nep.pdf", b"Dit is geen PDF maar platte tekst.\n"),  # a fake PDF: the name lies
        ("leeg.pdf", b""),
        ("kapot.docx", b"PK\x03\x04 not really a zip"),
        ("archief.docx", b"PK\x05\x06" + bytes(18)),  # an empty zip, no Word document
        ("groot.pdf", b"%PDF-1.7\n" + bytes(MAX_UPLOAD_BYTES)),
    ],
)
def test_uploads_are_refused_by_content(client, world, name, content):
    login_verified(client, world.users["platformbeheer"])
    response = _upload(client, name, content)
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not Document.objects.exists()


def test_only_platform_management_adds_or_removes_documents(client, world):
    document = services.document_add(
        title="Handleiding",
        description="",
        uploaded=SimpleUploadedFile("h.pdf", PDF),
        acting_user=world.users["platformbeheer"],
    )
    for role in ("school_beheerder", "gemeente_beheerder", "ketenpartner"):
        client.logout()
        login_verified(client, world.users[role])
        assert client.get(reverse("jikp:document_add")).status_code == 403
        assert client.post(reverse("jikp:document_delete", args=[document.pk])).status_code == 403
        with pytest.raises(PermissionDenied):
            services.document_add(
                title="x",
                description="",
                uploaded=SimpleUploadedFile("x.pdf", PDF),
                acting_user=world.users[role],
            )
    assert Document.objects.filter(pk=document.pk).exists()


def test_removing_a_document_removes_its_file(client, world, django_capture_on_commit_callbacks):
    admin = world.users["platformbeheer"]
    document = services.document_add(
        title="Oud", description="", uploaded=SimpleUploadedFile("oud.pdf", PDF), acting_user=admin
    )
    storage, name = document.file.storage, document.file.name
    assert storage.exists(name)
    login_verified(client, admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("jikp:document_delete", args=[document.pk]))
    assert response.status_code == 302
    assert not Document.objects.exists()
    assert not storage.exists(name)
    assert client.get(reverse("jikp:document_download", args=[document.pk])).status_code == 404


# --- Instellingen (§9) and the nightly job ----------------------------------------------------


def _leaving(world, kind: str | None, *, left_on: dt.date, school=None):
    school = school or world.pro
    enrolment = EnrolmentFactory(
        organisation=school, youth__municipality=world.gem_a, unenrolled_on=left_on
    )
    if kind:
        Uitstroomperspectief.objects.create(
            youth=enrolment.youth,
            organisation=school,
            kind=kind,
            status=f"{kind}_orienterend",
            created_by=world.users["school_gebruiker"],
        )
    return enrolment


def test_settings_are_saved_by_the_school_administrator_only(client, world):
    url = reverse("organisations:settings")
    login_verified(client, world.users["school_gebruiker"])
    assert client.post(url, {"auto_monitor_work": "on"}).status_code == 403
    client.logout()
    login_verified(client, world.users["school_beheerder"])
    assert client.post(url, {"auto_monitor_work": "on"}).status_code == 302
    world.pro.refresh_from_db()
    assert (
        world.pro.auto_monitor_education,
        world.pro.auto_monitor_work,
        world.pro.auto_monitor_day_care,
    ) == (False, True, False)
    assert AuditEvent.objects.filter(object_type="organisations.organisation").exists()
    assert "checked" in client.get(url).content.decode()


def test_nightly_starts_monitoring_when_the_school_asked_for_it(world):
    today = dt.date(2025, 7, 1)
    world.pro.auto_monitor_work = True
    world.pro.save()
    work = _leaving(world, "arbeid", left_on=dt.date(2025, 6, 30))
    education = _leaving(world, "onderwijs", left_on=dt.date(2025, 6, 30))
    no_perspective = _leaving(world, None, left_on=dt.date(2025, 6, 30))
    not_yet = _leaving(world, "arbeid", left_on=today)
    elsewhere = _leaving(world, "arbeid", left_on=dt.date(2025, 6, 30), school=world.vso)

    result = run_nightly(today=today)

    assert result["unenrolments_processed"] == 4
    assert result["monitoring_started"] == 1
    monitoring = Monitoring.objects.get()
    assert (
        monitoring.youth_id,
        monitoring.school_id,
        monitoring.perspective_kind,
        monitoring.started_on,
        monitoring.started_automatically,
    ) == (work.youth_id, world.pro.pk, "arbeid", today, True)
    processed = set(
        Enrolment.objects.filter(unenrolment_processed=True).values_list("pk", flat=True)
    )
    assert processed == {work.pk, education.pk, no_perspective.pk, elsewhere.pk}
    assert not_yet.pk not in processed
    assert AuditEvent.objects.filter(
        youth_id=work.youth_id, action=AuditAction.CREATE, description__startswith="monitoring"
    ).exists()
    # Shown in the school's own Uitgeschreven list.
    rows = selectors.school_list_rows(
        user=world.users["school_gebruiker"], filters=SchoolListFilters(state="uitgeschreven")
    )
    started = {row.youth_id: row.monitoring_started for row in rows}
    assert started[work.youth_id] == today
    assert started[education.youth_id] is None
    vso_rows = selectors.school_list_rows(
        user=world.users["vso_gebruiker"], filters=SchoolListFilters(state="uitgeschreven")
    )
    assert {row.youth_id: row.monitoring_started for row in vso_rows} == {elsewhere.youth_id: None}

    # The next night nothing is processed or started twice.
    assert run_nightly(today=today + dt.timedelta(days=1)) == {
        "unenrolments_processed": 1,  # not_yet
        "monitoring_started": 1,
        "messages_sent": 0,
    }
    assert Monitoring.objects.count() == 2


def test_the_school_sees_in_uitgeschreven_and_its_export_since_when_a_youth_is_monitored(
    client, world
):
    """§9 honoured where the school looks: the Uitgeschreven list and its export."""
    world.pro.auto_monitor_work = True
    world.pro.save()
    yesterday = dt.date.today() - dt.timedelta(days=1)
    work = _leaving(world, "arbeid", left_on=yesterday)
    education = _leaving(world, "onderwijs", left_on=yesterday)
    run_nightly(today=dt.date.today())

    login_verified(client, world.users["school_gebruiker"])
    response = client.get(reverse("jikp:uitgeschreven"))
    html = response.content.decode()
    assert "Monitoring sinds" in html
    started = {r["e"].youth_id: r["monitoring_started"] for r in response.context["rows"]}
    assert started == {work.youth_id: dt.date.today(), education.youth_id: None}
    assert dt.date.today().strftime("%d-%m-%Y") in html

    export = client.get(reverse("jikp:uitgeschreven_export"), {"formaat": "csv"})
    lines = b"".join(export.streaming_content).decode("utf-8-sig").splitlines()
    header = lines[0].split(";")
    column = header.index("Monitoring sinds")
    by_name = {line.split(";")[3]: line.split(";")[column] for line in lines[1:]}
    assert by_name[work.youth.last_name] and not by_name[education.youth.last_name]


def test_without_the_preference_nothing_is_monitored(world):
    for kind in ("onderwijs", "arbeid", "dagbesteding"):
        _leaving(world, kind, left_on=dt.date(2025, 6, 30))
    result = run_nightly(today=dt.date(2025, 7, 1))
    assert result["unenrolments_processed"] == 3
    assert result["monitoring_started"] == 0
    assert not Monitoring.objects.exists()


def test_each_preference_follows_its_own_perspective_kind(world):
    world.pro.auto_monitor_education = True
    world.pro.auto_monitor_day_care = True
    world.pro.save()
    youth = {
        kind: _leaving(world, kind, left_on=dt.date(2025, 6, 30)).youth_id
        for kind in ("onderwijs", "arbeid", "dagbesteding")
    }
    run_nightly(today=dt.date(2025, 7, 1))
    assert set(Monitoring.objects.values_list("youth_id", flat=True)) == {
        youth["onderwijs"],
        youth["dagbesteding"],
    }


def test_processing_returns_the_ids_in_one_select_and_one_update(world):
    enrolments = [_leaving(world, None, left_on=dt.date(2025, 6, 1)) for _ in range(5)]
    with CaptureQueriesContext(connection) as captured:
        ids = enrolments_process_unenrolments(today=dt.date(2025, 7, 1))
    statements = [q["sql"].split()[0].upper() for q in captured.captured_queries]
    # (besides the savepoint of the transaction)
    assert statements.count("SELECT") == 1
    assert statements.count("UPDATE") == 1
    assert sorted(ids) == sorted(e.pk for e in enrolments)
    assert enrolments_process_unenrolments(today=dt.date(2025, 7, 1)) == []


def test_the_nightly_command_takes_a_date(world):
    world.pro.auto_monitor_day_care = True
    world.pro.save()
    enrolment = _leaving(world, "dagbesteding", left_on=dt.date(2025, 3, 14))
    out = io.StringIO()
    call_command("nightly", "--date", "2025-03-15", stdout=out)
    assert "unenrolments_processed: 1" in out.getvalue()
    assert "monitoring_started: 1" in out.getvalue()
    assert Monitoring.objects.get().youth_id == enrolment.youth_id
    assert Monitoring.objects.get().started_on == dt.date(2025, 3, 15)

"""The JIKP panels on the youth detail page and their action pages, end to end (seed 000 §4-5)."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from conftest import login_verified
from tests.factories import (
    ContactDesignationFactory,
    EnrolmentFactory,
    OrganisationFactory,
    UserFactory,
)
from vangnet.accounts.models import Role
from vangnet.audit.models import AuditAction, AuditEvent
from vangnet.jikp import selectors, services
from vangnet.jikp.models import (
    Aanmelding,
    ContactPerson,
    PerspectiveChange,
    PerspectiveDocument,
    Samenwerking,
    Traject,
    Uitstroomperspectief,
)
from vangnet.organisations.models import OrganisationKind

pytestmark = pytest.mark.django_db

# The whole detail page (session, person record, audit, every panel) for a school user.
MAX_DETAIL_QUERIES = 30
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    return tmp_path / "media"


@pytest.fixture
def youth(world):
    return EnrolmentFactory(organisation=world.pro, youth__municipality=world.gem_a).youth


@pytest.fixture
def school_user(world):
    return world.users["school_gebruiker"]


@pytest.fixture
def school(client, school_user):
    return login_verified(client, school_user)


def _url(name, youth, **kwargs):
    return reverse(f"jikp:detail_{name}", kwargs={"youth_id": youth.pk, **kwargs})


def _detail(client, youth):
    response = client.get(reverse("youth:detail", args=[youth.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _token(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return re.search(r'name="form_token" value="([^"]+)"', response.content.decode()).group(1)


def _submit(client, url, data=None, **extra):
    """GET the form, then POST it with its one-time token."""
    return client.post(url, {**(data or {}), "form_token": _token(client, url)}, **extra)


def _set_perspective(youth, world, kind="arbeid"):
    return services.perspective_set(
        youth=youth, school=world.pro, kind=kind, acting_user=world.users["school_gebruiker"]
    )


def _open_samenwerking(youth, world, *, linked=True):
    """A samenwerking with the world's partner; linked: the partner linked a contact person, so
    that it sees the youth's record (before that it sees only the request)."""
    contact = UserFactory(organisation=world.partner, roles=[Role.GENERALIST])
    ContactDesignationFactory(municipality=world.gem_a, perspective="arbeid", user=contact)
    _set_perspective(youth, world, "arbeid")
    samenwerking = services.samenwerking_request(
        youth=youth, school=world.pro, acting_user=world.users["school_gebruiker"]
    )
    if linked:
        services.contact_person_link(youth=youth, contact=contact, acting_user=contact)
        samenwerking.refresh_from_db()
    return samenwerking


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _audited(action, object_type, youth):
    return AuditEvent.objects.filter(
        action=action, object_type=object_type, youth_id=youth.pk
    ).exists()


# --- Contactpersonen ----------------------------------------------------------------------------


def test_school_links_a_colleague_and_every_contact_column_shows(school, world, youth):
    colleague = UserFactory(
        organisation=world.pro,
        first_name="Mira",
        last_name="Mentor",
        job_title="Mentor bovenbouw",
        phone="06-12345678",
        email="mira@example.test",
        roles=[Role.MENTOR],
    )
    url = _url("contact_add", youth)
    assert "Mira Mentor" in school.get(url).content.decode()
    response = _submit(school, url, {"contact": colleague.pk})
    assert response.status_code == 302
    html = _detail(school, youth)
    section = html[html.index('id="jikp-contacts"') :]
    for text in (
        "PrO De Brug",
        "Mira Mentor",
        "Mentor bovenbouw",
        "06-12345678",
        "mira@example.test",
        "Mentor",
    ):
        assert text in section
    assert _audited(AuditAction.CREATE, "jikp.contactperson", youth)


def test_contacts_of_every_organisation_are_listed(school, world, youth):
    _open_samenwerking(youth, world)
    partner_user = world.users["ketenpartner"]
    services.contact_person_link(youth=youth, contact=partner_user, acting_user=partner_user)
    html = _detail(school, youth)
    assert "Werkplein Aastad" in html
    assert escape(partner_user.full_name) in html
    # The school cannot remove the partner's contact.
    link = ContactPerson.objects.get(user=partner_user)
    assert _url("contact_remove", youth, link_id=link.pk) not in html
    assert school.get(_url("contact_remove", youth, link_id=link.pk)).status_code == 404


def test_sending_the_contact_form_twice_links_once(school, world, youth, school_user):
    url = _url("contact_add", youth)
    data = {"contact": school_user.pk, "form_token": _token(school, url)}
    school.post(url, data)
    response = school.post(url, data)
    assert response.status_code == 302
    assert ContactPerson.objects.filter(youth=youth).count() == 1


def test_school_removes_its_own_contact(school, world, youth, school_user):
    link = services.contact_person_link(youth=youth, contact=school_user, acting_user=school_user)
    response = _submit(school, _url("contact_remove", youth, link_id=link.pk))
    assert response.status_code == 302
    assert not ContactPerson.objects.filter(pk=link.pk).exists()
    assert _audited(AuditAction.DELETE, "jikp.contactperson", youth)


def test_contact_of_another_organisation_cannot_be_chosen(school, world, youth):
    outsider = world.users["ketenpartner"]
    response = _submit(school, _url("contact_add", youth), {"contact": outsider.pk})
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not ContactPerson.objects.exists()


# --- Uitstroomperspectief -----------------------------------------------------------------------


def test_school_sets_and_changes_the_perspective_and_the_timeline_shows_who(
    school, world, youth, school_user
):
    url = _url("perspective_set", youth)
    assert _submit(school, url, {"kind": "arbeid"}).status_code == 302
    assert _submit(school, url, {"kind": "dagbesteding"}).status_code == 302
    html = _detail(school, youth)
    perspective = html[html.index('id="jikp-perspective"') : html.index('id="jikp-samenwerkingen"')]
    assert "Dagbesteding" in perspective
    assert "Oriënterend" in perspective
    timeline = html[html.index('id="jikp-timeline"') :]
    assert f"{school_user.full_name} (PrO De Brug)" in timeline
    assert "Arbeid: Oriënterend" in timeline
    assert "Dagbesteding: Oriënterend" in timeline
    assert PerspectiveChange.objects.filter(youth=youth).count() == 2
    assert _audited(AuditAction.UPDATE, "jikp.uitstroomperspectief", youth)


def test_same_perspective_sent_twice_keeps_one_row(school, world, youth):
    url = _url("perspective_set", youth)
    data = {"kind": "onderwijs", "form_token": _token(school, url)}
    school.post(url, data)
    school.post(url, data)
    assert Uitstroomperspectief.objects.filter(youth=youth).count() == 1
    assert PerspectiveChange.objects.filter(youth=youth).count() == 1


@pytest.mark.parametrize(("kind", "signal"), [("arbeid", True), ("onderwijs", False)])
def test_running_application_is_signalled_for_work_and_day_care(school, world, youth, kind, signal):
    Aanmelding.objects.create(youth=youth, institution=world.mbo, programme="Bakker", level="2")
    response = _submit(school, _url("perspective_set", youth), {"kind": kind}, follow=True)
    html = response.content.decode()
    assert ('data-testid="jikp-application-signal"' in html) is signal
    assert ("lopende aanmelding" in html) is signal


@pytest.mark.parametrize(
    ("kind", "data", "shown"),
    [
        (
            "onderwijs",
            {
                "institution": "MBO College Aastad",
                "programme": "Bakker",
                "level": "2",
                "learning_path": "BBL",
            },
            ["MBO College Aastad", "Bakker", "Niveau 2", "BBL (beroepsbegeleidende leerweg)"],
        ),
        (
            "arbeid",
            {
                "employer": "Bakkerij Brood",
                "job": "Hulp bakker",
                "hours_per_week": "24",
                "contract_type": "tijdelijk",
                "job_support": "Jobcoach",
            },
            ["Bakkerij Brood", "Hulp bakker", "24", "Tijdelijk contract", "Jobcoach"],
        ),
        (
            "dagbesteding",
            {
                "day_care_type": "arbeidsmatig",
                "provider": "Zorgboerderij De Wei",
                "support_need": "Vaste begeleider",
                "work_potential": "on",
            },
            ["Arbeidsmatig", "Zorgboerderij De Wei", "Vaste begeleider", "Ja"],
        ),
    ],
)
def test_details_per_perspective_are_saved_and_shown(school, world, youth, kind, data, shown):
    _set_perspective(youth, world, kind)
    response = _submit(school, _url("perspective_details", youth), data)
    assert response.status_code == 302
    perspective = selectors.active_perspective(youth=youth)
    assert perspective.details_complete is True
    html = _detail(school, youth)
    for text in shown:
        assert text in html
    assert "nog niet ingevuld" not in html
    assert AuditEvent.objects.filter(
        action=AuditAction.UPDATE, youth_id=youth.pk, description="uitstroomperspectief details"
    ).exists()


def test_details_with_too_many_hours_are_refused_in_dutch(school, world, youth):
    _set_perspective(youth, world, "arbeid")
    response = _submit(
        school,
        _url("perspective_details", youth),
        {"employer": "X", "job": "Y", "contract_type": "vast", "hours_per_week": "80"},
    )
    assert response.status_code == 200
    assert "hoogstens 60" in response.content.decode()
    assert selectors.active_perspective(youth=youth).employer == ""


def test_status_form_offers_only_the_statuses_of_the_perspective(school, world, youth):
    _set_perspective(youth, world, "arbeid")
    url = _url("perspective_status", youth)
    html = school.get(url).content.decode()
    assert 'value="arbeid_arbeidsovereenkomst"' in html
    assert "onderwijs_" not in html and "dagbesteding_" not in html
    services.perspective_details_update(
        perspective=selectors.active_perspective(youth=youth),
        data={"employer": "Bakkerij Aa", "job": "Hulp", "contract_type": "vast"},
        acting_user=world.users["school_gebruiker"],
    )
    response = _submit(school, url, {"status": "arbeid_arbeidsovereenkomst"})
    assert response.status_code == 302
    html = _detail(school, youth)
    assert "Arbeid: Oriënterend" in html and "Arbeid: Arbeidsovereenkomst" in html
    assert AuditEvent.objects.filter(
        action=AuditAction.UPDATE, youth_id=youth.pk, description="uitstroomperspectief status"
    ).exists()


def test_status_of_another_perspective_is_refused(school, world, youth):
    _set_perspective(youth, world, "arbeid")
    response = _submit(
        school, _url("perspective_status", youth), {"status": "onderwijs_definitief"}
    )
    assert response.status_code == 200
    assert "geen beschikbare keuze" in response.content.decode()
    assert selectors.active_perspective(youth=youth).status == "arbeid_orienterend"
    assert PerspectiveChange.objects.filter(youth=youth).count() == 1


def test_profile_pages_without_a_perspective_ask_to_choose_one_first(school, world, youth):
    response = school.get(_url("perspective_details", youth), follow=True)
    assert response.redirect_chain[-1][0] == _url("perspective_set", youth)
    assert "Kies eerst een uitstroomperspectief" in response.content.decode()


# --- Dossier ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("dad jongere.pdf", PDF, "application/pdf"),
        (
            "dad.docx",
            _docx(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_dossier_is_uploaded_and_downloaded_as_attachment_and_audited(
    school, world, youth, name, content, content_type
):
    _set_perspective(youth, world, "dagbesteding")
    response = _submit(
        school,
        _url("document_add", youth),
        {"file": SimpleUploadedFile(name, content, "application/octet-stream")},
    )
    assert response.status_code == 302
    document = PerspectiveDocument.objects.get()
    assert document.content_type == content_type
    assert name in _detail(school, youth)
    assert _audited(AuditAction.CREATE, "jikp.perspectivedocument", youth)

    download = _url("document_download", youth, document_id=document.pk)
    response = school.get(download)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == content_type
    assert b"".join(response.streaming_content) == content
    assert _audited(AuditAction.VIEW, "jikp.perspectivedocument", youth)

    # The gemeente sees the youth and may download; a partner without samenwerking may not.
    for role, status in (("gemeente_consulent", 200), ("ketenpartner", 404), ("other_school", 404)):
        school.logout()
        login_verified(school, world.users[role])
        assert school.get(download).status_code == status, role


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("brief.pdf", b"Dit is gewoon tekst, geen PDF.\n", "alleen PDF- of Word-bestanden"),
        ("leeg.pdf", b"", "leeg"),
    ],
)
def test_invalid_dossier_is_refused_in_dutch_and_nothing_is_stored(
    school, world, youth, _media, name, content, message
):
    _set_perspective(youth, world, "arbeid")
    response = _submit(
        school,
        _url("document_add", youth),
        {"file": SimpleUploadedFile(name, content, "application/pdf")},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PerspectiveDocument.objects.exists()
    assert not _media.exists() or not any(p.is_file() for p in _media.rglob("*"))


def test_dossier_is_not_offered_for_education(school, world, youth):
    _set_perspective(youth, world, "onderwijs")
    assert _url("document_add", youth) not in _detail(school, youth)
    response = school.get(_url("document_add", youth), follow=True)
    assert "alleen worden toegevoegd bij arbeid of dagbesteding" in response.content.decode()


# --- Samenwerking -------------------------------------------------------------------------------


def test_samenwerking_is_confirmed_once_and_shown_with_partner_and_status(
    school, world, youth, django_capture_on_commit_callbacks
):
    contact = UserFactory(
        organisation=world.partner, roles=[Role.GENERALIST], email="werk@example.test"
    )
    ContactDesignationFactory(municipality=world.gem_a, perspective="arbeid", user=contact)
    _set_perspective(youth, world, "arbeid")
    url = _url("samenwerking_request", youth)
    page = school.get(url).content.decode()
    assert "Werkplein Aastad" in page and escape(contact.full_name) in page
    data = {"form_token": _token(school, url)}
    with django_capture_on_commit_callbacks(execute=True):
        assert school.post(url, data).status_code == 302
        school.post(url, data)
    assert Samenwerking.objects.filter(youth=youth).count() == 1
    assert [m.to for m in mail.outbox] == [["werk@example.test"]]
    html = _detail(school, youth)
    section = html[html.index('id="jikp-samenwerkingen"') :]
    assert "Werkplein Aastad" in section and "Aangevraagd" in section
    assert _audited(AuditAction.CREATE, "jikp.samenwerking", youth)


def test_samenwerking_goes_to_the_partner_of_a_municipality_in_another_region(
    school, world, django_capture_on_commit_callbacks
):
    """§4.5: the school asks the partner designated for the youth's woongemeente in any connected
    region; that partner gets the signal mail, sees the request, links a contact, and the school
    sees that contact. The partners of the school's own region are not involved."""
    youth = EnrolmentFactory(organisation=world.pro, youth__municipality=world.gem_x).youth
    elsewhere = OrganisationFactory(
        kind=OrganisationKind.WORK_AND_INCOME,
        name="Werkplein Xveen",
        municipality=world.gem_x,
        region=world.other_region,
    )
    designated = UserFactory(
        organisation=elsewhere, roles=[Role.GENERALIST], email="werk@xveen.example.test"
    )
    jobcoach = UserFactory(
        organisation=elsewhere, roles=[Role.GENERALIST], job_title="Jobcoach", phone="0111 222"
    )
    ContactDesignationFactory(municipality=world.gem_x, perspective="arbeid", user=designated)
    # Our own region's partner is designated for Aastad only: it must not be asked.
    ContactDesignationFactory(
        municipality=world.gem_a, perspective="arbeid", user=world.users["ketenpartner"]
    )
    _set_perspective(youth, world, "arbeid")

    url = _url("samenwerking_request", youth)
    assert "Werkplein Xveen" in school.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert _submit(school, url).status_code == 302
    samenwerking = Samenwerking.objects.get(youth=youth)
    assert samenwerking.partner == elsewhere
    assert [m.to for m in mail.outbox] == [["werk@xveen.example.test"]]

    partner = login_verified(Client(), designated)
    listing = partner.get(reverse("jikp:partner_samenwerkingen")).content.decode()
    assert escape(youth.full_name) in listing and "PrO De Brug" in listing
    contact_url = reverse("jikp:partner_contact", args=[samenwerking.pk])
    assert _submit(partner, contact_url, {"contact": jobcoach.pk}).status_code == 302
    assert partner.get(reverse("youth:detail", args=[youth.pk])).status_code == 200
    # The partner of the school's own region never sees this youth.
    own_region_partner = login_verified(Client(), world.users["ketenpartner"])
    assert own_region_partner.get(reverse("youth:detail", args=[youth.pk])).status_code == 404

    html = _detail(school, youth)
    contacts = html[html.index('id="jikp-contacts"') : html.index('id="jikp-perspective"')]
    for text in ("Werkplein Xveen", jobcoach.full_name, "Jobcoach", "0111 222", jobcoach.email):
        assert text in contacts


def test_an_open_samenwerking_is_said_before_confirming_again(school, world, youth):
    _open_samenwerking(youth, world)
    page = school.get(_url("samenwerking_request", youth)).content.decode()
    assert "Er loopt al een samenwerking met Werkplein Aastad" in page
    assert "Samenwerking bevestigen" not in page
    assert Samenwerking.objects.filter(youth=youth).count() == 1


def test_samenwerking_without_designated_partner_is_explained_in_dutch(school, world, youth):
    _set_perspective(youth, world, "dagbesteding")
    url = _url("samenwerking_request", youth)
    assert "nog geen ketenpartner aangewezen" in school.get(url).content.decode()
    response = _submit(school, url)
    assert response.status_code == 200
    assert "nog geen ketenpartner aangewezen" in response.content.decode()
    assert not Samenwerking.objects.exists()


def test_samenwerking_is_not_offered_for_education(school, world, youth):
    _set_perspective(youth, world, "onderwijs")
    html = _detail(school, youth)
    assert _url("samenwerking_request", youth) not in html
    school.post(_url("samenwerking_request", youth), {"form_token": "x"})
    assert not Samenwerking.objects.exists()


# --- Trajecten ----------------------------------------------------------------------------------


def test_trajecten_added_by_school_gemeente_and_partner_are_seen_by_all(client, world, youth):
    _open_samenwerking(youth, world)
    adders = [
        ("school_gebruiker", "inburgering", "PrO De Brug"),
        ("gemeente_consulent", "taal", "Gemeente Aastad"),
        ("ketenpartner", "jobcoaching", "Werkplein Aastad"),
    ]
    for role, kind, _org in adders:
        client.logout()
        login_verified(client, world.users[role])
        response = _submit(
            client,
            _url("traject_add", youth),
            {"kind": kind, "description": f"door {role}", "starts_on": "2025-01-06"},
        )
        assert response.status_code == 302, role
    assert Traject.objects.filter(youth=youth).count() == 3
    assert _audited(AuditAction.CREATE, "jikp.traject", youth)
    for role, _kind, _org in adders:
        client.logout()
        login_verified(client, world.users[role])
        html = _detail(client, youth)
        section = html[html.index('id="jikp-trajecten"') :]
        for _role, _k, org in adders:
            assert org in section
        assert "Inburgering" in section and "Taalcursus" in section and "Jobcoaching" in section


def test_traject_ending_before_it_starts_is_refused_in_dutch(school, world, youth):
    response = _submit(
        school,
        _url("traject_add", youth),
        {"kind": "zzp", "starts_on": "2025-03-01", "ends_on": "2025-02-01"},
    )
    assert response.status_code == 200
    assert "De einddatum kan niet voor de startdatum liggen" in response.content.decode()
    assert not Traject.objects.exists()


def test_sending_the_traject_form_twice_adds_one(school, world, youth):
    url = _url("traject_add", youth)
    data = {"kind": "zzp", "starts_on": "2025-03-01", "form_token": _token(school, url)}
    school.post(url, data)
    school.post(url, data)
    assert Traject.objects.count() == 1


# --- Who may do what ----------------------------------------------------------------------------

ACTIONS = [
    ("contact_add", {}),
    ("perspective_set", {"kind": "arbeid"}),
    ("perspective_details", {"employer": "X", "job": "Y", "contract_type": "vast"}),
    ("perspective_status", {"status": "arbeid_stage"}),
    ("document_add", {}),
    ("samenwerking_request", {}),
    ("traject_add", {"kind": "zzp", "starts_on": "2025-03-01"}),
]
PROFILE_ACTIONS = [a for a in ACTIONS if a[0] != "traject_add"]


def _write_counts():
    return (
        ContactPerson.objects.count(),
        Uitstroomperspectief.objects.count(),
        PerspectiveChange.objects.count(),
        PerspectiveDocument.objects.count(),
        Samenwerking.objects.count(),
        Traject.objects.count(),
    )


def _post_everything(client, youth, actions, school_user, extra_urls=()):
    """GET and POST every action URL; returns the status codes seen."""
    statuses = set()
    for name, data in actions:
        url = _url(name, youth)
        post = {**data, "form_token": f"t-{name}"}
        if name == "contact_add":
            post["contact"] = school_user.pk
        if name == "document_add":
            post["file"] = SimpleUploadedFile("d.pdf", PDF, "application/pdf")
        statuses.add(client.get(url).status_code)
        statuses.add(client.post(url, post).status_code)
    for url in extra_urls:
        statuses.add(client.get(url).status_code)
        if "/dossier/" not in url:  # the download answers GET only
            statuses.add(client.post(url, {"form_token": "t"}).status_code)
    return statuses


def _links_and_documents(youth, world):
    user = world.users["school_gebruiker"]
    link = services.contact_person_link(youth=youth, contact=user, acting_user=user)
    document = services.perspective_document_add(
        perspective=selectors.active_perspective(youth=youth),
        uploaded=SimpleUploadedFile("d.pdf", PDF, "application/pdf"),
        acting_user=user,
    )
    return [
        _url("contact_remove", youth, link_id=link.pk),
        _url("document_download", youth, document_id=document.pk),
    ]


@pytest.mark.parametrize("role", ["other_school", "vso_gebruiker", "ketenpartner"])
def test_youth_of_another_organisation_gives_404_on_every_action_and_writes_nothing(
    client, world, youth, role
):
    _set_perspective(youth, world, "arbeid")
    extra = _links_and_documents(youth, world)
    before = _write_counts()
    events = AuditEvent.objects.count()
    login_verified(client, world.users[role])
    assert _post_everything(client, youth, ACTIONS, world.users[role], extra) == {404}
    assert _write_counts() == before
    assert AuditEvent.objects.exclude(action=AuditAction.LOGIN).count() == events


def test_unknown_youth_id_gives_404(school, world, youth):
    missing = type(youth)(pk=youth.pk + 1000)
    for name, _data in ACTIONS:
        assert school.get(_url(name, missing)).status_code == 404


def test_mbo_and_gemeente_cannot_change_the_profile(client, world, youth):
    EnrolmentFactory(organisation=world.mbo, youth=youth)
    _set_perspective(youth, world, "arbeid")
    before = _write_counts()
    for role in ("mbo_gebruiker", "gemeente_consulent"):
        client.logout()
        login_verified(client, world.users[role])
        assert _post_everything(client, youth, PROFILE_ACTIONS, world.users[role]) == {403}
    assert _write_counts() == before


def test_unenrolled_youth_profile_is_read_only_for_the_school(school, world, youth, school_user):
    perspective = _set_perspective(youth, world, "arbeid")
    link = services.contact_person_link(youth=youth, contact=school_user, acting_user=school_user)
    youth.enrolments.update(
        unenrolled_on=date.today() - timedelta(days=30), unenrolment_processed=True
    )
    before = _write_counts()
    assert _post_everything(school, youth, ACTIONS, school_user) == {403}
    assert school.get(_url("contact_remove", youth, link_id=link.pk)).status_code == 403
    assert _write_counts() == before
    html = _detail(school, youth)
    assert "Huidig uitstroomperspectief" in html and "Arbeid" in html
    assert _url("perspective_set", youth) not in html
    assert _url("contact_add", youth) not in html
    assert "nazorg" in html
    # Personal data stays editable.
    assert school.get(reverse("youth:edit", args=[youth.pk])).status_code == 200
    # The services refuse too, whatever the caller.
    with pytest.raises(ValidationError):
        services.perspective_status_set(
            perspective=perspective, status="arbeid_stage", acting_user=school_user
        )


def test_gemeente_reads_every_panel_and_may_only_add_trajecten(client, world, youth):
    _open_samenwerking(youth, world)
    login_verified(client, world.users["gemeente_consulent"])
    html = _detail(client, youth)
    for section in ("jikp-contacts", "jikp-perspective", "jikp-samenwerkingen", "jikp-timeline"):
        assert f'id="{section}"' in html
    assert _url("traject_add", youth) in html
    assert _url("perspective_set", youth) not in html
    assert _url("contact_add", youth) not in html


def test_partner_with_samenwerking_links_own_contact_but_cannot_change_perspective(
    client, world, youth
):
    samenwerking = _open_samenwerking(youth, world, linked=False)
    partner_user = world.users["ketenpartner"]
    login_verified(client, partner_user)
    # Before a contact is linked the partner sees only the request, not the record.
    assert client.get(reverse("youth:detail", args=[youth.pk])).status_code == 404
    response = _submit(
        client,
        reverse("jikp:partner_contact", args=[samenwerking.pk]),
        {"contact": partner_user.pk},
    )
    assert response.status_code == 302
    assert Samenwerking.objects.get().status == "contact_gekoppeld"
    html = _detail(client, youth)
    assert "Werkplein Aastad" in html and _url("perspective_set", youth) not in html
    assert client.get(_url("perspective_set", youth)).status_code == 403
    with pytest.raises(PermissionDenied):
        services.perspective_status_set(
            perspective=selectors.active_perspective(youth=youth),
            status="arbeid_stage",
            acting_user=partner_user,
        )


def test_mbo_sees_none_of_the_panels(client, world, youth):
    EnrolmentFactory(organisation=world.mbo, youth=youth)
    _set_perspective(youth, world, "arbeid")
    login_verified(client, world.users["mbo_gebruiker"])
    html = _detail(client, youth)
    assert 'id="jikp-' not in html


def test_services_refuse_trajecten_from_mbo(world, youth):
    with pytest.raises(PermissionDenied):
        services.traject_add(
            youth=youth,
            data={"kind": "zzp", "starts_on": date(2025, 1, 1)},
            acting_user=world.users["mbo_gebruiker"],
        )


# --- Performance --------------------------------------------------------------------------------


def _fill(youth, world, n):
    school_user = world.users["school_gebruiker"]
    for i in range(n):
        colleague = UserFactory(organisation=world.pro, roles=[Role.USER, Role.MENTOR])
        services.contact_person_link(youth=youth, contact=colleague, acting_user=school_user)
        _set_perspective(youth, world, ["arbeid", "dagbesteding", "onderwijs"][i % 3])
        services.traject_add(
            youth=youth,
            data={"kind": "zzp", "starts_on": date(2025, 1, 1 + i)},
            acting_user=school_user,
        )
    _set_perspective(youth, world, "arbeid")
    for _ in range(n):
        services.perspective_document_add(
            perspective=selectors.active_perspective(youth=youth),
            uploaded=SimpleUploadedFile("d.pdf", PDF, "application/pdf"),
            acting_user=school_user,
        )


def test_detail_page_query_count_does_not_grow_with_contacts_and_changes(
    school, world, youth, django_assert_max_num_queries
):
    _open_samenwerking(youth, world)
    _fill(youth, world, 2)
    url = reverse("youth:detail", args=[youth.pk])
    with CaptureQueriesContext(connection) as few:
        school.get(url)
    _fill(youth, world, 8)
    assert len(few.captured_queries) <= MAX_DETAIL_QUERIES
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = school.get(url).content.decode()
    assert html.count('<tr class="utrecht-table__row">') > 30

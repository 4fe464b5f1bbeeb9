"""A person record is shared by every organisation that knows the youth: an import matches it only
on BSN (or onderwijsnummer), last name and date of birth, never changes person data another
organisation supplied, never lifts a geheim adres, and asks the school to confirm rows of youth
who are enrolled at another school (issue 8, privacy item 1)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from conftest import login_verified
from tests.factories import EnrolmentFactory, UserFactory, YouthFactory, make_bsn
from vangnet.accounts.models import Role
from vangnet.audit.models import AuditEvent
from vangnet.transfers import services
from vangnet.transfers.models import ImportJob, ImportStatus
from vangnet.youth.models import Enrolment, Youth
from vangnet.youth.selectors import can_see_bsn, youth_visible_to

from .builders import youth_list, youth_row

pytestmark = pytest.mark.django_db

BIRTH = dt.date(2009, 3, 4)  # youth_row()'s date of birth


@pytest.fixture(autouse=True)
def _dutch():
    with translation.override("nl"):
        yield


def _shared_youth(world, **kwargs):
    """A youth that PrO De Brug (region Test) added, with a secret address."""
    fields = {
        "bsn": make_bsn(),
        "first_name": "Sanne",
        "last_name": "Jansen",
        "birth_date": BIRTH,
        "municipality": world.gem_a,
        "secret_address": True,
        "street": "",
        "house_number": "",
        "postcode": "",
        "city": "",
        "supplied_by": world.pro,
        **kwargs,
    }
    youth = YouthFactory(**fields)
    EnrolmentFactory(youth=youth, organisation=world.pro, supplied_bsn=True)
    return youth


def _snapshot(youth):
    youth.refresh_from_db()
    return {
        f: getattr(youth, f)
        for f in (
            "first_name",
            "prefix",
            "last_name",
            "birth_date",
            "gender",
            "secret_address",
            "street",
            "house_number",
            "postcode",
            "city",
            "municipality_id",
            "supplied_by_id",
        )
    }


def _attack_row(youth, **overrides):
    return youth_row(
        bsn=youth.bsn,
        municipality="Xveen",
        overrides={
            "Achternaam": youth.last_name,
            "Voornaam": "Anders",
            "Geboortedatum": dt.date(2010, 1, 1),
            "Straat": "Andere straat",
            "Huisnummer": "99",
            "Postcode": "9999 ZZ",
            "Woonplaats": "Xveen",
            "Geheim adres": "nee",
            **overrides,
        },
    )


def test_a_school_of_another_region_cannot_take_over_a_record_by_bsn_and_last_name(world):
    youth = _shared_youth(world)
    before = _snapshot(youth)
    report = services.import_run(
        kind="jongerenlijst",
        data=youth_list([_attack_row(youth)]),
        file_name="lijst.xlsx",
        school=world.other_school,
        acting_user=world.users["other_school"],
    )
    assert not report.valid
    assert (report.created, report.updated) == (0, 0)
    ((row, column, message),) = [(e["row"], e["column"], e["message"]) for e in report.errors]
    assert (row, column) == (2, "Geboortedatum")
    assert "geboortedatum past niet" in message
    assert youth.bsn not in message
    assert _snapshot(youth) == before
    assert not Enrolment.objects.filter(youth=youth, organisation=world.other_school).exists()
    # No person record was touched.
    assert AuditEvent.objects.filter(youth_id=youth.pk).count() == 0
    # The other region's gemeente does not get to see the youth, let alone its BSN.
    consultant = UserFactory(organisation=world.other_gemeente, roles=[Role.TRANSITION_CONSULTANT])
    assert not youth_visible_to(user=consultant).filter(pk=youth.pk).exists()


def test_with_the_right_birth_date_another_school_only_adds_its_enrolment(world):
    youth = _shared_youth(world)
    before = _snapshot(youth)
    row = _attack_row(youth, Geboortedatum=BIRTH, Klas="2C")
    plan = services.import_check(
        kind="jongerenlijst", data=youth_list([row]), school=world.other_school
    )
    assert plan.report.valid, plan.report.errors
    assert (plan.report.created, plan.report.elsewhere) == (1, 1)
    notes = " ".join(plan.report.notes)
    assert "1 rijen gaan over jongeren die al bij een andere school staan ingeschreven" in notes
    assert "persoonsgegevens heeft aangeleverd" in notes
    services.import_apply(plan=plan, acting_user=world.users["other_school"])
    # Names, address, geheim adres and woongemeente stay as PrO De Brug supplied them.
    assert _snapshot(youth) == before
    enrolment = Enrolment.objects.get(youth=youth, organisation=world.other_school)
    assert enrolment.class_name == "2C"
    # A second upload of the same file changes the person record no more than the first.
    again = services.import_check(
        kind="jongerenlijst", data=youth_list([row]), school=world.other_school
    )
    assert (again.report.created, again.report.updated) == (0, 0)


def test_the_supplier_may_update_its_own_record_but_not_lift_the_secret_address(world):
    youth = _shared_youth(world)
    row = youth_row(
        bsn=youth.bsn,
        overrides={"Voornaam": "Sam", "Geheim adres": "nee", "Straat": "Open straat"},
    )
    report = services.import_run(
        kind="jongerenlijst",
        data=youth_list([row]),
        file_name="lijst.xlsx",
        school=world.pro,
        acting_user=world.users["school_gebruiker"],
    )
    assert report.valid and report.updated == 1
    youth.refresh_from_db()
    assert youth.first_name == "Sam"
    assert youth.secret_address and youth.street == ""


def test_a_new_youth_is_supplied_by_the_uploading_school(world):
    services.import_run(
        kind="jongerenlijst",
        data=youth_list([youth_row()]),
        file_name="lijst.xlsx",
        school=world.pro,
        acting_user=world.users["school_gebruiker"],
    )
    assert Youth.objects.get().supplied_by == world.pro


def _token(client, url):
    html = client.get(url).content.decode()
    return re.search(r'name="form_token" value="([^"]+)"', html).group(1)


def test_the_report_asks_to_confirm_rows_of_youth_enrolled_elsewhere(client, world):
    youth = _shared_youth(world)
    login_verified(client, world.users["other_school"])
    url = reverse("transfers:upload", kwargs={"kind": "jongerenlijst"})
    data = youth_list([_attack_row(youth, Geboortedatum=BIRTH), youth_row()])
    response = client.post(
        url, {"file": SimpleUploadedFile("l.xlsx", data), "form_token": _token(client, url)}
    )
    job = ImportJob.objects.get()
    html = client.get(response["Location"]).content.decode()
    assert re.search(r'id="count-elsewhere">1<', html)
    assert "1 rij gaat over een jongere die al bij een andere school staat ingeschreven" in html
    apply_url = reverse("transfers:job_apply", kwargs={"job_id": job.pk})
    response = client.post(apply_url)
    assert response.status_code == 200
    assert "Bevestig dat de jongeren" in response.content.decode()
    job.refresh_from_db()
    assert job.status == ImportStatus.VALID
    assert not Enrolment.objects.filter(organisation=world.other_school).exists()
    response = client.post(apply_url, {"confirm_elsewhere": "on"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert Enrolment.objects.filter(organisation=world.other_school).count() == 2
    assert can_see_bsn(user=world.users["other_school"], youth=youth)  # it supplied it too


def test_more_youth_enrolled_elsewhere_since_the_check_stops_the_apply(client, world):
    youth = YouthFactory(birth_date=BIRTH, last_name="Jansen", supplied_by=world.pro)
    job_data = youth_list([youth_row(bsn=youth.bsn)])
    login_verified(client, world.users["other_school"])
    url = reverse("transfers:upload", kwargs={"kind": "jongerenlijst"})
    client.post(
        url, {"file": SimpleUploadedFile("l.xlsx", job_data), "form_token": _token(client, url)}
    )
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.VALID and job.rows_enrolled_elsewhere == 0
    EnrolmentFactory(youth=youth, organisation=world.pro)  # enrolled at PrO De Brug meanwhile
    client.post(reverse("transfers:job_apply", kwargs={"job_id": job.pk}))
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert not Enrolment.objects.filter(organisation=world.other_school).exists()

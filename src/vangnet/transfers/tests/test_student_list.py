"""The leerlinglijst of the Digitaal Doorstroomdossier: a VO school's decaan loads its students."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from conftest import login_verified
from tests.factories import (
    EnrolmentFactory,
    StudentAccountFactory,
    YouthFactory,
    make_bsn,
    make_onderwijsnummer,
)
from vangnet.audit.models import AuditEvent
from vangnet.core import crypto
from vangnet.dossiers.models import StudentAccount
from vangnet.transfers import services
from vangnet.transfers.domain.columns import LAYOUTS, Kind
from vangnet.transfers.domain.rows import EXAMPLE_BSN
from vangnet.transfers.models import ImportJob, ImportSource, ImportStatus
from vangnet.youth.models import Enrolment, Gender, Youth

from .builders import xlsx

pytestmark = pytest.mark.django_db

KIND = Kind.STUDENT_LIST.value
HEADER = [c.value for c in LAYOUTS[Kind.STUDENT_LIST].columns]


def student(number: str = "100", **overrides: Any) -> dict[str, Any]:
    row = {
        "Leerlingnummer": number,
        "Voornaam": "Noor",
        "Tussenvoegsel": None,
        "Achternaam": "Visser",
        "Geboortedatum": dt.date(2009, 3, 4),
        "Klas": "4H2",
        "Leerjaar": 4,
        "E-mailadres": f"leerling{number}@example.test",
        "BSN": None,
        "Onderwijsnummer": None,
        "Geslacht": None,
    }
    row.update(overrides)
    return row


def student_list(rows: list[dict[str, Any]], header: list[str] | None = None) -> bytes:
    header = header or HEADER
    return xlsx(header, ([row.get(h) for h in header] for row in rows))


def check(world, rows, school=None):
    return services.import_check(kind=KIND, data=student_list(rows), school=school or world.vo)


def run(world, rows, school=None):
    plan = check(world, rows, school)
    assert plan.report.valid, plan.report.errors
    return services.import_apply(plan=plan, acting_user=world.users["vo_decaan"])


def errors(plan) -> list[tuple[int | None, str, str]]:
    return [(e["row"], e["column"], e["message"]) for e in plan.report.errors]


def enrolment_of(world, number: str) -> Enrolment:
    return Enrolment.objects.select_related("youth").get(
        organisation=world.vo, student_number=number
    )


# --- Loading students ------------------------------------------------------------------------


def test_valid_list_creates_students_with_their_e_mail_address(world):
    bsn = make_bsn()
    report = run(world, [student("100"), student("101", BSN=bsn, Voornaam="Daan")])
    assert (report.created, report.updated, report.accounts) == (2, 0, 0)
    first = enrolment_of(world, "100")
    assert first.student_email == "leerling100@example.test"
    assert (first.class_name, first.school_year_level) == ("4H2", 4)
    assert first.enrolled_on == dt.date.today()
    assert not first.supplied_bsn
    # Without BSN and onderwijsnummer the school knows the student by leerlingnummer only.
    assert first.youth.identified_by_school
    assert first.youth.bsn_index is None and first.youth.onderwijsnummer is None
    assert first.youth.gender == Gender.OTHER  # no Geslacht: X
    assert first.youth.municipality_id is None and first.youth.street == ""
    second = enrolment_of(world, "101")
    assert second.youth.bsn == bsn and not second.youth.identified_by_school
    assert second.supplied_bsn
    assert AuditEvent.objects.filter(youth_id=first.youth_id).exists()


def test_uploading_the_same_list_again_changes_nothing(world):
    rows = [student("100"), student("101", BSN=make_bsn())]
    run(world, rows)
    before = list(Youth.objects.values_list("pk", "updated_at").order_by("pk"))
    plan = check(world, rows)
    assert (plan.report.created, plan.report.updated, plan.report.unchanged) == (0, 0, 2)
    services.import_apply(plan=plan, acting_user=world.users["vo_decaan"])
    assert list(Youth.objects.values_list("pk", "updated_at").order_by("pk")) == before
    assert Enrolment.objects.filter(organisation=world.vo).count() == 2


def test_known_student_number_updates_class_year_and_e_mail(world):
    run(world, [student("100")])
    report = run(
        world,
        [student("100", Klas="5H1", Leerjaar=5, **{"E-mailadres": "nieuw@example.test"})],
    )
    assert (report.created, report.updated) == (0, 1)
    enrolment = enrolment_of(world, "100")
    assert (enrolment.class_name, enrolment.school_year_level) == ("5H1", 5)
    assert enrolment.student_email == "nieuw@example.test"


def test_a_bsn_given_later_is_linked_to_the_student(world):
    run(world, [student("100")])
    bsn = make_bsn()
    report = run(world, [student("100", BSN=bsn)])
    assert report.updated == 1
    enrolment = enrolment_of(world, "100")
    assert enrolment.youth.bsn == bsn and not enrolment.youth.identified_by_school
    assert enrolment.supplied_bsn


def test_a_stored_bsn_is_never_replaced(world):
    run(world, [student("100", BSN=make_bsn())])
    plan = check(world, [student("100", BSN=make_bsn())])
    assert errors(plan) == [
        (
            2,
            "BSN",
            "De leerling met dit leerlingnummer heeft al een ander BSN; een opgeslagen BSN "
            "wordt nooit door een import vervangen.",
        )
    ]


def test_a_bsn_of_someone_else_is_refused_for_a_known_student_number(world):
    other = YouthFactory()
    run(world, [student("100")])
    plan = check(world, [student("100", BSN=other.bsn)])
    assert [(r, c) for r, c, _m in errors(plan)] == [(2, "BSN")]
    assert enrolment_of(world, "100").youth.bsn_index is None


def test_names_and_birth_date_must_match_the_known_student(world):
    run(world, [student("100")])
    plan = check(world, [student("100", Achternaam="Bakker"), student("101")])
    assert [(r, c) for r, c, _m in errors(plan)] == [(2, "Achternaam")]
    plan = check(world, [student("100", Geboortedatum=dt.date(2008, 1, 1))])
    assert [(r, c) for r, c, _m in errors(plan)] == [(2, "Geboortedatum")]
    assert not plan.decisions


def test_youth_known_elsewhere_is_enrolled_without_changing_the_shared_record(world):
    youth = YouthFactory(last_name="Visser", first_name="Noortje", birth_date=dt.date(2009, 3, 4))
    EnrolmentFactory(youth=youth, organisation=world.pro)
    report = run(world, [student("100", BSN=youth.bsn)])
    assert report.created == 1
    youth.refresh_from_db()
    assert youth.first_name == "Noortje"  # the file says Noor: the shared record is kept
    enrolment = enrolment_of(world, "100")
    assert enrolment.youth_id == youth.pk and enrolment.supplied_bsn
    assert Youth.objects.count() == 1


def test_youth_known_elsewhere_with_another_birth_date_is_refused(world):
    youth = YouthFactory(last_name="Visser", birth_date=dt.date(2010, 1, 1))
    plan = check(world, [student("100", BSN=youth.bsn)])
    assert [(r, c) for r, c, _m in errors(plan)] == [(2, "Geboortedatum")]


def test_student_known_at_the_school_by_bsn_gets_the_new_student_number(world):
    youth = YouthFactory(last_name="Visser", birth_date=dt.date(2009, 3, 4))
    EnrolmentFactory(youth=youth, organisation=world.vo, student_number="OUD1")
    report = run(world, [student("100", BSN=youth.bsn)])
    assert report.updated == 1
    assert enrolment_of(world, "100").youth_id == youth.pk


def test_two_rows_about_the_same_student_are_refused(world):
    youth = YouthFactory(last_name="Visser", birth_date=dt.date(2009, 3, 4))
    EnrolmentFactory(youth=youth, organisation=world.vo, student_number="100")
    plan = check(world, [student("100"), student("200", BSN=youth.bsn)])
    assert [(r, c) for r, c, _m in errors(plan)] == [(3, "Leerlingnummer")]


# --- Accounts of last school year ------------------------------------------------------------


def test_students_with_an_account_keep_it_and_are_counted(world):
    account = StudentAccountFactory()
    youth = account.youth
    Enrolment.objects.filter(youth=youth).update(organisation=world.vo, student_number="100")
    rows = [
        student("100", Achternaam=youth.last_name, Geboortedatum=youth.birth_date),
        student("101"),
    ]
    plan = check(world, rows)
    assert plan.report.accounts == 1
    assert any("Rij 2" in note and "account" in note for note in plan.report.notes)
    services.import_apply(plan=plan, acting_user=world.users["vo_decaan"])
    assert StudentAccount.objects.get().pk == account.pk
    assert StudentAccount.objects.get().user_id == account.user_id
    assert StudentAccount.objects.get().youth_id == youth.pk


def test_student_with_an_account_from_another_school_is_linked_again(world):
    account = StudentAccountFactory()
    youth = account.youth  # enrolled at another school last year
    report = run(
        world,
        [student("100", BSN=youth.bsn, Achternaam=youth.last_name, Geboortedatum=youth.birth_date)],
    )
    assert (report.created, report.accounts) == (1, 1)
    assert enrolment_of(world, "100").youth_id == youth.pk
    assert StudentAccount.objects.get(pk=account.pk).youth_id == youth.pk


# --- Refused files ---------------------------------------------------------------------------


def test_bsn_is_optional_but_checked_with_the_eleven_test(world):
    plan = check(world, [student("100", BSN="123456781"), student("101")])
    assert errors(plan) == [
        (2, "BSN", "Dit is geen geldig BSN (het voldoet niet aan de elfproef).")
    ]
    assert not Youth.objects.exists()


def test_missing_and_duplicate_student_numbers(world):
    plan = check(world, [student(""), student("100"), student("100", **{"E-mailadres": "x@a.nl"})])
    assert errors(plan) == [
        (2, "Leerlingnummer", "Dit veld is verplicht."),
        (4, "Leerlingnummer", "Dit leerlingnummer staat al in rij 3 van dit bestand."),
    ]


def test_missing_student_number_column(world):
    header = [h for h in HEADER if h != "Leerlingnummer"]
    plan = services.import_check(
        kind=KIND, data=student_list([student()], header=header), school=world.vo
    )
    assert [(c, m) for _r, c, m in errors(plan)] == [
        ("Leerlingnummer", "De verplichte kolom 'Leerlingnummer' ontbreekt.")
    ]


def test_bad_and_duplicate_e_mail_addresses(world):
    plan = check(
        world,
        [
            student("100", **{"E-mailadres": "geen adres"}),
            student("101", **{"E-mailadres": "Zelfde@Example.test"}),
            student("102", **{"E-mailadres": "zelfde@example.test"}),
            student("103", **{"E-mailadres": None}),
        ],
    )
    assert [(r, c) for r, c, _m in errors(plan)] == [
        (2, "E-mailadres"),
        (4, "E-mailadres"),
        (5, "E-mailadres"),
    ]
    assert "geen geldig e-mailadres" in errors(plan)[0][2]
    assert "rij 3" in errors(plan)[1][2]
    assert not Youth.objects.exists()


def test_the_example_row_of_the_template_is_refused(world):
    plan = check(world, [student("100", Voornaam="Voorbeeld", Achternaam="Testjongere")])
    assert [(r, c) for r, c, _m in errors(plan)] == [(2, "Achternaam")]


def test_only_a_school_can_load_a_student_list(world):
    plan = check(world, [student("100")], school=world.mbo)
    assert errors(plan) == [
        (None, "", "Alleen een VO-, PrO- of VSO-school kan een leerlinglijst inladen.")
    ]
    assert not plan.decisions


# --- Pages -----------------------------------------------------------------------------------


@pytest.fixture
def dean(client, world):
    return login_verified(client, world.users["vo_decaan"])


def _token(client, url):
    html = client.get(url).content.decode()
    return re.search(r'name="form_token" value="([^"]+)"', html).group(1)


def _upload(client, data):
    url = reverse("transfers:upload", kwargs={"kind": KIND})
    return client.post(
        url,
        {"file": SimpleUploadedFile("leerlingen.xlsx", data), "form_token": _token(client, url)},
    )


def test_dean_sees_the_student_list_and_its_upload_page(dean):
    html = dean.get(reverse("transfers:index")).content.decode()
    assert reverse("transfers:upload", kwargs={"kind": KIND}) in html
    assert "Leerlinglijst (DDD)" in html
    page = dean.get(reverse("transfers:upload", kwargs={"kind": KIND}))
    assert page.status_code == 200
    assert "Leerlinglijst (DDD)" in page.content.decode()


@pytest.mark.parametrize("user", ["vo_mentor", "school_gebruiker"])
def test_only_a_dean_may_load_a_student_list(client, world, user):
    login_verified(client, world.users[user])
    assert "leerlinglijst" not in client.get(reverse("transfers:index")).content.decode()
    assert client.get(reverse("transfers:upload", kwargs={"kind": KIND})).status_code == 403
    assert client.get(reverse("transfers:template", kwargs={"kind": KIND})).status_code == 403


def test_mbo_user_may_not_import(client, world):
    login_verified(client, world.users["mbo_gebruiker"])
    assert client.get(reverse("transfers:upload", kwargs={"kind": KIND})).status_code == 403


def test_template_download(dean):
    response = dean.get(reverse("transfers:template", kwargs={"kind": KIND}))
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "vangnet-leerlinglijst-sjabloon.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    assert header == HEADER
    assert all(cell.comment is not None and cell.comment.text for cell in sheet[1])
    comments = {h: c.comment.text for h, c in zip(header, sheet[1], strict=True)}
    assert comments["Leerlingnummer"].startswith("Verplicht.")
    assert comments["E-mailadres"].startswith("Verplicht.")
    assert not comments["BSN"].startswith("Verplicht.")
    example = {h: c.value for h, c in zip(header, sheet[2], strict=True)}
    assert example["BSN"] == EXAMPLE_BSN and example["Voornaam"] == "Voorbeeld"
    lists = {dv.formula1 for dv in sheet.data_validations.dataValidation}
    assert '"M,V,X"' in lists


def test_upload_report_apply_and_upload_again(dean, world):
    account = StudentAccountFactory()
    youth = account.youth
    data = student_list(
        [
            student("100"),
            student(
                "101", BSN=youth.bsn, Achternaam=youth.last_name, Geboortedatum=youth.birth_date
            ),
        ]
    )
    response = _upload(dean, data)
    job = ImportJob.objects.get()
    assert response.url == reverse("transfers:job", kwargs={"job_id": job.pk})
    assert job.status == ImportStatus.VALID and job.rows_with_account == 1
    html = dean.get(response.url).content.decode()
    assert 'id="count-accounts">1<' in html
    assert "opnieuw gekoppeld" in html
    dean.post(reverse("transfers:job_apply", kwargs={"job_id": job.pk}))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.rows_created == 2
    assert Enrolment.objects.filter(organisation=world.vo).count() == 2
    _upload(dean, data)
    again = ImportJob.objects.order_by("-pk").first()
    assert again.status == ImportStatus.DONE and not again.has_changes


def test_mentor_may_not_apply_a_checked_student_list(client, dean, world):
    _upload(dean, student_list([student("100")]))
    job = ImportJob.objects.get()
    client.logout()
    login_verified(client, world.users["vo_mentor"])
    response = client.post(reverse("transfers:job_apply", kwargs={"job_id": job.pk}))
    assert response.status_code == 403
    job.refresh_from_db()
    assert job.status == ImportStatus.VALID and not Youth.objects.exists()


def test_upload_with_errors_shows_them_in_dutch(dean):
    _upload(dean, student_list([student("100", BSN="123456781")]))
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.INVALID
    html = dean.get(reverse("transfers:job", kwargs={"job_id": job.pk})).content.decode()
    assert "elfproef" in html and not Youth.objects.exists()


# --- Command line ----------------------------------------------------------------------------


def _call(*args, **options):
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("import", *args, stdout=out, stderr=err, **options)
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_command_line_run(world, tmp_path):
    path = tmp_path / "leerlingen.xlsx"
    path.write_bytes(student_list([student("100"), student("101")]))
    user = world.users["vo_decaan"].email
    code, out, _err = _call(KIND, str(path), organisation=world.vo.code, user=user, json=True)
    assert code == 0
    assert json.loads(out) == {
        "kind": KIND,
        "rows": 2,
        "created": 2,
        "updated": 0,
        "errors": [],
        "accounts": 0,
    }
    job = ImportJob.objects.get()
    assert job.source == ImportSource.CLI and job.kind == KIND
    code, out, _err = _call(KIND, str(path), organisation=world.vo.code, user=user)
    assert code == 0 and "Ongewijzigd: 2" in out
    assert Youth.objects.filter(identified_by_school=True).count() == 2


def test_command_line_refuses_an_mbo(world, tmp_path):
    path = tmp_path / "leerlingen.xlsx"
    path.write_bytes(student_list([student("100")]))
    code, _out, _err = _call(KIND, str(path), organisation=world.mbo.code)
    assert code == 2
    assert not Youth.objects.exists()


def test_bsn_index_of_linked_bsn_finds_the_student(world):
    run(world, [student("100")])
    bsn = make_bsn()
    run(world, [student("100", BSN=bsn)])
    assert Youth.objects.get(bsn_index=crypto.blind_index(bsn)).first_name == "Noor"


def test_student_with_an_onderwijsnummer_only(world):
    number = make_onderwijsnummer()
    run(world, [student("100", Onderwijsnummer=number)])
    youth = enrolment_of(world, "100").youth
    assert youth.onderwijsnummer == number and not youth.identified_by_school
    assert check(world, [student("100", Onderwijsnummer=number)]).report.unchanged == 1


def test_a_student_who_left_and_is_on_the_list_again_is_enrolled_anew(world):
    run(world, [student("100")])
    Enrolment.objects.filter(student_number="100").update(
        unenrolled_on=dt.date.today(), unenrolment_processed=True
    )
    report = run(world, [student("100")])
    assert report.updated == 1
    enrolment = enrolment_of(world, "100")
    assert enrolment.unenrolled_on is None and not enrolment.unenrolment_processed


def test_checking_needs_the_same_number_of_queries_for_few_and_many_rows(
    world, django_assert_max_num_queries
):
    run(world, [student(str(n), BSN=make_bsn() if n % 2 else None) for n in range(100, 140)])
    rows = [student(str(n)) for n in range(100, 180)]  # 40 known, 40 new
    with django_assert_max_num_queries(6):
        plan = check(world, rows)
    assert (plan.report.created, plan.report.updated, plan.report.unchanged) == (40, 0, 40)


def test_entry_page_with_soort_opens_the_upload_page_of_that_kind(dean, client, world):
    response = dean.get(reverse("transfers:index"), {"soort": KIND})
    assert response.status_code == 302
    assert response.url == reverse("transfers:upload", kwargs={"kind": KIND})
    assert dean.get(reverse("transfers:index"), {"soort": "onzin"}).status_code == 200
    client.logout()
    login_verified(client, world.users["vo_mentor"])
    assert client.get(reverse("transfers:index"), {"soort": KIND}).status_code == 200

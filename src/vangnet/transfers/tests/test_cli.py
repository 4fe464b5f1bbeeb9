"""`vangnet import KIND FILE --organisation CODE [--dry-run] [--json]`."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from tests.factories import EnrolmentFactory, UserFactory
from vangnet.accounts.models import Role
from vangnet.audit.models import AuditEvent
from vangnet.transfers.domain import container
from vangnet.transfers.models import ImportJob, ImportSource, ImportStatus
from vangnet.youth.models import Enrolment, Youth

from .builders import youth_list, youth_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def good_file(tmp_path):
    path = tmp_path / "jongeren.xlsx"
    path.write_bytes(youth_list([youth_row(), youth_row()]))
    return path


@pytest.fixture
def bad_file(tmp_path):
    path = tmp_path / "fout.xlsx"
    path.write_bytes(youth_list([youth_row(bsn="123456781")]))
    return path


def _call(*args, **options):
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("import", *args, stdout=out, stderr=err, **options)
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_valid_file_is_applied_and_prints_one_json_object(world, good_file):
    code, out, _err = _call("jongerenlijst", str(good_file), organisation=world.pro.code, json=True)
    assert code == 0
    assert json.loads(out) == {
        "kind": "jongerenlijst",
        "rows": 2,
        "created": 2,
        "updated": 0,
        "errors": [],
    }
    assert Youth.objects.count() == 2
    job = ImportJob.objects.get()
    assert (job.source, job.status, job.file_name) == (
        ImportSource.CLI,
        ImportStatus.DONE,
        "jongeren.xlsx",
    )
    # The acting user is the organisation's first administrator; the audit names the command.
    assert job.user == world.users["school_beheerder"]
    event = AuditEvent.objects.get(object_type="transfers.importjob")
    assert event.user_email == world.users["school_beheerder"].email
    assert "command line" in event.description


def test_second_run_is_unchanged(world, good_file):
    _call("jongerenlijst", str(good_file), organisation=world.pro.code)
    code, out, _err = _call("jongerenlijst", str(good_file), organisation=world.pro.code, json=True)
    assert code == 0
    assert (json.loads(out)["created"], json.loads(out)["updated"]) == (0, 0)


def test_dry_run_writes_nothing(world, good_file):
    code, out, _err = _call(
        "jongerenlijst", str(good_file), "--dry-run", organisation=world.pro.code
    )
    assert code == 0
    assert "Toe te voegen: 2" in out and "Proefrun: er is niets gewijzigd." in out
    assert Youth.objects.count() == 0 and not ImportJob.objects.exists()


def test_file_with_errors_exits_1_and_writes_nothing(world, bad_file):
    code, out, _err = _call("jongerenlijst", str(bad_file), organisation=world.pro.code, json=True)
    assert code == 1
    assert json.loads(out)["errors"] == [
        {
            "row": 2,
            "column": "BSN",
            "message": "Dit is geen geldig BSN (het voldoet niet aan de elfproef).",
        }
    ]
    assert Youth.objects.count() == 0
    assert ImportJob.objects.get().status == ImportStatus.INVALID


def test_human_report_in_dutch(world, bad_file):
    code, out, _err = _call("jongerenlijst", str(bad_file), organisation=world.pro.code)
    assert code == 1
    assert "Rij 2, kolom BSN: Dit is geen geldig BSN" in out
    assert "Er is niets gewijzigd." in out


def test_applied_human_report(world, good_file):
    code, out, _err = _call("jongerenlijst", str(good_file), organisation=world.pro.code)
    assert code == 0
    assert "Rijen gelezen: 2" in out and "Toegevoegd: 2" in out and "Ongewijzigd: 0" in out


def test_file_over_the_size_limit_exits_1(world, good_file, monkeypatch):
    monkeypatch.setattr(container, "MAX_FILE_BYTES", 100)
    code, out, _err = _call("jongerenlijst", str(good_file), organisation=world.pro.code, json=True)
    assert code == 1
    assert "te groot" in json.loads(out)["errors"][0]["message"]


def test_many_errors_are_summarised(world, tmp_path, monkeypatch):
    from vangnet.transfers import services

    monkeypatch.setattr(services, "ERROR_CAP", 1)
    path = tmp_path / "x.xlsx"
    path.write_bytes(youth_list([youth_row(bsn="1"), youth_row(bsn="2")]))
    code, out, _err = _call("jongerenlijst", str(path), organisation=world.pro.code)
    assert code == 1
    assert "En nog 1 fouten." in out


@pytest.mark.parametrize(
    ("args", "options"),
    [
        (("onbekend", "FILE"), {"organisation": "ORG"}),
        (("jongerenlijst", "/nonexistent/lijst.xlsx"), {"organisation": "ORG"}),
        (("jongerenlijst", "FILE"), {"organisation": "geen-school"}),
        (("jongerenlijst", "FILE"), {"organisation": "GEMEENTE"}),
        (("jongerenlijst", "FILE"), {"organisation": "ORG", "user": "niemand@example.test"}),
    ],
)
def test_unusable_arguments_exit_2(world, good_file, args, options):
    args = tuple(str(good_file) if a == "FILE" else a for a in args)
    codes = {"ORG": world.pro.code, "GEMEENTE": world.gemeente.code}
    options = {k: codes.get(v, v) for k, v in options.items()}
    code, out, err = _call(*args, json=True, **options)
    assert code == 2
    assert json.loads(out)["errors"][0]["row"] is None
    assert err.strip()
    assert Youth.objects.count() == 0


def test_directory_instead_of_a_file_exits_2(world, tmp_path):
    code, _out, err = _call("jongerenlijst", str(tmp_path), organisation=world.pro.code)
    assert code == 2 and "bestaat niet" in err


def test_acting_user_by_email(world, good_file):
    colleague = world.users["school_gebruiker"]
    code, _out, _err = _call(
        "jongerenlijst", str(good_file), organisation=world.pro.code, user=colleague.email.upper()
    )
    assert code == 0
    assert ImportJob.objects.get().user == colleague


def test_organisation_without_administrator_needs_user(world, good_file):
    world.users["school_beheerder"].roles.filter(role=Role.ADMIN).delete()
    code, _out, err = _call("jongerenlijst", str(good_file), organisation=world.pro.code)
    assert code == 2 and "--user" in err
    UserFactory(organisation=world.pro, roles=[Role.ADMIN], is_active=False)
    assert _call("jongerenlijst", str(good_file), organisation=world.pro.code)[0] == 2


def test_youth_enrolled_elsewhere_need_the_confirmation_flag(world, tmp_path):
    theirs = EnrolmentFactory(
        organisation=world.other_school,
        youth__last_name="Jansen",
        youth__birth_date=dt.date(2009, 3, 4),
        youth__supplied_by=world.other_school,
    ).youth
    path = tmp_path / "jongeren.xlsx"
    path.write_bytes(youth_list([youth_row(bsn=theirs.bsn)]))
    code, out, _err = _call("jongerenlijst", str(path), organisation=world.pro.code, json=True)
    assert code == 1
    (error,) = json.loads(out)["errors"]
    assert "--confirm-enrolled-elsewhere" in error["message"]
    assert not Enrolment.objects.filter(youth=theirs, organisation=world.pro).exists()
    code, _out, _err = _call(
        "jongerenlijst",
        str(path),
        organisation=world.pro.code,
        confirm_enrolled_elsewhere=True,
    )
    assert code == 0
    assert Enrolment.objects.filter(youth=theirs, organisation=world.pro).exists()

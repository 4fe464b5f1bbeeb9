"""The command line and the upload page give the same result for the same file.

Both go through the same engine; this proves it end to end: the same counts (rows, to create, to
update, unchanged) and the same errors (row, column, Dutch message) for one file, checked through
the upload page and through `vangnet import --dry-run`, and the same outcome once applied.
"""

from __future__ import annotations

import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from conftest import login_verified
from tests.factories import EnrolmentFactory
from vangnet.transfers.models import ImportJob, ImportSource, ImportStatus
from vangnet.youth.models import Enrolment, Youth

from .builders import youth_list, youth_row

pytestmark = pytest.mark.django_db


def _web_check(client, data: bytes, name: str) -> ImportJob:
    url = reverse("transfers:upload", kwargs={"kind": "jongerenlijst"})
    token = re.search(r'name="form_token" value="([^"]+)"', client.get(url).content.decode())
    response = client.post(
        url, {"file": SimpleUploadedFile(name, data), "form_token": token.group(1)}
    )
    assert response.status_code == 302
    job = ImportJob.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    page = client.get(response["Location"]).content.decode()
    for count, value in (
        ("rows", job.rows_total),
        ("created", job.rows_created),
        ("updated", job.rows_updated),
        ("unchanged", job.rows_unchanged),
        ("errors", job.error_count),
    ):
        assert re.search(rf'id="count-{count}">{value}<', page), count
    return job


def _cli(tmp_path, data: bytes, name: str, *args: str) -> tuple[int, dict, str]:
    path = tmp_path / name
    path.write_bytes(data)
    results = {}
    for as_json in (True, False):
        out = io.StringIO()
        code = 0
        try:
            call_command(
                "import",
                "jongerenlijst",
                str(path),
                *args,
                organisation="pro-de-brug",
                json=as_json,
                stdout=out,
                stderr=io.StringIO(),
            )
        except SystemExit as exc:
            code = int(exc.code or 0)
        results[as_json] = (code, out.getvalue())
    assert results[True][0] == results[False][0]
    return results[True][0], json.loads(results[True][1]), results[False][1]


@pytest.fixture
def school(world, client):
    world.pro.code = "pro-de-brug"
    world.pro.save()
    login_verified(client, world.users["school_beheerder"])
    return world.pro


def _file(world) -> bytes:
    """Two new youth, one known youth with a new class, one known youth unchanged."""
    moved = EnrolmentFactory(
        organisation=world.pro, youth__municipality=world.gem_a, class_name="3A"
    )
    same = EnrolmentFactory(organisation=world.pro, youth__municipality=world.gem_a)

    def known(enrolment: Enrolment, class_name: str) -> dict:
        y = enrolment.youth
        return youth_row(
            bsn=y.bsn,
            overrides={
                "Achternaam": y.last_name,
                "Voornaam": y.first_name,
                "Tussenvoegsel": y.prefix or None,
                "Geboortedatum": y.birth_date,
                "Geslacht": y.gender,
                "Straat": y.street,
                "Huisnummer": y.house_number,
                "Postcode": y.postcode,
                "Woonplaats": y.city,
                "Leerlingnummer": enrolment.student_number,
                "Klas": class_name,
                "Leerjaar": enrolment.school_year_level,
                "Inschrijfdatum": enrolment.enrolled_on,
            },
        )

    return youth_list([youth_row(), youth_row(), known(moved, "4B"), known(same, same.class_name)])


def test_cli_and_upload_page_count_the_same_for_one_file(client, world, school, tmp_path):
    data = _file(world)
    job = _web_check(client, data, "jongeren.xlsx")
    assert job.status == ImportStatus.VALID
    code, report, text = _cli(tmp_path, data, "jongeren.xlsx", "--dry-run")
    assert code == 0
    assert (job.rows_total, job.rows_created, job.rows_updated, job.rows_unchanged) == (4, 2, 1, 1)
    assert report == {
        "kind": "jongerenlijst",
        "rows": job.rows_total,
        "created": job.rows_created,
        "updated": job.rows_updated,
        "errors": [],
    }
    assert f"Ongewijzigd: {job.rows_unchanged}" in text
    assert Youth.objects.count() == 2  # neither has written anything yet

    # Applied on the command line, the same file is unchanged on the upload page afterwards,
    # and the command line's own run reports what the page announced.
    code, applied, _text = _cli(tmp_path, data, "jongeren.xlsx")
    assert code == 0
    assert (applied["created"], applied["updated"]) == (job.rows_created, job.rows_updated)
    again = _web_check(client, data, "jongeren.xlsx")
    assert (again.rows_created, again.rows_updated, again.rows_unchanged) == (0, 0, 4)
    assert Youth.objects.count() == 4
    cli_job = ImportJob.objects.filter(source=ImportSource.CLI, status=ImportStatus.DONE)
    # Both runs of the command (the JSON one and the text one) are in the history; the second
    # found everything in place.
    assert sorted(cli_job.values_list("rows_created", flat=True)) == [0, 2]


def test_cli_and_upload_page_report_the_same_errors(client, world, school, tmp_path):
    data = youth_list(
        [
            youth_row(),
            youth_row(bsn="123456781"),
            youth_row(overrides={"Geboortedatum": "31-02-2009", "Woongemeente": "Nergenshuizen"}),
        ]
    )
    job = _web_check(client, data, "fout.xlsx")
    code, report, text = _cli(tmp_path, data, "fout.xlsx")
    assert code == 1
    assert job.status == ImportStatus.INVALID
    assert job.error_count == len(report["errors"]) == 3
    assert report["errors"] == job.errors
    assert [(e["row"], e["column"]) for e in job.errors] == [
        (3, "BSN"),
        (4, "Geboortedatum"),
        (4, "Woongemeente"),
    ]
    for error in job.errors:
        assert f"Rij {error['row']}, kolom {error['column']}: {error['message']}" in text
    assert "Er is niets gewijzigd." in text
    assert Youth.objects.count() == 0

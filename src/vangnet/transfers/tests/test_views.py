"""The import pages: entry, template, upload -> report -> apply, progress, history."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from openpyxl import load_workbook

from conftest import login_verified
from vangnet.transfers import services
from vangnet.transfers.domain.columns import LAYOUTS, Kind
from vangnet.transfers.domain.rows import EXAMPLE_BSN
from vangnet.transfers.models import ImportJob, ImportStatus
from vangnet.youth.domain.identifiers import is_valid_bsn
from vangnet.youth.models import Youth

from .builders import youth_list, youth_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def school_client(client, world):
    return login_verified(client, world.users["school_gebruiker"])


def _token(client, url):
    html = client.get(url).content.decode()
    return re.search(r'name="form_token" value="([^"]+)"', html).group(1)


def _upload(client, kind, data, name="lijst.xlsx"):
    url = reverse("transfers:upload", kwargs={"kind": kind})
    return client.post(
        url, {"file": SimpleUploadedFile(name, data), "form_token": _token(client, url)}
    )


def test_entry_page_lists_the_four_youth_kinds(school_client):
    html = school_client.get(reverse("transfers:index")).content.decode()
    assert "Jongeren bijwerken" in html
    # The leerlinglijst is for a decaan only (see test_student_list.py).
    assert "leerlinglijst" not in html
    for kind in (k for k in Kind if k != Kind.STUDENT_LIST):
        assert reverse("transfers:template", kwargs={"kind": kind.value}) in html
        assert reverse("transfers:upload", kwargs={"kind": kind.value}) in html
    assert "UPP bijwerken" in html and "Jaar van uitstroom bijwerken" in html
    assert reverse("transfers:history") in html


def test_only_school_staff_may_import(client, world):
    login_verified(client, world.users["gemeente_consulent"])
    assert client.get(reverse("transfers:index")).status_code == 403


@pytest.mark.parametrize("kind", [k for k in Kind if k != Kind.STUDENT_LIST])
def test_template_has_header_example_notes_and_drop_downs(school_client, kind):
    response = school_client.get(reverse("transfers:template", kwargs={"kind": kind.value}))
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert f"vangnet-{kind.value}-sjabloon.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    assert header == [c.value for c in LAYOUTS[kind].columns]
    assert all(cell.comment is not None and cell.comment.text for cell in sheet[1])
    example = {h: c.value for h, c in zip(header, sheet[2], strict=True)}
    assert example["BSN"] == EXAMPLE_BSN and is_valid_bsn(example["BSN"])
    assert example["Achternaam"] == "Testjongere"
    lists = {dv.formula1: str(dv.sqref) for dv in sheet.data_validations.dataValidation}
    if "Uitstroomperspectief" in header:
        assert '"Onderwijs,Arbeid,Dagbesteding"' in lists
    if kind == Kind.YOUTH_LIST:
        assert example["Voornaam"] == "Voorbeeld"
        assert example["Woongemeente"] == "Aastad"
        assert '"M,V,X"' in lists and '"ja,nee"' in lists
        assert "Verplicht." in sheet["C1"].comment.text


def test_upload_report_then_apply(school_client, world):
    response = _upload(school_client, "jongerenlijst", youth_list([youth_row(), youth_row()]))
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("transfers:job", kwargs={"job_id": job.pk})
    html = school_client.get(response["Location"]).content.decode()
    assert "Gecontroleerd, klaar om te verwerken" in html
    assert re.search(r'id="count-created">2<', html)
    assert "Verwerken" in html
    assert Youth.objects.count() == 0  # nothing changes before Process
    response = school_client.post(reverse("transfers:job_apply", kwargs={"job_id": job.pk}))
    assert response.status_code == 302
    html = school_client.get(response["Location"]).content.decode()
    assert "Het bestand is verwerkt." in html and re.search(r'id="count-created">2<', html)
    assert Youth.objects.count() == 2
    response = school_client.post(reverse("transfers:job_apply", kwargs={"job_id": job.pk}))
    html = school_client.get(response["Location"]).content.decode()
    assert "al verwerkt" in html
    assert Youth.objects.count() == 2


def test_file_with_errors_shows_row_column_and_message(school_client, world):
    response = _upload(
        school_client,
        "jongerenlijst",
        youth_list([youth_row(), youth_row(bsn="123456781")]),
        name="fout.xlsx",
    )
    html = school_client.get(response["Location"]).content.decode()
    assert "Het bestand heeft 1 fout. Er is niets gewijzigd." in html
    assert re.search(r"<td[^>]*>3</td><td[^>]*>BSN</td><td[^>]*>Dit is geen geldig BSN", html)
    assert "Verwerken</button>" not in html
    assert "123456781" not in html
    assert Youth.objects.count() == 0


def test_not_an_excel_file_upload(school_client):
    response = _upload(school_client, "uitschrijfdatums", b"%PDF-1.4\n", name="lijst.xlsx")
    html = school_client.get(response["Location"]).content.decode()
    assert "Dit is een PDF-bestand" in html
    assert ImportJob.objects.get().status == ImportStatus.INVALID


def test_same_file_twice_says_unchanged(school_client):
    data = youth_list([youth_row()])
    first = _upload(school_client, "jongerenlijst", data)
    job = ImportJob.objects.get()
    school_client.post(reverse("transfers:job_apply", kwargs={"job_id": job.pk}))
    second = _upload(school_client, "jongerenlijst", data)
    assert second["Location"] != first["Location"]
    html = school_client.get(second["Location"]).content.decode()
    assert "Ongewijzigd: elke rij komt al overeen" in html
    assert re.search(r'id="count-created">0<', html) and re.search(r'id="count-updated">0<', html)


def test_double_submit_of_the_upload_form(school_client):
    url = reverse("transfers:upload", kwargs={"kind": "jongerenlijst"})
    token = _token(school_client, url)
    data = youth_list([youth_row()])
    for _ in range(2):
        school_client.post(url, {"file": SimpleUploadedFile("a.xlsx", data), "form_token": token})
    assert ImportJob.objects.count() == 1


def test_upload_form_needs_a_file(school_client):
    url = reverse("transfers:upload", kwargs={"kind": "jongerenlijst"})
    response = school_client.post(url, {"form_token": _token(school_client, url)})
    assert response.status_code == 200
    assert "Dit veld is verplicht" in response.content.decode()


def test_large_file_goes_through_the_background_tasks(school_client, monkeypatch):
    monkeypatch.setattr(services, "BACKGROUND_ROWS", 1)
    calls = []
    from vangnet.transfers import tasks

    for task in (tasks.check_import, tasks.apply_import):
        original = task.delay
        monkeypatch.setattr(
            task, "delay", lambda *a, _o=original, _n=task.name: calls.append(_n) or _o(*a)
        )
    response = _upload(school_client, "jongerenlijst", youth_list([youth_row(), youth_row()]))
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.VALID  # eager without a broker
    school_client.post(reverse("transfers:job_apply", kwargs={"job_id": job.pk}))
    assert calls == ["vangnet.transfers.tasks.check_import", "vangnet.transfers.tasks.apply_import"]
    assert Youth.objects.count() == 2
    assert response.status_code == 302


def _job(world, **fields):
    defaults = {
        "kind": "jongerenlijst",
        "organisation": world.pro,
        "user": world.users["school_gebruiker"],
        "file_name": "groot.xlsx",
        "sha256": "0" * 64,
    }
    return ImportJob.objects.create(**{**defaults, **fields})


def test_progress_page_polls_until_the_report_is_ready(school_client, world):
    job = _job(world, status=ImportStatus.VALIDATING, progress=40)
    html = school_client.get(reverse("transfers:job", kwargs={"job_id": job.pk})).content.decode()
    status_url = reverse("transfers:job_status", kwargs={"job_id": job.pk})
    assert f'hx-get="{status_url}"' in html and 'value="40"' in html
    assert '<meta http-equiv="refresh" content="3">' in html
    response = school_client.get(status_url, HTTP_HX_REQUEST="true")
    assert "HX-Refresh" not in response and "40%" in response.content.decode()
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.DONE, progress=100)
    response = school_client.get(status_url, HTTP_HX_REQUEST="true")
    assert response["HX-Refresh"] == "true"


def test_history_lists_the_organisations_jobs_only(school_client, world):
    own = _job(world, file_name="eigen.xlsx", status=ImportStatus.DONE, rows_total=7)
    _job(
        world,
        organisation=world.other_school,
        user=world.users["other_school"],
        file_name="ander.xlsx",
    )
    html = school_client.get(reverse("transfers:history")).content.decode()
    assert "eigen.xlsx" in html and "ander.xlsx" not in html
    assert reverse("transfers:job", kwargs={"job_id": own.pk}) in html
    assert escape(world.users["school_gebruiker"].full_name) in html
    assert "Verwerkt" in html


def test_another_organisations_job_is_404(school_client, world):
    other = _job(world, organisation=world.other_school, status=ImportStatus.VALID)
    for name in ("transfers:job", "transfers:job_status"):
        assert school_client.get(reverse(name, kwargs={"job_id": other.pk})).status_code == 404
    response = school_client.post(reverse("transfers:job_apply", kwargs={"job_id": other.pk}))
    assert response.status_code == 404
    assert ImportJob.objects.get(pk=other.pk).status == ImportStatus.VALID


def test_apply_needs_post(school_client, world):
    job = _job(world, status=ImportStatus.VALID)
    response = school_client.get(reverse("transfers:job_apply", kwargs={"job_id": job.pk}))
    assert response.status_code == 405

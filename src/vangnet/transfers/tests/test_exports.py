"""Exports of the lists outside the JIKP school lists: the youth list (gemeente, MBO, chain
partner), the chain partner's samenwerkingen, the user list and the import history.

Each one: the active filters, formulas neutralised, the BSN only for the municipality, one EXPORT
audit event per youth (or one without youth for lists without person records) and a query count
that does not grow with the number of rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from conftest import login_verified
from tests.factories import EnrolmentFactory, UserFactory, YouthFactory, make_bsn
from vangnet.accounts.models import Role
from vangnet.audit.models import AuditAction, AuditEvent
from vangnet.jikp.models import ContactPerson, Samenwerking, SamenwerkingStatus
from vangnet.transfers import exports
from vangnet.transfers.models import ImportJob, ImportSource, ImportStatus

pytestmark = pytest.mark.django_db

FORMATS = ("csv", "xlsx")


def download(client, name, fmt="csv", **params):
    response = client.get(reverse(name), {**params, "formaat": fmt})
    assert response.status_code == 200, response.status_code
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Disposition"].startswith("attachment;")
    body = b"".join(response.streaming_content)
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    else:
        sheet = load_workbook(io.BytesIO(body), read_only=True).active
        rows = [["" if v is None else v for v in r] for r in sheet.iter_rows(values_only=True)]
    header, data = rows[0], rows[1:]
    # A read-only sheet leaves out empty cells at the end of a row.
    return [
        dict(zip(header, [*row, *[""] * (len(header) - len(row))], strict=True)) for row in data
    ]


def exported(**filters):
    return AuditEvent.objects.filter(action=AuditAction.EXPORT, **filters)


# --- Youth list ----------------------------------------------------------------------------------


def resident(world, **kwargs):
    return YouthFactory(municipality=world.gem_a, **kwargs)


@pytest.mark.parametrize("fmt", FORMATS)
def test_municipality_exports_its_youth_with_the_bsn(client, world, fmt):
    bsn = make_bsn()
    youth = resident(world, first_name="Sanne", last_name="Jansen", bsn=bsn)
    YouthFactory(municipality=world.gem_x)  # another region: never exported
    login_verified(client, world.users["gemeente_consulent"])
    rows = download(client, "youth:export", fmt)
    assert len(rows) == 1
    (row,) = rows
    assert row["BSN"] == bsn
    assert (row["Voornaam"], row["Achternaam"], row["Gemeente"]) == ("Sanne", "Jansen", "Aastad")
    if fmt == "csv":
        assert row["Geboortedatum"] == youth.birth_date.strftime("%d-%m-%Y")
    else:
        assert row["Geboortedatum"].date() == youth.birth_date
    event = exported().get()
    assert event.youth_id == youth.pk
    assert event.detail["rows"] == 1
    assert event.detail["format"] == fmt
    assert event.detail["filters"] == {"sort": "naam"}


@pytest.mark.parametrize("role", ["ketenpartner", "mbo_gebruiker"])
def test_others_get_no_bsn_column_at_all(client, world, role):
    youth = resident(world)
    if role == "ketenpartner":
        Samenwerking.objects.create(
            youth=youth,
            school=world.pro,
            partner=world.partner,
            kind="arbeid",
            status=SamenwerkingStatus.CONTACT_LINKED,
            requested_by=world.users["school_gebruiker"],
        )
    else:
        EnrolmentFactory(youth=youth, organisation=world.mbo, class_name="E1")
    login_verified(client, world.users[role])
    for fmt in FORMATS:
        (row,) = download(client, "youth:export", fmt)
        assert "BSN" not in row and "Onderwijsnummer" not in row
        assert youth.bsn not in "".join(str(v) for v in row.values())
        assert row["Achternaam"] == youth.last_name
    if role == "mbo_gebruiker":
        assert row["Klas"] == "E1"
    assert set(exported().values_list("youth_id", flat=True)) == {youth.pk}


def test_schools_export_from_their_own_lists_not_from_the_youth_list(client, world):
    login_verified(client, world.users["school_gebruiker"])
    assert client.get(reverse("youth:export")).status_code == 403
    assert "youth:export" not in client.get(reverse("youth:list")).content.decode()


def test_youth_export_keeps_the_search_and_links_from_the_page(client, world):
    wanted = resident(world, last_name="Verhoeven")
    resident(world, last_name="Bakker")
    login_verified(client, world.users["gemeente_consulent"])
    page = client.get(reverse("youth:list"), {"q": "verhoe"}).content.decode()
    assert f"{reverse('youth:export')}?q=verhoe&amp;formaat=xlsx" in page
    rows = download(client, "youth:export", q="verhoe")
    assert [r["Achternaam"] for r in rows] == ["Verhoeven"]
    event = exported().get()
    assert event.youth_id == wanted.pk
    assert event.detail["filters"]["q"] == "verhoe"


def test_a_bsn_searched_for_is_not_copied_into_the_audit_trail(client, world):
    bsn = make_bsn()
    resident(world, bsn=bsn)
    login_verified(client, world.users["gemeente_consulent"])
    assert len(download(client, "youth:export", q=bsn)) == 1
    event = exported().get()
    assert event.detail["filters"]["q"] == "[number]"
    assert bsn not in str(event.detail)


@pytest.mark.parametrize("fmt", FORMATS)
def test_youth_export_neutralises_formulas(client, world, fmt):
    resident(world, first_name="=HYPERLINK(1)", last_name="+31 6", prefix="@x")
    login_verified(client, world.users["gemeente_consulent"])
    (row,) = download(client, "youth:export", fmt)
    assert row["Voornaam"] == "'=HYPERLINK(1)"
    assert row["Achternaam"] == "'+31 6"
    assert row["Tussenvoegsel"] == "'@x"


def test_youth_export_query_count_does_not_grow_with_the_rows(
    client, world, django_assert_max_num_queries
):
    for _ in range(3):
        resident(world, last_name="Klein")
    for _ in range(40):
        resident(world, last_name="Groot")
    login_verified(client, world.users["gemeente_consulent"])
    download(client, "youth:export", q="Klein")
    with CaptureQueriesContext(connection) as small:
        assert len(download(client, "youth:export", q="Klein")) == 3
    with django_assert_max_num_queries(len(small)):
        assert len(download(client, "youth:export", q="Groot")) == 40


def test_youth_export_audits_in_batches(client, world, monkeypatch):
    monkeypatch.setattr(exports, "EXPORT_CHUNK", 2)
    youth = [resident(world) for _ in range(5)]
    login_verified(client, world.users["gemeente_consulent"])
    assert len(download(client, "youth:export")) == 5
    assert sorted(exported().values_list("youth_id", flat=True)) == sorted(y.pk for y in youth)
    assert {e.detail["rows"] for e in exported()} == {5}


# --- Samenwerkingen of the chain partner ---------------------------------------------------------


def samenwerking(world, partner=None, **kwargs):
    enrolment = EnrolmentFactory(organisation=world.pro, youth__municipality=world.gem_a)
    return Samenwerking.objects.create(
        youth=enrolment.youth,
        school=world.pro,
        partner=partner or world.partner,
        kind=kwargs.pop("kind", "arbeid"),
        requested_by=world.users["school_gebruiker"],
        **kwargs,
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_partner_exports_its_samenwerkingen_with_the_status_filter(client, world, fmt):
    open_one = samenwerking(world)
    closed = samenwerking(world, status=SamenwerkingStatus.CLOSED, closed_at=timezone.now())
    other_partner = world.partner.__class__.objects.create(
        kind=world.partner.kind, name="Ander Werkplein", code="ander", region=world.region
    )
    samenwerking(world, partner=other_partner)
    colleague = UserFactory(organisation=world.partner, first_name="Joost", last_name="Coach")
    ContactPerson.objects.create(
        youth=open_one.youth,
        user=colleague,
        organisation=world.partner,
        added_by=world.users["ketenpartner"],
    )
    login_verified(client, world.users["ketenpartner"])

    (row,) = download(client, "jikp:partner_samenwerkingen_export", fmt)
    assert row["Achternaam"] == open_one.youth.last_name
    assert row["School"] == "PrO De Brug"
    assert row["Uitstroomperspectief"] == "Arbeid"
    assert row["Contactpersoon"] == "Joost Coach"
    assert "BSN" not in row
    assert exported().get().youth_id == open_one.youth_id

    (row,) = download(client, "jikp:partner_samenwerkingen_export", fmt, status="afgesloten")
    assert row["Achternaam"] == closed.youth.last_name
    assert row["Afgesloten"] not in ("", None)
    assert len(download(client, "jikp:partner_samenwerkingen_export", fmt, status="alle")) == 2
    assert len(download(client, "jikp:partner_samenwerkingen_export", fmt, status="nonsense")) == 1


def test_partner_page_links_its_export(client, world):
    login_verified(client, world.users["ketenpartner"])
    page = client.get(reverse("jikp:partner_samenwerkingen"), {"status": "alle"})
    assert (
        f"{reverse('jikp:partner_samenwerkingen_export')}?status=alle&amp;formaat=csv"
        in page.content.decode()
    )


def test_samenwerkingen_export_query_count_does_not_grow_with_the_rows(
    client, world, django_assert_max_num_queries
):
    samenwerking(world)
    login_verified(client, world.users["ketenpartner"])
    download(client, "jikp:partner_samenwerkingen_export")
    with CaptureQueriesContext(connection) as small:
        assert len(download(client, "jikp:partner_samenwerkingen_export")) == 1
    for _ in range(30):
        samenwerking(world)
    with django_assert_max_num_queries(len(small)):
        assert len(download(client, "jikp:partner_samenwerkingen_export")) == 31


# --- Users ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_administrator_exports_the_users_of_the_own_organisation(client, world, fmt):
    admin = world.users["school_beheerder"]
    UserFactory(
        organisation=world.pro, first_name="Ali", last_name="=cmd|' /C calc'!A0", job_title="-1"
    )
    UserFactory(organisation=world.pro, last_name="Weg", is_active=False)
    login_verified(client, admin)
    rows = download(client, "accounts:user_export", fmt)
    names = {r["Achternaam"] for r in rows}
    # Active users of the own organisation only (the default status filter of the page).
    assert names == {
        world.users["school_gebruiker"].last_name,
        admin.last_name,
        "'=cmd|' /C calc'!A0",
    }
    by_name = {r["Achternaam"]: r for r in rows}
    assert by_name["'=cmd|' /C calc'!A0"]["Functie"] == "'-1"
    assert by_name[admin.last_name]["Beheerder"] == "ja"
    assert by_name[admin.last_name]["Rollen"]
    assert by_name[admin.last_name]["Laatst ingelogd"] not in ("", None)
    assert {r["Status"] for r in rows} <= {
        "Actief",
        "Uitgenodigd",
        "Tweestapsverificatie nog niet ingesteld",
    }
    inactive = download(client, "accounts:user_export", fmt, status="inactief")
    assert [r["Achternaam"] for r in inactive] == ["Weg"]
    assert [r["Status"] for r in inactive] == ["Gedeactiveerd"]
    # Audited as an export, without youth (the list holds no person records of youth).
    events = exported()
    assert events.count() == 2
    assert set(events.values_list("youth_id", flat=True)) == {None}
    assert events.order_by("pk").first().detail == {
        "filters": {"status": "actief"},
        "rows": 3,
        "format": fmt,
    }


def test_user_export_query_count_does_not_grow_with_the_rows(
    client, world, django_assert_max_num_queries
):
    login_verified(client, world.users["school_beheerder"])
    download(client, "accounts:user_export")
    with CaptureQueriesContext(connection) as small:
        assert len(download(client, "accounts:user_export")) == 2
    for _ in range(20):
        UserFactory(organisation=world.pro, roles=[Role.USER, Role.MENTOR])
    with django_assert_max_num_queries(len(small)):
        assert len(download(client, "accounts:user_export")) == 22


def test_user_list_links_its_export_with_the_search(client, world):
    login_verified(client, world.users["school_beheerder"])
    page = client.get(reverse("accounts:user_list"), {"q": "jan", "status": "alle"})
    assert (
        f"{reverse('accounts:user_export')}?q=jan&amp;status=alle&amp;formaat=xlsx"
        in page.content.decode()
    )


# --- Import history ------------------------------------------------------------------------------


def job(world, organisation=None, **kwargs):
    values = {
        "kind": "jongerenlijst",
        "organisation": organisation or world.pro,
        "user": world.users["school_gebruiker"],
        "file_name": "jongeren.xlsx",
        "sha256": "0" * 64,
        "status": ImportStatus.DONE,
        "rows_total": 12,
        "rows_created": 10,
        "rows_updated": 2,
        **kwargs,
    }
    return ImportJob.objects.create(**values)


@pytest.mark.parametrize("fmt", FORMATS)
def test_school_exports_its_import_history(client, world, fmt):
    job(world)
    job(world, file_name="=evil().xlsx", source=ImportSource.CLI, status=ImportStatus.INVALID)
    job(world, organisation=world.vso, file_name="vso.xlsx")
    login_verified(client, world.users["school_beheerder"])
    rows = download(client, "transfers:history_export", fmt)
    assert sorted(r["Bestand"] for r in rows) == ["'=evil().xlsx", "jongeren.xlsx"]
    by_file = {r["Bestand"]: r for r in rows}
    assert by_file["jongeren.xlsx"]["Soort"] == "Jongerenlijst"
    assert str(by_file["jongeren.xlsx"]["Nieuw"]) == "10"
    assert by_file["jongeren.xlsx"]["Uitkomst"] == "Verwerkt"
    assert by_file["'=evil().xlsx"]["Bron"] == "Opdrachtregel"
    assert by_file["jongeren.xlsx"]["Wie"] == world.users["school_gebruiker"].full_name
    event = exported().get()
    assert event.youth_id is None
    assert event.detail["rows"] == 2


def test_history_page_links_its_export(client, world):
    job(world)
    login_verified(client, world.users["school_gebruiker"])
    page = client.get(reverse("transfers:history")).content.decode()
    assert f"{reverse('transfers:history_export')}?formaat=csv" in page


# --- The writer ----------------------------------------------------------------------------------


def test_audit_filters_keep_non_empty_values_and_hide_numbers():
    assert exports.audit_filters(
        {"q": "123 456 782", "state": "", "klas": "3A", "leerjaar": None, "n": 0}
    ) == {"q": "[number]", "klas": "3A", "n": 0}


def test_date_and_time_cells_are_local_wall_clock_time():
    moment = dt.datetime(2026, 6, 1, 10, 30, tzinfo=dt.UTC)  # 12:30 in Amsterdam (summer)
    file, count = exports.write_table(fmt="xlsx", headers=["Wanneer"], rows=[[moment]])
    sheet = load_workbook(file, read_only=True).active
    assert count == 1
    assert list(sheet.iter_rows(values_only=True))[1][0] == dt.datetime(2026, 6, 1, 12, 30)
    file, _count = exports.write_table(fmt="csv", headers=["Wanneer"], rows=[[moment]])
    assert file.read().decode("utf-8-sig").splitlines()[1] == "01-06-2026 12:30"


def test_export_events_carry_the_same_actor_fields_as_other_events(client, world):
    """On PostgreSQL the export's events go in with COPY: every column as the ORM would write it,
    also for search terms with tabs, backslashes, quotes and non-ASCII characters."""
    name = 'Ba\\k\t"er" é'
    resident(world, last_name=name)
    login_verified(client, world.users["gemeente_consulent"])
    client.get(reverse("youth:list"), {"q": name}, REMOTE_ADDR="10.1.2.3")
    seen = AuditEvent.objects.get(action=AuditAction.SEARCH)
    response = client.get(
        reverse("youth:export"), {"q": name, "formaat": "csv"}, REMOTE_ADDR="10.1.2.3"
    )
    assert len(b"".join(response.streaming_content).splitlines()) == 2
    written = exported().get()
    assert written.youth_id == seen.youth_id
    for field in ("user_id", "user_email", "organisation_id", "organisation_name", "role", "ip"):
        assert getattr(written, field) == getattr(seen, field), field
    assert written.description == "export list all"
    assert written.detail == {"filters": {"q": name, "sort": "naam"}, "rows": 1, "format": "csv"}
    assert written.at >= seen.at


def test_an_export_without_rows_is_audited_once_without_youth(client, world):
    login_verified(client, world.users["gemeente_consulent"])
    assert download(client, "youth:export", q="Niemand") == []
    event = exported().get()
    assert event.youth_id is None
    assert event.detail == {"filters": {"q": "Niemand", "sort": "naam"}, "rows": 0, "format": "csv"}


def test_xlsx_is_a_workbook_excel_readers_and_the_importer_accept():
    """The hand-written SpreadsheetML: openpyxl (full load) and calamine (the import reader) read
    the same values; the heading is bold and frozen; dangerous or illegal text is made safe."""
    from python_calamine import CalamineWorkbook

    from vangnet.transfers.domain import container

    long_text = "x" * 40_000
    rows = [
        ["=1+1", 7, 2.5, dt.date(2024, 8, 20), True, None, 'a & b <c> "d"', " spaced "],
        ["\x01@SUM(A1)", -3, 0, dt.date(1999, 12, 31), False, "", long_text, "é ü ß"],
    ]
    headers = ["Tekst", "Getal", "Komma", "Datum", "Ja/nee", "Leeg", "Tekens", "Spaties"]
    file, count = exports.write_table(fmt="xlsx", headers=headers, rows=rows, title="Lijst: a/b")
    data = file.read()
    assert count == 2
    assert container.check(data) is None

    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Lijst  a b"
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.b is True
    values = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert values[0] == [
        "'=1+1",
        7,
        2.5,
        dt.datetime(2024, 8, 20),
        "ja",
        None,
        'a & b <c> "d"',
        " spaced ",
    ]
    assert values[1][:6] == ["'@SUM(A1)", -3, 0, dt.datetime(1999, 12, 31), "nee", None]
    assert values[1][6] == "x" * 32_767
    assert values[1][7] == "é ü ß"
    assert sheet["D2"].number_format == exports.DATE_FORMAT

    calamine = CalamineWorkbook.from_filelike(io.BytesIO(data))
    table = calamine.get_sheet_by_index(0).to_python()
    assert table[0] == headers
    assert table[1][:5] == ["'=1+1", 7, 2.5, dt.date(2024, 8, 20), "ja"]


def test_xlsx_with_many_columns_names_them_past_z():
    headers = [f"K{i}" for i in range(30)]
    file, _count = exports.write_table(fmt="xlsx", headers=headers, rows=[list(range(30))])
    sheet = load_workbook(file).active
    assert sheet["AD1"].value == "K29" and sheet["AD2"].value == 29

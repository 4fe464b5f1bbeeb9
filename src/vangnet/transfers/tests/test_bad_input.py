"""Bad input: every case gives a clear Dutch message and writes nothing."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.utils import translation

from tests.factories import EnrolmentFactory, YouthFactory, make_bsn
from vangnet.jikp.models import Uitstroomperspectief
from vangnet.transfers import services
from vangnet.transfers.domain import container
from vangnet.transfers.models import ImportJob
from vangnet.youth.models import Enrolment, Youth

from .builders import (
    YOUTH_LIST_HEADER,
    fast_xlsx,
    generated_youth_rows,
    rewrite_sheet,
    xlsx,
    youth_list,
    youth_row,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _dutch():
    with translation.override("nl"):
        yield


def _check(world, kind, data):
    return services.import_check(kind=kind, data=data, school=world.pro).report


def _errors(report) -> list[tuple]:
    return [(e["row"], e["column"], e["message"]) for e in report.errors]


def _refused_and_nothing_written(world, kind, data) -> list[tuple]:
    """Run the engine as the command line does; it must refuse and write nothing."""
    before = (
        Youth.objects.count(),
        Enrolment.objects.count(),
        Uitstroomperspectief.objects.count(),
    )
    report = services.import_run(
        kind=kind,
        data=data,
        file_name="test.xlsx",
        school=world.pro,
        acting_user=world.users["school_gebruiker"],
    )
    assert not report.valid
    after = (Youth.objects.count(), Enrolment.objects.count(), Uitstroomperspectief.objects.count())
    assert after == before
    return _errors(report)


def _only_message(errors) -> str:
    assert len(errors) == 1, errors
    return errors[0][2]


def _enrolled(world, last_name="Jansen", **kwargs):
    bsn = make_bsn()
    enrolment = EnrolmentFactory(
        organisation=world.pro,
        youth=YouthFactory(bsn=bsn, last_name=last_name, municipality=world.gem_a),
        **kwargs,
    )
    return bsn, enrolment


# --- Not a workbook --------------------------------------------------------------------------


def test_csv_renamed_to_xlsx(world):
    data = b"BSN;Achternaam;Jaar van uitstroom\n123456782;Jansen;2026\n"
    message = _only_message(_refused_and_nothing_written(world, "jaar-van-uitstroom", data))
    assert "tekst- of CSV-bestand" in message
    assert "geen Excel-bestand" in message


def test_pdf_renamed_to_xlsx(world):
    message = _only_message(
        _refused_and_nothing_written(world, "jongerenlijst", b"%PDF-1.4\n%%EOF")
    )
    assert "PDF-bestand" in message


def test_encrypted_workbook(world):
    # Excel keeps a password-protected .xlsx in an OLE compound file, like an old .xls.
    data = bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 1024
    message = _only_message(_refused_and_nothing_written(world, "jongerenlijst", data))
    assert "wachtwoord" in message


def test_truncated_workbook(world):
    data = youth_list([youth_row()])
    message = _only_message(_refused_and_nothing_written(world, "jongerenlijst", data[:-200]))
    assert "beschadigd" in message


def test_workbook_with_garbage_inside(world):
    data = rewrite_sheet(xlsx(["BSN"], [["1"]]), "<sheetData>", "<sheetData><row r=")
    message = _only_message(_refused_and_nothing_written(world, "jongerenlijst", data))
    assert "beschadigd" in message


def test_other_office_document(world):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    message = _only_message(_refused_and_nothing_written(world, "jongerenlijst", out.getvalue()))
    assert "geen Excel-werkmap" in message


def test_zip_bomb_is_refused_from_the_directory(world):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * (30 * 1024 * 1024))
    message = _only_message(_refused_and_nothing_written(world, "jongerenlijst", out.getvalue()))
    assert "verdacht sterk gecomprimeerd" in message


def test_file_over_the_size_limit(world, monkeypatch):
    monkeypatch.setattr(container, "MAX_FILE_BYTES", 1000)
    message = _only_message(
        _refused_and_nothing_written(world, "jongerenlijst", youth_list([youth_row()]))
    )
    assert message == "Het bestand is te groot (maximaal 0 MB)."


def test_empty_file_and_empty_sheet(world):
    assert "leeg" in _only_message(_refused_and_nothing_written(world, "jongerenlijst", b""))
    message = _only_message(_refused_and_nothing_written(world, "jongerenlijst", xlsx([])))
    assert message == "Het werkblad is leeg."


def test_sheet_with_only_blank_cells(world):
    data = xlsx(["", None], [[" ", None]])
    message = _only_message(_refused_and_nothing_written(world, "jongerenlijst", data))
    assert message == "Het werkblad is leeg."


def test_headings_but_no_rows(world):
    data = xlsx(YOUTH_LIST_HEADER, [[None] * len(YOUTH_LIST_HEADER)])
    message = _only_message(_refused_and_nothing_written(world, "jongerenlijst", data))
    assert "geen rijen met gegevens" in message


def test_only_hidden_sheets(world):
    data = rewrite_sheet(
        xlsx(["BSN"], [["1"]]),
        'state="visible" r:id',
        'state="hidden" r:id',
        part="xl/workbook.xml",
    )
    message = _only_message(_refused_and_nothing_written(world, "jongerenlijst", data))
    assert message == "De werkmap heeft geen zichtbaar werkblad."


# --- Headings --------------------------------------------------------------------------------


def test_misspelled_required_column_suggests_the_name(world):
    data = xlsx(["BSN", "Achternam", "Jaar van uitstroom"], [["123456782", "Jansen", 2026]])
    errors = _refused_and_nothing_written(world, "jaar-van-uitstroom", data)
    assert errors == [
        (
            1,
            "Achternaam",
            "De verplichte kolom 'Achternaam' ontbreekt. Bedoel je de kolom 'Achternam'? "
            "Geef die de naam 'Achternaam'.",
        )
    ]


def test_missing_columns_each_reported(world):
    data = xlsx(["Voornaam", "Achternaam"], [["Sanne", "Jansen"]])
    errors = _refused_and_nothing_written(world, "jongerenlijst", data)
    columns = [e[1] for e in errors]
    assert "Geboortedatum" in columns and "Inschrijfdatum" in columns and "BSN" in columns
    assert all(e[0] == 1 for e in errors)


def test_extra_columns_are_ignored_with_a_note(world):
    bsn, _enrolment = _enrolled(world)
    data = xlsx(
        ["BSN", "Achternaam", "Jaar van uitstroom", "Opmerking", "Klass"],
        [[bsn, "Jansen", 2026, "let op", "3A"]],
    )
    report = _check(world, "jaar-van-uitstroom", data)
    assert report.valid
    assert report.notes == [
        "De kolom 'Opmerking' wordt niet gebruikt en is genegeerd.",
        "De kolom 'Klass' wordt niet gebruikt en is genegeerd.",
    ]


def test_title_rows_above_the_header_keep_excel_row_numbers(world):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet["B1"] = "Jaar van uitstroom, PrO De Brug"
    sheet.append([])
    sheet.append([None, "BSN", "Achternaam", "Jaar van uitstroom"])
    sheet.append([None, "123456781", "Jansen", 2026])
    out = io.BytesIO()
    workbook.save(out)
    errors = _refused_and_nothing_written(world, "jaar-van-uitstroom", out.getvalue())
    assert errors == [(4, "BSN", "Dit is geen geldig BSN (het voldoet niet aan de elfproef).")]


# --- Cells -----------------------------------------------------------------------------------


def test_bsn_failing_the_elfproef(world):
    errors = _refused_and_nothing_written(
        world, "jongerenlijst", youth_list([youth_row(), youth_row(bsn="123456781")])
    )
    assert errors == [(3, "BSN", "Dit is geen geldig BSN (het voldoet niet aan de elfproef).")]


def test_bsn_stored_as_a_number_without_its_leading_zero(world):
    bsn = make_bsn()
    # Exactly one leading zero: Excel turns it into an eight-digit number.
    while not (bsn.startswith("0") and not bsn.startswith("00")):
        bsn = make_bsn()
    data = youth_list([youth_row(bsn=int(bsn))])  # Excel keeps it as the number 12345672
    plan = services.import_check(kind="jongerenlijst", data=data, school=world.pro)
    assert plan.report.valid
    services.import_apply(plan=plan, acting_user=world.users["school_gebruiker"])
    assert Youth.objects.get().bsn == bsn


def test_same_youth_twice_in_one_file(world):
    bsn = make_bsn()
    errors = _refused_and_nothing_written(
        world, "jongerenlijst", youth_list([youth_row(bsn=bsn), youth_row(), youth_row(bsn=bsn)])
    )
    assert errors == [(4, "BSN", "Deze jongere staat al in rij 2 van dit bestand.")]


def test_last_name_not_matching_the_bsn(world):
    bsn, _enrolment = _enrolled(world, last_name="Jansen")
    data = xlsx(["BSN", "Achternaam", "Uitstroomperspectief"], [[bsn, "Pietersen", "Arbeid"]])
    errors = _refused_and_nothing_written(world, "uitstroomperspectieven", data)
    assert errors == [
        (2, "Achternaam", "De achternaam past niet bij de jongere met dit BSN of onderwijsnummer.")
    ]


def test_last_name_matches_case_and_space_insensitively(world):
    bsn, _enrolment = _enrolled(world, last_name="de Groot")
    data = xlsx(["BSN", "Achternaam", "Jaar van uitstroom"], [[bsn, " DEGROOT ", 2027]])
    assert _check(world, "jaar-van-uitstroom", data).valid


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("uitstroomperspectieven", "Arbeid"),
        ("uitschrijfdatums", "01-07-2025"),
        ("jaar-van-uitstroom", 2026),
    ],
)
def test_youth_of_another_school_is_not_found_and_nothing_is_revealed(world, kind, value):
    bsn = make_bsn()
    EnrolmentFactory(
        organisation=world.other_school,
        youth=YouthFactory(bsn=bsn, last_name="Jansen", municipality=world.gem_x),
    )
    header = [
        "BSN",
        "Achternaam",
        {
            "uitstroomperspectieven": "Uitstroomperspectief",
            "uitschrijfdatums": "Uitschrijfdatum",
            "jaar-van-uitstroom": "Jaar van uitstroom",
        }[kind],
    ]
    right_name = _refused_and_nothing_written(world, kind, xlsx(header, [[bsn, "Jansen", value]]))
    wrong_name = _refused_and_nothing_written(world, kind, xlsx(header, [[bsn, "Anders", value]]))
    unknown = _refused_and_nothing_written(world, kind, xlsx(header, [[make_bsn(), "X", value]]))
    assert right_name == wrong_name == unknown
    assert right_name[0][1] == "BSN"
    assert "niet gevonden" in right_name[0][2] and "je school" in right_name[0][2]
    assert "Xveen" not in right_name[0][2]


def test_dates_as_text_and_as_excel_dates_are_both_accepted(world):
    text_date = youth_row(overrides={"Geboortedatum": "04-03-2009", "Inschrijfdatum": "20-8-2024"})
    excel_date = youth_row(overrides={"Geboortedatum": dt.date(2009, 3, 4)})
    plan = services.import_check(
        kind="jongerenlijst", data=youth_list([text_date, excel_date]), school=world.pro
    )
    assert plan.report.valid
    assert {d.row.birth_date for d in plan.decisions} == {dt.date(2009, 3, 4)}
    assert {d.row.enrolled_on for d in plan.decisions} == {dt.date(2024, 8, 20)}


def test_impossible_date_is_refused(world):
    errors = _refused_and_nothing_written(
        world,
        "jongerenlijst",
        youth_list([youth_row(overrides={"Geboortedatum": "31-02-2024"})]),
    )
    assert errors == [(2, "Geboortedatum", "De datum 31-02-2024 bestaat niet.")]


def test_unenrolment_before_enrolment(world):
    bsn, _enrolment = _enrolled(world, enrolled_on=dt.date(2023, 8, 21))
    data = xlsx(["BSN", "Achternaam", "Uitschrijfdatum"], [[bsn, "Jansen", "20-08-2023"]])
    errors = _refused_and_nothing_written(world, "uitschrijfdatums", data)
    assert errors == [
        (
            2,
            "Uitschrijfdatum",
            "De uitschrijfdatum kan niet voor de inschrijfdatum (21-08-2023) liggen.",
        )
    ]


def test_leaving_year_outside_a_sensible_range(world):
    bsn, _enrolment = _enrolled(world)
    data = xlsx(["BSN", "Achternaam", "Jaar van uitstroom"], [[bsn, "Jansen", 1995]])
    (error,) = _refused_and_nothing_written(world, "jaar-van-uitstroom", data)
    year = dt.date.today().year
    assert error == (
        2,
        "Jaar van uitstroom",
        f"Het jaar van uitstroom moet tussen {year - 10} en {year + 10} liggen.",
    )


def test_unknown_perspective(world):
    bsn, _enrolment = _enrolled(world)
    data = xlsx(["BSN", "Achternaam", "Uitstroomperspectief"], [[bsn, "Jansen", "Stage"]])
    errors = _refused_and_nothing_written(world, "uitstroomperspectieven", data)
    assert errors == [
        (
            2,
            "Uitstroomperspectief",
            "Onbekend uitstroomperspectief 'Stage'; kies Onderwijs, Arbeid of Dagbesteding.",
        )
    ]


def test_formula_cell_gives_its_cached_value_never_a_formula(world):
    bsn, _enrolment = _enrolled(world)
    data = xlsx(
        ["BSN", "Achternaam", "Jaar van uitstroom"],
        [[bsn, '=HYPERLINK("http://example.test","Jansen")', 2027]],
    )
    data = rewrite_sheet(
        data,
        '<c r="B2"><f>HYPERLINK("http://example.test","Jansen")</f><v /></c>',
        '<c r="B2" t="str"><f>HYPERLINK("http://example.test","Jansen")</f><v>Jansen</v></c>',
    )
    plan = services.import_check(kind="jaar-van-uitstroom", data=data, school=world.pro)
    assert plan.report.valid
    assert plan.decisions[0].row.last_name == "Jansen"


def test_formula_without_cached_value_is_an_empty_cell(world):
    bsn, _enrolment = _enrolled(world)
    data = xlsx(["BSN", "Achternaam", "Jaar van uitstroom"], [[bsn, "=1+1", 2027]])
    errors = _refused_and_nothing_written(world, "jaar-van-uitstroom", data)
    assert errors == [(2, "Achternaam", "Dit veld is verplicht.")]


@pytest.mark.parametrize("value", ["=cmd|' /C calc'!A0", "+31612345678", "-x", "@SUM(A1)"])
def test_text_that_would_become_a_formula_is_never_stored(world, value):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(YOUTH_LIST_HEADER)
    row = youth_row()
    sheet.append([row[h] for h in YOUTH_LIST_HEADER])
    cell = sheet.cell(row=2, column=YOUTH_LIST_HEADER.index("Klas") + 1)
    cell.value = value
    cell.data_type = "s"  # text that only looks like a formula
    out = io.BytesIO()
    workbook.save(out)
    errors = _refused_and_nothing_written(world, "jongerenlijst", out.getvalue())
    assert errors == [
        (
            2,
            "Klas",
            "Een waarde mag niet beginnen met =, +, - of @ (dan kan het als formule werken); "
            "haal dat teken weg.",
        )
    ]


def test_the_example_row_left_in_the_template(world):
    from vangnet.transfers import spreadsheets

    data = spreadsheets.build_template(services.Kind.YOUTH_LIST, municipality="Aastad")
    errors = _refused_and_nothing_written(world, "jongerenlijst", data)
    assert errors == [(2, "BSN", "Dit is de voorbeeldregel van het sjabloon; verwijder deze.")]


def test_errors_are_capped_but_counted(world, monkeypatch):
    monkeypatch.setattr(services, "ERROR_CAP", 3)
    data = xlsx(["BSN", "Achternaam", "Jaar van uitstroom"], [["1", "", "x"]] * 5)
    report = _check(world, "jaar-van-uitstroom", data)
    assert len(report.errors) == 3
    assert report.error_total == 15


def test_fifty_thousand_rows_work(world):
    rows = generated_youth_rows(50_000, municipality=world.gem_a.cbs_code)
    data = fast_xlsx(YOUTH_LIST_HEADER, rows)
    report = services.import_run(
        kind="jongerenlijst",
        data=data,
        file_name="groot.xlsx",
        school=world.pro,
        acting_user=world.users["school_gebruiker"],
    )
    assert report.valid, report.errors[:3]
    assert (report.rows, report.created) == (50_000, 50_000)
    assert Enrolment.objects.filter(organisation=world.pro).count() == 50_000
    assert ImportJob.objects.get().rows_created == 50_000


def test_a_bsn_typed_into_another_column_is_not_repeated_in_the_report(world):
    stray = make_bsn()
    errors = _refused_and_nothing_written(
        world, "jongerenlijst", youth_list([youth_row(overrides={"Geslacht": stray})])
    )
    assert errors
    assert all(stray not in message for _, _, message in errors)


def test_enrolment_date_before_the_date_of_birth_is_refused(world):
    row = youth_row(overrides={"Geboortedatum": "04-03-2009", "Inschrijfdatum": "01-08-2008"})
    errors = _refused_and_nothing_written(world, "jongerenlijst", youth_list([row]))
    assert errors == [
        (
            2,
            "Inschrijfdatum",
            "De inschrijfdatum kan niet voor de geboortedatum (04-03-2009) liggen.",
        )
    ]

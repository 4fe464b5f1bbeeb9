"""The pure rules of imports: headings, cells, rows, decisions and the container checks."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import replace

import pytest

from vangnet.transfers.domain import columns, container, decisions, rows, values
from vangnet.transfers.domain.columns import LAYOUTS, Col, Kind
from vangnet.transfers.domain.decisions import (
    Decision,
    EnrolmentState,
    Outcome,
    PerspectiveState,
    YouthState,
    decide,
)
from vangnet.transfers.domain.problems import Code, Note, Problem, ProblemLog
from vangnet.transfers.domain.rows import Context, YouthRow
from vangnet.transfers.domain.values import CellError
from vangnet.transfers.models import ImportKind
from vangnet.transfers.urls import KindConverter

TODAY = dt.date(2025, 3, 1)
CTX = Context(today=TODAY, municipalities={"GM0001": 1, "aastad": 1, "dubbel": None})


def test_model_kinds_and_url_converter_mirror_the_domain():
    assert set(ImportKind.values) == {k.value for k in Kind}
    assert set(KindConverter.regex.split("|")) == {k.value for k in Kind}
    assert KindConverter().to_url(Kind.YOUTH_LIST) == "jongerenlijst"
    assert KindConverter().to_python("uitschrijfdatums") == "uitschrijfdatums"


# --- Problems --------------------------------------------------------------------------------


def test_problem_log_keeps_at_most_cap_but_counts_all():
    log = ProblemLog(cap=2)
    assert not log
    log.extend([Problem(Code.REQUIRED, row=r) for r in (2, 3, 4)])
    assert log
    assert log.total == 3
    assert [p.row for p in log] == [2, 3]


# --- Headings --------------------------------------------------------------------------------


def test_heading_key_ignores_case_spaces_accents_and_punctuation():
    assert columns.heading_key(" Geboorte-datum * ") == "geboortedatum"
    assert columns.heading_key("Jaar van uitstroom") == "jaarvanuitstroom"
    assert columns.heading_key("Oriënterend") == "orienterend"


def test_find_header_skips_a_title_row():
    sheet = [(1, ["Leerlingen 2025", None]), (2, ["BSN", "Achternaam"]), (3, ["1", "x"])]
    assert columns.find_header(sheet) == 1


def test_find_header_falls_back_to_first_filled_row_or_none():
    assert columns.find_header([(1, ["", None]), (2, ["Foo", "Bar"])]) == 1
    assert columns.find_header([(1, ["", None])]) is None
    assert columns.find_header([(1, ["Foo"]), (2, ["Bar"]), (3, ["Baz"])]) == 0
    assert columns.find_header([]) is None


def test_match_header_maps_positions_and_aliases():
    layout = LAYOUTS[Kind.LEAVING_YEARS]
    match = columns.match_header(layout, 1, ["bsn", None, "ACHTERNAAM", "Schooljaar van uitstroom"])
    assert match.positions == {Col.BSN: 0, Col.LAST_NAME: 2, Col.LEAVING_YEAR: 3}
    assert match.problems == []
    assert match.remarks == []


def test_missing_column_suggests_the_misspelled_one():
    layout = LAYOUTS[Kind.LEAVING_YEARS]
    match = columns.match_header(layout, 1, ["BSN", "Achternam", "Jaar van uitstroom"])
    assert [(p.code, p.column, p.params) for p in match.problems] == [
        (
            Code.MISSING_COLUMN_SUGGEST,
            "Achternaam",
            {"column": "Achternaam", "found": "Achternam"},
        )
    ]
    assert match.remarks == []  # the misspelled heading is not reported twice


def test_missing_column_without_a_near_heading():
    match = columns.match_header(LAYOUTS[Kind.UNENROLMENTS], 3, ["BSN", "Achternaam"])
    assert [(p.code, p.row, p.column) for p in match.problems] == [
        (Code.MISSING_COLUMN, 3, "Uitschrijfdatum")
    ]


def test_missing_identifier_column_with_and_without_suggestion():
    layout = LAYOUTS[Kind.PERSPECTIVES]
    match = columns.match_header(layout, 1, ["BNS", "Achternaam", "UPP"])
    assert [(p.code, p.params) for p in match.problems] == [
        (Code.MISSING_IDENTIFIER_COLUMN, {"found": ""})
    ]
    match = columns.match_header(layout, 1, ["Onderwijsnumer", "Achternaam", "UPP"])
    assert [(p.code, p.params) for p in match.problems] == [
        (Code.MISSING_IDENTIFIER_COLUMN, {"found": "Onderwijsnumer"})
    ]


def test_onderwijsnummer_alone_identifies_in_an_update_kind():
    layout = LAYOUTS[Kind.PERSPECTIVES]
    match = columns.match_header(layout, 1, ["Onderwijsnummer", "Achternaam", "UPP"])
    assert match.problems == []


def test_duplicate_and_extra_columns():
    layout = LAYOUTS[Kind.LEAVING_YEARS]
    match = columns.match_header(
        layout,
        1,
        ["BSN", "Achternaam", "Jaar van uitstroom", "bsn", "Opmerking", "Klas", "Tussenvoegel"],
    )
    assert [(p.code, p.params) for p in match.problems] == [
        (Code.DUPLICATE_COLUMN, {"column": "bsn"})
    ]
    assert [(r.code, r.params) for r in match.remarks] == [
        (Note.COLUMN_IGNORED, {"column": "Opmerking"}),
        (Note.COLUMN_IGNORED, {"column": "Klas"}),  # known, but not used by this kind
        (Note.COLUMN_IGNORED, {"column": "Tussenvoegel"}),
    ]


def test_extra_column_close_to_an_unused_optional_one_gets_a_suggestion():
    layout = LAYOUTS[Kind.YOUTH_LIST]
    cells = [c.value for c in layout.columns if c != Col.CLASS_NAME] + ["Klass"]
    match = columns.match_header(layout, 1, cells)
    assert match.problems == []
    assert [(r.code, r.params) for r in match.remarks] == [
        (Note.COLUMN_IGNORED_SUGGEST, {"column": "Klass", "suggestion": "Klas"})
    ]


# --- Cells -----------------------------------------------------------------------------------


def _error(fn, *args, **kwargs) -> Code:
    with pytest.raises(CellError) as info:
        fn(*args, **kwargs)
    return info.value.code


def test_is_empty():
    assert values.is_empty(None)
    assert values.is_empty("  ")
    assert not values.is_empty(0)
    assert not values.is_empty("x")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, ""),
        (True, "ja"),
        (False, "nee"),
        (12.0, "12"),
        (12.5, "12.5"),
        (7, "7"),
        (dt.date(2024, 2, 3), "03-02-2024"),
        (dt.datetime(2024, 2, 3, 10, 0), "03-02-2024"),
        ("  a b ", "a b"),
    ],
)
def test_as_text(raw, expected):
    assert values.as_text(raw) == expected


def test_text_collapses_spaces_refuses_formulas_and_overlong():
    assert values.text("  de   Vries ", max_length=20) == "de Vries"
    for bad in ('=HYPERLINK("x")', "+31", "-1", "@SUM(A1)"):
        assert _error(values.text, bad, max_length=50) == Code.FORMULA
    assert _error(values.text, "x" * 21, max_length=20) == Code.TOO_LONG


def test_bsn_accepts_text_and_numbers_and_restores_a_lost_leading_zero():
    assert values.bsn("123456782") == "123456782"
    assert values.bsn("1234.56.782") == "123456782"
    assert values.bsn(123456782.0) == "123456782"
    assert values.bsn(12345672) == "012345672"  # Excel dropped the zero of 012345672
    assert values.bsn("12345672") == "012345672"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("123456781", Code.BSN_ELFPROEF),
        ("000000000", Code.BSN_ELFPROEF),
        ("1234567", Code.BSN_LENGTH),
        ("12345678A", Code.BSN_LENGTH),
        (1234567.5, Code.BSN_LENGTH),
        (True, Code.BSN_LENGTH),
    ],
)
def test_bsn_refused(raw, code):
    assert _error(values.bsn, raw) == code


def test_onderwijsnummer():
    from tests.factories import make_onderwijsnummer

    number = make_onderwijsnummer()
    assert values.onderwijsnummer(number) == number
    assert values.onderwijsnummer(float(number)) == number
    assert _error(values.onderwijsnummer, "123456782") == Code.ONDERWIJSNUMMER_INVALID


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (dt.date(2024, 2, 29), dt.date(2024, 2, 29)),
        (dt.datetime(2024, 2, 3, 0, 0), dt.date(2024, 2, 3)),
        ("03-02-2024", dt.date(2024, 2, 3)),
        ("3-2-2024", dt.date(2024, 2, 3)),
        ("03/02/2024", dt.date(2024, 2, 3)),
        ("03.02.2024", dt.date(2024, 2, 3)),
        (" 2024-02-03 ", dt.date(2024, 2, 3)),
        ("2024-02-03 00:00:00", dt.date(2024, 2, 3)),
        (45325, dt.date(2024, 2, 3)),  # an Excel serial number
        (45325.0, dt.date(2024, 2, 3)),
    ],
)
def test_dates_as_excel_dates_and_as_text(raw, expected):
    assert values.date(raw) == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("31-02-2024", Code.DATE_IMPOSSIBLE),
        ("29-02-2023", Code.DATE_IMPOSSIBLE),
        ("00-01-2024", Code.DATE_IMPOSSIBLE),
        ("2024-13-01", Code.DATE_IMPOSSIBLE),
        ("3 februari 2024", Code.DATE_INVALID),
        ("03-02-24", Code.DATE_INVALID),
        (0, Code.DATE_INVALID),
        (45325.5, Code.DATE_INVALID),
        (True, Code.DATE_INVALID),
        (dt.time(10, 0), Code.DATE_INVALID),
        ("01-01-1850", Code.DATE_TOO_EARLY),
    ],
)
def test_dates_refused(raw, code):
    assert _error(values.date, raw) == code


def test_whole_number():
    assert values.whole_number(3) == 3
    assert values.whole_number(3.0) == 3
    assert values.whole_number(" 4 ") == 4
    assert values.whole_number(3.5) is None
    assert values.whole_number(True) is None
    assert values.whole_number("drie") is None
    assert values.whole_number("\u00b2") is None  # a digit to isdigit(), not to int()


def test_leaving_year():
    assert values.leaving_year(2022, current_year=2025) == 2022
    assert values.leaving_year("2021/2022", current_year=2025) == 2022
    assert values.leaving_year("2021 - 2022", current_year=2025) == 2022
    assert _error(values.leaving_year, "2021/2023", current_year=2025) == Code.YEAR_INVALID
    assert _error(values.leaving_year, "volgend jaar", current_year=2025) == Code.YEAR_INVALID
    assert _error(values.leaving_year, 1999, current_year=2025) == Code.YEAR_OUT_OF_RANGE
    assert _error(values.leaving_year, 2036, current_year=2025) == Code.YEAR_OUT_OF_RANGE


def test_school_year_level():
    assert values.school_year_level(3.0) == 3
    assert _error(values.school_year_level, 9) == Code.LEVEL_INVALID
    assert _error(values.school_year_level, "drie") == Code.LEVEL_INVALID


def test_gender_perspective_yes_no_postcode():
    assert values.gender("Vrouw") == "v"
    assert values.gender("m") == "m"
    assert values.gender("Anders/onbekend") == "x"
    assert _error(values.gender, "?") == Code.GENDER_INVALID
    assert values.perspective(" arbeid ") == "arbeid"
    assert values.perspective("Dagbesteding") == "dagbesteding"
    assert _error(values.perspective, "Stage") == Code.PERSPECTIVE_INVALID
    assert values.yes_no(True) is True
    assert values.yes_no("Ja") is True
    assert values.yes_no(0.0) is False
    assert values.yes_no("nee") is False
    assert _error(values.yes_no, "misschien") == Code.YES_NO_INVALID
    assert values.postcode("1234ab") == "1234 AB"
    assert _error(values.postcode, "0123 AB") == Code.POSTCODE_INVALID


def test_municipality_by_code_or_name():
    assert values.municipality_key("gm0001") == "GM0001"
    assert values.municipality_key(1.0) == "GM0001"
    assert values.municipality_key("0001") == "GM0001"
    assert values.municipality_key("  Aa   Stad ") == "aa stad"
    lookup = CTX.municipalities
    assert values.municipality("GM0001", lookup) == 1
    assert values.municipality("AASTAD", lookup) == 1
    assert _error(values.municipality, "Nergens", lookup) == Code.MUNICIPALITY_UNKNOWN
    assert _error(values.municipality, "Dubbel", lookup) == Code.MUNICIPALITY_AMBIGUOUS


def test_last_name_matches_case_space_and_prefix_insensitively():
    assert values.last_name_matches(" jansen ", last_name="Jansen", prefix="")
    assert values.last_name_matches("Van der Berg", last_name="Berg", prefix="van der")
    assert values.last_name_matches("berg", last_name="Berg", prefix="van der")
    assert not values.last_name_matches("Janssen", last_name="Jansen", prefix="")


# --- Rows ------------------------------------------------------------------------------------

YL = LAYOUTS[Kind.YOUTH_LIST]
YL_POS = {c: i for i, c in enumerate(YL.columns)}


def _youth_cells(**changes) -> list[object]:
    base = {
        Col.BSN: "123456782",
        Col.ONDERWIJSNUMMER: None,
        Col.LAST_NAME: "Jansen",
        Col.PREFIX: None,
        Col.FIRST_NAME: "Sanne",
        Col.BIRTH_DATE: "04-03-2009",
        Col.GENDER: "V",
        Col.STREET: "Kerkstraat",
        Col.HOUSE_NUMBER: 12.0,
        Col.POSTCODE: "1234ab",
        Col.CITY: "Aastad",
        Col.MUNICIPALITY: "Aastad",
        Col.SECRET_ADDRESS: None,
        Col.STUDENT_NUMBER: None,
        Col.CLASS_NAME: "3A",
        Col.LEVEL: 3.0,
        Col.ENROLLED_ON: dt.date(2024, 8, 20),
        Col.PERSPECTIVE: "Arbeid",
        Col.LEAVING_YEAR: 2026.0,
    }
    base.update({Col[k.upper()]: v for k, v in changes.items()})
    return [base[c] for c in YL.columns]


def test_parse_a_valid_youth_list_row():
    row, problems = rows.parse_row(Kind.YOUTH_LIST, YL_POS, 2, _youth_cells(), CTX)
    assert problems == []
    assert row is not None
    assert (row.bsn, row.last_name, row.prefix, row.house_number) == (
        "123456782",
        "Jansen",
        "",
        "12",
    )
    assert (row.postcode, row.municipality_id, row.perspective) == ("1234 AB", 1, "arbeid")
    assert row.birth_date == dt.date(2009, 3, 4)
    assert row.secret_address is False
    assert row.student_number is None  # not given: leave as it is
    assert row.key == ("bsn", "123456782")


def test_secret_address_drops_the_address_and_needs_none():
    cells = _youth_cells(
        secret_address="ja", street=None, house_number=None, postcode=None, city=None
    )
    row, problems = rows.parse_row(Kind.YOUTH_LIST, YL_POS, 2, cells, CTX)
    assert problems == []
    assert row.secret_address is True
    assert (row.street, row.postcode) == ("", "")


def test_address_required_without_secret_address():
    cells = _youth_cells(street=None, city=" ")
    row, problems = rows.parse_row(Kind.YOUTH_LIST, YL_POS, 7, cells, CTX)
    assert row is None
    assert [(p.code, p.row, p.column) for p in problems] == [
        (Code.ADDRESS_REQUIRED, 7, "Straat"),
        (Code.ADDRESS_REQUIRED, 7, "Woonplaats"),
    ]


def test_every_bad_cell_of_a_row_is_reported():
    cells = _youth_cells(
        bsn="123456781",
        first_name=None,
        birth_date="31-02-2009",
        gender="?",
        level=9,
        perspective="Stage",
        leaving_year=1990,
        municipality="Nergens",
        class_name='=HYPERLINK("http://x")',
    )
    row, problems = rows.parse_row(Kind.YOUTH_LIST, YL_POS, 4, cells, CTX)
    assert row is None
    assert {(p.column, p.code) for p in problems} == {
        ("BSN", Code.BSN_ELFPROEF),
        ("Voornaam", Code.REQUIRED),
        ("Geboortedatum", Code.DATE_IMPOSSIBLE),
        ("Geslacht", Code.GENDER_INVALID),
        ("Leerjaar", Code.LEVEL_INVALID),
        ("Uitstroomperspectief", Code.PERSPECTIVE_INVALID),
        ("Jaar van uitstroom", Code.YEAR_OUT_OF_RANGE),
        ("Woongemeente", Code.MUNICIPALITY_UNKNOWN),
        ("Klas", Code.FORMULA),
    }


def test_birth_date_in_the_future_is_refused():
    cells = _youth_cells(birth_date=TODAY + dt.timedelta(days=1))
    _row, problems = rows.parse_row(Kind.YOUTH_LIST, YL_POS, 2, cells, CTX)
    assert [p.code for p in problems] == [Code.BIRTH_DATE_FUTURE]


def test_identifier_required_and_onderwijsnummer_ignored_beside_a_bsn():
    _row, problems = rows.parse_row(Kind.YOUTH_LIST, YL_POS, 2, _youth_cells(bsn=None), CTX)
    assert [p.code for p in problems] == [Code.IDENTIFIER_REQUIRED]
    row, problems = rows.parse_row(
        Kind.YOUTH_LIST, YL_POS, 2, _youth_cells(onderwijsnummer="not checked"), CTX
    )
    assert problems == []
    assert row.onderwijsnummer == ""


def test_the_example_row_of_the_template_is_refused():
    cells = _youth_cells(bsn=rows.EXAMPLE_BSN)
    _row, problems = rows.parse_row(Kind.YOUTH_LIST, YL_POS, 2, cells, CTX)
    assert [p.code for p in problems] == [Code.EXAMPLE_ROW]
    assert values.is_valid_bsn(rows.EXAMPLE_BSN)


UPD_POS = {Col.BSN: 0, Col.LAST_NAME: 1, Col.UNENROLLED_ON: 2}


def test_update_kind_rows():
    row, problems = rows.parse_row(
        Kind.UNENROLMENTS, UPD_POS, 2, ["123456782", "Jansen", "01-08-2025"], CTX
    )
    assert problems == []
    assert row.unenrolled_on == dt.date(2025, 8, 1)
    _row, problems = rows.parse_row(Kind.UNENROLMENTS, UPD_POS, 2, ["123456782", "Jansen"], CTX)
    assert [(p.code, p.column) for p in problems] == [(Code.REQUIRED, "Uitschrijfdatum")]
    _row, problems = rows.parse_row(
        Kind.UNENROLMENTS, UPD_POS, 2, ["123456782", "Jansen", "01-08-2030"], CTX
    )
    assert [p.code for p in problems] == [Code.UNENROL_TOO_LATE]


def test_parse_rows_skips_blank_rows_and_reports_duplicates():
    log = ProblemLog()
    data = [
        (2, ["123456782", "Jansen", "01-08-2025"]),
        (3, ["", None, " "]),
        (4, ["bad", "Jansen", "01-08-2025"]),
        (5, ["123456782", "Jansen", "02-08-2025"]),
        (6, [12345672.0, "Bakker", "01-08-2025"]),
    ]
    sheet = rows.parse_rows(Kind.UNENROLMENTS, UPD_POS, data, CTX, log)
    assert sheet.count == 4
    assert [r.row for r in sheet.rows] == [2, 6]
    assert [(p.row, p.code, p.params) for p in log] == [
        (4, Code.BSN_LENGTH, {}),
        (5, Code.DUPLICATE_ROW, {"first": 2}),
    ]


def test_parse_rows_duplicate_onderwijsnummer_note_and_progress():
    from tests.factories import make_onderwijsnummer

    number = make_onderwijsnummer()
    positions = {Col.BSN: 0, Col.ONDERWIJSNUMMER: 1, Col.LAST_NAME: 2, Col.LEAVING_YEAR: 3}
    data = [
        (2, ["", number, "Jansen", 2026]),
        (3, [None, number, "Jansen", 2026]),
        (4, ["123456782", number, "Jansen", 2026]),
        (5, ["012345672", number, "Jansen", 2026]),
    ]
    seen: list[int] = []
    log = ProblemLog()
    sheet = rows.parse_rows(Kind.LEAVING_YEARS, positions, data, CTX, log, on_row=seen.append)
    assert seen == [1, 2, 3, 4]
    assert [(p.row, p.column, p.code) for p in log] == [(3, "Onderwijsnummer", Code.DUPLICATE_ROW)]
    assert [r.code for r in sheet.remarks] == [Note.ONDERWIJSNUMMER_IGNORED]


def test_parse_rows_stops_after_the_row_limit(monkeypatch):
    monkeypatch.setattr(rows, "MAX_ROWS", 2)
    log = ProblemLog()
    data = [(n, ["123456782", "Jansen", 2026]) for n in range(2, 6)]
    positions = {Col.BSN: 0, Col.LAST_NAME: 1, Col.LEAVING_YEAR: 2}
    rows.parse_rows(Kind.LEAVING_YEARS, positions, data, CTX, log)
    assert log.items[-1].code == Code.TOO_MANY_ROWS


def test_missing_cells_at_the_end_of_a_short_row_count_as_empty():
    assert rows._cell(["a"], 3) is None
    assert rows._cell(["a"], None) is None


# --- Decisions -------------------------------------------------------------------------------

YOUTH = YouthState(
    id=10,
    last_name="Jansen",
    prefix="",
    fields={
        "first_name": "Sanne",
        "birth_date": dt.date(2009, 3, 4),
        "gender": "v",
        "secret_address": False,
        "street": "Kerkstraat",
        "house_number": "12",
        "postcode": "1234 AB",
        "city": "Aastad",
        "municipality_id": 1,
    },
    supplied_here=True,  # the uploading school supplied the person data
)
ENROLMENT = EnrolmentState(
    id=20,
    enrolled_on=dt.date(2024, 8, 20),
    class_name="3A",
    school_year_level=3,
    student_number="L1",
    leaving_year=2026,
    supplied_bsn=True,
)


def _row(**changes) -> YouthRow:
    row = YouthRow(
        row=2,
        bsn="123456782",
        last_name="Jansen",
        prefix=None,
        first_name="Sanne",
        birth_date=dt.date(2009, 3, 4),
        gender="v",
        street="Kerkstraat",
        house_number="12",
        postcode="1234 AB",
        city="Aastad",
        municipality_id=1,
        enrolled_on=dt.date(2024, 8, 20),
    )
    for name, value in changes.items():
        setattr(row, name, value)
    return row


def _decide(kind, row, youth=YOUTH, enrolment=ENROLMENT, perspective=None):
    return decide(kind, row, youth=youth, enrolment=enrolment, perspective=perspective)


def test_new_youth_is_created_with_its_perspective():
    decision = _decide(Kind.YOUTH_LIST, _row(perspective="arbeid"), youth=None, enrolment=None)
    assert decision.outcome == Outcome.CREATE
    assert decision.perspective_to == "arbeid"
    assert decision.perspective_from is None
    assert decision.changed_fields == ["uitstroomperspectief"]


def test_known_youth_with_same_data_is_unchanged():
    decision = _decide(Kind.YOUTH_LIST, _row(class_name="3A", prefix=""))
    assert decision.outcome == Outcome.UNCHANGED
    assert decision.youth_changes == {} and decision.enrolment_changes == {}


def test_known_youth_is_updated_field_by_field():
    current = PerspectiveState(id=5, kind="arbeid", status="arbeid_stage")
    decision = _decide(
        Kind.YOUTH_LIST,
        _row(city="Beedorp", prefix="de", class_name="4A", perspective="onderwijs"),
        enrolment=EnrolmentState(id=20, enrolled_on=dt.date(2024, 8, 20), supplied_bsn=False),
        perspective=current,
    )
    assert decision.outcome == Outcome.UPDATE
    assert decision.youth_changes == {"city": "Beedorp", "prefix": "de"}
    assert decision.enrolment_changes == {"class_name": "4A", "supplied_bsn": True}
    assert (decision.perspective_from, decision.perspective_to) == (current, "onderwijs")


def test_same_perspective_is_not_set_again():
    current = PerspectiveState(id=5, kind="arbeid", status="arbeid_stage")
    decision = _decide(Kind.YOUTH_LIST, _row(perspective="arbeid"), perspective=current)
    assert decision.outcome == Outcome.UNCHANGED


def test_prefix_written_into_the_last_name_does_not_change_the_prefix():
    youth = YouthState(id=1, last_name="Berg", prefix="van der", fields=dict(YOUTH.fields))
    decision = _decide(Kind.YOUTH_LIST, _row(last_name="Van der Berg", prefix=""), youth=youth)
    assert decision.youth_changes == {}


def test_known_youth_new_at_this_school_gets_an_enrolment():
    decision = _decide(Kind.YOUTH_LIST, _row(perspective="arbeid"), enrolment=None)
    assert decision.outcome == Outcome.CREATE
    assert decision.enrolment is None
    assert decision.perspective_to == "arbeid"


def test_date_of_birth_must_match_in_a_youth_list():
    problem = _decide(Kind.YOUTH_LIST, _row(birth_date=dt.date(2009, 3, 5)), enrolment=None)
    assert (problem.code, problem.column) == (Code.BIRTH_DATE_MISMATCH_YOUTH, "Geboortedatum")


def test_person_data_another_organisation_supplied_are_never_changed():
    theirs = replace(YOUTH, supplied_here=False, enrolled_elsewhere=True)
    row = _row(first_name="Anders", street="Andere straat", municipality_id=2, prefix="van")
    decision = _decide(Kind.YOUTH_LIST, row, youth=theirs, enrolment=None)
    assert decision.outcome == Outcome.CREATE and decision.enrolment is None
    assert decision.youth_changes == {}
    assert decision.person_kept and decision.enrolled_elsewhere
    # Its own enrolment at the school is kept up to date, the person record is not.
    decision = _decide(Kind.YOUTH_LIST, replace(row, class_name="4A"), youth=theirs)
    assert decision.youth_changes == {} and decision.enrolment_changes == {"class_name": "4A"}


def test_an_import_never_lifts_a_secret_address():
    secret = replace(
        YOUTH,
        fields={**YOUTH.fields, "secret_address": True, "street": "", "house_number": "",
                "postcode": "", "city": ""},
    )  # fmt: skip
    decision = _decide(Kind.YOUTH_LIST, _row(first_name="Sam"), youth=secret)
    assert decision.youth_changes == {"first_name": "Sam"}


def test_last_name_must_match_in_a_youth_list():
    problem = _decide(Kind.YOUTH_LIST, _row(last_name="Pietersen"))
    assert (problem.code, problem.column) == (Code.LAST_NAME_MISMATCH, "Achternaam")


def test_unenrolled_youth_is_enrolled_again_only_after_leaving():
    left = EnrolmentState(
        id=20,
        enrolled_on=dt.date(2020, 8, 20),
        unenrolled_on=dt.date(2024, 7, 1),
        processed=True,
        supplied_bsn=True,
    )
    problem = _decide(Kind.YOUTH_LIST, _row(enrolled_on=dt.date(2020, 8, 20)), enrolment=left)
    assert problem.code == Code.UNENROLLED_AT_SCHOOL
    assert problem.params == {"date": "01-07-2024"}
    decision = _decide(Kind.YOUTH_LIST, _row(), enrolment=left)
    assert decision.outcome == Outcome.UPDATE
    assert decision.enrolment_changes == {
        "enrolled_on": dt.date(2024, 8, 20),
        "unenrolled_on": None,
        "unenrolment_processed": False,
    }


@pytest.mark.parametrize("kind", [Kind.PERSPECTIVES, Kind.LEAVING_YEARS])
def test_update_kinds_need_a_schoolgoing_enrolment(kind):
    row = _row(perspective="arbeid", leaving_year=2026)
    for youth, enrolment in [
        (None, None),
        (YOUTH, None),
        (YOUTH, EnrolmentState(id=1, enrolled_on=dt.date(2020, 1, 1), processed=True)),
    ]:
        problem = _decide(kind, row, youth=youth, enrolment=enrolment)
        assert (problem.code, problem.column) == (Code.NOT_FOUND_SCHOOLGOING, "BSN")


def test_not_found_is_said_before_the_name_is_compared():
    problem = _decide(
        Kind.UNENROLMENTS, _row(last_name="Anders", bsn="", onderwijsnummer="1"), enrolment=None
    )
    assert (problem.code, problem.column) == (Code.NOT_FOUND_AT_SCHOOL, "Onderwijsnummer")


def test_update_kinds_check_the_last_name():
    problem = _decide(Kind.PERSPECTIVES, _row(last_name="Anders", perspective="arbeid"))
    assert problem.code == Code.LAST_NAME_MISMATCH


def test_perspective_kind():
    decision = _decide(Kind.PERSPECTIVES, _row(perspective="dagbesteding"))
    assert (decision.outcome, decision.perspective_to) == (Outcome.UPDATE, "dagbesteding")
    current = PerspectiveState(id=5, kind="dagbesteding", status="dagbesteding_aangemeld")
    decision = _decide(Kind.PERSPECTIVES, _row(perspective="dagbesteding"), perspective=current)
    assert decision.outcome == Outcome.UNCHANGED


def test_leaving_year_kind():
    decision = _decide(Kind.LEAVING_YEARS, _row(leaving_year=2027))
    assert (decision.outcome, decision.enrolment_changes) == (
        Outcome.UPDATE,
        {"leaving_year": 2027},
    )
    assert _decide(Kind.LEAVING_YEARS, _row(leaving_year=2026)).outcome == Outcome.UNCHANGED


def test_unenrolment_kind():
    decision = _decide(Kind.UNENROLMENTS, _row(unenrolled_on=dt.date(2025, 7, 1)))
    assert decision.outcome == Outcome.UPDATE
    assert decision.enrolment_changes == {
        "unenrolled_on": dt.date(2025, 7, 1),
        "unenrolment_processed": False,
    }
    assert decision.changed_fields == ["unenrolled_on", "unenrolment_processed"]
    problem = _decide(Kind.UNENROLMENTS, _row(unenrolled_on=dt.date(2024, 8, 19)))
    assert (problem.code, problem.params) == (Code.UNENROL_BEFORE_ENROL, {"date": "20-08-2024"})
    same = EnrolmentState(
        id=20,
        enrolled_on=dt.date(2024, 8, 20),
        unenrolled_on=dt.date(2025, 7, 1),
        processed=True,
    )
    decision = _decide(Kind.UNENROLMENTS, _row(unenrolled_on=dt.date(2025, 7, 1)), enrolment=same)
    assert decision.outcome == Outcome.UNCHANGED


def test_decision_defaults():
    decision = Decision(row=_row())
    assert decision.outcome == Outcome.UNCHANGED
    assert decision.changed_fields == []
    assert decisions.PERSON_ATTRIBUTES[0] == "first_name"


# --- Container -------------------------------------------------------------------------------


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


WORKBOOK_PARTS = {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}


def test_container_accepts_a_workbook_and_sizes():
    assert container.check(_zip(WORKBOOK_PARTS)) is None
    assert container.check(b"").code == Code.FILE_EMPTY
    assert container.check_size(container.MAX_FILE_BYTES + 1).code == Code.FILE_TOO_LARGE
    assert container.check_size(10) is None


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (container.OLE_MAGIC + b"\0" * 600, Code.ENCRYPTED),
        (b"%PDF-1.7\n...", Code.NOT_XLSX_PDF),
        (b"BSN;Achternaam\n123456782;Jansen\n", Code.NOT_XLSX_TEXT),
        ("BSN;Achternaam\nJan;Müller\n".encode("cp1252"), Code.NOT_XLSX_TEXT),
        (b"\xef\xbb\xbfBSN,Achternaam\n", Code.NOT_XLSX_TEXT),
        (b"\x00\x01\x02\x03\x81\x8d\x8f", Code.NOT_XLSX),
        (b"\x89PNG\r\n\x1a\n\x00\x00", Code.NOT_XLSX),
        (b"PK\x03\x04 truncated", Code.CORRUPT),
        (_zip({"word/document.xml": b"<w/>"}), Code.NOT_XLSX_OTHER_ZIP),
    ],
)
def test_container_recognises_what_a_file_is(data, code):
    assert container.check(data).code == code


def test_container_refuses_zip_bombs_before_decompressing(monkeypatch):
    ratio_bomb = _zip({**WORKBOOK_PARTS, "xl/worksheets/sheet1.xml": b"\0" * (5 * 1024 * 1024)})
    assert container.check(ratio_bomb).code == Code.ZIP_RATIO
    many = _zip({**WORKBOOK_PARTS, **{f"xl/x{n}.xml": b"" for n in range(container.MAX_ENTRIES)}})
    assert container.check(many).code == Code.ZIP_TOO_MANY_ENTRIES
    monkeypatch.setattr(container, "MAX_UNCOMPRESSED", 1000)
    large = _zip({**WORKBOOK_PARTS, "xl/worksheets/sheet1.xml": b"<a/>" * 300})
    assert container.check(large).code == Code.ZIP_TOO_LARGE


def test_directory_that_understates_the_sizes_is_caught():
    data = bytearray(_zip({**WORKBOOK_PARTS, "xl/worksheets/sheet1.xml": b"<a/>" * 500_000}))
    header = data.rindex(b"PK\x01\x02")  # the last central directory entry: the sheet
    data[header + 24 : header + 28] = (5000).to_bytes(4, "little")  # claims 5,000 bytes
    assert container.check(bytes(data)).code == Code.CORRUPT


def test_estimate_rows():
    sheet = b'<worksheet><dimension ref="A1:S2501"/><sheetData/></worksheet>'
    assert container.estimate_rows(_zip({"xl/worksheets/sheet1.xml": sheet})) == 2500
    no_dimension = _zip({"xl/worksheets/sheet1.xml": b"<worksheet/>" + b" " * 600})
    assert container.estimate_rows(no_dimension) == len(no_dimension) // 60
    assert container.estimate_rows(b"not a zip") == 0
    no_sheet = _zip({"xl/workbook.xml": b"<workbook/>"})
    assert container.estimate_rows(no_sheet) == len(no_sheet) // 60


def test_large_entries_that_compress_normally_are_accepted():
    import random

    noise = random.Random(1).randbytes(2 * 1024 * 1024)
    assert container.check(_zip({**WORKBOOK_PARTS, "xl/media/image1.bin": noise})) is None

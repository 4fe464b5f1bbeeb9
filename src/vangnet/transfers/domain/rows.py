"""Turning the data rows of a sheet into checked `YouthRow`s. Pure Python.

Every cell is checked on its own first (format, range, required); then the file as a whole (the
same youth twice, the template's example row). Checks against what the database knows follow in
`decisions.py`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import values
from .columns import ADDRESS_COLUMNS, Col, Kind
from .problems import Code, Note, Problem, ProblemLog, Remark

MAX_ROWS = 100_000
EXAMPLE_FIRST_NAME = "Voorbeeld"
EXAMPLE_LAST_NAME = "Testjongere"


def example_bsn() -> str:
    """A made-up number that passes the elfproef, used in every template's example row."""
    number = 999_990_000
    while not values.is_valid_bsn(str(number)):
        number += 1
    return str(number)


EXAMPLE_BSN = example_bsn()


@dataclass(slots=True)
class YouthRow:
    """One checked row. For optional columns None means 'not given: leave as it is'."""

    row: int
    bsn: str = ""
    onderwijsnummer: str = ""
    last_name: str = ""
    prefix: str | None = None
    first_name: str = ""
    birth_date: dt.date | None = None
    gender: str = ""
    secret_address: bool = False
    street: str = ""
    house_number: str = ""
    postcode: str = ""
    city: str = ""
    municipality_id: int | None = None
    student_number: str | None = None
    class_name: str | None = None
    school_year_level: int | None = None
    enrolled_on: dt.date | None = None
    perspective: str | None = None
    leaving_year: int | None = None
    unenrolled_on: dt.date | None = None
    email: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return ("bsn", self.bsn) if self.bsn else ("onderwijsnummer", self.onderwijsnummer)


@dataclass(frozen=True)
class Context:
    today: dt.date
    municipalities: Mapping[str, int | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Field:
    column: Col
    attribute: str
    parse: Callable[[Any, Context], Any]
    required: bool = False


def _text(max_length: int) -> Callable[[Any, Context], str]:
    return lambda raw, ctx: values.text(raw, max_length=max_length)


def _birth_date(raw: Any, ctx: Context) -> dt.date:
    value = values.date(raw)
    if value > ctx.today:
        raise values.CellError(Code.BIRTH_DATE_FUTURE)
    return value


def _unenrol_date(raw: Any, ctx: Context) -> dt.date:
    value = values.date(raw)
    if value > ctx.today + dt.timedelta(days=366):
        raise values.CellError(Code.UNENROL_TOO_LATE)
    return value


def _leaving_year(raw: Any, ctx: Context) -> int:
    return values.leaving_year(raw, current_year=ctx.today.year)


def _identifier(parse: Callable[[Any], str]) -> Callable[[Any, Context], str]:
    return lambda raw, ctx: parse(raw)


FIELDS: dict[Col, Field] = {
    f.column: f
    for f in (
        Field(Col.BSN, "bsn", _identifier(values.bsn)),
        Field(Col.ONDERWIJSNUMMER, "onderwijsnummer", _identifier(values.onderwijsnummer)),
        Field(Col.LAST_NAME, "last_name", _text(150), required=True),
        Field(Col.PREFIX, "prefix", _text(20)),
        Field(Col.FIRST_NAME, "first_name", _text(100), required=True),
        Field(Col.BIRTH_DATE, "birth_date", _birth_date, required=True),
        Field(Col.GENDER, "gender", lambda raw, ctx: values.gender(raw), required=True),
        Field(Col.STREET, "street", _text(200)),
        Field(Col.HOUSE_NUMBER, "house_number", _text(20)),
        Field(Col.POSTCODE, "postcode", lambda raw, ctx: values.postcode(raw)),
        Field(Col.CITY, "city", _text(100)),
        Field(
            Col.MUNICIPALITY,
            "municipality_id",
            lambda raw, ctx: values.municipality(raw, ctx.municipalities),
            required=True,
        ),
        Field(Col.SECRET_ADDRESS, "secret_address", lambda raw, ctx: values.yes_no(raw)),
        Field(Col.STUDENT_NUMBER, "student_number", _text(30)),
        Field(Col.CLASS_NAME, "class_name", _text(30)),
        Field(Col.LEVEL, "school_year_level", lambda raw, ctx: values.school_year_level(raw)),
        Field(Col.ENROLLED_ON, "enrolled_on", lambda raw, ctx: values.date(raw), required=True),
        Field(Col.PERSPECTIVE, "perspective", lambda raw, ctx: values.perspective(raw)),
        Field(Col.LEAVING_YEAR, "leaving_year", _leaving_year),
        Field(Col.UNENROLLED_ON, "unenrolled_on", _unenrol_date),
        Field(Col.EMAIL, "email", lambda raw, ctx: values.email(raw)),
    )
}
# The leerlinglijst has its own required cells: no inschrijfdatum or address, the gender may be
# left out (it is then stored as X, other / unknown), and BSN and onderwijsnummer are optional.
STUDENT_LIST_REQUIRED = frozenset(
    {
        Col.STUDENT_NUMBER,
        Col.FIRST_NAME,
        Col.LAST_NAME,
        Col.BIRTH_DATE,
        Col.CLASS_NAME,
        Col.LEVEL,
        Col.EMAIL,
    }
)


def _required(kind: Kind, column: Col) -> bool:
    if kind == Kind.STUDENT_LIST:
        return column in STUDENT_LIST_REQUIRED
    return FIELDS[column].required or VALUE_COLUMN.get(kind) == column


# In the update kinds the value column is the point of the row.
VALUE_COLUMN = {
    Kind.PERSPECTIVES: Col.PERSPECTIVE,
    Kind.UNENROLMENTS: Col.UNENROLLED_ON,
    Kind.LEAVING_YEARS: Col.LEAVING_YEAR,
}


def _cell(cells: Sequence[object], index: int | None) -> object:
    if index is None or index >= len(cells):
        return None
    return cells[index]


def parse_row(
    kind: Kind,
    positions: Mapping[Col, int],
    excel_row: int,
    cells: Sequence[object],
    ctx: Context,
) -> tuple[YouthRow | None, list[Problem]]:
    """Check every used cell of one row; a row with any problem gives None."""
    row = YouthRow(row=excel_row)
    if Col.PREFIX in positions:
        row.prefix = ""  # the column is there: an empty cell means "no tussenvoegsel"
    problems: list[Problem] = []

    def fail(column: Col, code: Code, params: Mapping[str, object] | None = None) -> None:
        problems.append(Problem(code, row=excel_row, column=column.value, params=params or {}))

    for column, index in positions.items():
        spec = FIELDS[column]
        raw = _cell(cells, index)
        required = _required(kind, column)
        if values.is_empty(raw):
            if required:
                fail(column, Code.REQUIRED)
            continue
        if column == Col.ONDERWIJSNUMMER and not values.is_empty(
            _cell(cells, positions.get(Col.BSN))
        ):
            continue  # identified by BSN; see Note.ONDERWIJSNUMMER_IGNORED
        try:
            setattr(row, spec.attribute, spec.parse(raw, ctx))
        except values.CellError as exc:
            fail(column, exc.code, exc.params)
    bsn_raw = _cell(cells, positions.get(Col.BSN))
    onr_raw = _cell(cells, positions.get(Col.ONDERWIJSNUMMER))
    if values.is_empty(bsn_raw) and values.is_empty(onr_raw) and kind != Kind.STUDENT_LIST:
        fail(Col.BSN, Code.IDENTIFIER_REQUIRED)
    if kind == Kind.YOUTH_LIST:
        if row.enrolled_on and row.birth_date and row.enrolled_on < row.birth_date:
            fail(Col.ENROLLED_ON, Code.ENROL_BEFORE_BIRTH, {"date": f"{row.birth_date:%d-%m-%Y}"})
        if row.secret_address:
            row.street = row.house_number = row.postcode = row.city = ""
        else:
            for column in ADDRESS_COLUMNS:
                if values.is_empty(_cell(cells, positions.get(column))):
                    fail(column, Code.ADDRESS_REQUIRED)
    if not problems and row.bsn == EXAMPLE_BSN:
        fail(Col.BSN, Code.EXAMPLE_ROW)
    elif (
        not problems
        and kind == Kind.STUDENT_LIST
        and row.first_name == EXAMPLE_FIRST_NAME
        and row.last_name == EXAMPLE_LAST_NAME
    ):
        fail(Col.LAST_NAME, Code.EXAMPLE_ROW)
    return (None if problems else row), problems


def is_blank(cells: Sequence[object]) -> bool:
    return all(values.is_empty(c) for c in cells)


@dataclass
class ParsedSheet:
    rows: list[YouthRow] = field(default_factory=list)
    count: int = 0  # non-blank data rows read
    remarks: list[Remark] = field(default_factory=list)


@dataclass
class _SeenStudents:
    """First rows of every leerlingnummer, e-mail address and BSN/onderwijsnummer in a file."""

    numbers: dict[str, int] = field(default_factory=dict)
    emails: dict[str, int] = field(default_factory=dict)
    identifiers: dict[tuple[str, str], int] = field(default_factory=dict)


def _student_list_duplicate(row: YouthRow, seen: _SeenStudents, log: ProblemLog) -> bool:
    """In a leerlinglijst a leerlingnummer, an e-mail address and a BSN (or onderwijsnummer)
    each belong to one row; a repeat is an error (True)."""
    duplicate = False
    number = values.name_key(row.student_number or "")
    if number in seen.numbers:
        log.add(
            Problem(
                Code.DUPLICATE_STUDENT_NUMBER,
                row=row.row,
                column=Col.STUDENT_NUMBER.value,
                params={"first": seen.numbers[number]},
            )
        )
        duplicate = True
    email = row.email.casefold()
    if email in seen.emails:
        log.add(
            Problem(
                Code.DUPLICATE_EMAIL,
                row=row.row,
                column=Col.EMAIL.value,
                params={"first": seen.emails[email]},
            )
        )
        duplicate = True
    identifier = row.key if (row.bsn or row.onderwijsnummer) else None
    if identifier is not None and identifier in seen.identifiers:
        log.add(
            Problem(
                Code.DUPLICATE_BSN,
                row=row.row,
                column=Col.BSN.value if row.bsn else Col.ONDERWIJSNUMMER.value,
                params={"first": seen.identifiers[identifier]},
            )
        )
        duplicate = True
    if not duplicate:
        seen.numbers[number] = row.row
        seen.emails[email] = row.row
        if identifier is not None:
            seen.identifiers[identifier] = row.row
    return duplicate


def parse_rows(
    kind: Kind,
    positions: Mapping[Col, int],
    data: Sequence[tuple[int, Sequence[object]]] | Any,
    ctx: Context,
    log: ProblemLog,
    *,
    on_row: Callable[[int], None] | None = None,
) -> ParsedSheet:
    """Check all data rows (an iterable of (excel_row, cells)); blank rows are skipped."""
    sheet = ParsedSheet()
    onr_ignored = False
    first_seen: dict[tuple[str, str], int] = {}
    seen_student = _SeenStudents()
    for excel_row, cells in data:
        if is_blank(cells):
            continue
        sheet.count += 1
        if sheet.count > MAX_ROWS:
            log.add(Problem(Code.TOO_MANY_ROWS, params={"max": MAX_ROWS}))
            break
        if on_row is not None:
            on_row(sheet.count)
        row, problems = parse_row(kind, positions, excel_row, cells, ctx)
        log.extend(problems)
        if (
            not onr_ignored
            and Col.ONDERWIJSNUMMER in positions
            and Col.BSN in positions
            and not values.is_empty(_cell(cells, positions[Col.BSN]))
            and not values.is_empty(_cell(cells, positions[Col.ONDERWIJSNUMMER]))
        ):
            onr_ignored = True
            sheet.remarks.append(Remark(Note.ONDERWIJSNUMMER_IGNORED))
        if row is None:
            continue
        if kind == Kind.STUDENT_LIST:
            if _student_list_duplicate(row, seen_student, log):
                continue
            sheet.rows.append(row)
            continue
        if row.key in first_seen:
            log.add(
                Problem(
                    Code.DUPLICATE_ROW,
                    row=excel_row,
                    column=Col.BSN.value if row.bsn else Col.ONDERWIJSNUMMER.value,
                    params={"first": first_seen[row.key]},
                )
            )
            continue
        first_seen[row.key] = excel_row
        sheet.rows.append(row)
    return sheet

"""Reading a checked workbook (python-calamine) and writing the templates (openpyxl).

Reading never evaluates a formula: calamine hands over the value Excel cached with it (or an empty
cell when there is none). Call `domain.container.check()` before `first_sheet()`.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator, Sequence

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from .domain.columns import LAYOUTS, Col, Kind
from .domain.problems import Code, Problem
from .domain.rows import EXAMPLE_BSN, EXAMPLE_FIRST_NAME, EXAMPLE_LAST_NAME

Row = tuple[int, Sequence[object]]


def first_sheet(data: bytes) -> Iterator[Row] | Problem:
    """The rows of the first visible worksheet as (row number as Excel shows it, cells)."""
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = [
            m.name
            for m in workbook.sheets_metadata
            if m.typ == SheetTypeEnum.WorkSheet and m.visible == SheetVisibleEnum.Visible
        ]
        if not names:
            return Problem(Code.NO_SHEET)
        sheet = workbook.get_sheet_by_name(names[0])
    except Exception:  # any failure of the reader means a damaged workbook
        return Problem(Code.CORRUPT)
    if sheet.start is None:
        return Problem(Code.SHEET_EMPTY)
    # iter_rows starts at the first row of the sheet (row 1), whatever the first used row is.
    return enumerate(sheet.iter_rows(), start=1)


# --- Templates -------------------------------------------------------------------------------

GENDER_CHOICES = ("M", "V", "X")
PERSPECTIVE_CHOICES = ("Onderwijs", "Arbeid", "Dagbesteding")
YES_NO_CHOICES = ("ja", "nee")
DATE_COLUMNS = {Col.BIRTH_DATE, Col.ENROLLED_ON, Col.UNENROLLED_ON}
TEXT_COLUMNS = {Col.BSN, Col.ONDERWIJSNUMMER, Col.HOUSE_NUMBER, Col.POSTCODE, Col.STUDENT_NUMBER}
LAST_TEMPLATE_ROW = 100_001


def _notes(kind: Kind) -> dict[Col, str]:
    keep = _("Leave empty to keep what is stored.")
    address = _("Required unless 'Geheim adres' is ja.")
    notes = {
        Col.BSN: _(
            "Burgerservicenummer: nine digits. Keep this column formatted as text; an eight-digit "
            "number (Excel dropped the leading zero) gets its zero back."
        ),
        Col.ONDERWIJSNUMMER: _("Only for a youth without a BSN. Ignored when a BSN is filled in."),
        Col.LAST_NAME: _(
            "Last name without tussenvoegsel. For a known youth it must match the BSN "
            "(capitals and spaces do not matter)."
        ),
        Col.PREFIX: _("For example 'van der'. Leave empty when there is none."),
        Col.FIRST_NAME: _("First name."),
        Col.BIRTH_DATE: _("Date as dd-mm-jjjj, for example 17-05-2009."),
        Col.GENDER: _("M (man), V (woman) or X (other / unknown)."),
        Col.STREET: address,
        Col.HOUSE_NUMBER: address,
        Col.POSTCODE: _("Dutch postcode such as 1234 AB.") + " " + address,
        Col.CITY: address,
        Col.MUNICIPALITY: _(
            "Municipality of residence: its name or its CBS code (for example GM0363)."
        ),
        Col.SECRET_ADDRESS: _("ja or nee (empty means nee). With ja no address is stored."),
        Col.STUDENT_NUMBER: keep,
        Col.CLASS_NAME: keep,
        Col.LEVEL: _("A whole number from 1 to 8.") + " " + keep,
        Col.ENROLLED_ON: _("Date of enrolment at your school, dd-mm-jjjj."),
        Col.PERSPECTIVE: _("Onderwijs, Arbeid or Dagbesteding.") + " " + keep,
        Col.LEAVING_YEAR: _("The year in which the school year ends: 2022 means 2021/2022.")
        + " "
        + keep,
        Col.UNENROLLED_ON: _(
            "Date as dd-mm-jjjj, not before the enrolment date. The nightly run moves the "
            "youth to 'Uitgeschreven' the day after."
        ),
    }
    if kind == Kind.PERSPECTIVES:
        notes[Col.PERSPECTIVE] = _(
            "Onderwijs, Arbeid or Dagbesteding. A new perspective replaces the active one and "
            "starts with the first status; the previous one stays in the timeline."
        )
    if kind == Kind.LEAVING_YEARS:
        notes[Col.LEAVING_YEAR] = _("The year in which the school year ends: 2022 means 2021/2022.")
    if kind == Kind.STUDENT_LIST:
        notes.update(
            {
                Col.STUDENT_NUMBER: _(
                    "The student number at your school; the student activates their account "
                    "with it. Each number once per file."
                ),
                Col.LAST_NAME: _(
                    "Last name without tussenvoegsel. For a student already known it must match "
                    "(capitals and spaces do not matter)."
                ),
                Col.BIRTH_DATE: _(
                    "Date as dd-mm-jjjj, for example 17-05-2009. For a student already known it "
                    "must match."
                ),
                Col.CLASS_NAME: _("The class, for example 4H2."),
                Col.LEVEL: _("A whole number from 1 to 8."),
                Col.EMAIL: _(
                    "The student's own e-mail address: the account instructions and the "
                    "activation mail go there. Each address once per file."
                ),
                Col.BSN: _(
                    "Optional. Nine digits passing the eleven test; keep this column formatted "
                    "as text. Without it the student links a BSN when activating the DDD."
                ),
                Col.ONDERWIJSNUMMER: _(
                    "Optional, only for a student without a BSN. Ignored when a BSN is filled in."
                ),
                Col.GENDER: _("Optional: M (man), V (woman) or X (other / unknown); empty is X."),
            }
        )
    return notes


def _example(kind: Kind, municipality: str, today: dt.date) -> dict[Col, object]:
    school_year_start = dt.date(today.year if today.month >= 8 else today.year - 1, 8, 1)
    return {
        Col.BSN: EXAMPLE_BSN,
        Col.ONDERWIJSNUMMER: "",
        Col.LAST_NAME: EXAMPLE_LAST_NAME,
        Col.PREFIX: "",
        Col.FIRST_NAME: EXAMPLE_FIRST_NAME,
        Col.BIRTH_DATE: dt.date(today.year - 15, 5, 17),
        Col.GENDER: "X",
        Col.STREET: "Voorbeeldstraat",
        Col.HOUSE_NUMBER: "1",
        Col.POSTCODE: "1234 AB",
        Col.CITY: municipality or "Voorbeeldstad",
        Col.MUNICIPALITY: municipality or "GM0000",
        Col.SECRET_ADDRESS: "nee",
        Col.STUDENT_NUMBER: "123456",
        Col.CLASS_NAME: "3A",
        Col.LEVEL: 3,
        Col.ENROLLED_ON: school_year_start,
        Col.PERSPECTIVE: "Arbeid" if kind != Kind.YOUTH_LIST else "Onderwijs",
        Col.LEAVING_YEAR: school_year_start.year + 1,
        Col.UNENROLLED_ON: dt.date(school_year_start.year + 1, 7, 31),
        Col.EMAIL: "voorbeeld@example.org",
    }


def _choices(column: Col) -> tuple[str, ...] | None:
    return {
        Col.GENDER: GENDER_CHOICES,
        Col.PERSPECTIVE: PERSPECTIVE_CHOICES,
        Col.SECRET_ADDRESS: YES_NO_CHOICES,
    }.get(column)


def build_template(kind: Kind, *, municipality: str = "") -> bytes:
    """An .xlsx with the header row, one example row, a note per column and drop-down lists."""
    layout = LAYOUTS[kind]
    notes = _notes(kind)
    example = _example(kind, municipality, timezone.localdate())
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = kind.value[:31]
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDE7F0")
    example_font = Font(italic=True, color="666666")
    for index, column in enumerate(layout.columns, start=1):
        letter = get_column_letter(index)
        head = sheet.cell(row=1, column=index, value=column.value)
        head.font = header_font
        head.fill = header_fill
        note = notes[column]
        if column in layout.required:
            note = _("Required.") + " " + note
        head.comment = Comment(note, "Vangnet", width=320, height=140)
        value = example[column]
        cell = sheet.cell(row=2, column=index, value=value if value != "" else None)
        cell.font = example_font
        if column in DATE_COLUMNS:
            cell.number_format = "DD-MM-YYYY"
        if column in TEXT_COLUMNS:
            sheet.column_dimensions[letter].number_format = "@"
            cell.number_format = "@"
        sheet.column_dimensions[letter].width = max(14, len(column.value) + 4)
        choices = _choices(column)
        if choices:
            validation = DataValidation(
                type="list",
                formula1='"' + ",".join(choices) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=_("Unknown value"),
                error=_("Choose one of: %(choices)s.") % {"choices": ", ".join(choices)},
            )
            validation.add(f"{letter}2:{letter}{LAST_TEMPLATE_ROW}")
            sheet.add_data_validation(validation)
    sheet["A2"].comment = Comment(
        _("Example row: remove it (or overwrite it) before you upload the file."),
        "Vangnet",
        width=320,
        height=80,
    )
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()

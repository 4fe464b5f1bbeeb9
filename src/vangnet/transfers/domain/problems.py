"""What can be wrong with an import file, as codes with parameters. Pure Python, no Django.

The domain never writes Dutch text: it reports a `Problem` (a code, the row number as Excel shows
it, the column heading and parameters); `vangnet.transfers.messages` turns codes into sentences.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Code(StrEnum):
    # The file as a whole
    FILE_EMPTY = "file_empty"
    FILE_TOO_LARGE = "file_too_large"
    NOT_XLSX = "not_xlsx"
    NOT_XLSX_PDF = "not_xlsx_pdf"
    NOT_XLSX_TEXT = "not_xlsx_text"
    NOT_XLSX_OTHER_ZIP = "not_xlsx_other_zip"
    ENCRYPTED = "encrypted"
    CORRUPT = "corrupt"
    ZIP_TOO_LARGE = "zip_too_large"
    ZIP_TOO_MANY_ENTRIES = "zip_too_many_entries"
    ZIP_RATIO = "zip_ratio"
    NO_SHEET = "no_sheet"
    SHEET_EMPTY = "sheet_empty"
    NO_DATA_ROWS = "no_data_rows"
    TOO_MANY_ROWS = "too_many_rows"
    # Column headings
    MISSING_COLUMN = "missing_column"
    MISSING_COLUMN_SUGGEST = "missing_column_suggest"
    MISSING_IDENTIFIER_COLUMN = "missing_identifier_column"
    DUPLICATE_COLUMN = "duplicate_column"
    # One cell
    REQUIRED = "required"
    IDENTIFIER_REQUIRED = "identifier_required"
    BSN_LENGTH = "bsn_length"
    BSN_ELFPROEF = "bsn_elfproef"
    ONDERWIJSNUMMER_INVALID = "onderwijsnummer_invalid"
    DATE_INVALID = "date_invalid"
    DATE_IMPOSSIBLE = "date_impossible"
    DATE_TOO_EARLY = "date_too_early"
    BIRTH_DATE_FUTURE = "birth_date_future"
    UNENROL_TOO_LATE = "unenrol_too_late"
    ENROL_BEFORE_BIRTH = "enrol_before_birth"
    GENDER_INVALID = "gender_invalid"
    PERSPECTIVE_INVALID = "perspective_invalid"
    YES_NO_INVALID = "yes_no_invalid"
    YEAR_INVALID = "year_invalid"
    YEAR_OUT_OF_RANGE = "year_out_of_range"
    LEVEL_INVALID = "level_invalid"
    POSTCODE_INVALID = "postcode_invalid"
    TOO_LONG = "too_long"
    FORMULA = "formula"
    ADDRESS_REQUIRED = "address_required"
    MUNICIPALITY_UNKNOWN = "municipality_unknown"
    MUNICIPALITY_AMBIGUOUS = "municipality_ambiguous"
    DUPLICATE_ROW = "duplicate_row"
    EXAMPLE_ROW = "example_row"
    EMAIL_INVALID = "email_invalid"
    DUPLICATE_STUDENT_NUMBER = "duplicate_student_number"
    DUPLICATE_EMAIL = "duplicate_email"
    DUPLICATE_BSN = "duplicate_bsn"
    KIND_NOT_FOR_SCHOOL = "kind_not_for_school"
    ELSEWHERE_NOT_CONFIRMED = "elsewhere_not_confirmed"
    # Against what is already known
    NOT_FOUND_AT_SCHOOL = "not_found_at_school"
    NOT_FOUND_SCHOOLGOING = "not_found_schoolgoing"
    LAST_NAME_MISMATCH = "last_name_mismatch"
    UNENROL_BEFORE_ENROL = "unenrol_before_enrol"
    UNENROLLED_AT_SCHOOL = "unenrolled_at_school"
    BIRTH_DATE_MISMATCH = "birth_date_mismatch"
    BIRTH_DATE_MISMATCH_YOUTH = "birth_date_mismatch_youth"
    NAME_MISMATCH_STUDENT_NUMBER = "name_mismatch_student_number"
    IDENTIFIER_OF_OTHER_YOUTH = "identifier_of_other_youth"
    BSN_DIFFERS = "bsn_differs"
    ONDERWIJSNUMMER_DIFFERS = "onderwijsnummer_differs"
    SAME_STUDENT_TWICE = "same_student_twice"


class Note(StrEnum):
    """Remarks that do not stop the import."""

    COLUMN_IGNORED = "column_ignored"
    COLUMN_IGNORED_SUGGEST = "column_ignored_suggest"
    ONDERWIJSNUMMER_IGNORED = "onderwijsnummer_ignored"
    ACCOUNT_KEPT = "account_kept"
    ACCOUNTS_KEPT = "accounts_kept"
    ACCOUNT_NOTES_LEFT_OUT = "account_notes_left_out"
    ENROLLED_ELSEWHERE = "enrolled_elsewhere"
    PERSON_DATA_KEPT = "person_data_kept"


@dataclass(slots=True)
class Problem:
    code: Code
    row: int | None = None  # as Excel shows it; None for the file as a whole
    column: str = ""
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(slots=True)
class Remark:
    code: Note
    params: Mapping[str, object] = field(default_factory=dict)


class ProblemLog:
    """Collects problems, keeping at most `cap` of them but counting all."""

    def __init__(self, cap: int = 1000) -> None:
        self.cap = cap
        self.items: list[Problem] = []
        self.total = 0

    def add(self, problem: Problem) -> None:
        self.total += 1
        if len(self.items) < self.cap:
            self.items.append(problem)

    def extend(self, problems: list[Problem]) -> None:
        for problem in problems:
            self.add(problem)

    def __bool__(self) -> bool:
        return self.total > 0

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.items)

"""Dutch sentences (through the catalogue) for the problem and note codes of the domain."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from vangnet.core.logging import redact_bsn

from .domain.problems import Code, Note, Problem, Remark

SAVE_AS_XLSX = gettext_lazy("Save the file in Excel as 'Excel workbook (.xlsx)' and try again.")

MESSAGES: dict[str, Any] = {
    Code.FILE_EMPTY: gettext_lazy("The file is empty."),
    Code.FILE_TOO_LARGE: gettext_lazy("The file is too large (at most %(mb)s MB)."),
    Code.NOT_XLSX: gettext_lazy("This is not an Excel file (.xlsx)."),
    Code.NOT_XLSX_PDF: gettext_lazy("This is a PDF file, not an Excel file (.xlsx)."),
    Code.NOT_XLSX_TEXT: gettext_lazy(
        "This is a text or CSV file, not an Excel file (.xlsx), even if its name ends in .xlsx."
    ),
    Code.NOT_XLSX_OTHER_ZIP: gettext_lazy(
        "This is a zip archive or another Office document, not an Excel workbook (.xlsx)."
    ),
    Code.ENCRYPTED: gettext_lazy(
        "The file is protected with a password, or it is an old Excel file (.xls). Remove the "
        "password and save it as an Excel workbook (.xlsx)."
    ),
    Code.CORRUPT: gettext_lazy("The file is damaged and cannot be read as an Excel workbook."),
    Code.ZIP_TOO_LARGE: gettext_lazy(
        "The file would unpack to more than %(mb)s MB; it has not been opened."
    ),
    Code.ZIP_TOO_MANY_ENTRIES: gettext_lazy(
        "The file consists of more than %(max)s parts; it has not been opened."
    ),
    Code.ZIP_RATIO: gettext_lazy(
        "The file is compressed suspiciously strongly (more than %(ratio)s times); it has not "
        "been opened."
    ),
    Code.NO_SHEET: gettext_lazy("The workbook has no visible worksheet."),
    Code.SHEET_EMPTY: gettext_lazy("The worksheet is empty."),
    Code.NO_DATA_ROWS: gettext_lazy("The worksheet has column headings but no rows with data."),
    Code.TOO_MANY_ROWS: gettext_lazy(
        "The file has more than %(max)s rows; split it into smaller files."
    ),
    Code.MISSING_COLUMN: gettext_lazy("The required column '%(column)s' is missing."),
    Code.MISSING_COLUMN_SUGGEST: gettext_lazy(
        "The required column '%(column)s' is missing. Did you mean the column '%(found)s'? "
        "Rename it to '%(column)s'."
    ),
    Code.MISSING_IDENTIFIER_COLUMN: gettext_lazy(
        "The file needs a column 'BSN' (or 'Onderwijsnummer' for youth without a BSN)."
    ),
    Code.DUPLICATE_COLUMN: gettext_lazy("The column '%(column)s' appears more than once."),
    Code.REQUIRED: gettext_lazy("This field is required."),
    Code.IDENTIFIER_REQUIRED: gettext_lazy(
        "Enter a BSN, or an onderwijsnummer when the youth has no BSN."
    ),
    Code.BSN_LENGTH: gettext_lazy("A BSN consists of nine digits."),
    Code.BSN_ELFPROEF: gettext_lazy("This is not a valid BSN (it fails the eleven test)."),
    Code.ONDERWIJSNUMMER_INVALID: gettext_lazy("This is not a valid onderwijsnummer."),
    Code.DATE_INVALID: gettext_lazy(
        "'%(value)s' is not a date; enter it as dd-mm-jjjj, for example 17-05-2009."
    ),
    Code.DATE_IMPOSSIBLE: gettext_lazy("The date %(value)s does not exist."),
    Code.DATE_TOO_EARLY: gettext_lazy("Enter a real date (after 1900)."),
    Code.BIRTH_DATE_FUTURE: gettext_lazy("The date of birth cannot be in the future."),
    Code.UNENROL_TOO_LATE: gettext_lazy(
        "The unenrolment date lies more than a year in the future."
    ),
    Code.ENROL_BEFORE_BIRTH: gettext_lazy(
        "The enrolment date cannot be before the date of birth (%(date)s)."
    ),
    Code.GENDER_INVALID: gettext_lazy(
        "Unknown gender '%(value)s'; enter M (man), V (woman) or X (other / unknown)."
    ),
    Code.PERSPECTIVE_INVALID: gettext_lazy(
        "Unknown uitstroomperspectief '%(value)s'; choose Onderwijs, Arbeid or Dagbesteding."
    ),
    Code.YES_NO_INVALID: gettext_lazy("Enter ja or nee."),
    Code.YEAR_INVALID: gettext_lazy(
        "Enter the year in which the school year ends, for example 2022 for 2021/2022."
    ),
    Code.YEAR_OUT_OF_RANGE: gettext_lazy(
        "The year of leaving must lie between %(min)s and %(max)s."
    ),
    Code.LEVEL_INVALID: gettext_lazy("Enter the year (leerjaar) as a whole number from 1 to 8."),
    Code.POSTCODE_INVALID: gettext_lazy("Enter a Dutch postcode such as 1234 AB."),
    Code.TOO_LONG: gettext_lazy("This value is too long (at most %(max)s characters)."),
    Code.FORMULA: gettext_lazy(
        "A value may not begin with =, +, - or @ (it could act as a formula); remove that sign."
    ),
    Code.ADDRESS_REQUIRED: gettext_lazy(
        "Fill in the address, or enter ja under 'Geheim adres' when the address is secret."
    ),
    Code.MUNICIPALITY_UNKNOWN: gettext_lazy(
        "Unknown municipality '%(value)s'; enter its name or its CBS code (for example GM0363)."
    ),
    Code.MUNICIPALITY_AMBIGUOUS: gettext_lazy(
        "Several municipalities are called '%(value)s'; enter the CBS code instead."
    ),
    Code.DUPLICATE_ROW: gettext_lazy("This youth is already in row %(first)s of this file."),
    Code.EXAMPLE_ROW: gettext_lazy("This is the example row of the template; remove it."),
    Code.EMAIL_INVALID: gettext_lazy(
        "'%(value)s' is not a valid e-mail address; enter the student's own address, for "
        "example naam@voorbeeld.nl."
    ),
    Code.DUPLICATE_STUDENT_NUMBER: gettext_lazy(
        "This student number is already in row %(first)s of this file."
    ),
    Code.DUPLICATE_EMAIL: gettext_lazy(
        "This e-mail address is already in row %(first)s of this file; every student needs "
        "their own address."
    ),
    Code.DUPLICATE_BSN: gettext_lazy(
        "This BSN or onderwijsnummer is already in row %(first)s of this file."
    ),
    Code.KIND_NOT_FOR_SCHOOL: gettext_lazy("Only a VO, PrO or VSO school can load a student list."),
    Code.ELSEWHERE_NOT_CONFIRMED: gettext_lazy(
        "%(n)s rows concern youth who are already enrolled at another school; nothing has been "
        "changed. Check them and run the command again with --confirm-enrolled-elsewhere."
    ),
    Code.NOT_FOUND_AT_SCHOOL: gettext_lazy("This youth was not found at your school."),
    Code.NOT_FOUND_SCHOOLGOING: gettext_lazy(
        "This youth was not found among the schoolgoing youth of your school."
    ),
    Code.LAST_NAME_MISMATCH: gettext_lazy(
        "The last name does not match the youth with this BSN or onderwijsnummer."
    ),
    Code.UNENROL_BEFORE_ENROL: gettext_lazy(
        "The unenrolment date cannot be before the enrolment date (%(date)s)."
    ),
    Code.UNENROLLED_AT_SCHOOL: gettext_lazy(
        "This youth left your school on %(date)s. To enrol the youth again, enter an enrolment "
        "date after that day."
    ),
    Code.BIRTH_DATE_MISMATCH: gettext_lazy(
        "The date of birth does not match the student already known by this student number, "
        "BSN or onderwijsnummer."
    ),
    Code.BIRTH_DATE_MISMATCH_YOUTH: gettext_lazy(
        "The date of birth does not match the youth with this BSN or onderwijsnummer. Nothing "
        "has been changed; check the BSN, the last name and the date of birth."
    ),
    Code.NAME_MISMATCH_STUDENT_NUMBER: gettext_lazy(
        "The last name does not match the student who has this student number at your school."
    ),
    Code.IDENTIFIER_OF_OTHER_YOUTH: gettext_lazy(
        "This BSN or onderwijsnummer belongs to someone else than the student who has this "
        "student number at your school."
    ),
    Code.BSN_DIFFERS: gettext_lazy(
        "The student with this student number already has another BSN; a stored BSN is never "
        "replaced by an import."
    ),
    Code.ONDERWIJSNUMMER_DIFFERS: gettext_lazy(
        "The student with this student number already has another onderwijsnummer."
    ),
    Code.SAME_STUDENT_TWICE: gettext_lazy(
        "This row is about the same student as row %(first)s (by student number, BSN or "
        "onderwijsnummer)."
    ),
}

NOTES: dict[str, Any] = {
    Note.COLUMN_IGNORED: gettext_lazy("The column '%(column)s' is not used and has been ignored."),
    Note.COLUMN_IGNORED_SUGGEST: gettext_lazy(
        "The column '%(column)s' is not used and has been ignored. Did you mean '%(suggestion)s'?"
    ),
    Note.ONDERWIJSNUMMER_IGNORED: gettext_lazy(
        "Rows with a BSN are identified by the BSN; their onderwijsnummer has been ignored."
    ),
    Note.ACCOUNTS_KEPT: ngettext_lazy(
        "%(n)s student already activated an account in an earlier school year; they keep it "
        "and sign in as before.",
        "%(n)s students already activated an account in an earlier school year; they keep it "
        "and sign in as before.",
        "n",
    ),
    Note.ACCOUNT_KEPT: gettext_lazy(
        "Row %(row)s: the student already has an account; it is kept and linked again."
    ),
    Note.ACCOUNT_NOTES_LEFT_OUT: ngettext_lazy(
        "And %(n)s more student who already has an account.",
        "And %(n)s more students who already have an account.",
        "n",
    ),
    Note.ENROLLED_ELSEWHERE: gettext_lazy(
        "%(n)s rows concern youth who are already enrolled at another school. Your school is "
        "added as an extra enrolment; confirm this before you process the file."
    ),
    Note.PERSON_DATA_KEPT: gettext_lazy(
        "%(n)s rows concern youth whose personal data another organisation supplied. Those data "
        "(name, date of birth, address, municipality) are kept as they are; only your school's "
        "own enrolment details are used."
    ),
}


def problem_text(problem: Problem) -> str:
    base = str(MESSAGES[problem.code])
    text = base % dict(problem.params) if problem.params else base
    if problem.code == Code.MISSING_IDENTIFIER_COLUMN and problem.params.get("found"):
        text = "{} {}".format(
            text, _("Did you mean the column '%(found)s'?") % {"found": problem.params["found"]}
        )
    if problem.code in {Code.NOT_XLSX, Code.CORRUPT, Code.NOT_XLSX_TEXT, Code.NOT_XLSX_PDF}:
        text = f"{text} {SAVE_AS_XLSX}"
    return text


def remark_text(remark: Remark) -> str:
    # A lazy ngettext text chooses its singular or plural form when the count is filled in.
    template = NOTES[remark.code]
    return str(template % dict(remark.params)) if remark.params else str(template)


def problem_dict(problem: Problem) -> dict[str, Any]:
    # Reports are stored and shown; a BSN typed into the wrong cell must not be repeated in them.
    message = redact_bsn(problem_text(problem))
    return {"row": problem.row, "column": problem.column, "message": message}

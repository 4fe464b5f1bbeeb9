"""Spreadsheet exports (xlsx and csv) that keep memory flat and neutralise formulas.

Generic on purpose: a caller supplies headers and an iterable of rows (sequences of plain values:
str, int, date, datetime, bool, None) and gets a file back. Rows are written one at a time into a
SpooledTemporaryFile that moves to disk once it grows (xlsx: the sheet XML streamed into its zip
entry; CSV: lines), and the response reads that file in blocks.
Feed rows from `queryset.iterator(chunk_size=...)` so the database side stays flat as well.

Cells are neutralised against formula injection (CSV/Excel "DDE"): a text value starting with =,
+, -, @, a tab or a carriage return is prefixed with a single quote, so a spreadsheet shows it as
text instead of running it.

`export_download()` is the whole export of a list in one call: one snapshot for count, rows and
audit, audit events written per chunk of rows as they stream past (one EXPORT event per youth, or
one event without youth for lists that hold no person records), and the file as a download. The
JIKP school lists (jikp.views_lists), the youth list, the chain partner's samenwerkingen, the user
list and the import history all export through it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal
from tempfile import SpooledTemporaryFile
from typing import IO, Any
from xml.sax.saxutils import escape

from django.db import connection, transaction
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from vangnet.audit.models import AuditAction, AuditEvent
from vangnet.audit.services import audit_event_build, audit_record

from . import bulk

XLSX = "xlsx"
CSV = "csv"
FORMATS = (XLSX, CSV)
CONTENT_TYPES = {
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    CSV: "text/csv; charset=utf-8",
}
# Kept in memory up to this size, then on disk.
SPOOL_MAX_BYTES = 4 * 1024 * 1024
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters an xlsx file cannot hold (XML 1.0 control characters other than tab/newline/CR).
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
DATE_FORMAT = "dd-mm-yyyy"
DATETIME_FORMAT = "dd-mm-yyyy hh:mm"
# Rows fetched per database round trip and youth audited per batch of events.
EXPORT_CHUNK = 2000
# A value of a filter that could be a BSN (or onderwijsnummer) is not copied into the audit trail.
_NUMBER_LIKE = re.compile(r"\d[\d\s.-]{7,}\d")


def neutralise(value: Any) -> Any:
    """A text cell that a spreadsheet would read as a formula becomes plain text ('=...)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, dt.datetime):
        return _local(value).strftime("%d-%m-%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    return str(neutralise(value))


def _write_csv(out: IO[bytes], headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    # UTF-8 with BOM and ';' as separator: what Excel with Dutch settings opens correctly.
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    writer = csv.writer(text, delimiter=";", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([_csv_value(h) for h in headers])
    count = 0
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
        count += 1
    text.flush()
    text.detach()
    return count


def _local(value: dt.datetime) -> dt.datetime:
    """A date and time as the reader's wall clock (Europe/Amsterdam), without time zone."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None)


# --- xlsx, written as XML straight into the zip -----------------------------------------------
# A minimal SpreadsheetML package (workbook, one sheet, styles), the sheet streamed row by row
# into its zip entry. Much faster than openpyxl's cell objects (about 1 µs instead of 20 µs a
# cell), which is what keeps 100,000 rows within the time target (docs/performance.md).

_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_CONTENT_TYPES = (
    _XML_HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    _XML_HEAD + f'<Relationships xmlns="{_NS_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_NS_REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK_RELS = (
    _XML_HEAD + f'<Relationships xmlns="{_NS_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_NS_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_NS_REL}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
# Cell styles (index = s attribute): 0 plain, 1 date, 2 date and time, 3 bold (the heading).
_STYLE_DATE, _STYLE_DATETIME, _STYLE_HEADING = 1, 2, 3
_STYLES = (
    _XML_HEAD + f'<styleSheet xmlns="{_NS_MAIN}">'
    f'<numFmts count="2"><numFmt numFmtId="164" formatCode="{DATE_FORMAT}"/>'
    f'<numFmt numFmtId="165" formatCode="{DATETIME_FORMAT}"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)  # noqa: DTZ001 (Excel serials count wall-clock time)
_EXCEL_EPOCH_DATE = _EXCEL_EPOCH.date()
_MAX_CELL_TEXT = 32_767  # Excel refuses a file with a longer text cell
_ROWS_PER_WRITE = 500


# Characters that need work in a text cell: removal (control characters) or escaping.
_NEEDS_CARE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f&<>]")
_EDGE_SPACE = (" ", "\t", "\n", "\r")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _text_cell(ref: str, text: str, style: str = "") -> str:
    care = _NEEDS_CARE.search(text) is not None
    if care:
        text = _ILLEGAL_XML.sub("", text)
    if text.startswith(FORMULA_STARTS):
        text = "'" + text
    if len(text) > _MAX_CELL_TEXT:
        text = text[:_MAX_CELL_TEXT]
    if care:
        text = _escape(text)
    space = (
        ' xml:space="preserve"'
        if text.startswith(_EDGE_SPACE) or text.endswith(_EDGE_SPACE)
        else ""
    )
    return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _cell_xml(ref: str, value: Any) -> str:
    """One cell as SpreadsheetML; empty values are left out (as Excel itself does).

    Dispatches on the exact type first (the common cases, cheaply), then on isinstance for
    subclasses (lazy translations, enums, Decimal)."""
    kind = type(value)
    if kind is str:
        return _text_cell(ref, value) if value else ""
    if value is None:
        return ""
    if kind is int or kind is float:
        return f'<c r="{ref}"><v>{value}</v></c>'
    if kind is dt.date:
        return f'<c r="{ref}" s="{_STYLE_DATE}"><v>{(value - _EXCEL_EPOCH_DATE).days}</v></c>'
    if isinstance(value, bool):
        return _text_cell(ref, _yes_no(value))
    if isinstance(value, int | float | Decimal):
        return f'<c r="{ref}"><v>{value}</v></c>'
    if isinstance(value, dt.datetime):
        serial = (_local(value) - _EXCEL_EPOCH).total_seconds() / 86_400
        return f'<c r="{ref}" s="{_STYLE_DATETIME}"><v>{serial:.10f}</v></c>'
    if isinstance(value, dt.date):
        return f'<c r="{ref}" s="{_STYLE_DATE}"><v>{(value - _EXCEL_EPOCH_DATE).days}</v></c>'
    text = str(value)
    return _text_cell(ref, text) if text else ""


def _column_letters(count: int) -> list[str]:
    letters = []
    for index in range(1, count + 1):
        name = ""
        while index:
            index, rest = divmod(index - 1, 26)
            name = chr(65 + rest) + name
        letters.append(name)
    return letters


def _write_xlsx(
    out: IO[bytes], headers: Sequence[str], rows: Iterable[Sequence[Any]], title: str
) -> int:
    letters = _column_letters(max(len(headers), 1))
    widths = "".join(
        f'<col min="{i}" max="{i}" width="{max(12, min(len(str(h)) + 4, 60))}" customWidth="1"/>'
        for i, h in enumerate(headers, start=1)
    )
    heading = "".join(
        _text_cell(f"{letters[i]}1", str(h), f' s="{_STYLE_HEADING}"')
        for i, h in enumerate(headers)
    )
    workbook = (
        _XML_HEAD + f'<workbook xmlns="{_NS_MAIN}" xmlns:r="{_NS_REL}"><sheets>'
        f'<sheet name="{escape(_sheet_title(title), {chr(34): "&quot;"})}" sheetId="1" r:id="rId1"/>'
        "</sheets></workbook>"
    )
    count = 0
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=3) as package:
        package.writestr("[Content_Types].xml", _CONTENT_TYPES)
        package.writestr("_rels/.rels", _ROOT_RELS)
        package.writestr("xl/workbook.xml", workbook)
        package.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        package.writestr("xl/styles.xml", _STYLES)
        with package.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                (
                    _XML_HEAD + f'<worksheet xmlns="{_NS_MAIN}"><sheetViews>'
                    '<sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
                    'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
                    + (f"<cols>{widths}</cols>" if widths else "")
                    + f'<sheetData><row r="1">{heading}</row>'
                ).encode()
            )
            buffer: list[str] = []
            number = 1  # a row longer than the headings is cut at the last heading
            for row in rows:
                number += 1
                n = str(number)
                cells = "".join(
                    [
                        _cell_xml(letter + n, value)
                        for letter, value in zip(letters, row, strict=False)
                    ]
                )
                buffer.append(f'<row r="{n}">{cells}</row>')
                if len(buffer) >= _ROWS_PER_WRITE:
                    sheet.write("".join(buffer).encode())
                    buffer = []
            count = number - 1
            buffer.append("</sheetData></worksheet>")
            sheet.write("".join(buffer).encode())
    return count


def _sheet_title(title: str) -> str:
    cleaned = re.sub(r"[\[\]\*\?/\\:]", " ", title).strip()
    return (cleaned or "Export")[:31]


def write_table(
    *,
    fmt: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    title: str = "Export",
) -> tuple[SpooledTemporaryFile[bytes], int]:
    """Write a table to a temporary file (rewound) and return it with the number of data rows."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    # Handed to the caller, who closes it (FileResponse does so when the download is sent).
    out: SpooledTemporaryFile[bytes] = SpooledTemporaryFile(  # noqa: SIM115
        max_size=SPOOL_MAX_BYTES, mode="w+b"
    )
    try:
        if fmt == CSV:
            count = _write_csv(out, headers, rows)
        else:
            count = _write_xlsx(out, headers, rows, title)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out, count


def file_response(*, file: IO[bytes], fmt: str, filename: str) -> FileResponse:
    """Send a written table as a download; the file is read in blocks and closed afterwards."""
    response = FileResponse(
        file,
        as_attachment=True,
        filename=f"{filename}.{fmt}",
        content_type=CONTENT_TYPES[fmt],
    )
    response["Cache-Control"] = "no-store"
    return response


def batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


@contextmanager
def consistent_snapshot() -> Iterator[None]:
    """A transaction in which every read sees the same data (for count + rows + audit of an export).

    On PostgreSQL the outermost transaction is switched to REPEATABLE READ; SQLite transactions
    already read one snapshot. Inside an outer transaction the caller's isolation is kept.
    """
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def requested_format(value: str | None) -> str:
    """The ?formaat= of an export link: xlsx or csv, anything else is xlsx."""
    return value if value in FORMATS else XLSX


def audit_filters(filters: Mapping[str, Any]) -> dict[str, Any]:
    """The filters of an export as they go into the audit detail: non-empty values only, and a
    search that looks like a BSN recorded as such instead of the number itself."""
    cleaned: dict[str, Any] = {}
    for key, value in filters.items():
        if value in (None, "", [], ()):
            continue
        if isinstance(value, str) and _NUMBER_LIKE.search(value):
            value = "[number]"
        cleaned[key] = value
    return cleaned


def _audited(
    records: Iterable[Any],
    *,
    to_row: Callable[[Any], Sequence[Any]],
    youth_id: Callable[[Any], int] | None,
    user: Any,
    description: str,
    detail: dict[str, Any],
    chunk: int,
) -> Iterator[Sequence[Any]]:
    """Yield the rows of the records and audit the youth written, one batch of events per chunk."""
    if youth_id is None:
        # A list without person records: one event for the whole export.
        count = 0
        for record in records:
            count += 1
            yield to_row(record)
        audit_record(
            user=user,
            action=AuditAction.EXPORT,
            description=description,
            detail={**detail, "rows": count},
        )
        return
    batch: list[int] = []
    written = 0
    for record in records:
        written += 1
        batch.append(youth_id(record))
        yield to_row(record)
        if len(batch) >= chunk:
            _audit_youth(user=user, youth_ids=batch, description=description, detail=detail)
            batch = []
    if batch:
        _audit_youth(user=user, youth_ids=batch, description=description, detail=detail)
    elif not written:
        # Nothing matched: the export is still on record, with its filters.
        audit_record(user=user, action=AuditAction.EXPORT, description=description, detail=detail)


def _audit_youth(
    *, user: Any, youth_ids: Sequence[int], description: str, detail: dict[str, Any]
) -> None:
    """One EXPORT event per youth. The events differ only in youth_id, so on PostgreSQL the other
    columns are rendered once and the batch goes in with one COPY of plain text lines; a bulk
    insert cost more than all the rest of an export of 100,000 rows."""
    actor = audit_event_build(
        user=user, action=AuditAction.EXPORT, description=description, detail=detail
    )
    fields = [
        f for f in AuditEvent._meta.concrete_fields if not f.primary_key and f.attname != "youth_id"
    ]
    if connection.vendor != "postgresql":
        base = {f.attname: getattr(actor, f.attname) for f in fields}
        bulk.insert_rows(AuditEvent, [{**base, "youth_id": youth_id} for youth_id in youth_ids])
        return
    constant = "\t".join(_copy_text(getattr(actor, f.attname)) for f in fields)
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {table} ({columns}, youth_id) FROM STDIN") as copy,
    ):
        copy.write("".join([f"{constant}\t{youth_id}\n" for youth_id in youth_ids]))


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: Any) -> str:
    """A value in PostgreSQL's COPY text format (None is NULL; JSON for dicts and lists)."""
    if value is None:
        return "\\N"
    if isinstance(value, dict | list):
        value = json.dumps(value)
    elif isinstance(value, dt.datetime):
        value = value.isoformat()
    return str(value).translate(_COPY_ESCAPES)


def export_download(
    *,
    user: Any,
    fmt: str,
    records: Callable[[], Iterable[Any]],
    count: Callable[[], int],
    headers: Sequence[str],
    to_row: Callable[[Any], Sequence[Any]],
    youth_id: Callable[[Any], int] | None,
    description: str,
    filters: Mapping[str, Any],
    title: str,
    filename: str,
    chunk: int = EXPORT_CHUNK,
) -> FileResponse:
    """Export a list: count, rows and audit in one snapshot, written to a file sent as download.

    `records` returns the rows to write (typically `queryset.iterator(chunk_size=...)`), `count`
    their number (recorded in the audit detail with the filters), `to_row` turns one record into
    cell values. With `youth_id` every youth written gets an EXPORT event; without it (a list that
    holds no person records) the export is one EXPORT event without youth.
    """
    fmt = requested_format(fmt)
    with consistent_snapshot():
        if connection.vendor == "postgresql":
            # The row query of a big export is costed high enough for PostgreSQL to JIT-compile
            # it, which took 2 of 3 seconds for 100,000 rows (docs/performance.md): not worth it
            # for a query that just streams rows.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        total = count()
        rows = _audited(
            records(),
            to_row=to_row,
            youth_id=youth_id,
            user=user,
            description=description,
            detail={"filters": audit_filters(filters), "rows": total, "format": fmt},
            chunk=chunk,
        )
        file, _written = write_table(fmt=fmt, headers=headers, rows=rows, title=title)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return file_response(file=file, fmt=fmt, filename=f"vangnet-{filename}-{stamp}")

"""Spreadsheet exports (xlsx and csv) that keep memory flat and neutralise formulas.

Generic on purpose: a caller supplies headers and an iterable of rows (sequences of plain values:
str, int, date, bool, None) and gets a file back. Rows are written one at a time: openpyxl's
write-only workbook keeps its sheet data in a temporary file, CSV goes straight into a
SpooledTemporaryFile that moves to disk once it grows, and the response reads that file in blocks.
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
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from tempfile import SpooledTemporaryFile
from typing import IO, Any

from django.db import connection, transaction
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from vangnet.audit.models import AuditAction
from vangnet.audit.services import audit_many, audit_record

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


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, dt.datetime):
        cell = WriteOnlyCell(sheet, value=_local(value))
        cell.number_format = DATETIME_FORMAT
        return cell
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    if isinstance(value, str):
        return neutralise(_ILLEGAL_XML.sub("", value))
    return value


def _write_xlsx(
    out: IO[bytes], headers: Sequence[str], rows: Iterable[Sequence[Any]], title: str
) -> int:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(title))
    sheet.append([_xlsx_cell(sheet, h) for h in headers])
    count = 0
    for row in rows:
        sheet.append([_xlsx_cell(sheet, v) for v in row])
        count += 1
    workbook.save(out)
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
    for record in records:
        batch.append(youth_id(record))
        yield to_row(record)
        if len(batch) >= chunk:
            audit_many(
                user=user,
                action=AuditAction.EXPORT,
                youth_ids=batch,
                description=description,
                detail=detail,
            )
            batch = []
    if batch:
        audit_many(
            user=user,
            action=AuditAction.EXPORT,
            youth_ids=batch,
            description=description,
            detail=detail,
        )


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

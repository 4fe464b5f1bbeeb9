"""Is this byte string an .xlsx we dare open? Pure Python (zipfile reads only the directory).

An .xlsx is a zip archive. Before anything is decompressed the central directory is checked:
at most MAX_ENTRIES entries, at most MAX_UNCOMPRESSED bytes in total, and no entry that would
grow more than MAX_RATIO times (a zip bomb). Only then is every entry decompressed once, capped
at its declared size and CRC-checked, so a directory that lies about the sizes is caught too. Other formats are recognised by their first bytes
so that the message can say what the file is: a PDF, a CSV/text file, or an encrypted workbook
(Excel stores a password-protected .xlsx, like an old .xls, in an OLE compound file).
"""

from __future__ import annotations

import io
import re
import zipfile

from .problems import Code, Problem

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_ENTRIES = 10_000
MAX_RATIO = 100
# Entries this small cannot do harm whatever their ratio (an empty sheet compresses very well).
RATIO_FLOOR = 1024 * 1024

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return True
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        try:
            sample = head.decode("cp1252")
        except UnicodeDecodeError:
            return False
        return all(ch.isprintable() or ch in "\r\n\t" for ch in sample)
    return True


def check_size(size: int) -> Problem | None:
    if size == 0:
        return Problem(Code.FILE_EMPTY)
    if size > MAX_FILE_BYTES:
        return Problem(Code.FILE_TOO_LARGE, params={"mb": MAX_FILE_BYTES // (1024 * 1024)})
    return None


def check(data: bytes) -> Problem | None:
    """None when `data` is a zip archive with the parts of a workbook, within the limits."""
    problem = check_size(len(data))
    if problem is not None:
        return problem
    if data.startswith(OLE_MAGIC):
        return Problem(Code.ENCRYPTED)
    if data.startswith(b"%PDF"):
        return Problem(Code.NOT_XLSX_PDF)
    if not data.startswith(ZIP_MAGIC):
        if _looks_like_text(data[:4096]):
            return Problem(Code.NOT_XLSX_TEXT)
        return Problem(Code.NOT_XLSX)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        return Problem(Code.CORRUPT)
    if len(entries) > MAX_ENTRIES:
        return Problem(Code.ZIP_TOO_MANY_ENTRIES, params={"max": MAX_ENTRIES})
    total = sum(entry.file_size for entry in entries)
    if total > MAX_UNCOMPRESSED:
        return Problem(Code.ZIP_TOO_LARGE, params={"mb": MAX_UNCOMPRESSED // (1024 * 1024)})
    for entry in entries:
        if entry.file_size > RATIO_FLOOR and entry.file_size > MAX_RATIO * max(
            entry.compress_size, 1
        ):
            return Problem(Code.ZIP_RATIO, params={"ratio": MAX_RATIO})
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        return Problem(Code.NOT_XLSX_OTHER_ZIP)
    if not _sizes_hold(data):
        return Problem(Code.CORRUPT)
    return None


def _sizes_hold(data: bytes) -> bool:
    """Decompress every entry once, in chunks, and throw the bytes away: zipfile stops at the size
    the directory declares and checks the CRC, so an archive whose directory understates its
    contents (to slip past the limits above) is refused before the reader sees it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for entry in archive.infolist():
                with archive.open(entry) as stream:
                    while stream.read(1024 * 1024):
                        pass
    except (zipfile.BadZipFile, NotImplementedError, ValueError, OSError, EOFError):
        return False
    return True


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]+\d+:[A-Z]+(\d+)"')


def estimate_rows(data: bytes) -> int:
    """Rows of the first worksheet as its <dimension> says (a checked archive only); when it
    does not say, a guess from the size. Only used to choose inline or background processing."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            sheets = sorted(
                n for n in archive.namelist() if re.fullmatch(r"xl/worksheets/[^/]+\.xml", n)
            )
            if sheets:
                with archive.open(sheets[0]) as stream:
                    head = stream.read(4096)
                match = _DIMENSION.search(head)
                if match:
                    return max(int(match.group(1)) - 1, 0)
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return 0
    return len(data) // 60

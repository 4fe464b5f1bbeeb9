"""Workbooks for tests and the benchmark, all generated (no real person's data).

`xlsx()` writes through openpyxl (dates as real Excel dates, formulas, formats); `fast_xlsx()`
writes the sheet XML directly, which is many times faster for tens of thousands of rows.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import zipfile
from collections.abc import Iterable, Sequence
from typing import Any
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from tests.factories import make_bsn
from vangnet.transfers.domain.columns import LAYOUTS, Col, Kind

YOUTH_LIST_HEADER = [c.value for c in LAYOUTS[Kind.YOUTH_LIST].columns]
STUDENT_LIST_HEADER = [c.value for c in LAYOUTS[Kind.STUDENT_LIST].columns]


def xlsx(header: Sequence[Any], rows: Iterable[Sequence[Any]] = ()) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    if header:
        sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def youth_row(
    *,
    bsn: str | None = None,
    municipality: str = "Aastad",
    overrides: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A valid jongerenlijst row as {heading: value}; `overrides` by heading."""
    row = {
        Col.BSN.value: bsn if bsn is not None else make_bsn(),
        Col.ONDERWIJSNUMMER.value: None,
        Col.LAST_NAME.value: "Jansen",
        Col.PREFIX.value: None,
        Col.FIRST_NAME.value: "Sanne",
        Col.BIRTH_DATE.value: dt.date(2009, 3, 4),
        Col.GENDER.value: "V",
        Col.STREET.value: "Kerkstraat",
        Col.HOUSE_NUMBER.value: "12",
        Col.POSTCODE.value: "1234 AB",
        Col.CITY.value: "Aastad",
        Col.MUNICIPALITY.value: municipality,
        Col.SECRET_ADDRESS.value: "nee",
        Col.STUDENT_NUMBER.value: "L001",
        Col.CLASS_NAME.value: "3A",
        Col.LEVEL.value: 3,
        Col.ENROLLED_ON.value: dt.date(2024, 8, 20),
        Col.PERSPECTIVE.value: None,
        Col.LEAVING_YEAR.value: None,
    }
    row.update(overrides or {})
    return row


def youth_list(rows: Sequence[dict[str, Any]], header: Sequence[str] | None = None) -> bytes:
    header = list(header or YOUTH_LIST_HEADER)
    return xlsx(header, ([row.get(h) for h in header] for row in rows))


def _cell(ref: str, value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def fast_xlsx(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """A minimal valid workbook (one sheet, inline strings); dates must be given as text."""
    letters = [get_column_letter(i + 1) for i in range(len(header))]
    parts = []
    count = 0
    for number, values in enumerate([header, *rows], start=1):
        count = number
        cells = "".join(_cell(f"{letters[i]}{number}", v) for i, v in enumerate(values))
        parts.append(f'<row r="{number}">{cells}</row>')
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:{letters[-1]}{count}"/><sheetData>'
        + "".join(parts)
        + "</sheetData></worksheet>"
    )
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": sheet,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return out.getvalue()


def generated_youth_rows(
    count: int, *, municipality: str, seed: int = 7, perspective: bool = True
) -> list[list[Any]]:
    """`count` distinct jongerenlijst rows in YOUTH_LIST_HEADER order, dates as text."""
    rng = random.Random(seed)
    seen: set[str] = set()
    first = ["Sanne", "Daan", "Noor", "Sem", "Lotte", "Milan", "Evi", "Luuk", "Fleur", "Bram"]
    last = ["Jansen", "de Vries", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "Bos", "Vos"]
    perspectives = ["Onderwijs", "Arbeid", "Dagbesteding"]
    rows = []
    while len(rows) < count:
        bsn = make_bsn(rng)
        if bsn in seen:
            continue
        seen.add(bsn)
        n = len(rows)
        rows.append(
            [
                bsn,
                "",
                rng.choice(last).split()[-1],
                "",
                rng.choice(first),
                f"{rng.randint(1, 28):02d}-{rng.randint(1, 12):02d}-{rng.randint(2005, 2011)}",
                rng.choice("MVX"),
                "Teststraat",
                str(n % 200 + 1),
                f"{rng.randint(1000, 9999)} AB",
                "Teststad",
                municipality,
                "nee",
                f"L{n:06d}",
                f"{rng.randint(1, 4)}{rng.choice('ABC')}",
                rng.randint(1, 4),
                "20-08-2024",
                rng.choice(perspectives) if perspective else "",
                2026,
            ]
        )
    return rows


def generated_student_rows(count: int, *, seed: int = 7) -> list[list[Any]]:
    """`count` distinct leerlinglijst rows in STUDENT_LIST_HEADER order, dates as text; every
    other row has a BSN."""
    rng = random.Random(seed)
    seen: set[str] = set()
    first = ["Sanne", "Daan", "Noor", "Sem", "Lotte", "Milan", "Evi", "Luuk", "Fleur", "Bram"]
    last = ["Jansen", "Vries", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "Bos", "Vos"]
    rows: list[list[Any]] = []
    while len(rows) < count:
        n = len(rows)
        bsn = ""
        if n % 2:
            bsn = make_bsn(rng)
            if bsn in seen:
                continue
            seen.add(bsn)
        level = rng.randint(1, 6)
        rows.append(
            [
                f"{100000 + n}",
                rng.choice(first),
                "",
                rng.choice(last),
                f"{rng.randint(1, 28):02d}-{rng.randint(1, 12):02d}-{rng.randint(2006, 2012)}",
                f"{level}{rng.choice('ABC')}",
                level,
                f"leerling{n}@example.test",
                bsn,
                "",
                rng.choice(["M", "V", "X", ""]),
            ]
        )
    return rows


def rewrite_sheet(
    data: bytes, old: str, new: str, *, part: str = "xl/worksheets/sheet1.xml"
) -> bytes:
    """Replace text in one part of a workbook (to write what openpyxl will not)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == part:
                # openpyxl writes an empty value as <v /> or <v></v> depending on its version.
                text = content.decode().replace("<v></v>", "<v />")
                assert old in text, "pattern not found"
                content = text.replace(old, new).encode()
            target.writestr(item, content)
    return out.getvalue()

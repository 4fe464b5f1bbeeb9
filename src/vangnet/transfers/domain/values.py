"""Reading one spreadsheet cell into a value, or a reason why not. Pure Python.

Cells arrive as the reader gives them: str, float (Excel keeps every number as one), int, bool,
date, datetime, time/timedelta, or None/"" when empty. Formula cells arrive as their cached value,
never evaluated. Text that starts with =, +, - or @ is refused so that it can never become a
formula in a later export.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from vangnet.jikp.domain.perspectives import Kind as PerspectiveKind
from vangnet.jikp.domain.perspectives import leaving_year_valid
from vangnet.youth.domain.identifiers import (
    is_valid_bsn,
    is_valid_onderwijsnummer,
    normalise_postcode,
)

from .problems import Code

FORMULA_PREFIXES = ("=", "+", "-", "@")
EXCEL_EPOCH = dt.date(1899, 12, 30)
# Excel serial numbers from 1 January 1900 to 31 December 9999.
SERIAL_MIN, SERIAL_MAX = 1, 2958465


@dataclass
class CellError(Exception):
    code: Code
    params: Mapping[str, object] = field(default_factory=dict)


def is_empty(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _number_text(raw: float | int) -> str:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw)


def as_text(raw: object) -> str:
    """The cell as text: whole numbers without '.0', dates as dd-mm-jjjj."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "ja" if raw else "nee"
    if isinstance(raw, int | float):
        return _number_text(raw)
    if isinstance(raw, dt.datetime | dt.date):
        return f"{raw:%d-%m-%Y}"
    return str(raw).strip()


def text(raw: object, *, max_length: int) -> str:
    value = " ".join(as_text(raw).split())
    if value.startswith(FORMULA_PREFIXES):
        raise CellError(Code.FORMULA)
    if len(value) > max_length:
        raise CellError(Code.TOO_LONG, {"max": max_length})
    return value


def _digits(raw: object) -> str:
    if isinstance(raw, float) and not raw.is_integer():
        return "x"
    value = as_text(raw)
    return re.sub(r"[\s.\-]", "", value)


def bsn(raw: object) -> str:
    """Nine digits passing the elfproef. An eight-digit number (Excel dropped the leading zero)
    gets its zero back before the check."""
    value = _digits(raw)
    if value.isdigit() and len(value) == 8:
        value = "0" + value
    if not (value.isdigit() and len(value) == 9):
        raise CellError(Code.BSN_LENGTH)
    if not is_valid_bsn(value):
        raise CellError(Code.BSN_ELFPROEF)
    return value


def onderwijsnummer(raw: object) -> str:
    value = _digits(raw)
    if not is_valid_onderwijsnummer(value):
        raise CellError(Code.ONDERWIJSNUMMER_INVALID)
    return value


_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]00:00(?::00)?)?$")


def date(raw: object) -> dt.date:
    """A date cell, an Excel serial number, or text dd-mm-jjjj (also d/m/jjjj, jjjj-mm-dd)."""
    if isinstance(raw, dt.datetime):
        value = raw.date()
    elif isinstance(raw, dt.date):
        value = raw
    elif isinstance(raw, int | float) and not isinstance(raw, bool):
        if not (SERIAL_MIN <= raw <= SERIAL_MAX) or not float(raw).is_integer():
            raise CellError(Code.DATE_INVALID, {"value": as_text(raw)})
        value = EXCEL_EPOCH + dt.timedelta(days=int(raw))
    elif isinstance(raw, str):
        written = raw.strip()
        match = _DMY.match(written)
        if match:
            day, month, year = (int(g) for g in match.groups())
        else:
            match = _YMD.match(written)
            if not match:
                raise CellError(Code.DATE_INVALID, {"value": written[:30]})
            year, month, day = (int(g) for g in match.groups())
        try:
            value = dt.date(year, month, day)
        except ValueError as exc:
            raise CellError(Code.DATE_IMPOSSIBLE, {"value": written}) from exc
    else:
        raise CellError(Code.DATE_INVALID, {"value": as_text(raw)[:30]})
    if value.year < 1900:
        raise CellError(Code.DATE_TOO_EARLY)
    return value


def whole_number(raw: object) -> int | None:
    """A whole number written as number or text, else None."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        return int(raw) if raw.is_integer() else None
    value = as_text(raw)
    return int(value) if value.isascii() and value.isdigit() else None


_SCHOOL_YEAR = re.compile(r"^(\d{4})\s*[/-]\s*(\d{4})$")


def leaving_year(raw: object, *, current_year: int) -> int:
    """2022 means school year 2021/2022; '2021/2022' is read as 2022 too."""
    year = whole_number(raw)
    if year is None:
        match = _SCHOOL_YEAR.match(as_text(raw))
        if not match or int(match.group(2)) != int(match.group(1)) + 1:
            raise CellError(Code.YEAR_INVALID)
        year = int(match.group(2))
    if not leaving_year_valid(year, current_year=current_year):
        raise CellError(
            Code.YEAR_OUT_OF_RANGE, {"min": current_year - 10, "max": current_year + 10}
        )
    return year


def school_year_level(raw: object) -> int:
    value = whole_number(raw)
    if value is None or not 1 <= value <= 8:
        raise CellError(Code.LEVEL_INVALID)
    return value


GENDERS = {
    "m": "m",
    "man": "m",
    "jongen": "m",
    "mannelijk": "m",
    "v": "v",
    "vrouw": "v",
    "meisje": "v",
    "vrouwelijk": "v",
    "x": "x",
    "o": "x",
    "anders": "x",
    "onbekend": "x",
    "andersonbekend": "x",
}


def gender(raw: object) -> str:
    key = re.sub(r"[^a-z]", "", as_text(raw).casefold())
    if key not in GENDERS:
        raise CellError(Code.GENDER_INVALID, {"value": as_text(raw)[:30]})
    return GENDERS[key]


def perspective(raw: object) -> str:
    key = as_text(raw).casefold().strip()
    for kind in PerspectiveKind:
        if key == kind.value:
            return kind.value
    raise CellError(Code.PERSPECTIVE_INVALID, {"value": as_text(raw)[:40]})


YES = {"ja", "j", "yes", "y", "waar", "true", "1", "x"}
NO = {"nee", "n", "no", "onwaar", "false", "0"}


def yes_no(raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    key = as_text(raw).casefold()
    if key in YES:
        return True
    if key in NO:
        return False
    raise CellError(Code.YES_NO_INVALID)


def postcode(raw: object) -> str:
    value = normalise_postcode(as_text(raw))
    if value is None:
        raise CellError(Code.POSTCODE_INVALID)
    return value


# Deliberately plain: one @, no spaces, a dot in the domain, no dots at the edges of either part.
_EMAIL = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)
EMAIL_MAX = 254


def email(raw: object) -> str:
    """An e-mail address, trimmed; the domain in lower case (the part before @ is kept)."""
    value = as_text(raw).strip()
    if value.lower().startswith("mailto:"):
        value = value[7:].strip()
    if value.startswith(FORMULA_PREFIXES):
        raise CellError(Code.FORMULA)
    if len(value) > EMAIL_MAX or not _EMAIL.match(value):
        raise CellError(Code.EMAIL_INVALID, {"value": value[:60]})
    local, domain = value.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


def municipality_key(raw: object) -> str:
    """A CBS code ('GM0363', '0363', 363) becomes 'GM0363'; a name is lower-cased."""
    value = as_text(raw).strip()
    compact = value.replace(" ", "").upper()
    match = re.fullmatch(r"(?:GM)?(\d{1,4})", compact)
    if match:
        return f"GM{int(match.group(1)):04d}"
    return " ".join(value.casefold().split())


def municipality(raw: object, lookup: Mapping[str, int | None]) -> int:
    """`lookup` maps municipality_key() of codes and names to an id, or None for a name that
    several municipalities share."""
    key = municipality_key(raw)
    if key not in lookup:
        raise CellError(Code.MUNICIPALITY_UNKNOWN, {"value": as_text(raw)[:60]})
    found = lookup[key]
    if found is None:
        raise CellError(Code.MUNICIPALITY_AMBIGUOUS, {"value": as_text(raw)[:60]})
    return found


def name_key(text: str) -> str:
    """Compare names case- and space-insensitively."""
    return "".join(text.casefold().split())


def last_name_matches(given: str, *, last_name: str, prefix: str) -> bool:
    """'Berg', 'berg' and 'Van der Berg' all match last name 'Berg' with prefix 'van der'."""
    key = name_key(given)
    return key in {name_key(last_name), name_key(prefix + last_name)}

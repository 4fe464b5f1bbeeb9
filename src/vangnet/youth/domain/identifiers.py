"""Dutch person and education identifiers. Pure functions, no Django.

BSN: nine digits, 11-proof: 9*d1 + 8*d2 + ... + 2*d8 - 1*d9 is divisible by 11 (and not all zero).
Onderwijsnummer: nine digits starting with "10"; the same weighted sum leaves remainder 5 mod 11.
"""

from __future__ import annotations

import re

_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)
# ASCII only: str.isdigit() and \d also accept other scripts' digits (Arabic-Indic, superscripts),
# which would store a "valid" BSN that never matches the same number typed in ASCII.
_DIGITS9 = re.compile(r"^[0-9]{9}$")


def _weighted_sum(number: str) -> int:
    return sum(int(d) * w for d, w in zip(number, _WEIGHTS, strict=True))


def normalise_number(value: object) -> str:
    """Strip spaces, dots and dashes; pad an eight-digit number that lost its leading zero."""
    text = str(value).strip() if value is not None else ""
    text = re.sub(r"[\s.\-]", "", text)
    if text.isascii() and text.isdigit() and len(text) == 8:
        text = "0" + text
    return text


def is_valid_bsn(value: str) -> bool:
    if not _DIGITS9.match(value) or value == "000000000":
        return False
    return _weighted_sum(value) % 11 == 0


def is_valid_onderwijsnummer(value: str) -> bool:
    if not _DIGITS9.match(value) or not value.startswith("10"):
        return False
    return _weighted_sum(value) % 11 == 5


def mask_bsn(value: str) -> str:
    """Show only the last four digits: *****1234."""
    if len(value) < 4:
        return "*" * len(value)
    return "*" * (len(value) - 4) + value[-4:]


_POSTCODE = re.compile(r"^([1-9][0-9]{3})\s?([A-Z]{2})$")
_FORBIDDEN_LETTERS = frozenset({"SA", "SD", "SS"})


def normalise_postcode(value: str) -> str | None:
    """Return the postcode as '1234 AB', or None when it is not a valid Dutch postcode.

    The first digit is never 0, and the letter pairs SA, SD and SS are not issued.
    """
    match = _POSTCODE.match(value.strip().upper())
    if not match:
        return None
    digits, letters = match.groups()
    if letters in _FORBIDDEN_LETTERS:
        return None
    return f"{digits} {letters}"

"""Generated BSNs and onderwijsnummers for demo and load data. Never a real person's record.

Numbers come from a fixed permutation of the number space, so that every index gives a different
number (no retries, no duplicates, also across the demo and national data sets) and the same index
always gives the same number. Numbers that fail the check are skipped.

Elfproef (BSN): 9*d1 + 8*d2 + ... + 2*d8 - 1*d9 is divisible by 11.
Onderwijsnummer: starts with "10" and the same weighted sum leaves remainder 5 modulo 11.
"""

from __future__ import annotations

from collections.abc import Iterator

_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2)

# Permutation of 0 .. _BSN_SPACE - 1: i -> (i * _BSN_STEP + _BSN_OFFSET) mod _BSN_SPACE. The step
# shares no factor with the space (2**7 * 3**2 * 5**7), so no two indexes meet.
_BSN_SPACE = 90_000_000
_BSN_STEP = 62_837_413
_BSN_OFFSET = 4_711_017
_OWN_SPACE = 1_000_000
_OWN_STEP = 7_919
_OWN_OFFSET = 271_828

# Index ranges per data set, so that demo and national data can live in one database.
DEMO_BSN_START = 0
NATIONAL_BSN_START = 100_000
DEMO_OWN_START = 0
NATIONAL_OWN_START = 10_000


def _weighted(digits: str) -> int:
    return sum(int(d) * w for d, w in zip(digits, _WEIGHTS, strict=True))


def bsn_from_index(index: int) -> str | None:
    """The BSN at this index of the permutation; None when the eight digits have no check digit."""
    body = str(10_000_000 + (index * _BSN_STEP + _BSN_OFFSET) % _BSN_SPACE)
    check = _weighted(body) % 11
    return body + str(check) if check < 10 else None


def onderwijsnummer_from_index(index: int) -> str | None:
    body = "10" + f"{(index * _OWN_STEP + _OWN_OFFSET) % _OWN_SPACE:06d}"
    check = (_weighted(body) - 5) % 11
    return body + str(check) if check < 10 else None


def bsns(start: int) -> Iterator[str]:
    """Valid BSNs from index `start` on, each one different."""
    index = start
    while index < _BSN_SPACE:
        number = bsn_from_index(index)
        if number is not None:
            yield number
        index += 1


def onderwijsnummers(start: int) -> Iterator[str]:
    index = start
    while index < _OWN_SPACE:
        number = onderwijsnummer_from_index(index)
        if number is not None:
            yield number
        index += 1

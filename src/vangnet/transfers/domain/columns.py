"""The five import kinds, their columns, and matching a header row to them. Pure Python.

Headings are matched case-, space- and punctuation-insensitively ("Geboorte datum" is
"Geboortedatum"); a missing required heading is reported with the closest heading the file does
have, so a misspelling is easy to fix. Headings the kind does not use are ignored with a note.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from .problems import Code, Note, Problem, Remark


class Kind(StrEnum):
    YOUTH_LIST = "jongerenlijst"
    PERSPECTIVES = "uitstroomperspectieven"
    UNENROLMENTS = "uitschrijfdatums"
    LEAVING_YEARS = "jaar-van-uitstroom"
    STUDENT_LIST = "leerlinglijst"


class Col(StrEnum):
    """Column headings exactly as the templates write them."""

    BSN = "BSN"
    ONDERWIJSNUMMER = "Onderwijsnummer"
    LAST_NAME = "Achternaam"
    PREFIX = "Tussenvoegsel"
    FIRST_NAME = "Voornaam"
    BIRTH_DATE = "Geboortedatum"
    GENDER = "Geslacht"
    STREET = "Straat"
    HOUSE_NUMBER = "Huisnummer"
    POSTCODE = "Postcode"
    CITY = "Woonplaats"
    MUNICIPALITY = "Woongemeente"
    SECRET_ADDRESS = "Geheim adres"  # noqa: S105 (a column heading, not a secret)
    STUDENT_NUMBER = "Leerlingnummer"
    CLASS_NAME = "Klas"
    LEVEL = "Leerjaar"
    ENROLLED_ON = "Inschrijfdatum"
    PERSPECTIVE = "Uitstroomperspectief"
    LEAVING_YEAR = "Jaar van uitstroom"
    UNENROLLED_ON = "Uitschrijfdatum"
    EMAIL = "E-mailadres"


ADDRESS_COLUMNS = (Col.STREET, Col.HOUSE_NUMBER, Col.POSTCODE, Col.CITY)


@dataclass(frozen=True)
class Layout:
    kind: Kind
    columns: tuple[Col, ...]  # the template, in order
    required: frozenset[Col]  # headings that must be present (besides BSN or Onderwijsnummer)
    extra: frozenset[Col] = frozenset()  # accepted although not in the template
    # False: a row may have neither BSN nor onderwijsnummer (the leerlinglijst identifies a
    # student by leerlingnummer at the school).
    needs_identifier: bool = True

    @property
    def accepted(self) -> frozenset[Col]:
        return frozenset(self.columns) | self.extra


def _update_layout(kind: Kind, value: Col) -> Layout:
    return Layout(
        kind=kind,
        columns=(Col.BSN, Col.LAST_NAME, value),
        required=frozenset({Col.LAST_NAME, value}),
        extra=frozenset({Col.ONDERWIJSNUMMER}),
    )


LAYOUTS: dict[Kind, Layout] = {
    Kind.YOUTH_LIST: Layout(
        kind=Kind.YOUTH_LIST,
        columns=(
            Col.BSN,
            Col.ONDERWIJSNUMMER,
            Col.LAST_NAME,
            Col.PREFIX,
            Col.FIRST_NAME,
            Col.BIRTH_DATE,
            Col.GENDER,
            Col.STREET,
            Col.HOUSE_NUMBER,
            Col.POSTCODE,
            Col.CITY,
            Col.MUNICIPALITY,
            Col.SECRET_ADDRESS,
            Col.STUDENT_NUMBER,
            Col.CLASS_NAME,
            Col.LEVEL,
            Col.ENROLLED_ON,
            Col.PERSPECTIVE,
            Col.LEAVING_YEAR,
        ),
        required=frozenset(
            {
                Col.LAST_NAME,
                Col.FIRST_NAME,
                Col.BIRTH_DATE,
                Col.GENDER,
                Col.MUNICIPALITY,
                Col.ENROLLED_ON,
                *ADDRESS_COLUMNS,
            }
        ),
    ),
    Kind.PERSPECTIVES: _update_layout(Kind.PERSPECTIVES, Col.PERSPECTIVE),
    Kind.UNENROLMENTS: _update_layout(Kind.UNENROLMENTS, Col.UNENROLLED_ON),
    Kind.LEAVING_YEARS: _update_layout(Kind.LEAVING_YEARS, Col.LEAVING_YEAR),
    # The Digitaal Doorstroomdossier's leerlinglijst: the school's students with their own e-mail
    # address; BSN and onderwijsnummer are optional.
    Kind.STUDENT_LIST: Layout(
        kind=Kind.STUDENT_LIST,
        columns=(
            Col.STUDENT_NUMBER,
            Col.FIRST_NAME,
            Col.PREFIX,
            Col.LAST_NAME,
            Col.BIRTH_DATE,
            Col.CLASS_NAME,
            Col.LEVEL,
            Col.EMAIL,
            Col.BSN,
            Col.ONDERWIJSNUMMER,
            Col.GENDER,
        ),
        required=frozenset(
            {
                Col.STUDENT_NUMBER,
                Col.FIRST_NAME,
                Col.LAST_NAME,
                Col.BIRTH_DATE,
                Col.CLASS_NAME,
                Col.LEVEL,
                Col.EMAIL,
            }
        ),
        needs_identifier=False,
    ),
}


def heading_key(text: object) -> str:
    """'Geboorte-datum *' -> 'geboortedatum': lower case, accents and everything but a-z0-9 dropped."""
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^0-9a-z]", "", plain.casefold())


ALIASES: dict[str, Col] = {
    **{heading_key(c.value): c for c in Col},
    "burgerservicenummer": Col.BSN,
    "upp": Col.PERSPECTIVE,
    "uitstroom": Col.PERSPECTIVE,
    "jaaruitstroom": Col.LEAVING_YEAR,
    "schooljaarvanuitstroom": Col.LEAVING_YEAR,
    "schooljaaruitstroom": Col.LEAVING_YEAR,
    "gemeente": Col.MUNICIPALITY,
    "geheimadresjanee": Col.SECRET_ADDRESS,
    "geheim": Col.SECRET_ADDRESS,
    "huisnr": Col.HOUSE_NUMBER,
    "leerlingnr": Col.STUDENT_NUMBER,
    "tussenvoegsels": Col.PREFIX,
    "voornamen": Col.FIRST_NAME,
    "roepnaam": Col.FIRST_NAME,
    "plaats": Col.CITY,
    "email": Col.EMAIL,
    "emailadresleerling": Col.EMAIL,
    "mailadres": Col.EMAIL,
    "klasnaam": Col.CLASS_NAME,
}


@dataclass
class HeaderMatch:
    row: int  # Excel row number of the header
    positions: dict[Col, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    remarks: list[Remark] = field(default_factory=list)


def recognised(cells: Sequence[object]) -> int:
    return sum(1 for cell in cells if heading_key(cell) in ALIASES)


def find_header(rows: Sequence[tuple[int, Sequence[object]]]) -> int | None:
    """Index (in `rows`) of the header: the first row with two known headings, else the first
    non-empty row (so that its headings are reported as wrong); None when every row is empty."""
    first_filled = None
    for index, (_row, cells) in enumerate(rows):
        if recognised(cells) >= 2:
            return index
        if first_filled is None and any(str(c).strip() for c in cells if c is not None):
            first_filled = index
    return first_filled


def _closest(wanted: Col, candidates: dict[str, str]) -> str | None:
    matches = difflib.get_close_matches(heading_key(wanted.value), candidates, n=1, cutoff=0.75)
    return candidates[matches[0]] if matches else None


def match_header(layout: Layout, row: int, cells: Sequence[object]) -> HeaderMatch:
    result = HeaderMatch(row=row)
    unknown: dict[str, str] = {}  # key -> heading as written, for suggestions
    for index, cell in enumerate(cells):
        text = str(cell).strip() if cell is not None else ""
        if not text:
            continue
        column = ALIASES.get(heading_key(text))
        if column is None or column not in layout.accepted:
            unknown.setdefault(heading_key(text), text)
            continue
        if column in result.positions:
            result.problems.append(
                Problem(
                    Code.DUPLICATE_COLUMN, row=row, column=column.value, params={"column": text}
                )
            )
            continue
        result.positions[column] = index
    suggested: set[str] = set()
    for column in layout.columns:
        if column not in layout.required or column in result.positions:
            continue
        found = _closest(column, unknown)
        if found:
            suggested.add(found)
            result.problems.append(
                Problem(
                    Code.MISSING_COLUMN_SUGGEST,
                    row=row,
                    column=column.value,
                    params={"column": column.value, "found": found},
                )
            )
        else:
            result.problems.append(
                Problem(
                    Code.MISSING_COLUMN,
                    row=row,
                    column=column.value,
                    params={"column": column.value},
                )
            )
    if (
        layout.needs_identifier
        and Col.BSN not in result.positions
        and Col.ONDERWIJSNUMMER not in result.positions
    ):
        found = _closest(Col.BSN, unknown) or _closest(Col.ONDERWIJSNUMMER, unknown)
        if found:
            suggested.add(found)
        result.problems.append(
            Problem(
                Code.MISSING_IDENTIFIER_COLUMN,
                row=row,
                column=Col.BSN.value,
                params={"found": found or ""},
            )
        )
    missing_optional = {
        heading_key(c.value): c.value for c in layout.columns if c not in result.positions
    }
    for key, text in unknown.items():
        if text in suggested:
            continue
        matches = difflib.get_close_matches(key, missing_optional, n=1, cutoff=0.75)
        if matches:
            result.remarks.append(
                Remark(
                    Note.COLUMN_IGNORED_SUGGEST,
                    {"column": text, "suggestion": missing_optional[matches[0]]},
                )
            )
        else:
            result.remarks.append(Remark(Note.COLUMN_IGNORED, {"column": text}))
    return result

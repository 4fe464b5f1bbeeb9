"""Report texts with a number read as proper Dutch for one and for more ("1 leerling", not
"1 leerlingen")."""

from __future__ import annotations

from django.utils import translation

from vangnet.transfers.domain.problems import Note, Remark
from vangnet.transfers.messages import remark_text


def test_kept_accounts_are_counted_in_singular_and_plural():
    with translation.override("nl"):
        one = remark_text(Remark(Note.ACCOUNTS_KEPT, {"n": 1}))
        three = remark_text(Remark(Note.ACCOUNTS_KEPT, {"n": 3}))
        left_one = remark_text(Remark(Note.ACCOUNT_NOTES_LEFT_OUT, {"n": 1}))
        left_two = remark_text(Remark(Note.ACCOUNT_NOTES_LEFT_OUT, {"n": 2}))
    assert one.startswith("1 leerling heeft ")
    assert three.startswith("3 leerlingen hebben ")
    assert left_one == "En nog 1 leerling die al een account heeft."
    assert left_two == "En nog 2 leerlingen die al een account hebben."

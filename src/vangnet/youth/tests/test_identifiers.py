import random

from hypothesis import given
from hypothesis import strategies as st

from tests.factories import make_bsn, make_onderwijsnummer
from vangnet.youth.domain.identifiers import (
    is_valid_bsn,
    is_valid_onderwijsnummer,
    mask_bsn,
    normalise_number,
    normalise_postcode,
)


def test_known_valid_bsn_passes_elfproef():
    assert is_valid_bsn("111222333")
    assert is_valid_bsn("123456782")


def test_bsn_with_wrong_check_digit_fails():
    assert not is_valid_bsn("123456789")


def test_bsn_must_be_nine_digits_and_not_zero():
    assert not is_valid_bsn("12345678")
    assert not is_valid_bsn("12345678a")
    assert not is_valid_bsn("000000000")


@given(st.integers(0, 2**32), st.integers(0, 8), st.integers(1, 9))
def test_generated_bsns_pass_and_any_single_digit_change_fails(seed, pos, delta):
    bsn = make_bsn(random.Random(seed))
    assert is_valid_bsn(bsn)
    changed = bsn[:pos] + str((int(bsn[pos]) + delta) % 10) + bsn[pos + 1 :]
    assert not is_valid_bsn(changed)


@given(st.integers(0, 2**32))
def test_generated_onderwijsnummers_pass_and_are_never_bsns(seed):
    number = make_onderwijsnummer(random.Random(seed))
    assert is_valid_onderwijsnummer(number)
    assert not is_valid_bsn(number)


def test_onderwijsnummer_must_start_with_10():
    assert not is_valid_onderwijsnummer("200000005")
    assert not is_valid_onderwijsnummer("10000000")


@given(st.text(max_size=12))
def test_validators_never_raise(text):
    is_valid_bsn(text)
    is_valid_onderwijsnummer(text)
    normalise_postcode(text)
    normalise_number(text)


def test_eight_digit_number_gets_its_leading_zero_back():
    assert normalise_number("12345672") == "012345672"
    assert normalise_number(" 111.222.333 ") == "111222333"
    assert normalise_number(None) == ""


def test_mask_shows_last_four_digits():
    assert mask_bsn("111222333") == "*****2333"
    assert mask_bsn("12") == "**"


def test_postcode_rules():
    assert normalise_postcode("1234ab") == "1234 AB"
    assert normalise_postcode("1234 AB") == "1234 AB"
    assert normalise_postcode("0123 AB") is None
    assert normalise_postcode("1234 SA") is None
    assert normalise_postcode("1234 SD") is None
    assert normalise_postcode("1234 SS") is None
    assert normalise_postcode("12345") is None


def test_only_ascii_digits_count():
    # 111222333 in Arabic-Indic digits passes a \d-based elfproef but is not a BSN anyone typed.
    assert not is_valid_bsn("\u0661\u0661\u0661\u0662\u0662\u0662\u0663\u0663\u0663")
    assert not is_valid_onderwijsnummer("\u0661\u0660" + "0" * 7)
    assert normalise_number("\u00b2" * 8) == "\u00b2" * 8
    assert normalise_postcode("\u0661\u0662\u0663\u0664 AB") is None

"""Phone numbers: one E.164 form per number, and masking for display."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simpul.lib.phone import country_code, is_indonesian_mobile, mask_phone, normalise_phone


@pytest.mark.parametrize(
    "written",
    [
        "081234567890",
        "0812-3456-7890",
        "0812 3456 7890",
        "(0812) 3456.7890",
        "6281234567890",
        "+6281234567890",
        "+62 812 3456 7890",
        "+62 (0)812 3456 7890",
        "006281234567890",
        "81234567890",
    ],
)
def test_indonesian_mobile_in_any_common_format_becomes_e164(written: str):
    assert normalise_phone(written) == "+6281234567890"


def test_foreign_numbers_keep_their_country_code():
    assert normalise_phone("+60 12-345 6789") == "+60123456789"
    assert normalise_phone("0060123456789") == "+60123456789"


def test_default_country_decides_the_meaning_of_a_trunk_zero():
    assert normalise_phone("012-345 6789", default_country="60") == "+60123456789"


def test_landline_with_area_code_is_kept():
    assert normalise_phone("(021) 555-1234") == "+62215551234"


@pytest.mark.parametrize(
    "written",
    [
        "",
        "   ",
        "0812",
        "WA 081234567890",
        "0812345678a",
        "+0812345678",
        "+62 812+345678",
        "+1234567890123456",
        "-",
        "()",
    ],
)
def test_non_numbers_give_none(written: str):
    assert normalise_phone(written) is None


def test_shortest_and_longest_lengths_are_accepted():
    assert normalise_phone("+12345678") == "+12345678"
    assert normalise_phone("+123456789012345") == "+123456789012345"
    assert normalise_phone("+1234567") is None


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("+6281234567890", True),
        ("+62812345678", True),
        ("+62812345678901", True),
        ("+6281234567", False),
        ("+628123456789012", False),
        ("+62215551234", False),
        ("+60123456789", False),
    ],
)
def test_indonesian_mobile_ranges(number: str, expected: bool):
    assert is_indonesian_mobile(number) is expected


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("+6281234567890", "62"),
        ("+60123456789", "60"),
        ("+12025550123", "1"),
        ("+74951234567", "7"),
        ("+85212345678", "852"),
        ("+886912345678", "886"),
        ("+966512345678", "966"),
        ("+971501234567", "971"),
        ("+420123456789", "420"),
    ],
)
def test_country_code_follows_itu_code_lengths(number: str, code: str):
    assert country_code(number) == code


def test_mask_keeps_country_code_and_last_three_digits():
    assert mask_phone("+6281234567890") == "+62\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022890"
    assert mask_phone("+85212345678") == "+852\u2022\u2022\u2022\u2022\u2022678"


def test_mask_accepts_unnormalised_input():
    assert mask_phone("0812-3456-7890") == mask_phone("+6281234567890")


def test_mask_hides_everything_that_is_not_a_phone_number():
    assert mask_phone("call me") == "\u2022" * 6


@given(st.text(alphabet="0123456789+-.() abc", max_size=25))
def test_normalising_twice_changes_nothing(text: str):
    once = normalise_phone(text)
    if once is not None:
        assert normalise_phone(once) == once


@given(
    subscriber=st.text(alphabet="0123456789", min_size=8, max_size=11),
    prefix=st.sampled_from(["0", "62", "+62", "0062", "+62(0)", ""]),
    separators=st.lists(st.sampled_from(["", " ", "-", ".", "(", ")"]), min_size=16, max_size=16),
)
def test_formatting_variants_of_one_mobile_number_agree(
    subscriber: str, prefix: str, separators: list[str]
):
    national = "8" + subscriber
    spaced = "".join(sep + digit for sep, digit in zip(separators, national, strict=False))
    result = normalise_phone(prefix + spaced)
    assert result == "+62" + national
    assert is_indonesian_mobile(result)

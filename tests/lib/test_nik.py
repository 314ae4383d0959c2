"""NIK validation: structure, decoded birth date and sex, and the century rule."""

import csv
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simpul.lib.nik import (
    MESSAGES,
    PROVINCE_CODES,
    NikIssue,
    NikResult,
    format_nik,
    mask_nik,
    validate_nik,
)

TODAY = date(2025, 6, 30)
REGION_FILE = Path("/work/shared/data/wilayah/wilayah_kepmendagri_2025.csv")


def error_codes(result: NikResult) -> list[str]:
    return [issue.code for issue in result.errors]


def test_valid_male_nik_from_sajingan_besar_is_decoded():
    result = validate_nik("6101090101900001", today=TODAY)
    assert result == NikResult(
        nik="6101090101900001",
        valid=True,
        errors=(),
        warnings=(),
        province_code="61",
        regency_code="61.01",
        district_code="61.01.09",
        birth_date=date(1990, 1, 1),
        sex="M",
        serial="0001",
    )


def test_day_plus_forty_marks_a_woman():
    result = validate_nik("6101094101900002", today=TODAY)
    assert result.valid
    assert result.sex == "F"
    assert result.birth_date == date(1990, 1, 1)
    assert result.serial == "0002"


def test_day_72_is_neither_a_man_nor_a_woman():
    result = validate_nik("6101097201900001", today=TODAY)
    assert not result.valid
    assert error_codes(result) == ["bad_birth_date"]
    assert (result.sex, result.birth_date) == (None, None)


def test_day_zero_is_rejected():
    assert error_codes(validate_nik("6101090001900001", today=TODAY)) == ["bad_birth_date"]


def test_day_40_is_rejected():
    assert error_codes(validate_nik("6101094001900001", today=TODAY)) == ["bad_birth_date"]


def test_unknown_province_is_an_error():
    result = validate_nik("0001090101900001", today=TODAY)
    assert error_codes(result) == ["unknown_province"]
    assert (result.province_code, result.regency_code, result.district_code) == (
        None,
        None,
        None,
    )


def test_zero_regency_is_an_error():
    result = validate_nik("6100090101900001", today=TODAY)
    assert error_codes(result) == ["zero_regency"]
    assert (result.province_code, result.regency_code, result.district_code) == (
        "61",
        None,
        None,
    )


def test_zero_district_is_an_error():
    result = validate_nik("6101000101900001", today=TODAY)
    assert error_codes(result) == ["zero_district"]
    assert (result.regency_code, result.district_code) == ("61.01", None)


def test_zero_serial_is_an_error():
    result = validate_nik("6101090101900000", today=TODAY)
    assert error_codes(result) == ["zero_serial"]
    assert result.serial is None


def test_thirtieth_of_february_is_not_a_birth_date():
    result = validate_nik("6101093002900001", today=TODAY)
    assert error_codes(result) == ["bad_birth_date"]
    assert result.sex == "M"
    assert result.birth_date is None


def test_month_thirteen_is_not_a_birth_date():
    assert error_codes(validate_nik("6101090113900001", today=TODAY)) == ["bad_birth_date"]


def test_leap_day_2000_is_valid():
    result = validate_nik("6101092902000001", today=TODAY)
    assert result.valid
    assert result.birth_date == date(2000, 2, 29)


def test_leap_day_of_a_non_leap_year_is_rejected():
    assert error_codes(validate_nik("6101092902010001", today=TODAY)) == ["bad_birth_date"]


def test_two_digit_year_takes_the_latest_century_not_in_the_future():
    assert validate_nik("6101090101250001", today=TODAY).birth_date == date(2025, 1, 1)
    assert validate_nik("6101090107250001", today=TODAY).birth_date == date(1925, 7, 1)
    assert validate_nik("6101093006250001", today=TODAY).birth_date == date(2025, 6, 30)


def test_birth_date_after_today_in_both_centuries_is_future():
    result = validate_nik("6101090101990001", today=date(1995, 1, 1))
    assert error_codes(result) == ["future_birth_date"]
    assert result.birth_date is None


def test_today_defaults_to_the_current_date():
    result = validate_nik("6101090101900001")
    assert result.birth_date == date(1990, 1, 1)


def test_district_missing_from_the_known_list_is_only_a_warning():
    result = validate_nik("6101090101900001", known_district_codes={"61.01.01"}, today=TODAY)
    assert result.valid
    assert result.errors == ()
    assert result.warnings == (NikIssue("unknown_district", MESSAGES["unknown_district"]),)
    assert result.district_code == "61.01.09"


def test_known_district_gives_no_warning():
    result = validate_nik("6101090101900001", known_district_codes={"61.01.09"}, today=TODAY)
    assert result.warnings == ()


def test_spaces_dots_and_dashes_are_accepted():
    for written in ["6101 0901 0190 0001", "61.01.09.010190.0001", "610109-010190-0001"]:
        result = validate_nik(written, today=TODAY)
        assert result.valid
        assert result.nik == "6101090101900001"


@pytest.mark.parametrize("written", ["610109010190001", "61010901019000011", ""])
def test_wrong_length_is_rejected(written: str):
    result = validate_nik(written, today=TODAY)
    assert not result.valid
    assert error_codes(result) == ["length"]
    assert result.birth_date is None


@pytest.mark.parametrize(
    "written", ["61010901019O0001", "6101090101900001x", "\uff16\uff1101090101900001"]
)
def test_letters_and_non_ascii_digits_are_rejected(written: str):
    result = validate_nik(written, today=TODAY)
    assert error_codes(result) == ["not_digits"]


def test_several_errors_are_all_reported():
    result = validate_nik("0000007201900000", today=TODAY)
    assert error_codes(result) == [
        "unknown_province",
        "zero_regency",
        "zero_district",
        "bad_birth_date",
        "zero_serial",
    ]


def test_every_issue_carries_its_english_message():
    result = validate_nik("0000007201900000", today=TODAY)
    assert all(issue.message == MESSAGES[issue.code] for issue in result.errors)


def test_province_codes_match_the_kemendagri_region_file():
    with REGION_FILE.open(encoding="utf-8", newline="") as fh:
        provinces = {row["kode"] for row in csv.DictReader(fh) if row["level"] == "provinsi"}
    assert provinces == PROVINCE_CODES
    assert len(PROVINCE_CODES) == 38


def test_format_groups_region_birth_and_serial():
    assert format_nik("6101090101900001") == "610109 010190 0001"
    assert format_nik("61.01.09.010190.0001") == "610109 010190 0001"


def test_format_leaves_malformed_input_recognisable():
    assert format_nik("6101 0901") == "61010901"


def test_mask_shows_only_the_last_four_digits():
    assert mask_nik("6101090101901234") == "************1234"
    assert mask_nik("6101 0901 0190 1234") == "************1234"
    assert mask_nik("123") == "***"


@st.composite
def nik_parts(draw: st.DrawFn) -> tuple[str, date, str, str]:
    # Dates less than 100 years before TODAY are exactly those the century rule recovers.
    born = draw(st.dates(min_value=date(1925, 7, 1), max_value=TODAY))
    sex = draw(st.sampled_from(["F", "M"]))
    serial = f"{draw(st.integers(min_value=1, max_value=9999)):04d}"
    province = draw(st.sampled_from(sorted(PROVINCE_CODES)))
    regency = f"{draw(st.integers(min_value=1, max_value=99)):02d}"
    district = f"{draw(st.integers(min_value=1, max_value=99)):02d}"
    day = born.day + (40 if sex == "F" else 0)
    nik = f"{province}{regency}{district}{day:02d}{born.month:02d}{born.year % 100:02d}{serial}"
    return nik, born, sex, serial


@given(nik_parts())
def test_building_a_nik_and_validating_it_round_trips(parts: tuple[str, date, str, str]):
    nik, born, sex, serial = parts
    result = validate_nik(nik, today=TODAY)
    assert result.valid, result.errors
    assert (result.birth_date, result.sex, result.serial) == (born, sex, serial)
    assert result.district_code == f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}"

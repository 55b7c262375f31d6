from __future__ import annotations

import csv
import dataclasses
import datetime
import gzip

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fpa.core import idnumber
from fpa.core.errors import DomainError
from fpa.core.idnumber import (
    FEMALE,
    MALE,
    IdNumberError,
    check_digit,
    check_gender,
    gender_matches,
    is_valid,
    parse,
    synthesize,
)

# The weights and check characters as GB 11643-1999 prints them, kept apart from the module's
# base-13 shortcut so the two are checked against each other.
STANDARD_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
STANDARD_CHECK = "10X98765432"
TEXTBOOK = "11010519491231002X"  # the standard's own example
TODAY = datetime.date(2024, 6, 1)
# No example database on disk (CI runs in a fresh clone) and no timing-based failures.
PROPERTY = settings(database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def reference_check(first17: str) -> str:
    return STANDARD_CHECK[
        sum(int(c) * w for c, w in zip(first17, STANDARD_WEIGHTS, strict=True)) % 11
    ]


def error_of(value: str, **kwargs) -> str:
    with pytest.raises(IdNumberError) as info:
        parse(value, **kwargs)
    assert info.value.field == "id_number"
    return info.value.message


# ---------------------------------------------------------------- valid numbers


def test_textbook_example_is_valid():
    result = parse(TEXTBOOK)
    assert result.number == TEXTBOOK
    assert result.region == "110105"
    assert result.birth_date == datetime.date(1949, 12, 31)
    assert result.gender == FEMALE  # 17th digit 2 is even
    assert result.converted_from_15 is False
    assert result.warnings == []
    assert check_digit(TEXTBOOK[:17]) == "X"


def test_result_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        parse(TEXTBOOK).number = "x"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("region", "birth", "seq", "gender"),
    [
        ("430102", datetime.date(1990, 1, 1), 123, MALE),
        ("430102", datetime.date(1990, 1, 1), 123, FEMALE),
        ("433101", datetime.date(1900, 1, 1), 0, FEMALE),
        ("431382", datetime.date(2000, 2, 29), 999, MALE),
        ("440300", datetime.date(2023, 12, 31), 500, FEMALE),
    ],
)
def test_synthesized_numbers_parse_back(region, birth, seq, gender):
    number = synthesize(region, birth, seq, gender)
    result = parse(number, today=TODAY)
    assert len(number) == 18
    assert (result.number, result.region, result.birth_date) == (number, region, birth)
    assert result.gender == gender
    assert number[-1] == reference_check(number[:17])
    assert number[14:16] == f"{seq:03d}"[:2]


def test_synthesize_keeps_seq_of_matching_parity():
    birth = datetime.date(1985, 5, 5)
    assert synthesize("430102", birth, 123, MALE)[14:17] == "123"
    assert synthesize("430102", birth, 123, FEMALE)[14:17] == "122"
    assert synthesize("430102", birth, 4, "男")[14:17] == "005"


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (("43010", datetime.date(1990, 1, 1), 1, MALE), "region"),
        (("430102", datetime.date(1990, 1, 1), 1000, MALE), "seq"),
        (("430102", datetime.date(1899, 12, 31), 1, MALE), "birth"),
        (("430102", datetime.date(1990, 1, 1), 1, "unknown"), "gender"),
    ],
)
def test_synthesize_refuses_bad_arguments(args, problem):
    with pytest.raises(ValueError, match=problem):
        synthesize(*args)


# ---------------------------------------------------------------- normalisation


@pytest.mark.parametrize(
    "value",
    [
        "11010519491231002x",  # lower-case x
        "  11010519491231002X  ",
        "110105 19491231 002X",  # inner spaces
        "１１０１０５１９４９１２３１００２Ｘ",  # full-width digits and letter
        "１１０１０５\u300019491231002ｘ",  # full-width space and full-width lower-case x
    ],
)
def test_input_is_normalised(value):
    assert parse(value).number == TEXTBOOK


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "请填写身份证号码"),
        (" \u3000 ", "请填写身份证号码"),
        ("1101051949123100", "身份证号码应为18位（或15位旧号码），实为16位"),
        ("11010519491231002X1", "身份证号码应为18位（或15位旧号码），实为19位"),
        ("1101051949123100AX", "身份证号码前17位只能是数字"),
        ("11010519491231-02X", "身份证号码前17位只能是数字"),
        ("11010519491231002Y", "身份证号码第18位只能是数字或X"),
        ("11010519491231002-", "身份证号码第18位只能是数字或X"),
        ("11010A670401001", "15位旧身份证号码只能是数字"),
        ("11010519900230002X", "身份证号码中的出生日期19900230不存在"),
        ("11010519901301002X", "身份证号码中的出生日期19901301不存在"),
        ("11010519000229002X", "身份证号码中的出生日期19000229不存在"),  # 1900 was not leap
        ("11010518991231002X", "身份证号码中的出生日期18991231早于1900年，不存在"),
        ("110105194912310021", "身份证号码校验位错误，请核对号码"),
    ],
)
def test_errors_say_what_is_wrong(value, message):
    assert error_of(value) == message


def test_check_digit_error_does_not_reveal_the_right_character():
    message = error_of("110105194912310028")
    assert "X" not in message


def test_error_is_a_domain_error():
    assert issubclass(IdNumberError, DomainError)
    assert IdNumberError("x").field == "id_number"


def test_future_birth_date_is_refused():
    number = synthesize("430102", datetime.date(2024, 6, 2), 1, MALE)
    assert error_of(number, today=TODAY) == "身份证号码中的出生日期20240602晚于今天"
    assert parse(synthesize("430102", TODAY, 1, MALE), today=TODAY).birth_date == TODAY


def test_future_birth_date_against_the_real_today():
    today = datetime.date.today()
    assert parse(synthesize("430102", today, 1, MALE)).birth_date == today
    tomorrow = today + datetime.timedelta(days=1)
    assert error_of(synthesize("430102", tomorrow, 1, MALE)).endswith("晚于今天")


def test_29_february_of_a_leap_year_is_valid():
    assert parse(synthesize("430102", datetime.date(2000, 2, 29), 1, MALE)).birth_date.day == 29


# ---------------------------------------------------------------- 15-digit numbers


def test_15_digit_number_is_converted():
    result = parse("130503670401001")
    assert result.number == "130503196704010016"
    assert result.number[-1] == reference_check("13050319670401001")
    assert result.converted_from_15 is True
    assert result.birth_date == datetime.date(1967, 4, 1)
    assert result.gender == MALE
    assert is_valid("130503670401001")


def test_15_digit_number_with_impossible_date():
    assert error_of("430102670230001") == "身份证号码中的出生日期19670230不存在"


# ---------------------------------------------------------------- region warnings


def warnings_for(region: str) -> list[str]:
    return parse(synthesize(region, datetime.date(1970, 1, 1), 10, MALE)).warnings


@pytest.mark.parametrize(
    "region",
    [
        "430102",  # 芙蓉区, in the 2023 Hunan table
        "433130",  # 龙山县
        "430373",  # a functional zone listed at county level
        "440300",  # 深圳市: another province's table
        "110105",
        "430000",  # province level, as on some old cards
        "431000",  # city level
        "432321",  # 4323 益阳地区: historical prefix
        "439001",  # 4390: 1990s province-administered cities
        "432300",
        "430124",  # 宁乡县: a historical 6-digit code
        "810000",  # Hong Kong residents' permit
    ],
)
def test_known_regions_get_no_warning(region):
    assert warnings_for(region) == []


@pytest.mark.parametrize("region", ["999999", "430199", "431400", "433200"])
def test_unknown_region_is_a_warning_not_an_error(region):
    assert warnings_for(region) == [
        f"地区码{region}不在现行区划代码表中（可能是旧地区码或外省号码）"
    ]
    assert is_valid(synthesize(region, datetime.date(1970, 1, 1), 10, MALE))


def test_historical_file_is_well_formed_and_disjoint_from_the_current_table():
    path = idnumber.HISTORICAL_FILES[0]
    prefixes = idnumber.read_historical(path)
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert all(row["name"].strip() and row["note"].strip() for row in rows)
    assert len(prefixes) == len(set(prefixes))
    text = gzip.decompress((idnumber.DIVISIONS_DIR / "43.csv.gz").read_bytes()).decode()
    current = {line[:6] for line in text.splitlines()[1:] if line[6:12] == "000000"}
    overlapping = [p for p in prefixes if any(code.startswith(p) for code in current)]
    assert overlapping == []
    assert {"4321", "4322", "4323", "4324", "4325", "4326"} <= set(prefixes)


def test_malformed_historical_file_is_refused(tmp_path):
    bad = tmp_path / "historical.csv"
    bad.write_text("prefix,name,note\n43X1,某地区,说明\n", encoding="utf-8")
    with pytest.raises(ValueError, match="4 or 6 digits"):
        idnumber.read_historical(bad)


# ---------------------------------------------------------------- gender


def test_gender_matches_and_check_gender():
    woman = parse(TEXTBOOK)
    assert gender_matches(woman, FEMALE)
    assert gender_matches(woman, "女")
    assert not gender_matches(woman, MALE)
    check_gender(woman, FEMALE)
    with pytest.raises(IdNumberError) as info:
        check_gender(woman, MALE)
    assert info.value.message == "性别与身份证号码不符：号码显示为女"
    assert info.value.field == "gender"
    man = parse("130503670401001")
    with pytest.raises(IdNumberError, match="号码显示为男"):
        check_gender(man, FEMALE)
    with pytest.raises(ValueError):
        gender_matches(man, "unknown")


# ---------------------------------------------------------------- check digit


@pytest.mark.parametrize(
    "value", ["1101051949123100", "1101051949123100X", "１１０１０５１９４９１２３１００２"]
)
def test_check_digit_needs_17_ascii_digits(value):
    with pytest.raises(ValueError):
        check_digit(value)


def test_is_valid():
    assert is_valid(TEXTBOOK)
    assert not is_valid("110105194912310021")
    assert not is_valid("")
    assert not is_valid(None)  # type: ignore[arg-type]


def test_module_weights_are_the_standards():
    assert idnumber.WEIGHTS == STANDARD_WEIGHTS


seventeen = st.text(alphabet="0123456789", min_size=17, max_size=17)
first17s = st.builds(
    lambda region, birth, seq: f"{region}{birth:%Y%m%d}{seq}",
    st.text(alphabet="0123456789", min_size=6, max_size=6),
    st.dates(min_value=datetime.date(1900, 1, 1), max_value=TODAY),
    st.text(alphabet="0123456789", min_size=3, max_size=3),
)


@PROPERTY
@given(seventeen)
def test_base13_shortcut_equals_the_weighted_sum(first17):
    assert check_digit(first17) == reference_check(first17)


@PROPERTY
@given(first17s)
def test_check_digit_makes_any_valid_date_number_valid(first17):
    assert is_valid(first17 + check_digit(first17), today=TODAY)


@PROPERTY
@given(first17s, st.integers(min_value=0, max_value=17), st.integers(min_value=1, max_value=10))
def test_any_single_character_change_is_detected(first17, position, shift):
    number = first17 + check_digit(first17)
    alphabet = "0123456789X" if position == 17 else "0123456789"
    old = alphabet.index(number[position])
    new = alphabet[(old + shift) % len(alphabet)]
    if new == number[position]:  # shift 10 on a digit comes back to it
        new = alphabet[(old + 1) % len(alphabet)]
    changed = number[:position] + new + number[position + 1 :]
    assert changed != number
    assert not is_valid(changed, today=TODAY)

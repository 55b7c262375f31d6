from __future__ import annotations

import pytest

from fpa.core.errors import DomainError
from fpa.core.phone import PhoneError, is_area_code, parse_phone

STRUCTURE = "电话号码格式不正确：应为11位手机号码，或如0731-84123456的固定电话"


@pytest.mark.parametrize(
    ("value", "canonical"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+8613812345678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("+86-138-1234-5678", "13812345678"),
        ("008619912345678", "19912345678"),
        ("１３８１２３４５６７８", "13812345678"),  # full-width digits
        (" 0731-84123456 ", "0731-84123456"),
        ("073184123456", "0731-84123456"),
        ("(0731)84123456", "0731-84123456"),
        ("（0731）84123456", "0731-84123456"),  # full-width brackets
        ("(0731) 8412 3456", "0731-84123456"),
        ("0731-8412-3456", "0731-84123456"),  # a hyphen inside the local number
        ("0731-84123456-123", "0731-84123456-123"),  # extension
        ("(0731)84123456-8001", "0731-84123456-8001"),
        ("010-62345678", "010-62345678"),
        ("01062345678", "010-62345678"),  # 010 has three characters
        ("02087654321", "020-87654321"),
        ("0743-8123456", "0743-8123456"),  # 7-digit local number
        ("07438123456", "0743-8123456"),
    ],
)
def test_good_numbers_are_normalised(value, canonical):
    assert parse_phone(value) == canonical


def test_bare_local_number_takes_the_default_area_code():
    assert parse_phone("84123456", default_area_code="0731") == "0731-84123456"
    assert parse_phone("8412 3456-12", default_area_code="0731") == "0731-84123456-12"
    # An explicit area code wins over the default; a mobile ignores it.
    assert parse_phone("010-62345678", default_area_code="0731") == "010-62345678"
    assert parse_phone("13812345678", default_area_code="0731") == "13812345678"


def test_a_bad_default_area_code_is_a_programming_error():
    with pytest.raises(ValueError):
        parse_phone("84123456", default_area_code="731")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "请填写电话号码"),
        ("   ", "请填写电话号码"),
        ("1381234567", "手机号码应为11位数字，以1开头"),
        ("138123456789", "手机号码应为11位数字，以1开头"),
        ("138-1234-567a", "手机号码应为11位数字，以1开头"),
        ("12812345678", "手机号码格式不正确：第2位应为3至9"),
        ("+86073184123456", "电话号码格式不正确：+86 或 0086 之后应为11位手机号码"),
        ("+861381234567", "手机号码应为11位数字，以1开头"),
        ("84123456", "电话号码格式不正确：缺少区号，应写作如0731-84123456"),
        ("0731-841234", "电话号码格式不正确：区号后的号码841234应为7至8位，且不以0或1开头"),
        ("0731-841234567", "电话号码格式不正确：区号后的号码841234567应为7至8位，且不以0或1开头"),
        ("0731-04123456", "电话号码格式不正确：区号后的号码04123456应为7至8位，且不以0或1开头"),
        ("073-84123456", "电话号码格式不正确：区号073无效"),
        ("(731)84123456", "电话号码格式不正确：区号731无效"),
        ("0731-84123456-1234567", "电话号码格式不正确：分机号1234567过长"),
        ("0731 8412345a", "电话号码格式不正确：只能包含数字、空格、连字符和括号"),
        ("0731/84123456", "电话号码格式不正确：只能包含数字、空格、连字符和括号"),
        ("0731--84123456", STRUCTURE),
        ("400-800-8888", STRUCTURE),
        ("(0731", STRUCTURE),
    ],
)
def test_bad_numbers_say_what_is_wrong(value, message):
    with pytest.raises(PhoneError) as info:
        parse_phone(value)
    assert info.value.message == message
    assert info.value.field == "phone"


def test_phone_error_is_a_domain_error():
    assert issubclass(PhoneError, DomainError)


@pytest.mark.parametrize(
    ("code", "ok"),
    [
        ("010", True),
        ("020", True),
        ("029", True),
        ("0731", True),
        ("0991", True),
        ("0101", False),
        ("011", False),
        ("0200", False),
        ("073", False),
        ("07311", False),
        ("731", False),
        ("", False),
        ("０７３１", False),
    ],
)
def test_is_area_code(code, ok):
    assert is_area_code(code) is ok

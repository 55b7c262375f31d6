"""Cell normalisation by kind: what clerks type is accepted, what lost information is refused."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fpa.core.imports import CellError, Column
from fpa.core.imports.cells import MonthOnly, normalise

NAME = Column("name", "姓名", max_length=4)
ID = Column("id_number", "身份证号码", kind="id_number")
DAY = Column("joined", "入会日期", kind="date")
COUNT = Column("hours", "服务时长", kind="int")
MONEY = Column("fee", "会费", kind="decimal")
GENDER = Column("gender", "性别", kind="choice", choices=(("M", "男"), ("F", "女")))
PHONE = Column("phone", "联系电话", kind="phone")

NUMBER_HINT = (
    "身份证号码被 Excel 当成了数字（科学计数法会丢失后几位）：请把该列设置为“文本”格式后重新填写，"
    "或在号码前加英文单引号"
)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("  张\u3000三 ", "张 三"),
        ("张三\n", "张三"),
        ("ＡＢＣ", "ABC"),
        ("", None),
        ("   ", None),
        (None, None),
        (12.0, "12"),
    ],
)
def test_text_is_nfkc_with_whitespace_collapsed(cell, expected):
    assert normalise(NAME, cell) == expected


def test_text_longer_than_max_length_is_refused_with_the_limit():
    with pytest.raises(CellError, match="姓名最多 4 个字，现有 5 个"):
        normalise(NAME, "欧阳中石头")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("４３０１０２１９９００１０１１２３４", "430102199001011234"),
        ("430102 1990 0101 123x", "43010219900101123X"),
        ("'430102199001011234", "430102199001011234"),
        (" 43010219900101123Ｘ ", "43010219900101123X"),
    ],
)
def test_id_number_loses_spaces_and_full_width_and_is_upper_case(cell, expected):
    assert normalise(ID, cell) == expected


@pytest.mark.parametrize(
    "cell", [430102199001011234, 4.30102199001011e17, 430102.0, "4.30102E+17", "4.30102e17"]
)
def test_id_number_that_excel_made_a_number_is_refused_with_how_to_fix_it(cell):
    with pytest.raises(CellError) as caught:
        normalise(ID, cell)
    assert caught.value.message == NUMBER_HINT
    assert caught.value.column == "id_number"


@pytest.mark.parametrize(
    "cell",
    [
        "2021-05-29",
        "2021/5/29",
        "2021.5.29",
        "20210529",
        "2021年5月29日",
        "2021-5-29 00:00:00",
        "２０２１－０５－２９",
        44345,
        44345.75,
        date(2021, 5, 29),
        datetime(2021, 5, 29, 8, 30),
    ],
)
def test_dates_in_every_form_clerks_write(cell):
    assert normalise(DAY, cell) == date(2021, 5, 29)


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("29/05/2021", "日期格式无法识别：29/05/2021，请写成 2021-05-29"),
        ("去年", "日期格式无法识别：去年，请写成 2021-05-29"),
        (900000, "日期格式无法识别：900000，请写成 2021-05-29"),
        (time(10, 0), "日期格式无法识别：10:00:00，请写成 2021-05-29"),
        ("2021-02-30", "日期不存在：2021-02-30，请写成 2021-05-29"),
    ],
)
def test_dates_that_cannot_be_read_say_how_to_write_them(cell, reason):
    with pytest.raises(CellError, match=reason):
        normalise(DAY, cell)


@pytest.mark.parametrize(
    "cell",
    ["2017年7月", "2017年07月", "2017年7月份", "2017.7", "2017.07", "2017-07", "2017/7"]
    + ["201707", "２０１７年７月", 201707, 201707.0, 2017.7, 2017.07],
)
def test_a_date_written_to_the_month_is_the_first_of_the_month_and_says_so(cell):
    value = normalise(DAY, cell)
    assert value == date(2017, 7, 1) and type(value) is MonthOnly


def test_a_month_date_number_cell_takes_the_digits_after_the_point():
    # What openpyxl stores for a cell typed 2017.11 or 2017.12 is that float; 2017.10 is 2017.1.
    assert normalise(DAY, 2017.11) == date(2017, 11, 1)
    assert normalise(DAY, 2017.12) == date(2017, 12, 1)
    assert normalise(DAY, "2017.1") == date(2017, 1, 1)  # typed as text, it is what it says


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("2017-13", "日期不存在：2017-13，请写成 2021-05-29"),
        ("2017年13月", "日期不存在：2017年13月"),
        ("201713", "日期不存在：201713"),
        ("201700", "日期不存在：201700"),
        (201713, "日期不存在：201713"),
        (2017.13, "日期不存在：2017.13"),
        (2017.123, "日期格式无法识别：2017.123"),
        (2017.1, "可能是 2017 年 1 月，也可能是 10 月"),
        (2017, "只写了年份：2017，请至少写到月份"),
        ("2017", "只写了年份：2017"),
        ("2017-7-", "日期格式无法识别"),
    ],
)
def test_other_month_like_cells_are_still_row_errors(cell, reason):
    with pytest.raises(CellError, match=reason):
        normalise(DAY, cell)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1,200", 1200),
        ("１２００", 1200),
        ("１，２００", 1200),
        (" 12 ", 12),
        (12.0, 12),
        ("12.0", 12),
    ],
)
def test_integers_accept_full_width_and_thousands_separators(cell, expected):
    assert normalise(COUNT, cell) == expected


@pytest.mark.parametrize("cell", ["12.5", 12.5, "十二", "1e400"])
def test_integers_refuse_fractions_and_words(cell):
    with pytest.raises(CellError, match="应为整数"):
        normalise(COUNT, cell)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("1,234.50", Decimal("1234.50")), (0.1, Decimal("0.1")), ("￥150元", Decimal("150")), (3, 3)],
)
def test_decimals_are_exact(cell, expected):
    value = normalise(MONEY, cell)
    assert isinstance(value, Decimal) and value == expected


@pytest.mark.parametrize("cell", ["一百", "NaN", "Infinity", "1.2.3"])
def test_decimals_refuse_what_is_not_a_number(cell):
    with pytest.raises(CellError, match="应为数字"):
        normalise(MONEY, cell)


@pytest.mark.parametrize(("cell", "expected"), [("男", "M"), ("女 ", "F"), ("m", "M"), ("F", "F")])
def test_choice_matches_label_or_value(cell, expected):
    assert normalise(GENDER, cell) == expected


def test_choice_outside_the_list_names_the_allowed_labels():
    with pytest.raises(CellError, match="“未知”不是可选的值，只能填写：男、女"):
        normalise(GENDER, "未知")


def test_phone_as_number_cell_keeps_its_digits():
    assert normalise(PHONE, 13800000000.0) == "13800000000"
    assert normalise(PHONE, " 0731-8888 8888 ") == "0731-8888 8888"


CELLS = st.one_of(
    st.none(),
    st.text(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.times(),
)


@given(cell=CELLS)
def test_any_cell_either_normalises_or_is_refused_with_a_reason(cell):
    for column in (NAME, ID, DAY, COUNT, MONEY, GENDER, PHONE):
        try:
            normalise(column, cell)
        except CellError as exc:
            assert exc.message and exc.column == column.key


def test_a_column_takes_a_models_text_choices():
    from django.db import models
    from django.utils.translation import gettext_lazy as _

    class Gender(models.TextChoices):
        MALE = "M", _("男")
        FEMALE = "F", _("女")

    column = Column("gender", "性别", kind="choice", choices=Gender.choices, synonyms=["性 别"])
    assert column.choices == (("M", "男"), ("F", "女"))
    assert normalise(column, "女") == "F"

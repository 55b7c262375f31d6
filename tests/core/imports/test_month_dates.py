"""Join dates written to the month, as rosters record 入会时间: read with a notice, not silently."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from fpa.core.imports import preview, read

from .helpers import MemberSchema, xlsx


class RosterSchema(MemberSchema):
    """The test schema, with the header rosters use for the join date."""

    columns = tuple(
        replace(c, synonyms=("入会时间",)) if c.key == "joined" else c for c in MemberSchema.columns
    )


SCHEMA = RosterSchema()


def ids(n: int) -> str:
    return f"4301021990{n:07d}1"


def test_a_number_cell_typed_2017_7_comes_back_as_that_float(tmp_path):
    path = xlsx(tmp_path / "a.xlsx", [["入会时间"], [2017.7], [201707]])
    assert [cells[0] for _, cells in read(path).rows[1:]] == [2017.7, 201707]


def test_each_month_only_form_is_read_as_the_first_with_a_notice_per_row(tmp_path):
    path = xlsx(
        tmp_path / "a.xlsx",
        [
            ["姓名", "身份证号码", "入会时间"],
            ["甲", ids(1), "2017年7月"],
            ["乙", ids(2), 2017.7],  # a number cell, as Excel keeps 2017.7 typed in General
            ["丙", ids(3), "2021-05-29"],
        ],
    )
    result = preview(path, SCHEMA, {})
    assert [row.values["joined"] for row in result.rows] == [
        date(2017, 7, 1),
        date(2017, 7, 1),
        date(2021, 5, 29),
    ]
    assert all(type(row.values["joined"]) is date for row in result.rows)
    assert result.notices == [
        "第 2 行入会时间“2017年7月”只写到月份，按 2017-07-01 导入",
        "第 3 行入会时间“2017.7”只写到月份，按 2017-07-01 导入",
    ]


def test_many_month_only_dates_are_one_notice_with_their_rows(tmp_path):
    months = ["2017年7月", "2017.7", "2017-07", "201707", 201707, 2017.07, "2015.11"]
    rows = [["姓名", "身份证号码", "入会时间"]]
    rows += [[f"人{i}", ids(i), cell] for i, cell in enumerate(months)]
    rows += [["错", ids(99), "2017-13"], ["好", ids(98), "2020-01-02"]]
    result = preview(xlsx(tmp_path / "a.xlsx", rows), SCHEMA, {})
    assert result.notices == [
        "共 7 行的入会时间只写到月份，按当月 1 日导入（第2、3、4、5、6、7、8行）"
    ]
    assert [row.values["joined"] for row in result.rows[:7]] == [date(2017, 7, 1)] * 6 + [
        date(2015, 11, 1)
    ]
    (error,) = result.errors
    assert (error.row, error.value, error.reason) == (
        9,
        "2017-13",
        "日期不存在：2017-13，请写成 2021-05-29",
    )


def test_a_rejected_row_gets_no_month_notice(tmp_path):
    path = xlsx(
        tmp_path / "a.xlsx",
        [["姓名", "身份证号码", "入会时间", "性别"], ["甲", ids(1), "2017年7月", "外星人"]],
    )
    result = preview(path, SCHEMA, {})
    assert result.counts["rejected"] == 1 and result.notices == []

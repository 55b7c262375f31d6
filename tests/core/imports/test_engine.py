"""The preview of a spreadsheet as clerks make it: every row judged, nothing written."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from fpa.core.imports import FileUnreadable, RowError, accepted, locate_header, preview, read
from fpa.core.imports.cells import number_hint

from .helpers import FOREIGN, HEADER, ID_A, ID_B, ID_C, KNOWN, SAME, MemberSchema, xlsx

SCHEMA = MemberSchema()


def ids(n: int) -> str:
    return f"4301021990{n:07d}1"


@pytest.fixture
def clerk_file(tmp_path):
    """A file as a township clerk makes it, one quirk per row (row numbers in comments)."""
    rows = [
        ["××县计划生育协会会员登记表"],  # 1: title
        ["填报单位：××镇", None, None, "填报日期：2024年1月5日"],  # 2: subtitle
        [],  # 3
        ["序号", "名字", "公民身份号码", "性 别", "加入日期*", "时长", "会费", "手机", "备注"],  # 4
        [
            1,
            "张三",
            "４３０１０２１９９００１０１１２３４",
            "男",
            "2021-05-29",
            "１，２００",
            "10",
            None,
        ],
        [2, "李四", 430102199001011299, "女", "2021/5/29"],  # 6: ID as an int cell
        [3, "王五", 4.30102199001012e17, "女", "2021.5.29"],  # 7: ID as a float cell
        [4, "赵六", "4.30102E+17", "男", "20210529"],  # 8: ID in scientific notation
        [],  # 9: empty
        [5, "钱七", ID_B.lower(), "女", "2021年5月29日", None, Decimal("12.50")],  # 10
        [6, "孙八", ID_C, "女", "2021-5-29 00:00:00"],  # 11
        [7, "周九", SAME, "男", 44345],  # 12: Excel serial; classified unchanged
        [8, "吴十", KNOWN, "男", date(2021, 5, 29)],  # 13: real date cell; classified update
        [
            9,
            "郑十一",
            "４３０１０２１９９００１０１１２３４",
            "男",
            datetime(2021, 5, 29),
        ],  # 14: dup
        [10, "冯", "43010219900101123Y", "男"],  # 15: clean() refuses the last character
        [11, "陈", "430102199001011", "未知", "29/05/2021"],  # 16: three bad cells
        [12, None, ids(12)],  # 17: required name missing
        [13, "褚", ids(13), None, None, -5],  # 18: clean() raises CellErrors
        [14, "卫", ids(14), None, None, None, None, "110"],  # 19: clean() raises DomainError
        [15, "蒋", FOREIGN],  # 20: classify() refuses
        [None, None, None, None, None, None, None, None, "只有备注"],  # 21: only an unknown column
        ["合计", None, None, None, None, 1195],  # 22: totals row
        [],
        [],
    ]
    return xlsx(tmp_path / "会员.xlsx", rows)


def by_row(result):
    return {row.row: row for row in result.rows}


def test_header_below_title_rows_is_found_through_synonyms(clerk_file):
    number, columns = locate_header(read(clerk_file), SCHEMA)
    assert number == 4
    assert {i: c.key for i, c in columns.items()} == {
        1: "name",
        2: "id_number",
        3: "gender",
        4: "joined",
        5: "hours",
        6: "fee",
        7: "phone",
    }


def test_every_row_of_a_real_file_is_judged(clerk_file):
    result = preview(clerk_file, SCHEMA, {})
    rows = by_row(result)
    assert sorted(rows) == [5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]
    assert {n: r.status for n, r in rows.items()} == {
        5: "new",
        6: "rejected",
        7: "rejected",
        8: "rejected",
        10: "new",
        11: "new",
        12: "unchanged",
        13: "update",
        14: "rejected",
        15: "rejected",
        16: "rejected",
        17: "rejected",
        18: "rejected",
        19: "rejected",
        20: "rejected",
    }
    assert result.counts == {
        "new": 3,
        "update": 1,
        "unchanged": 1,
        "rejected": 10,
        "total": 15,
    }
    first = rows[5].values
    assert first == {
        "name": "张三",
        "id_number": ID_A,
        "gender": "M",
        "joined": date(2021, 5, 29),
        "hours": 1200,
        "fee": Decimal("10"),
        "phone": None,
        "cleaned": True,
    }
    assert rows[10].values["id_number"] == ID_B
    assert rows[10].values["fee"] == Decimal("12.50")
    assert all(rows[n].values["joined"] == date(2021, 5, 29) for n in (5, 10, 11, 12, 13))


def test_rejected_rows_carry_row_column_value_and_a_chinese_reason(clerk_file):
    result = preview(clerk_file, SCHEMA, {})
    hint = number_hint(SCHEMA.column("id_number"))
    assert result.errors == [
        # Excel keeps every number as a double, so the int cell comes back already mangled.
        RowError(6, "身份证号码", "4.301021990010113e+17", hint),
        RowError(7, "身份证号码", "4.30102199001012e+17", hint),
        RowError(8, "身份证号码", "4.30102E+17", hint),
        RowError(14, "身份证号码", "４３０１０２１９９００１０１１２３４", "与第5行重复"),
        RowError(15, "身份证号码", "43010219900101123Y", "身份证号码最后一位应为数字或 X"),
        RowError(16, "性别", "未知", "“未知”不是可选的值，只能填写：男、女"),
        RowError(16, "入会日期", "29/05/2021", "日期格式无法识别：29/05/2021，请写成 2021-05-29"),
        RowError(17, "姓名", "", "姓名不能为空"),
        RowError(18, "服务时长", "-5", "服务时长不能为负数"),
        RowError(18, "", "", "请核对该会员的服务记录"),
        RowError(19, "联系电话", "110", "联系电话不能是报警电话"),
        RowError(20, "身份证号码", FOREIGN, "该会员属于其他组织，不能在这里导入"),
    ]
    assert hint.startswith("身份证号码被 Excel 当成了数字（科学计数法会丢失后几位）")


def test_notices_tell_what_was_skipped_or_ignored(clerk_file):
    result = preview(clerk_file, SCHEMA, {})
    assert result.notices == [
        "以下列不在导入范围内，已忽略：序号、备注",
        "第22行是合计行，已跳过",
        "第21行只在不导入的列中有内容，已跳过",
    ]


def test_prepare_sees_every_row_that_passed_once(clerk_file):
    context: dict = {}
    preview(clerk_file, SCHEMA, context)
    # rows 5, 10, 11, 12, 13 and 20 reach classify (20 is refused there)
    assert context["prepared"] == [6]


def test_a_missing_required_column_stops_the_file_with_its_name(tmp_path):
    path = xlsx(tmp_path / "a.xlsx", [["姓名", "性别"], ["张三", "男"]])
    with pytest.raises(FileUnreadable, match="缺少必填列：身份证号码（表头在第1行）"):
        preview(path, SCHEMA, {})


def test_a_file_without_any_known_header_says_to_use_the_template(tmp_path):
    path = xlsx(tmp_path / "a.xlsx", [["甲", "乙"], ["1", "2"]])
    with pytest.raises(FileUnreadable, match="找不到表头.*请下载导入模板"):
        preview(path, SCHEMA, {})


def test_two_headers_for_one_column_stop_the_file_naming_both(tmp_path):
    path = xlsx(tmp_path / "a.xlsx", [["姓名", "身份证号", "身份证号码"], ["张三", ID_A, "x"]])
    with pytest.raises(FileUnreadable) as caught:
        preview(path, SCHEMA, {})
    assert caught.value.message == (
        "第B列“身份证号”和第C列“身份证号码”都是“身份证号码”，无法确定导入哪一列："
        "请删除其中一列或改掉它的列名（表头在第1行）"
    )


def test_a_header_with_nothing_below_it_is_an_empty_preview(tmp_path):
    result = preview(xlsx(tmp_path / "a.xlsx", [HEADER]), SCHEMA, {})
    assert result.counts["total"] == 0 and result.rows == []


def test_a_csv_row_shorter_than_the_header_is_read(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text(",".join(HEADER) + f"\n张三,{ID_A}\n", encoding="gb18030")
    (row,) = preview(path, SCHEMA, {}).rows
    assert row.status == "new" and row.values["gender"] is None


def test_accepted_rows_depend_on_what_existing_records_get(clerk_file):
    result = preview(clerk_file, SCHEMA, {})
    assert [r.row for r in accepted(result, "skip")] == [5, 10, 11]
    assert [r.row for r in accepted(result, "update")] == [5, 10, 11, 13]
    with pytest.raises(ValueError):
        accepted(result, "overwrite")  # type: ignore[arg-type]


def test_the_same_file_again_changes_nothing(tmp_path):
    """Re-importing: rows already stored classify as unchanged and are never handed over."""

    class Stored(MemberSchema):
        def classify(self, values, context):
            return "unchanged" if values["id_number"] in context["stored"] else "new"

    path = xlsx(tmp_path / "a.xlsx", [HEADER, ["张三", ID_A], ["李四", ID_B]])
    context: dict = {"stored": set()}
    first = accepted(preview(path, Stored(), context), "update")
    context["stored"].update(r.values["id_number"] for r in first)
    again = preview(path, Stored(), context)
    assert len(first) == 2
    assert again.counts["unchanged"] == 2 and accepted(again, "update") == []


def test_progress_is_reported_every_thousand_rows(tmp_path):
    rows = [HEADER] + [[f"人{i}", ids(i)] for i in range(2500)]
    path = xlsx(tmp_path / "a.xlsx", rows)
    calls: list[tuple[int, int]] = []
    result = preview(path, SCHEMA, {}, progress=lambda done, total: calls.append((done, total)))
    assert result.counts["new"] == 2500
    assert calls == [(1000, 5000), (2000, 5000), (3000, 5000), (4000, 5000), (5000, 5000)]


def test_rows_of_random_cells_never_raise(tmp_path):
    """DESIGN §4 rule 4: whatever is in the cells, the preview answers row by row."""
    import random

    rng = random.Random(7)
    pool = [None, "", " ", "合计", "男", "１２", 1.5, -1, 10**20, 1e300, True, date(1900, 1, 1)]
    pool += ["4.3E+17", "2021-13-45", "\u3000", "x" * 300, ID_A, "=1+1", "'", "NaN"]
    rows = [HEADER] + [[rng.choice(pool) for _ in HEADER] for _ in range(400)]
    result = preview(xlsx(tmp_path / "a.xlsx", rows), SCHEMA, {})
    assert result.counts["total"] + len(result.notices) > 0
    assert all(r.errors for r in result.rows if r.status == "rejected")


@pytest.mark.parametrize(
    "header",
    ["身份证号码", "*身份证号码", "身份证号码*", "身份证号码（必填）"]
    + ["身份 证号\n", "公民身份号码：", "身份证号"],
)
def test_header_spellings_clerks_use_all_name_the_column(header):
    assert SCHEMA.match_header(header) is SCHEMA.column("id_number")


def test_an_unrelated_header_names_no_column():
    assert SCHEMA.match_header("身份证地址") is None and SCHEMA.match_header(None) is None

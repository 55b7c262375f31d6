"""The two workbooks the engine hands a clerk: the error report and the template."""

from __future__ import annotations

from openpyxl import load_workbook

from fpa.core.imports import error_report, preview, template

from .helpers import HEADER, ID_A, ID_B, MemberSchema, xlsx

SCHEMA = MemberSchema()


def test_error_report_lists_every_rejected_row_and_hands_the_rows_back(tmp_path):
    rows = [
        ["会员登记表"],
        ["名字", "身份证号", "性别", "入会日期", "备注"],
        ["张三", ID_A, "男", "2021-05-29"],
        ["李四", 4.30102199001011e17, "女", "昨天", "x"],
        ["王五", ID_A, "未知", "2021-05-29"],
        ["合计"],
    ]
    result = preview(xlsx(tmp_path / "会员.xlsx", rows), SCHEMA, {})
    path = error_report(result, tmp_path / "out" / "错误报告.xlsx")

    workbook = load_workbook(path)
    assert workbook.sheetnames == ["错误清单", "会员", "提示"]
    listed = list(workbook["错误清单"].iter_rows(values_only=True))
    assert listed[0] == ("行号", "列", "内容", "原因")
    assert [(r[0], r[1], r[2]) for r in listed[1:]] == [
        (4, "身份证号码", "4.30102199001011e+17"),
        (4, "入会日期", "昨天"),
        (5, "性别", "未知"),
        (5, "身份证号码", ID_A),
    ]
    assert listed[2][3] == "日期格式无法识别：昨天，请写成 2021-05-29"
    assert listed[4][3] == "与第3行重复"

    handed_back = workbook["会员"]
    back = list(handed_back.iter_rows(values_only=True))
    assert back[0] == ("姓名", "身份证号码", "性别", "入会日期", "原行号", "错误原因")
    assert back[1][:5] == ("李四", "4.30102199001011e+17", "女", "昨天", 4)
    assert "入会日期：日期格式无法识别" in back[1][5]
    assert back[2][:5] == ("王五", ID_A, "未知", "2021-05-29", 5)
    assert handed_back["B2"].number_format == "@"
    notes = [r[0] for r in workbook["提示"].iter_rows(values_only=True)]
    assert notes == ["提示", "以下列不在导入范围内，已忽略：备注", "第6行是合计行，已跳过"]


def test_a_corrected_error_report_can_be_uploaded_again(tmp_path):
    rows = [HEADER, ["张三", ID_A, "男"], ["李四", ID_B, "外星人"]]
    result = preview(xlsx(tmp_path / "会员.xlsx", rows), SCHEMA, {})
    path = error_report(result, tmp_path / "错误报告.xlsx")
    workbook = load_workbook(path)
    workbook["会员"]["C2"] = "女"  # the clerk fixes the cell
    workbook.save(path)

    again = preview(path, SCHEMA, {})
    assert again.sheet_name == "会员"
    assert [(r.row, r.status, r.values["gender"]) for r in again.rows] == [(2, "new", "F")]
    assert again.notices == ["以下列不在导入范围内，已忽略：原行号、错误原因"]


def test_template_has_marked_headers_drop_downs_text_ids_and_instructions(tmp_path):
    path = template(SCHEMA, tmp_path / "会员导入模板.xlsx")
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["会员", "说明", "选项"]
    sheet = workbook["会员"]
    assert [c.value for c in sheet[1]] == [
        "姓名*",
        "身份证号码*",
        "性别",
        "入会日期",
        "服务时长",
        "会费",
        "联系电话",
    ]
    assert sheet["A1"].font.color.rgb.endswith("C00000") and sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].number_format == "@"
    assert sheet.column_dimensions["G"].number_format == "@"

    (rule,) = sheet.data_validations.dataValidation
    assert rule.type == "list"
    assert str(rule.sqref) == "C2:C1048576"
    assert rule.formula1 == "'选项'!$A$2:$A$3"
    choices = workbook["选项"]
    assert choices.sheet_state == "hidden"
    assert [choices["A2"].value, choices["A3"].value] == ["男", "女"]

    lines = [r for r in workbook["说明"].iter_rows(values_only=True)]
    table = {r[0]: r[1:] for r in lines if r[1] in ("必填", "选填")}
    assert table["姓名"][0] == "必填" and "最多 10 个字" in table["姓名"][1]
    assert table["身份证号码"] == (
        "必填",
        "18 位身份证号码，最后一位可以是 X；本列已设为“文本”格式，请勿改成数字",
        "430102199001011234",
    )
    assert table["性别"] == ("选填", "从下拉列表中选择：男、女", "男")
    assert table["入会日期"][2] == "2021-05-29"
    assert "单位：小时" in table["服务时长"][1]


def test_the_template_filled_in_reads_back(tmp_path):
    path = template(SCHEMA, tmp_path / "模板.xlsx")
    assert preview(path, SCHEMA, {}).counts["total"] == 0
    workbook = load_workbook(path)
    workbook["会员"].append(["张三", ID_A, "女", "2021-05-29", 3, "12.5", "13800000000"])
    workbook.save(path)
    (row,) = preview(path, SCHEMA, {}).rows
    assert row.status == "new" and row.values["gender"] == "F" and row.values["hours"] == 3

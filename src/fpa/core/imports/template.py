"""The import template a clerk downloads: the columns to fill, drop-downs, and how to fill them.

The rule: the template prevents the mistakes the engine would otherwise reject — ID-number,
phone and code columns are formatted as text so Excel cannot turn them into numbers,
enumerations are drop-down lists, required headers are marked, and a 说明 sheet says what each
column accepts, with an example.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .schema import Column, RowSchema

REQUIRED_FONT = Font(bold=True, color="C00000")
OPTIONAL_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
CHOICES_SHEET = "选项"
TEXT_KINDS = {"id_number", "phone", "code"}
LAST_ROW = 1048576  # Excel's last row: the rules cover every row a clerk may fill

ACCEPTS = {
    "text": "文字",
    "id_number": "18 位身份证号码，最后一位可以是 X；本列已设为“文本”格式，请勿改成数字",
    "date": "日期，写成 2021-05-29（也可以写 2021/5/29、2021.5.29、20210529、2021年5月29日）",
    "int": "整数",
    "decimal": "数字，可带小数",
    "choice": "从下拉列表中选择",
    "phone": "手机号码或固定电话；本列已设为“文本”格式",
    "code": "编码，按文本填写；本列已设为“文本”格式",
}
EXAMPLES = {"date": "2021-05-29", "int": "3", "decimal": "150.00", "phone": "13800000000"}


def header_text(column: Column) -> str:
    """The header as the template writes it: required columns end in "*" (the engine ignores
    the star when matching)."""
    return f"{column.label}*" if column.required else column.label


def accepts(column: Column) -> str:
    """What a column accepts, in the words of the instruction sheet."""
    parts = [ACCEPTS[column.kind]]
    if column.kind == "choice":
        parts.append("：" + "、".join(column.choice_labels))
    if column.max_length:
        parts.append(f"，最多 {column.max_length} 个字")
    if column.help:
        parts.append(f"。{column.help}")
    return "".join(parts)


def example(column: Column) -> str:
    if column.example:
        return column.example
    if column.kind == "choice":
        return column.choice_labels[0]
    return EXAMPLES.get(column.kind, "")


def template(schema: RowSchema, path: Path) -> Path:
    """Write the import template of `schema` to `path` (.xlsx) and return the path."""
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet), "a new workbook opens on a worksheet"
    sheet.title = (schema.title or "数据")[:31]
    choices = workbook.create_sheet(CHOICES_SHEET)
    choices.sheet_state = "hidden"
    choice_count = 0
    for index, column in enumerate(schema.columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=header_text(column))
        cell.font = REQUIRED_FONT if column.required else OPTIONAL_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        cell.comment = Comment(accepts(column), "导入模板")
        width = 22 if column.kind == "id_number" else max(12, 2 * len(column.label) + 4)
        sheet.column_dimensions[letter].width = width
        if column.kind in TEXT_KINDS:
            sheet.column_dimensions[letter].number_format = "@"
        elif column.kind == "date":
            sheet.column_dimensions[letter].number_format = "yyyy-mm-dd"
        if column.kind == "choice":
            # The list lives on a hidden sheet: an inline list is capped at 255 characters.
            choice_count += 1
            source = get_column_letter(choice_count)
            choices.cell(row=1, column=choice_count, value=column.label)
            for row, label in enumerate(column.choice_labels, start=2):
                choices.cell(row=row, column=choice_count, value=label)
            last = len(column.choices) + 1
            rule = DataValidation(
                type="list",
                formula1=f"{quote_sheetname(CHOICES_SHEET)}!${source}$2:${source}${last}",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="请从下拉列表中选择",
                error=f"{column.label}只能填写：{'、'.join(column.choice_labels)}",
            )
            rule.add(f"{letter}2:{letter}{LAST_ROW}")
            sheet.add_data_validation(rule)
    sheet.freeze_panes = "A2"
    _instructions(workbook.create_sheet("说明", index=1), schema)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def _instructions(sheet: Worksheet, schema: RowSchema) -> None:
    title = schema.title or "数据"
    notes = [
        f"{title}导入说明",
        f"1. 在“{title}”工作表中从第 2 行起每行填写一条记录，请勿修改或删除表头；"
        "列名带 * 的必须填写。",
        "2. 身份证号码等列已设为“文本”格式；从别的表格粘贴时请用“选择性粘贴 → 值”，"
        "不要把号码变成数字或科学计数法。",
        "3. 导入前会先检查每一行：有误的行会列出行号、列和原因；可下载错误报告，"
        "改正后只上传这些行。",
        "",
    ]
    for note in notes:
        sheet.append([note])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(["列名", "是否必填", "填写要求", "示例"])
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = OPTIONAL_FONT
        cell.fill = HEADER_FILL
    for column in schema.columns:
        sheet.append([column.label, "必填" if column.required else "选填", accepts(column)])
        # The example as text: an example ID number must not become 4.3E+17 in the template.
        cell = sheet.cell(row=sheet.max_row, column=4, value=example(column))
        cell.number_format = "@"
    for letter, width in zip("ABCD", (18, 10, 70, 24), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=header_row + 1):
        row[2].alignment = Alignment(wrap_text=True, vertical="top")

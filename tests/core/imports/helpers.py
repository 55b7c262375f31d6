"""A small schema and file builders shared by the import-engine tests."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from fpa.core.errors import DomainError
from fpa.core.imports import CellError, CellErrors, Column, RowSchema

ID_A = "430102199001011234"
ID_B = "43010219900101123X"
ID_C = "430102199001011250"
SAME = "430102198512120011"  # classified "unchanged" by the context
KNOWN = "430102198512120022"  # classified "update"
FOREIGN = "430102198512120033"  # classify refuses it


class MemberSchema(RowSchema):
    kind = "member"
    title = "会员"
    columns = (
        Column("name", "姓名", required=True, synonyms=("名字",), max_length=10),
        Column(
            "id_number",
            "身份证号码",
            kind="id_number",
            required=True,
            synonyms=("身份证号", "公民身份号码"),
            example="430102199001011234",
        ),
        Column("gender", "性别", kind="choice", choices=(("M", "男"), ("F", "女"))),
        Column("joined", "入会日期", kind="date", synonyms=("加入日期",)),
        Column("hours", "服务时长", kind="int", synonyms=("时长",), help="单位：小时"),
        Column("fee", "会费", kind="decimal"),
        Column("phone", "联系电话", kind="phone", synonyms=("手机",)),
    )
    key_columns = ("id_number",)

    def clean(self, values: dict[str, Any], context: Any) -> dict[str, Any]:
        number = values["id_number"]
        if len(number) != 18:
            raise CellError("id_number", "身份证号码应为 18 位")
        if not (number[-1].isdigit() or number[-1] == "X"):
            raise CellError("id_number", "身份证号码最后一位应为数字或 X")
        if values["hours"] is not None and values["hours"] < 0:
            raise CellErrors(
                [CellError("hours", "服务时长不能为负数"), CellError("", "请核对该会员的服务记录")]
            )
        if values["phone"] == "110":
            raise DomainError("联系电话不能是报警电话", field="phone")
        return {**values, "cleaned": True}

    def prepare(self, rows: list[dict[str, Any]], context: Any) -> None:
        context.setdefault("prepared", []).append(len(rows))

    def classify(self, values: dict[str, Any], context: Any) -> str:
        number = values["id_number"]
        if number == FOREIGN:
            raise CellError("id_number", "该会员属于其他组织，不能在这里导入")
        if number == SAME:
            return "unchanged"
        if number == KNOWN:
            return "update"
        return "new"


HEADER = ["姓名", "身份证号码", "性别", "入会日期", "服务时长", "会费", "联系电话"]


def xlsx(path: Path, rows: Iterable[Iterable[Any]], *, title: str = "Sheet1") -> Path:
    """Write `rows` from A1 down, as openpyxl types them (an int stays a number cell)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def csv_bytes(rows: Iterable[Iterable[Any]]) -> str:
    return "\r\n".join(",".join(str(v) for v in row) for row in rows) + "\r\n"


def context() -> dict[str, Any]:
    return {}

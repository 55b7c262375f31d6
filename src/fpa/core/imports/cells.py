"""Turning a spreadsheet cell into a value of its column's kind, or a Chinese reason why not.

The rule: accept what clerks really type (full-width digits, stray spaces, dates written five
ways, Excel date serials, thousands separators), and refuse — with how to fix it — what has
already lost information, above all an ID number that Excel stored as a number.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cache
from typing import Any

from .errors import CellError
from .reader import Cell
from .schema import Column

EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 is 1900-01-01 once Excel's 1900 leap bug is counted
SERIAL_MAX = 80000  # 2119-01-11: a larger number is not a date anyone means

_SCIENTIFIC = re.compile(r"^[+-]?\d+(\.\d*)?E[+-]?\d+$", re.IGNORECASE)
# At most 18 digits: a longer "number" is a mistake (and int() refuses past 4,300 digits).
_INTEGER = re.compile(r"^([+-]?\d{1,18})(?:\.0*)?$")
_DECIMAL = re.compile(r"^[+-]?(?:\d{1,18}(?:\.\d*)?|\.\d+)$")
_DATE_SEP = re.compile(
    r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:[ T]\d{1,2}:\d{1,2}(?::\d{1,2}(?:\.\d+)?)?)?$"
)
_DATE_CN = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
# Written to the month, as rosters record 入会时间: 2017年7月, 2017.7, 2017-07, 2017/7, 201707.
_MONTH_CN = re.compile(r"^(\d{4})年(\d{1,2})月份?$")
_MONTH_SEP = re.compile(r"^(\d{4})[-/.](\d{1,2})$")
_MONTH_COMPACT = re.compile(r"^(\d{4})(\d{2})$")
# A number cell in this range is a year (2017) or a year and month (2017.7), not an Excel
# serial: serials 1900–2100 are days in 1905, which no clerk means.
YEARS = range(1900, 2101)


class MonthOnly(date):
    """A date the cell gave only to its month, read as the first of that month.

    The engine turns it back into a plain `date` and tells the clerk (a notice on the preview),
    so a month-only date is never taken silently.
    """


def as_text(cell: Cell) -> str:
    """The cell as a clerk would read it, for error reports and text columns."""
    if type(cell) is str:  # the common case first: this runs for every cell of every row
        return cell
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "是" if cell else "否"
    if isinstance(cell, float):
        # 3.0 is what a spreadsheet shows as 3; repr keeps 4.3e+17 visibly mangled.
        return str(int(cell)) if cell.is_integer() and abs(cell) < 1e15 else repr(cell)
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == time() else cell.isoformat(" ")
    if isinstance(cell, date | time):
        return cell.isoformat()
    return str(cell)


def _text(cell: Cell) -> str:
    """NFKC (full-width digits, letters and spaces become ASCII), whitespace runs to one space."""
    # split/join rather than a regex: the same result, twice as fast on short cells
    return " ".join(unicodedata.normalize("NFKC", as_text(cell)).split())


def _plain(text: str) -> str:
    # A leading apostrophe is how a clerk keeps Excel from turning digits into a number; in a
    # CSV it survives as a character.
    return text.lstrip("'‘’`")


def text(column: Column, cell: Cell) -> str | None:
    value = _text(cell)
    return value or None


def code(column: Column, cell: Cell) -> str | None:
    value = _plain(_text(cell))
    return value or None


def id_number(column: Column, cell: Cell) -> str | None:
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        raise CellError(column.key, number_hint(column))
    value = "".join(_plain(unicodedata.normalize("NFKC", as_text(cell))).split()).upper()
    if _SCIENTIFIC.match(value):
        raise CellError(column.key, number_hint(column))
    return value or None


def number_hint(column: Column) -> str:
    return (
        f"{column.label}被 Excel 当成了数字（科学计数法会丢失后几位）：请把该列设置为“文本”"
        "格式后重新填写，或在号码前加英文单引号"
    )


def parse_date(column: Column, cell: Cell) -> date | None:
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return _number_date(column, cell)
    value = _text(cell)
    if not value:
        return None
    match = _DATE_SEP.match(value) or _DATE_CN.match(value) or _DATE_COMPACT.match(value)
    if match is None:
        month = _MONTH_CN.match(value) or _MONTH_SEP.match(value) or _MONTH_COMPACT.match(value)
        if month is not None:
            return _month(column, int(month.group(1)), int(month.group(2)), value)
        if value.isdigit() and int(value) in YEARS:
            raise CellError(column.key, _year_only(value))
        raise CellError(column.key, _date_error(cell))
    numbers = [g for g in match.groups() if g.isdigit()]
    try:
        return date(*map(int, numbers))
    except ValueError:
        raise CellError(column.key, f"日期不存在：{value}，请写成 2021-05-29") from None


def _number_date(column: Column, cell: int | float) -> date:
    """A number cell: an Excel serial, or a year and month typed as a number."""
    if isinstance(cell, float) and math.isfinite(cell) and not cell.is_integer():
        if int(cell) in YEARS:
            # Excel keeps 2017.7 as the number 2017.7 and 2017.10 as 2017.1: the digits after
            # the point are the month, except that a single 1 may have been a 10.
            year, _, digits = repr(cell).partition(".")
            if digits == "1":
                raise CellError(
                    column.key,
                    f"“{as_text(cell)}”可能是 {year} 年 1 月，也可能是 10 月（Excel 把 {year}.10 "
                    f"存成了 {year}.1）：请写成 {year}-01 或 {year}-10",
                )
            if len(digits) <= 2:
                return _month(column, int(year), int(digits), as_text(cell))
            raise CellError(column.key, _date_error(cell))
    elif math.isfinite(cell):
        whole = int(cell)
        if whole in YEARS:
            raise CellError(column.key, _year_only(as_text(cell)))
        if 190001 <= whole <= 210012:  # 201707 typed as a number
            return _month(column, whole // 100, whole % 100, as_text(cell))
    if 1 <= cell <= SERIAL_MAX:
        return EXCEL_EPOCH + timedelta(days=int(cell))
    raise CellError(column.key, _date_error(cell))


def _month(column: Column, year: int, month: int, written: str) -> MonthOnly:
    try:
        return MonthOnly(year, month, 1)
    except ValueError:
        raise CellError(column.key, f"日期不存在：{written}，请写成 2021-05-29") from None


def _year_only(written: str) -> str:
    return f"只写了年份：{written}，请至少写到月份，如 {written}-07 或 {written}年7月"


def _date_error(cell: Cell) -> str:
    return f"日期格式无法识别：{as_text(cell)}，请写成 2021-05-29"


def _number_text(cell: Cell) -> str:
    # Thousands separators (half- or full-width, the latter made half by NFKC) and spaces go.
    return "".join(_text(cell).split()).replace(",", "")


def integer(column: Column, cell: Cell) -> int | None:
    if isinstance(cell, int) and not isinstance(cell, bool):
        return cell
    if isinstance(cell, float):
        if cell.is_integer():
            return int(cell)
        raise CellError(column.key, f"应为整数：{as_text(cell)}")
    value = _number_text(cell)
    if not value:
        return None
    match = _INTEGER.match(value)
    if match is None:
        raise CellError(column.key, f"应为整数：{as_text(cell)}")
    return int(match.group(1))


def decimal(column: Column, cell: Cell) -> Decimal | None:
    if isinstance(cell, float) and not math.isfinite(cell):
        raise CellError(column.key, f"应为数字：{as_text(cell)}")
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        # str() of a float is its shortest exact spelling: 0.1 stays 0.1, not 0.1000000000000000055
        return Decimal(str(cell))
    value = _number_text(cell).removeprefix("¥").removesuffix("元")
    if not value:
        return None
    # Plain digits only: "1e5", "NaN" and "Infinity" are Decimals but not amounts a clerk writes.
    if not _DECIMAL.match(value):
        raise CellError(column.key, f"应为数字：{as_text(cell)}")
    return Decimal(value)


@cache
def _choice_index(column: Column) -> dict[str, str]:
    index: dict[str, str] = {}
    for value, label in column.choices:
        index.setdefault(_text(label).casefold(), value)
        index.setdefault(_text(value).casefold(), value)
    return index


def choice(column: Column, cell: Cell) -> str | None:
    value = _text(cell)
    if not value:
        return None
    found = _choice_index(column).get(value.casefold())
    if found is None:
        allowed = "、".join(column.choice_labels)
        raise CellError(column.key, f"“{value}”不是可选的值，只能填写：{allowed}")
    return found


NORMALISERS: dict[str, Callable[[Column, Cell], Any]] = {
    "text": text,
    "id_number": id_number,
    "date": parse_date,
    "int": integer,
    "decimal": decimal,
    "choice": choice,
    "phone": code,
    "code": code,
}


def normalise(column: Column, cell: Cell) -> Any:
    """The cell as a value of the column's kind, None when empty; `CellError` when it cannot be.

    Text that is longer than the column's `max_length` is refused here too, so every schema gets
    the same message.
    """
    if cell is None or cell == "":
        return None
    value = NORMALISERS[column.kind](column, cell)
    if column.max_length is not None and isinstance(value, str) and len(value) > column.max_length:
        limit = column.max_length
        raise CellError(column.key, f"{column.label}最多 {limit} 个字，现有 {len(value)} 个")
    return value

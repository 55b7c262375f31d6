"""Reading an .xlsx/.xlsm (python-calamine) or .csv file into rows of cells.

The rule: a file either reads as a whole or fails with `FileUnreadable` and a Chinese message
that tells the clerk what to do; nothing in between. Cells come back as the spreadsheet holds
them (text, numbers, dates) — judging them is the engine's business, so that a number where an
ID number belongs can be reported instead of silently turned into text.
"""

from __future__ import annotations

import csv
import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import BinaryIO, cast

from python_calamine import CalamineWorkbook, PasswordError

from fpa.core import uploads

from .errors import FileUnreadable
from .schema import normalise_header

log = logging.getLogger(__name__)

#: what a sheet's cell holds (a workbook's time-formatted cell reads as a time or a duration)
Cell = str | float | int | bool | datetime | date | time | timedelta | None

EXCEL = {".xlsx", ".xlsm"}
CSV = {".csv"}
# Formats a clerk may try that we do not read; each gets the same advice.
RESAVE = {".xls", ".et", ".ods", ".numbers", ".wps"}

_OLE = uploads.OLE  # Office's old container: .xls, or an encrypted .xlsx
CORRUPT = uploads.CORRUPT
EMPTY = "文件中没有任何数据"


@dataclass
class Sheet:
    """The filled rows of one sheet: (1-based row number as Excel shows it, cells).

    Rows with nothing in them are left out, so the numbers may skip; cells of a row are
    left to right from column A, an empty cell being "" or None.
    """

    name: str
    rows: list[tuple[int, list[Cell]]]


def is_filled(cell: Cell) -> bool:
    """Whether a cell holds anything (a space is nothing; a zero is something)."""
    if isinstance(cell, str):
        return bool(cell.strip())
    return cell is not None


def _filled_rows(rows: list[list[Cell]]) -> list[tuple[int, list[Cell]]]:
    return [(n, row) for n, row in enumerate(rows, start=1) if any(map(is_filled, row))]


def read(path: Path, *, filename: str | None = None, sheet_name: str | None = None) -> Sheet:
    """Read the sheet to import from `path`.

    `filename` is the name the clerk uploaded (the stored file may have another); its extension
    decides the format, and the bytes must be of that format (`fpa.core.uploads`). From a
    workbook, the sheet named like `sheet_name` (the schema title) is read when there is one,
    else the first sheet.
    """
    suffix = Path(filename or path.name).suffix.lower()
    if suffix in RESAVE:
        raise FileUnreadable(f"不支持 {suffix} 格式：请在 Excel 或 WPS 中“另存为” .xlsx 后再导入")
    if suffix not in EXCEL | CSV:
        raise FileUnreadable(f"不支持的文件类型“{suffix or '无扩展名'}”：请上传 .xlsx 或 .csv 文件")
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed below, once the format is known
    except OSError as exc:
        raise FileUnreadable("无法打开上传的文件，请重新上传", detail=str(exc)) from exc
    with fh:
        head = fh.read(uploads.HEAD)
        if not head.strip() and len(head) < uploads.HEAD:
            raise FileUnreadable("文件是空的：请确认选择了正确的文件")
        try:
            sheet = _read_csv(path, fh) if suffix in CSV else _read_excel(fh, sheet_name)
        except uploads.UploadRefused as exc:
            raise FileUnreadable(exc.message, detail=repr(exc)) from exc
    if not sheet.rows:
        raise FileUnreadable(f"{EMPTY}（工作表“{sheet.name}”是空的）")
    return sheet


def _not(real: str, expected: str) -> FileUnreadable:
    if real in (uploads.UNKNOWN, uploads.DAMAGED_ZIP):
        return FileUnreadable(CORRUPT, detail=real)
    return FileUnreadable(f"文件内容实际是{real}，不是{expected}：请上传 .xlsx 或 .csv 文件")


def _read_excel(fh: BinaryIO, sheet_name: str | None) -> Sheet:
    fh.seek(0)
    if fh.read(len(_OLE)) == _OLE:
        raise FileUnreadable(
            "文件设置了打开密码，或其实是旧版 .xls 文件：请在 Excel 中取消密码，"
            "再“另存为” .xlsx 后导入"
        )
    real = uploads.identify(fh)
    if real != uploads.XLSX.label:
        raise _not(real, "Excel 工作簿")
    # A "zip bomb" is refused before it expands, by the sizes it declares and by the bytes it
    # really inflates to; the limit is sized for the largest real roster.
    uploads.check_workbook(fh)
    try:
        with CalamineWorkbook.from_filelike(fh) as workbook:
            names = workbook.sheet_names
            if not names:
                raise FileUnreadable(EMPTY)
            wanted = normalise_header(sheet_name) if sheet_name else None
            name = next((n for n in names if normalise_header(n) == wanted), names[0])
            sheet = workbook.get_sheet_by_name(name)
            # skip_empty_area=False keeps row 1 and column A at index 0, so row numbers are real.
            grid = sheet.to_python(skip_empty_area=False)
    except FileUnreadable:
        raise
    except PasswordError as exc:
        raise FileUnreadable("文件设置了密码：请在 Excel 中取消密码后再导入", str(exc)) from exc
    except Exception as exc:
        log.info("unreadable workbook: %r", exc)
        raise FileUnreadable(CORRUPT, detail=repr(exc)) from exc
    except BaseException as exc:
        # pyo3 turns a Rust panic into PanicException, a BaseException: a bad file all the same.
        if type(exc).__name__ != "PanicException":
            raise
        raise FileUnreadable(CORRUPT, detail=repr(exc)) from exc
    # calamine's cells are among those Cell names (never None in a grid)
    return Sheet(name=name, rows=_filled_rows(cast("list[list[Cell]]", grid)))


def _read_csv(path: Path, fh: BinaryIO) -> Sheet:
    """The filled rows of a CSV file, parsed as it streams from disk: the file is never held
    whole in memory, as bytes or as text, only its rows are."""
    real = uploads.identify(fh)
    if real != uploads.UNKNOWN:  # text has no signature
        raise _not(real, "CSV 文本文件")
    encoding = uploads.text_encoding(fh)
    with open(path, encoding=encoding, newline="") as text:
        first = next((line for line in text if line.strip()), "")
        # "Unicode 文本" and some exports separate by tabs; a clerk never names this.
        delimiter = "\t" if first.count("\t") > first.count(",") else ","
        text.seek(0)
        share = _Shared()
        try:
            rows: list[tuple[int, list[Cell]]] = [
                (number, share(cells))
                for number, cells in enumerate(csv.reader(text, delimiter=delimiter), start=1)
                if any(map(is_filled, cells))
            ]
        except csv.Error as exc:
            raise FileUnreadable(CORRUPT, detail=repr(exc)) from exc
    return Sheet(name="CSV", rows=rows)


class _Shared:
    """One string object for each short value seen again (a village, a date, a common name):
    a roster repeats them on every row, and a third of a large CSV's memory went to copies.

    Unique values (ID numbers, phones) are longer than `LONGEST` and pass through; the memo
    stops growing at `SIZE` entries, so a file of unique short values costs no more than that.
    """

    LONGEST = 12
    SIZE = 65_536

    def __init__(self) -> None:
        self.memo: dict[str, str] = {}

    def __call__(self, cells: list[str]) -> list[Cell]:
        memo, out = self.memo, list[Cell]()
        for cell in cells:
            if len(cell) <= self.LONGEST:
                seen = memo.get(cell)
                if seen is None:
                    if len(memo) < self.SIZE:
                        memo[cell] = cell
                else:
                    cell = seen
            out.append(cell)
        return out

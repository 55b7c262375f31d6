"""Reading an .xlsx/.xlsm (python-calamine) or .csv file into rows of cells.

The rule: a file either reads as a whole or fails with `FileUnreadable` and a Chinese message
that tells the clerk what to do; nothing in between. Cells come back as the spreadsheet holds
them (text, numbers, dates) — judging them is the engine's business, so that a number where an
ID number belongs can be reported instead of silently turned into text.
"""

from __future__ import annotations

import csv
import io
import logging
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from python_calamine import CalamineWorkbook, PasswordError

from .errors import FileUnreadable
from .schema import normalise_header

log = logging.getLogger(__name__)

Cell = str | float | int | bool | datetime | date | None

EXCEL = {".xlsx", ".xlsm"}
CSV = {".csv"}
# Formats a clerk may try that we do not read; each gets the same advice.
RESAVE = {".xls", ".et", ".ods", ".numbers", ".wps"}

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Office's old container: .xls, or an encrypted .xlsx

CORRUPT = (
    "文件已损坏或不完整，无法读取：请在 Excel 中打开该文件，确认内容无误后重新保存为 .xlsx 再导入"
)
EMPTY = "文件中没有任何数据"
MAX_UNZIPPED = 1_000_000_000


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
    decides the format. From a workbook, the sheet named like `sheet_name` (the schema title) is
    read when there is one, else the first sheet.
    """
    suffix = Path(filename or path.name).suffix.lower()
    if suffix in RESAVE:
        raise FileUnreadable(f"不支持 {suffix} 格式：请在 Excel 或 WPS 中“另存为” .xlsx 后再导入")
    if suffix not in EXCEL | CSV:
        raise FileUnreadable(f"不支持的文件类型“{suffix or '无扩展名'}”：请上传 .xlsx 或 .csv 文件")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FileUnreadable("无法打开上传的文件，请重新上传", detail=str(exc)) from exc
    if not data.strip():
        raise FileUnreadable("文件是空的：请确认选择了正确的文件")
    sheet = _read_csv(data) if suffix in CSV else _read_excel(data, sheet_name)
    if not sheet.rows:
        raise FileUnreadable(f"{EMPTY}（工作表“{sheet.name}”是空的）")
    return sheet


def _read_excel(data: bytes, sheet_name: str | None) -> Sheet:
    if data.startswith(_OLE):
        raise FileUnreadable(
            "文件设置了打开密码，或其实是旧版 .xls 文件：请在 Excel 中取消密码，"
            "再“另存为” .xlsx 后导入"
        )
    if not data.startswith(_ZIP):
        raise FileUnreadable(CORRUPT, detail="not a zip archive")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
    except Exception as exc:
        raise FileUnreadable(CORRUPT, detail=repr(exc)) from exc
    if unzipped > MAX_UNZIPPED:
        # A guard against a "zip bomb" by the sizes the archive declares; 100,000 rows of
        # seven columns unzip to about 40 MB.
        raise FileUnreadable("文件太大（解压后超过 1 GB）：请拆分为几个文件后分别导入")
    try:
        with CalamineWorkbook.from_filelike(io.BytesIO(data)) as workbook:
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
    return Sheet(name=name, rows=_filled_rows(grid))


def _decode(data: bytes) -> str:
    """UTF-8 with or without BOM, UTF-16 with BOM ("Unicode 文本"), else GB18030 (a superset of
    GBK, which Excel on a Chinese Windows writes when saving "CSV (逗号分隔)")."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8-sig", "gb18030"]
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileUnreadable(
        "无法识别文件的文字编码：请在 Excel 中“另存为” .xlsx（或“CSV UTF-8”）后再导入"
    )


def _read_csv(data: bytes) -> Sheet:
    text = _decode(data)
    if "\x00" in text:
        raise FileUnreadable("这不是文本格式的 CSV 文件：请在 Excel 中“另存为” .xlsx 后再导入")
    first = next((line for line in text.splitlines() if line.strip()), "")
    # "Unicode 文本" and some exports separate by tabs; a clerk never names this.
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    try:
        lines = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        grid: list[list[Cell]] = list(lines)
    except csv.Error as exc:
        raise FileUnreadable(CORRUPT, detail=repr(exc)) from exc
    return Sheet(name="CSV", rows=_filled_rows(grid))

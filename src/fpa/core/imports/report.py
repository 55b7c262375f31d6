"""The error report: every rejected row, why, and the rows themselves to fix and upload again.

The rule: a clerk must be able to fix the rejected rows without hunting for them. The first
sheet lists each error (行号, 列, 内容, 原因); the second holds the rejected rows as they were
written, under the template's column names and named like the template's sheet, so that the
report itself, once corrected, can be uploaded again (its two extra columns are ignored).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from fpa.core.exports import xlsx_cell, xlsx_row

from .cells import as_text
from .results import Preview

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

TEXT_KINDS = {"id_number", "phone", "code"}
BOLD = Font(bold=True)


def _header(ws: WriteOnlyWorksheet, labels: list[str], widths: list[int]) -> None:
    for index, width in enumerate(widths, start=1):
        # A write-only sheet has column_dimensions (set in its _setup); the stubs leave it out.
        ws.column_dimensions[get_column_letter(index)].width = width  # type: ignore[attr-defined]
    ws.freeze_panes = "A2"
    cells = []
    for label in labels:
        cell = WriteOnlyCell(ws, value=label)
        cell.font = BOLD
        cells.append(cell)
    ws.append(cells)


def _text_cell(ws: WriteOnlyWorksheet, value: Any) -> Cell:
    # As text, so that a corrected ID number stays text when the clerk types it in again.
    cell = xlsx_cell(ws, as_text(value) or None)
    if not isinstance(cell, Cell):
        cell = WriteOnlyCell(ws, value=cell)
    cell.number_format = "@"
    return cell


def error_report(preview: Preview, path: Path) -> Path:
    """Write the error report of `preview` to `path` (.xlsx) and return the path."""
    workbook = Workbook(write_only=True)
    errors = workbook.create_sheet("错误清单")
    _header(errors, ["行号", "列", "内容", "原因"], [8, 16, 24, 70])
    for error in preview.errors:
        # The file's own values come back here: a formula or a control character in an uploaded
        # cell must neither run nor break the report (the one export rule, fpa.core.exports).
        errors.append(
            xlsx_row(errors, [error.row, error.column or "整行", error.value, error.reason])
        )

    schema = preview.schema
    columns = sorted(preview.columns.items())
    rows = workbook.create_sheet((schema.title or "待修改的行")[:31])
    labels = [column.label for _, column in columns]
    widths = [max(12, 2 * len(label) + 4) for label in labels]
    _header(rows, [*labels, "原行号", "错误原因"], [*widths, 8, 60])
    for row in preview.rejected:
        line: list[Any] = []
        for index, column in columns:
            cell = row.cells[index] if index < len(row.cells) else None
            line.append(
                _text_cell(rows, cell) if column.kind in TEXT_KINDS else xlsx_cell(rows, cell)
            )
        reasons = "；".join(f"{e.column or '整行'}：{e.reason}" for e in row.errors)
        rows.append([*line, row.row, xlsx_cell(rows, reasons)])

    if preview.notices:
        notes = workbook.create_sheet("提示")
        _header(notes, ["提示"], [100])
        for notice in preview.notices:
            notes.append([xlsx_cell(notes, notice)])
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path

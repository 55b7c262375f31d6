"""The one import engine: find the header, check every row, classify it, and say what a commit
would do — before anything is written (DESIGN §4 rule 3, "Nothing lost").

A bad row never stops the import: it is rejected with its row number, column, value and a
Chinese reason, and the other rows go on. Only a file that cannot be read at all raises
`FileUnreadable`. Writing is the schema owner's business: `accepted()` hands over the rows to
write, and the caller writes them in one transaction.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from fpa.core.errors import DomainError

from .cells import MonthOnly, as_text, normalise
from .errors import CellError, CellErrors, FileUnreadable
from .reader import Cell, Sheet, is_filled, read
from .report import error_report
from .results import STATUSES, Preview, RowError, RowResult
from .schema import AmbiguousHeader, Column, Existing, RowSchema
from .template import template

__all__ = ["accepted", "error_report", "locate_header", "preview", "template"]

HEADER_SCAN = 20  # title rows above the header are few; a header below row 20 is not a header
PROGRESS_EVERY = 1000
TOTALS = ("合计", "总计", "小计", "共计")

#: progress(done, total); wired to `fpa.core.jobs.Progress` by the import job
OnProgress = Callable[[int, int], None]


def locate_header(sheet: Sheet, schema: RowSchema) -> tuple[int, dict[int, Column]]:
    """The header row number and which schema column each file column holds.

    The header is the row, among the first 20 filled ones, that names the most columns; title
    rows above it are passed over. Refused when no row names any column or a required one is
    missing.
    """
    row, columns, _ = _locate(sheet, schema)
    return row, columns


def _locate(sheet: Sheet, schema: RowSchema) -> tuple[int, dict[int, Column], list[str]]:
    best: tuple[int, list[Cell]] | None = None
    best_hits = 0
    for number, cells in sheet.rows[:HEADER_SCAN]:
        hits = len({c.key for cell in cells for c in schema.header_matches(cell)})
        if hits > best_hits:
            best, best_hits = (number, cells), hits
    if best is None:
        names = "、".join(c.label for c in (schema.required_columns or schema.columns)[:3])
        raise FileUnreadable(
            f"找不到表头：前 {HEADER_SCAN} 行中没有一行写着“{names}”等列名，"
            "请下载导入模板，按模板的列名填写"
        )
    number, cells = best
    columns: dict[int, Column] = {}
    notices: list[str] = []
    unknown: list[str] = []
    for index, cell in enumerate(cells):
        found = schema.header_matches(cell)
        if len(found) > 1:
            raise AmbiguousHeader(cell, found, f"第{number}行第{_letter(index)}列的")
        if not found:
            if is_filled(cell):
                unknown.append(as_text(cell).strip())
            continue
        column = found[0]
        first = next((i for i, c in columns.items() if c is column), None)
        if first is not None:
            # Two columns of the file for one of ours: which one holds the data is the
            # clerk's knowledge, not ours (a roster may have 所在村 and 现居住村 that differ).
            raise FileUnreadable(
                f"第{_letter(first)}列“{as_text(cells[first]).strip()}”和第{_letter(index)}列"
                f"“{as_text(cell).strip()}”都是“{column.label}”，无法确定导入哪一列："
                f"请删除其中一列或改掉它的列名（表头在第{number}行）"
            )
        columns[index] = column
    missing = [c.label for c in schema.required_columns if c not in columns.values()]
    if missing:
        raise FileUnreadable(f"缺少必填列：{'、'.join(missing)}（表头在第{number}行）")
    if unknown:
        notices.append(f"以下列不在导入范围内，已忽略：{'、'.join(unknown)}")
    return number, columns, notices


def _letter(index: int) -> str:
    """Excel's column letter for a 0-based index (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _is_total(cells: list[Cell]) -> bool:
    for cell in cells:
        if isinstance(cell, str) and cell:
            text = "".join(unicodedata.normalize("NFKC", cell).split())
            if text.startswith(TOTALS):
                return True
    return False


def preview(
    path: Path,
    schema: RowSchema,
    context: Any = None,
    *,
    filename: str | None = None,
    progress: OnProgress | None = None,
) -> Preview:
    """Read `path` and judge every row; write nothing.

    Empty rows are skipped; a totals row (合计/总计/小计/共计 with the key columns empty) is
    skipped with a notice. Each other row is normalised by column kind, checked for required
    cells, cleaned by the schema, checked for a key seen earlier in the file ("与第N行重复"),
    and classified. `progress(done, total)` is called every 1,000 rows; `total` is twice the
    data rows, since each row is checked and then classified.
    """
    sheet = read(Path(path), filename=filename, sheet_name=schema.title)
    header_row, columns, notices = _locate(sheet, schema)
    data = [(n, cells) for n, cells in sheet.rows if n > header_row]
    total = 2 * len(data)
    key_columns = [schema.column(k) for k in schema.key_columns]
    blank_key = key_columns or schema.required_columns
    key_index = {c.key: i for i, c in columns.items()}
    blank_index = [key_index[c.key] for c in blank_key if c.key in key_index]
    pairs = list(columns.items())
    width = max(columns) + 1
    seen: dict[tuple[Any, ...], int] = {}
    rows: list[RowResult] = []
    totals: list[int] = []
    stray: list[int] = []
    months: list[MonthNote] = []

    for done, (number, cells) in enumerate(data, start=1):
        if progress is not None and done % PROGRESS_EVERY == 0 and done < total:
            progress(done, total)
        if len(cells) < width:  # a CSV row may stop short of the header's width
            cells = [*cells, *[None] * (width - len(cells))]
        if not any(is_filled(cells[i]) for i in blank_index) and _is_total(cells):
            totals.append(number)
            continue
        mapped = [(column, cells[i]) for i, column in pairs]
        if not any(is_filled(cell) for _, cell in mapped):
            stray.append(number)
            continue
        row = _check(schema, context, number, cells, mapped, months)
        if key_columns:
            key = tuple(row.values.get(c.key) for c in key_columns)
            if None not in key:
                first = seen.setdefault(key, number)
                if first != number:
                    column = key_columns[0]
                    value = as_text(cells[key_index[column.key]])
                    _reject(row, RowError(number, column.label, value, f"与第{first}行重复"))
        rows.append(row)
    if totals:
        notices.append(f"{_numbers(totals)}是合计行，已跳过")
    if stray:
        notices.append(f"{_numbers(stray)}只在不导入的列中有内容，已跳过")

    passed = [row for row in rows if row.status != "rejected"]
    schema.prepare([row.values for row in passed], context)
    for done, row in enumerate(passed, start=len(data) + 1):
        if progress is not None and done % PROGRESS_EVERY == 0 and done < total:
            progress(done, total)
        try:
            status = schema.classify(row.values, context)
        except (CellError, CellErrors, DomainError) as exc:
            raw = {c.key: row.cells[i] for i, c in pairs}
            _reject_hook(row, schema, raw, exc)
            continue
        if status not in STATUSES or status == "rejected":
            raise ValueError(f"{type(schema).__name__}.classify returned {status!r}")
        row.status = status
    if progress is not None:
        progress(total, total)
    rejected = {row.row for row in rows if row.status == "rejected"}
    header = next(cells for n, cells in sheet.rows if n == header_row)
    headers = {c.key: as_text(header[i]).strip() for i, c in columns.items()}
    notices += month_notices([m for m in months if m.row not in rejected], headers)
    return Preview(schema, sheet.name, header_row, columns, rows, notices)


@dataclass(frozen=True)
class MonthNote:
    """A date cell written only to the month, read as the first of that month."""

    row: int
    column: Column
    written: str
    read_as: date


MONTH_ROWS_NAMED = 3  # up to this many rows of a column are told one by one


def month_notices(notes: list[MonthNote], headers: dict[str, str]) -> list[str]:
    """One notice per column (per row while they are few) for the month-only dates of rows
    that will be written: the clerk sees what was assumed, never a silent first of the month.
    `headers` gives each column's header as the file writes it (入会时间, not our 入会日期)."""
    by_column: dict[str, list[MonthNote]] = {}
    for note in notes:
        by_column.setdefault(note.column.key, []).append(note)
    notices = []
    for key, found in by_column.items():
        name = headers.get(key) or found[0].column.label
        if len(found) <= MONTH_ROWS_NAMED:
            notices += [
                f"第 {n.row} 行{name}“{n.written}”只写到月份，按 {n.read_as.isoformat()} 导入"
                for n in found
            ]
        else:
            notices.append(
                f"共 {len(found)} 行的{name}只写到月份，按当月 1 日导入"
                f"（{_numbers([n.row for n in found])}）"
            )
    return notices


def _numbers(numbers: list[int], limit: int = 20) -> str:
    shown = "、".join(map(str, numbers[:limit]))
    more = f"等 {len(numbers)} 行" if len(numbers) > limit else ""
    return f"第{shown}行{more}"


def _check(
    schema: RowSchema,
    context: Any,
    number: int,
    cells: list[Cell],
    mapped: list[tuple[Column, Cell]],
    months: list[MonthNote],
) -> RowResult:
    """Normalise, require and clean one row; the row comes back "new" or "rejected"."""
    values: dict[str, Any] = dict.fromkeys(c.key for c in schema.columns)
    errors: list[RowError] = []
    for column, cell in mapped:
        try:
            value = values[column.key] = normalise(column, cell)
        except CellError as exc:
            errors.append(RowError(number, column.label, as_text(cell), exc.message))
            continue
        if type(value) is MonthOnly:
            values[column.key] = date(value.year, value.month, value.day)
            months.append(MonthNote(number, column, as_text(cell).strip(), values[column.key]))
        if column.required and values[column.key] is None:
            errors.append(RowError(number, column.label, "", f"{column.label}不能为空"))
    row = RowResult(number, values, "new", errors, cells)
    if errors:
        row.status = "rejected"
        return row
    try:
        row.values = schema.clean(values, context)
    except (CellError, CellErrors, DomainError) as exc:
        _reject_hook(row, schema, {c.key: cell for c, cell in mapped}, exc)
    return row


def _reject_hook(
    row: RowResult,
    schema: RowSchema,
    cells: dict[str, Cell],
    exc: CellError | CellErrors | DomainError,
) -> None:
    """Record what a schema hook refused. `cells` maps column keys to the cells as read, so the
    report shows what the clerk wrote; a `DomainError` names its column through `field`."""
    if isinstance(exc, CellErrors):
        found = exc.errors
    elif isinstance(exc, CellError):
        found = [exc]
    else:
        found = [CellError(exc.field or "", exc.message)]
    for error in found:
        try:
            label = schema.column(error.column).label if error.column else ""
        except KeyError:
            label = error.column
        _reject(row, RowError(row.row, label, as_text(cells.get(error.column)), error.message))


def _reject(row: RowResult, error: RowError) -> None:
    row.errors.append(error)
    row.status = "rejected"


def accepted(preview: Preview, mode: Existing) -> list[RowResult]:
    """The rows a commit writes (`Preview.accepted`): new rows, plus updates under "update"."""
    return preview.accepted(mode)

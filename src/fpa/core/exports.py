"""Writing tables to .xlsx (openpyxl write-only, memory flat) and CSV.

A list that can be long is exported by a job: `write_job_file` streams its rows from the
database (`whole_scan` plans the cursor for it) into a file under MEDIA_ROOT/exports, moving the
progress bar as it goes. A report of a few dozen rows is answered at once (`xlsx_response`).

Every cell of every file, .xlsx or CSV, passes through `safe_cell`: a file is safe to open
whatever a clerk typed into a name (no formula runs) and whatever bytes a value holds (no
character makes the file fail to write or to open).
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Font


def export_path(name: str) -> Path:
    path = Path(settings.MEDIA_ROOT) / "exports" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def plain_name(text: str) -> str:
    """`text` without the characters a sheet or file name may not hold (: \\ / ? * [ ]).

    A list named "会长/副会长/秘书长" would otherwise fail the whole export.
    """
    return re.sub(r"[:\\/?*\[\]]", "、", text)


def sheet_title(title: str) -> str:
    """A title Excel accepts for a sheet: a plain name of at most 31 characters."""
    return plain_name(title)[:31] or "Sheet1"


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: What Excel, LibreOffice and WPS start a formula (or a DDE call) with: a text beginning so is
#: written after an apostrophe, as OWASP advises for CSV injection, so it is shown as typed.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Characters XML 1.0 forbids (C0 controls but tab, newline and carriage return; U+FFFE, U+FFFF;
#: the lone surrogates UTF-8 cannot encode): openpyxl refuses the first ("cannot be used in
#: worksheets"), the others make a file Excel cannot open or that fails to encode.
UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: Values a cell holds as what they are (a date, datetime included, a time, a duration, a number).
TYPED = (bool, int, float, Decimal, datetime.date, datetime.time, datetime.timedelta)
#: The most characters an Excel cell holds; a longer text makes Excel "repair" the file.
CELL_LIMIT = 32767


def _clean(value: Any) -> Any:
    """A value with numbers, dates and booleans as they are and text a file can hold: a
    forbidden character becomes U+FFFD (the reader sees something was there, and an audited
    value is not silently shortened), cut at 32,767 characters."""
    if value is None or isinstance(value, TYPED):
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            return timezone.localtime(value).replace(tzinfo=None)
        return value
    return UNWRITABLE.sub("\ufffd", str(value))[:CELL_LIMIT]


def safe_cell(value: Any) -> Any:
    """A value as a CSV file (or any plain-text cell) holds it: `_clean`, and a text starting
    with `=`, `+`, `-`, `@`, tab or carriage return after a leading `'`, as OWASP advises, so a
    spreadsheet opening the file never runs it. A number is never text (a negative amount stays
    a number)."""
    value = _clean(value)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return ("'" + value)[:CELL_LIMIT]
    return value


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in row]


def xlsx_cell(ws: Any, value: Any) -> Any:
    """A value as an .xlsx sheet holds it: `_clean`, and a text that would start a formula as a
    quote-prefixed text cell — Excel shows it exactly as typed and never evaluates it, and the
    file imported again gives back the same text (no apostrophe added to a name)."""
    value = _clean(value)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell
    return value


def xlsx_row(ws: Any, row: Iterable[Any]) -> list[Any]:
    return [xlsx_cell(ws, value) for value in row]


def write_xlsx(
    path: Path | BinaryIO, title: str, header: list[str], rows: Iterable[list[Any]]
) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=sheet_title(title))
    bold = Font(bold=True)
    cells = []
    for text in header:
        cell = xlsx_cell(ws, text)
        if not isinstance(cell, Cell):
            cell = WriteOnlyCell(ws, value=cell)
        cell.font = bold
        cells.append(cell)
    ws.append(cells)
    for row in rows:
        ws.append(xlsx_row(ws, row))
    wb.save(path)


def xlsx_response(
    filename: str, title: str, header: list[str], rows: Iterable[list[Any]]
) -> HttpResponse:
    """A small table (a report of a few dozen rows) as an .xlsx download, made in memory."""
    buffer = io.BytesIO()
    write_xlsx(buffer, title, header, rows)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, plain_name(filename)) or ""
    return response


def write_csv(path: Path, header: list[str], rows: Iterable[list[Any]]) -> None:
    # UTF-8 with BOM: Excel on a Chinese Windows PC reads it without mojibake.
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(safe_row(header))
        writer.writerows(safe_row(row) for row in rows)


@contextmanager
def whole_scan() -> Iterator[None]:
    """For a streamed export on PostgreSQL: plan the server-side cursor for reading every row.

    A cursor is planned for its first rows by default (cursor_tuple_fraction 0.1), which walks a
    name index across the whole registry instead of sorting the county's rows once.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL cursor_tuple_fraction = 1.0")
        yield


def counted(rows: Iterable[list[Any]], progress: Any) -> Iterator[list[Any]]:
    for i, row in enumerate(rows, start=1):
        if i % 500 == 0:
            progress.advance(i)
        yield row


def write_job_file(
    job: Any,
    progress: Any,
    *,
    total: int,
    unit: str,
    title: str,
    header: list[str],
    rows: Iterable[list[Any]],
    filename: str | None = None,
) -> None:
    """An export job's file: `rows` streamed to .xlsx (sheet `title`), or to CSV when the job
    asked for it (`params["format"] == "csv"`), counted on the progress bar ("正在导出 N 条",
    `unit` being "条"); the job then offers it for download as `filename` (default `title`)."""
    progress.start(total, f"正在导出 {total} {unit}")
    fmt = "csv" if job.params.get("format") == "csv" else "xlsx"
    name = f"{job.pk}.{fmt}"
    if fmt == "csv":
        write_csv(export_path(name), header, counted(rows, progress))
    else:
        write_xlsx(export_path(name), title, header, counted(rows, progress))
    job.result_file = f"exports/{name}"
    job.result_name = f"{plain_name(filename or title)}.{fmt}"
    job.message = f"已导出 {total} {unit}"

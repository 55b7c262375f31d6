"""Writing tables to .xlsx (openpyxl write-only, memory flat) and CSV.

A list that can be long is exported by a job: rows streamed from the database (`whole_scan`,
`counted` for the progress bar) into a file under MEDIA_ROOT/exports (`export_path`). A report
of a few dozen rows is answered at once (`xlsx_response`).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font


def export_path(name: str) -> Path:
    path = Path(settings.MEDIA_ROOT) / "exports" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def sheet_title(title: str) -> str:
    """A title Excel accepts for a sheet: at most 31 characters, none of : \\ / ? * [ ].

    A list named "会长/副会长/秘书长" would otherwise fail the whole export.
    """
    return re.sub(r"[:\\/?*\[\]]", "、", title)[:31] or "Sheet1"


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def write_xlsx(
    path: Path | BinaryIO, title: str, header: list[str], rows: Iterable[list[Any]]
) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=sheet_title(title))
    bold = Font(bold=True)
    cells = []
    for text in header:
        cell = WriteOnlyCell(ws, value=text)
        cell.font = bold
        cells.append(cell)
    ws.append(cells)
    for row in rows:
        ws.append(row)
    wb.save(path)


def xlsx_response(
    filename: str, title: str, header: list[str], rows: Iterable[list[Any]]
) -> HttpResponse:
    """A small table (a report of a few dozen rows) as an .xlsx download, made in memory."""
    buffer = io.BytesIO()
    write_xlsx(buffer, title, header, rows)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def write_csv(path: Path, header: list[str], rows: Iterable[list[Any]]) -> None:
    # UTF-8 with BOM: Excel on a Chinese Windows PC reads it without mojibake.
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)


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

"""Loading the shipped festival table (data/festivals/festivals.csv) into `Festival`."""

from __future__ import annotations

import csv
import datetime
from pathlib import Path
from typing import Any

from django.conf import settings

from fpa.core.dates import in_span, span_message
from fpa.core.errors import DomainError

DATE_COLUMNS = ("date", "window_start", "window_end")
FILE = Path(settings.BASE_DIR) / "data" / "festivals" / "festivals.csv"


def load(model: Any, path: Path = FILE) -> int:
    """Create or correct every (code, year) row of the file; rows an admin added are kept."""
    n = 0
    with open(path, encoding="utf-8", newline="") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            dates = [datetime.date.fromisoformat(row[k]) for k in DATE_COLUMNS]
            if not in_span(int(row["year"])) or not all(in_span(d) for d in dates):
                raise DomainError(f"{path.name} 第 {line} 行：{span_message('节日年份和日期')}")
            model.objects.update_or_create(
                code=row["code"],
                year=int(row["year"]),
                defaults={
                    "name": row["name"],
                    "date": datetime.date.fromisoformat(row["date"]),
                    "window_start": datetime.date.fromisoformat(row["window_start"]),
                    "window_end": datetime.date.fromisoformat(row["window_end"]),
                },
            )
            n += 1
    return n

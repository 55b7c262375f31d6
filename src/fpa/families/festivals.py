"""Loading the shipped festival table (data/festivals/festivals.csv) into `Festival`."""

from __future__ import annotations

import csv
import datetime
from pathlib import Path
from typing import Any

from django.conf import settings

FILE = Path(settings.BASE_DIR) / "data" / "festivals" / "festivals.csv"


def load(model: Any, path: Path = FILE) -> int:
    """Create or correct every (code, year) row of the file; rows an admin added are kept."""
    n = 0
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
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

"""What a preview holds: every row with its status and, for a rejected row, every reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .reader import Cell
from .schema import Column, RowSchema, Status

STATUSES: tuple[Status, ...] = ("new", "update", "unchanged", "rejected")
STATUS_LABELS = {"new": "新增", "update": "更新", "unchanged": "无变化", "rejected": "有误"}


@dataclass(frozen=True)
class RowError:
    """One reason a row was rejected: the row number and column label as the clerk sees them,
    the cell as written, and what is wrong with it in Chinese."""

    row: int
    column: str
    value: str
    reason: str


@dataclass
class RowResult:
    """One data row: `values` by column key (cleaned when the row passed), its status, and the
    cells as read (`cells`, in file column order) so a rejected row can be handed back."""

    row: int
    values: dict[str, Any]
    status: Status
    errors: list[RowError] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)


@dataclass
class Preview:
    """The outcome of reading a file, before anything is written.

    `columns` maps a file column index to the schema column it holds; `errors` is every
    `RowError` of every rejected row, in row order; `notices` are things the clerk should know
    that rejected nothing (a skipped totals row, an ignored column).
    """

    schema: RowSchema
    sheet_name: str
    header_row: int
    columns: dict[int, Column]
    rows: list[RowResult]
    notices: list[str]

    @property
    def errors(self) -> list[RowError]:
        return [error for row in self.rows for error in row.errors]

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUSES, 0)
        for row in self.rows:
            counts[row.status] += 1
        counts["total"] = len(self.rows)
        return counts

    @property
    def rejected(self) -> list[RowResult]:
        return [row for row in self.rows if row.status == "rejected"]

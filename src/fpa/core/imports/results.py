"""What a preview holds: every row with its status and, for a rejected row, every reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .reader import Cell
from .schema import Column, Existing, RowSchema, Status

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
        counts: dict[str, int] = dict.fromkeys(STATUSES, 0)
        for row in self.rows:
            counts[row.status] += 1
        counts["total"] = len(self.rows)
        return counts

    @property
    def rejected(self) -> list[RowResult]:
        return [row for row in self.rows if row.status == "rejected"]

    def accepted(self, mode: Existing) -> list[RowResult]:
        """The rows a commit writes: new rows, plus updates when `mode` is "update".

        Unchanged and rejected rows are never written, so importing the same file twice changes
        nothing the second time.
        """
        if mode == "skip":
            wanted = {"new"}
        elif mode == "update":
            wanted = {"new", "update"}
        else:
            raise ValueError(f"mode must be 'skip' or 'update', not {mode!r}")
        return [row for row in self.rows if row.status in wanted]

    def summary(self, mode: Existing) -> str:
        """What a commit in `mode` would write, in words (the schema's `will_write`), then
        what it leaves: “将新增人员 120 人、更新 30 人，新增会员 140 人；有误 5 行（不导入）”."""
        counts = self.counts
        rows = self.accepted(mode)
        parts = [f"将{self.schema.will_write(rows, mode)}" if rows else "没有要写入的行"]
        if mode == "skip" and counts["update"]:
            parts.append(f"已有的 {counts['update']} 条记录保持不变")
        if counts["unchanged"]:
            parts.append(f"无变化 {counts['unchanged']} 行")
        if counts["rejected"]:
            parts.append(f"有误 {counts['rejected']} 行（不导入）")
        return "；".join(parts)

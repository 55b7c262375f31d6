"""The import engine from the command line, for management commands.

The rule (issue 4): print the preview counts and what a commit would write in words, write the
error report when a row was rejected, commit unless `--dry-run` (or `--strict` and a row was
rejected), and exit 0 when no row was rejected, 1 when some were, 2 when the file could not be
read at all — nothing written then.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from fpa.core.errors import DomainError

from .engine import OnProgress, accepted, preview
from .errors import FileUnreadable
from .report import error_report
from .results import RowResult
from .schema import Existing, RowSchema

OK, REJECTED, UNREADABLE = 0, 1, 2
SHOWN_ERRORS = 20  # the rest are in the report; a terminal full of errors helps nobody


class Writer(Protocol):
    def write(self, text: str, /) -> Any: ...


def default_report_path(path: Path) -> Path:
    """Where the error report goes when no path is given: beside the file."""
    return path.with_name(f"{path.stem}-错误报告.xlsx")


def run_import_command(
    stdout: Writer,
    schema: RowSchema,
    path: Path,
    context: Any,
    *,
    dry_run: bool,
    strict: bool,
    existing: Existing,
    errors_out: Path | None,
    commit: Callable[[list[RowResult]], int],
    progress: OnProgress | None = None,
) -> int:
    """Preview `path`, report, and commit through `commit` (one transaction, returns the number
    of rows written); return the exit code.

    A `DomainError` from `commit` means its transaction rolled back: the message is printed and
    the exit code is 2, since nothing was written.
    """

    def say(line: str) -> None:
        stdout.write(line + "\n")

    path = Path(path)
    try:
        result = preview(path, schema, context, progress=progress)
    except FileUnreadable as exc:
        say(f"无法读取文件 {path.name}：{exc.message}")
        say("未写入任何数据。")
        return UNREADABLE

    counts = result.counts
    say(
        f"{path.name}（工作表“{result.sheet_name}”，表头在第{result.header_row}行）："
        f"共 {counts['total']} 行，新增 {counts['new']}，更新 {counts['update']}，"
        f"无变化 {counts['unchanged']}，有误 {counts['rejected']}"
    )
    say(f"{result.summary(existing)}。")
    for notice in result.notices:
        say(f"提示：{notice}")
    if counts["update"] and existing == "skip":
        say("要更新已有的记录，请用 --existing=update。")

    rejected = counts["rejected"]
    if rejected:
        errors = result.errors
        for error in errors[:SHOWN_ERRORS]:
            value = f"“{error.value}”" if error.value else ""
            say(f"第{error.row}行 {error.column or '整行'}{value}：{error.reason}")
        if len(errors) > SHOWN_ERRORS:
            say(f"……共 {len(errors)} 处错误，其余见错误报告。")
        report = error_report(result, errors_out or default_report_path(path))
        say(f"错误报告：{report}")
    elif errors_out is not None:
        say(f"错误报告：{error_report(result, errors_out)}（没有错误）")

    if dry_run:
        say("试运行（--dry-run）：未写入任何数据。")
    elif strict and rejected:
        say("有被拒绝的行（--strict）：未写入任何数据。")
    else:
        rows = accepted(result, existing)
        try:
            written = commit(rows)
        except DomainError as exc:
            say(f"写入失败，未写入任何数据：{exc.message}")
            return UNREADABLE
        say(f"已写入 {written} 行。")
    return REJECTED if rejected else OK

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fpa.audit.anchor import latest_checkpoint, load_head_file
from fpa.audit.chain import verify
from fpa.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Walk the audit log's hash chain and report the first broken link; compare its head with "
        "the latest checkpoint and any head file given (a backup's sidecar), so a deleted tail "
        "is found too."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--head",
            action="append",
            type=Path,
            default=[],
            help="a head file (audit_checkpoint --head-file) or a backup sidecar; repeatable",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            files = [load_head_file(path) for path in options["head"]]
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        latest = latest_checkpoint()
        anchors = [*([latest] if latest else []), *files]
        verdict = verify(anchors)
        if verdict.truncated:
            raise CommandError(verdict.reason)
        if not verdict.ok:
            raise CommandError(
                f"审计日志链在第 {verdict.broken_at} 条断开：{verdict.reason}"
                f"（此前 {verdict.checked} 条完好）"
            )
        self.stdout.write(f"审计日志完好：共 {verdict.checked} 条，哈希链连续。")
        for anchor in anchors:
            self.stdout.write(
                f"与{anchor.label}一致（当时共 {anchor.count} 条，至第 {anchor.last_id} 条）。"
            )
        if latest is None:
            self.stdout.write(
                "注意：还没有审计检查点，无法发现末尾被删除的记录；"
                "请运行 manage.py audit_checkpoint（备份时也会自动写入）。"
            )

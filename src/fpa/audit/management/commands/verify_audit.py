from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from fpa.audit.chain import verify


class Command(BaseCommand):
    help = "Walk the audit log's hash chain and report the first broken link."

    def handle(self, *args: Any, **options: Any) -> None:
        verdict = verify()
        if not verdict.ok:
            raise CommandError(
                f"审计日志链在第 {verdict.broken_at} 条断开：{verdict.reason}"
                f"（此前 {verdict.checked} 条完好）"
            )
        self.stdout.write(f"审计日志完好：共 {verdict.checked} 条，哈希链连续。")

"""manage.py audit_checkpoint: anchor the audit log's head (run nightly, after verify_audit)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fpa.audit.anchor import CheckpointRefused, checkpoint, write_head_file


class Command(BaseCommand):
    help = (
        "Write the audit log's head (count, last id and hash) as a checkpoint row, and "
        "optionally to a head file kept off the server."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--head-file", type=Path, help="also write the head to this JSON file (mode 0600)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            head = checkpoint("command")
        except CheckpointRefused as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"已写入审计检查点：共 {head.count} 条，最后一条是第 {head.last_id} 条"
            f"（哈希 {head.last_hash[:16]}…）。"
        )
        if options["head_file"] is not None:
            write_head_file(head, options["head_file"])
            self.stdout.write(f"日志头已写入 {options['head_file']}，请保存在服务器之外。")

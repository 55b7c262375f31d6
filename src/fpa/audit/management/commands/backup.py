"""manage.py backup: the whole database to one file plus its JSON sidecar (docs/backup.md)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from fpa.audit import backup


def human_size(size: int) -> str:
    """A byte count the way people read it: 1.5 MB."""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


class Command(BaseCommand):
    help = "Back up the database (pg_dump custom format, or a SQLite copy) with a JSON sidecar."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            help="file, or folder (existing, or ending in /), to write to "
            "(default: var/backups/fpa-<engine>-<time>)",
        )
        parser.add_argument("--database", default="default", help="database alias to back up")

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"]) if options["output"] else None
        if output is not None and options["output"].endswith(("/", os.sep)):
            # Path() drops the trailing slash: say "a folder" by creating it, not a file named so.
            output.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            path = backup.backup(output, connection=connections[options["database"]])
        except backup.BackupError as exc:
            raise CommandError(exc.message) from exc
        size = path.stat().st_size
        self.stdout.write(f"备份完成：{path}（{human_size(size)}，{size} 字节）")
        self.stdout.write(f"说明文件：{backup.sidecar_path(path)}")
        warning = (backup.read_sidecar(path) or {}).get("audit_warning")
        if warning:
            # The copy is made, but cron must mail this: exit non-zero.
            raise CommandError(f"备份已完成，但{warning}")

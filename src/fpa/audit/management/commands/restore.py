"""manage.py restore: replace the database with a backup, after an explicit --yes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from fpa.audit import backup


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup`, replacing the current database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the backup file (.dump or .sqlite3)")
        parser.add_argument(
            "--yes", action="store_true", help="confirm: the current database is replaced"
        )
        parser.add_argument("--database", default="default", help="database alias to restore into")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        connection = connections[options["database"]]
        target = connection.settings_dict["NAME"]
        if not options["yes"]:
            # Irreversible, so it never happens by accident: the flag is the confirmation.
            raise CommandError(
                f"恢复会用 {path} 整个替换当前数据库 {target}，当前数据将全部丢失且无法撤销。"
                "确认无误后加 --yes 再运行（建议先用 manage.py backup 备份当前数据库）。"
            )
        meta = backup.read_sidecar(path) if path.is_file() else None
        if meta is None:
            self.stderr.write(
                f"注意：没有找到 {backup.sidecar_path(path).name}，无法校验文件和行数。"
            )
        else:
            self.stdout.write(
                f"备份：{meta['engine']} 数据库 {meta['database']}，{meta['created_at']}；"
                "SHA-256 校验后恢复。"
            )
        try:
            counts = backup.restore(path, connection=connection)
        except backup.CountMismatchError as exc:
            self._print_counts(exc.counts, exc.expected)
            raise CommandError(exc.message) from exc
        except backup.BackupError as exc:
            raise CommandError(exc.message) from exc
        expected = meta["row_counts"] if meta else None
        self._print_counts(counts, expected)
        if expected is None:
            self.stdout.write(f"已恢复到 {target}（未校验行数）。")
        else:
            self.stdout.write(f"已恢复到 {target}，各表行数与备份时一致。")
        self.stdout.write("如代码比备份新，请再运行 manage.py migrate。")

    def _print_counts(self, counts: dict[str, int], expected: dict[str, int] | None) -> None:
        self.stdout.write("各表行数（恢复后）：")
        width = max((len(table) for table in counts), default=0)
        for table in sorted(set(counts) | set(expected or {})):
            have = counts.get(table, "无此表")
            note = ""
            if expected is not None and expected.get(table) != counts.get(table):
                note = f"  ≠ 备份时 {expected.get(table, '无此表')}"
            self.stdout.write(f"  {table:{width}}  {have}{note}")

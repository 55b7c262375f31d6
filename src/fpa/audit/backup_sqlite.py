"""The SQLite copy of a backup and its restore, through SQLite's online backup API.

The API copies a live WAL database consistently: one read transaction for the whole copy, while
writers go on. The copy is left one self-contained file (rollback journal), and a restore refuses
a damaged file before the live database is touched.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

from .backup_facts import BackupError, audit_head, counts, migrations


def _file(conn: BaseDatabaseWrapper) -> Path:
    name = str(conn.settings_dict["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        raise BackupError("内存数据库无法备份或恢复")
    return Path(name)


def _timeout(conn: BaseDatabaseWrapper) -> float:
    return float(conn.settings_dict.get("OPTIONS", {}).get("timeout", 30))


def copy(conn: BaseDatabaseWrapper, output: Path) -> dict[str, Any]:
    """Copy the SQLite database to `output`; return the sidecar's facts, read from the copy."""
    source = _file(conn)
    if not source.is_file():
        raise BackupError(f"数据库文件 {source} 不存在")
    # A connection of our own, not Django's: it sees only committed data, and the backup API
    # holds one read transaction for the whole copy, so writers in WAL mode go on meanwhile.
    src = sqlite3.connect(source, timeout=_timeout(conn))
    try:
        dst = sqlite3.connect(output)
        try:
            src.backup(dst)
            # The copy inherits WAL mode; a rollback journal keeps it one self-contained file.
            dst.execute("PRAGMA journal_mode=DELETE")
            cursor = dst.cursor()
            existing = {
                row[0]
                for row in cursor.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            # Counted in the copy itself: exactly what the file holds, whatever happened since.
            facts = {
                "engine_version": sqlite3.sqlite_version,
                "migrations": migrations(cursor, existing),
                "row_counts": counts(cursor, existing),
                "audit_head": audit_head(cursor, existing),
            }
        finally:
            dst.close()
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite 备份失败：{exc}") from exc
    finally:
        src.close()
    return facts


def restore(conn: BaseDatabaseWrapper, path: Path) -> None:
    """Replace the SQLite database with the backup at `path` (already checked by the caller)."""
    target = _file(conn)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        src = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            # A damaged file is refused before the live database is touched.
            verdict = src.execute("PRAGMA quick_check").fetchone()[0]
            if verdict != "ok":
                raise BackupError(f"备份文件 {path.name} 已损坏（{verdict}）；数据库未改动")
            dst = sqlite3.connect(target, timeout=_timeout(conn))
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite 恢复失败：{exc}") from exc

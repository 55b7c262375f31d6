"""Backing up and restoring the whole database, with a JSON sidecar a restore checks itself by.

PostgreSQL goes through `pg_dump --format=custom` / `pg_restore`; SQLite through the online backup
API, which copies a live WAL database consistently. Next to every backup file lies `<file>.json`:
engine, database, time, migration state, row counts of the project's tables, the head of the
audit log (count, last id and hash) and the file's SHA-256. A restore refuses a file whose
checksum disagrees and reports counts or an audit head that differ. Each backup first writes an
audit checkpoint into the live database, so the head is anchored both in the database and in a
file that leaves the server.

Here: the file, its sidecar and the checks around the copy. The copies themselves are
`backup_sqlite` and `backup_pg`; what the sidecar records of the copy, `backup_facts`.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import django
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from . import backup_facts, backup_pg, backup_sqlite
from .backup_facts import BackupError as BackupError  # importable from here, as before
from .backup_facts import own_tables as own_tables  # importable from here, as before the split

SIDECAR_FORMAT = "fpa-backup/1"
SUFFIXES = {"postgresql": "dump", "sqlite": "sqlite3"}
# The first bytes of each kind of file: how a restore knows what it holds even without a sidecar.
MAGIC = {"postgresql": b"PGDMP", "sqlite": b"SQLite format 3\x00"}


class CountMismatchError(BackupError):
    """The restored database's row counts differ from those recorded at backup time."""

    def __init__(self, counts: dict[str, int], expected: dict[str, int]) -> None:
        missing = "无此表"
        differing = [
            f"{table}（恢复后 {counts.get(table, missing)}，备份时 {expected.get(table, missing)}）"
            for table in sorted(set(counts) | set(expected))
            if counts.get(table) != expected.get(table)
        ]
        super().__init__("恢复后的行数与备份时不一致：" + "；".join(differing))
        self.counts = counts
        self.expected = expected


def sidecar_path(path: Path) -> Path:
    """The JSON description that accompanies a backup file: `<file>.json`."""
    return path.with_name(path.name + ".json")


def read_sidecar(path: Path) -> dict[str, Any] | None:
    """The sidecar of a backup file, or None when there is none."""
    side = sidecar_path(path)
    if not side.exists():
        return None
    try:
        data = json.loads(side.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"说明文件 {side} 无法读取：{exc}") from exc
    if not isinstance(data, dict) or data.get("format") != SIDECAR_FORMAT:
        raise BackupError(f"说明文件 {side} 不是本平台的备份说明（格式不符）")
    return data


def sha256(path: Path) -> str:
    """The SHA-256 of a file, read in chunks so a large dump never sits in memory."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def engine_of(connection: BaseDatabaseWrapper | None = None) -> str:
    """The engine name used in file names: "postgresql" or "sqlite"; others are refused."""
    vendor = (connection or connections[DEFAULT_DB_ALIAS]).vendor
    if vendor not in SUFFIXES:
        raise BackupError(f"不支持备份 {vendor} 数据库，只支持 PostgreSQL 和 SQLite")
    return vendor


def backup(output: Path | None = None, *, connection: BaseDatabaseWrapper | None = None) -> Path:
    """Back up the whole database to one file plus its JSON sidecar; return the file's path.

    The file is written under a temporary name and renamed when complete, so a file with the
    final name is always whole; an existing file is never overwritten.
    """
    conn = connection or connections[DEFAULT_DB_ALIAS]
    engine = engine_of(conn)
    name = f"fpa-{engine}-{timezone.localtime():%Y%m%d-%H%M%S}.{SUFFIXES[engine]}"
    if output is None:
        output = Path(settings.VAR_DIR) / "backups" / name
    elif output.is_dir():
        output = output / name
    if output.exists() or sidecar_path(output).exists():
        raise BackupError(f"{output} 已存在，不覆盖已有备份")
    if not output.parent.exists():
        # Backups hold personal data: the folder is readable by its owner only.
        output.parent.mkdir(parents=True, mode=0o700)
    partial = output.with_name(output.name + ".partial")
    partial.unlink(missing_ok=True)
    warning = backup_facts.anchor_before_copy(conn)
    try:
        if engine == "postgresql":
            facts = backup_pg.copy(conn, partial)
        else:
            facts = backup_sqlite.copy(conn, partial)
        partial.chmod(0o600)
        meta = {
            "format": SIDECAR_FORMAT,
            "engine": engine,
            "database": str(conn.settings_dict["NAME"]),
            "created_at": timezone.localtime().isoformat(timespec="seconds"),
            "file": output.name,
            "size": partial.stat().st_size,
            "sha256": sha256(partial),
            "django": django.get_version(),
            **facts,
        }
        if warning:
            meta["audit_warning"] = warning
        partial.rename(output)
    finally:
        partial.unlink(missing_ok=True)
    side = sidecar_path(output)
    side.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    side.chmod(0o600)
    return output


def restore(path: Path, *, connection: BaseDatabaseWrapper | None = None) -> dict[str, int]:
    """Replace the configured database with a backup; return the restored row counts.

    Rule: nothing is touched until the file is known good (the right kind for this database
    and, when a sidecar is present, the recorded SHA-256); afterwards the row counts must match
    the sidecar's, or `CountMismatchError` says which tables differ.
    """
    if not path.is_file():
        raise BackupError(f"找不到备份文件 {path}")
    meta = read_sidecar(path)
    kind = _kind_of(path)
    conn = connection or connections[DEFAULT_DB_ALIAS]
    engine = engine_of(conn)
    if kind != engine:
        raise BackupError(
            f"{path.name} 是 {kind} 备份，当前数据库是 {engine}，无法恢复；数据库未改动"
        )
    if meta is not None:
        if meta.get("engine") != kind:
            raise BackupError(f"说明文件记录的数据库类型 {meta.get('engine')} 与备份文件不符")
        if sha256(path) != meta.get("sha256"):
            raise BackupError(
                f"备份文件校验失败：{path.name} 的 SHA-256 与说明文件记录的不一致，"
                "文件可能已损坏或被改动；数据库未作任何改动"
            )
    if conn.in_atomic_block:
        raise BackupError("不能在事务中恢复数据库")
    # Our own connection must not hold locks on the tables being replaced.
    conn.close()
    if engine == "postgresql":
        backup_pg.restore(conn, path)
    else:
        backup_sqlite.restore(conn, path)
    counts = row_counts(conn)
    if meta is not None and counts != meta.get("row_counts"):
        raise CountMismatchError(counts, dict(meta.get("row_counts") or {}))
    if meta is not None and isinstance(meta.get("audit_head"), dict):
        backup_facts.check_audit_head(conn, meta["audit_head"])
    return counts


def row_counts(connection: BaseDatabaseWrapper | None = None) -> dict[str, int]:
    """Rows per table of the project's apps, in the configured database."""
    conn = connection or connections[DEFAULT_DB_ALIAS]
    with conn.cursor() as cursor:
        existing = set(conn.introspection.table_names(cursor))
        return backup_facts.counts(cursor, existing)


def _kind_of(path: Path) -> str:
    with path.open("rb") as fh:
        head = fh.read(16)
    for kind, magic in MAGIC.items():
        if head.startswith(magic):
            return kind
    raise BackupError(f"{path.name} 不是可识别的备份文件（既非 pg_dump 自定义格式，也非 SQLite）")

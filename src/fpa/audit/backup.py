"""Backing up and restoring the whole database, with a JSON sidecar a restore checks itself by.

PostgreSQL goes through `pg_dump --format=custom` / `pg_restore`; SQLite through the online backup
API, which copies a live WAL database consistently. Next to every backup file lies `<file>.json`:
engine, database, time, migration state, row counts of the project's tables, the head of the
audit log (count, last id and hash) and the file's SHA-256. A restore refuses a file whose
checksum disagrees and reports counts or an audit head that differ. Each backup first writes an
audit checkpoint into the live database, so the head is anchored both in the database and in a
file that leaves the server.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import django
from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from fpa.core.errors import DomainError

from .anchor import CheckpointRefused, checkpoint, read_head

SIDECAR_FORMAT = "fpa-backup/1"
SUFFIXES = {"postgresql": "dump", "sqlite": "sqlite3"}
# The first bytes of each kind of file: how a restore knows what it holds even without a sidecar.
MAGIC = {"postgresql": b"PGDMP", "sqlite": b"SQLite format 3\x00"}
# Connection options dj-database-url puts in OPTIONS that the PostgreSQL tools read from the
# environment, so a production URL with ?sslmode=require reaches pg_dump as it reaches Django.
PG_OPTION_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
}


class BackupError(DomainError):
    """A backup or restore could not be made; the message says why, in Chinese."""


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


def own_tables() -> list[str]:
    """The tables of the project's own apps (fpa.*), many-to-many tables included."""
    tables = {
        model._meta.db_table
        for config in apps.get_app_configs()
        if config.name.startswith("fpa.")
        for model in config.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    return sorted(tables)


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
    warning = _anchor(conn)
    try:
        if engine == "postgresql":
            facts = _pg_backup(conn, partial)
        else:
            facts = _sqlite_backup(conn, partial)
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


def _anchor(conn: BaseDatabaseWrapper) -> str:
    """Write an audit checkpoint before the copy, so the backup holds it too; "" when done.

    A refusal (the log no longer matches its last checkpoint) does not stop the backup — that
    is exactly when a copy matters most — but is returned, kept in the sidecar and reported.
    """
    with conn.cursor() as cursor:
        if "audit_auditcheckpoint" not in conn.introspection.table_names(cursor):
            return ""
    try:
        checkpoint("backup", conn)
    except CheckpointRefused as exc:
        return exc.message
    return ""


def _audit_head(cursor: Any, existing: set[str]) -> dict[str, Any] | None:
    if "audit_logentry" not in existing:
        return None
    return read_head(cursor).as_dict() | {"at": timezone.localtime().isoformat(timespec="seconds")}


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
        _pg_restore(conn, path)
    else:
        _sqlite_restore(conn, path)
    counts = row_counts(conn)
    if meta is not None and counts != meta.get("row_counts"):
        raise CountMismatchError(counts, dict(meta.get("row_counts") or {}))
    if meta is not None and isinstance(meta.get("audit_head"), dict):
        _check_audit_head(conn, meta["audit_head"])
    return counts


def _check_audit_head(conn: BaseDatabaseWrapper, expected: dict[str, Any]) -> None:
    with conn.cursor() as cursor:
        head = read_head(cursor)
    recorded = (expected.get("count"), expected.get("last_id"), expected.get("last_hash"))
    if (head.count, head.last_id, head.last_hash) != recorded:
        raise BackupError(
            f"恢复后的审计日志与备份时记录的日志头不一致：现在共 {head.count} 条、最后一条是第 "
            f"{head.last_id} 条，备份时共 {recorded[0]} 条、最后一条是第 {recorded[1]} 条"
            "（哈希也须一致）；备份文件中的审计日志可能被改动"
        )


def row_counts(connection: BaseDatabaseWrapper | None = None) -> dict[str, int]:
    """Rows per table of the project's apps, in the configured database."""
    conn = connection or connections[DEFAULT_DB_ALIAS]
    with conn.cursor() as cursor:
        existing = set(conn.introspection.table_names(cursor))
        return _counts(cursor, existing)


def _counts(cursor: Any, existing: set[str]) -> dict[str, int]:
    # Raw SQL, not managers: scoped managers refuse to count without an actor, and a table of a
    # newer model may not exist in an older backup.
    counts = {}
    for table in own_tables():
        if table in existing:
            cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")
            counts[table] = int(cursor.fetchone()[0])
    return counts


def _migrations(cursor: Any, existing: set[str]) -> dict[str, str]:
    """The latest applied migration per app, read through the cursor given (so from the copy)."""
    table = MigrationRecorder.Migration._meta.db_table
    if table not in existing:
        return {}
    cursor.execute(f"SELECT app, name FROM {_quote(table)} ORDER BY applied, id")
    # Later rows overwrite earlier ones: what remains is each app's last applied migration.
    return dict(sorted(dict(cursor.fetchall()).items()))


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _kind_of(path: Path) -> str:
    with path.open("rb") as fh:
        head = fh.read(16)
    for kind, magic in MAGIC.items():
        if head.startswith(magic):
            return kind
    raise BackupError(f"{path.name} 不是可识别的备份文件（既非 pg_dump 自定义格式，也非 SQLite）")


# --- SQLite -------------------------------------------------------------------------------------


def _sqlite_file(conn: BaseDatabaseWrapper) -> Path:
    name = str(conn.settings_dict["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        raise BackupError("内存数据库无法备份或恢复")
    return Path(name)


def _sqlite_timeout(conn: BaseDatabaseWrapper) -> float:
    return float(conn.settings_dict.get("OPTIONS", {}).get("timeout", 30))


def _sqlite_backup(conn: BaseDatabaseWrapper, output: Path) -> dict[str, Any]:
    source = _sqlite_file(conn)
    if not source.is_file():
        raise BackupError(f"数据库文件 {source} 不存在")
    # A connection of our own, not Django's: it sees only committed data, and the backup API
    # holds one read transaction for the whole copy, so writers in WAL mode go on meanwhile.
    src = sqlite3.connect(source, timeout=_sqlite_timeout(conn))
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
                "migrations": _migrations(cursor, existing),
                "row_counts": _counts(cursor, existing),
                "audit_head": _audit_head(cursor, existing),
            }
        finally:
            dst.close()
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite 备份失败：{exc}") from exc
    finally:
        src.close()
    return facts


def _sqlite_restore(conn: BaseDatabaseWrapper, path: Path) -> None:
    target = _sqlite_file(conn)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        src = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            # A damaged file is refused before the live database is touched.
            verdict = src.execute("PRAGMA quick_check").fetchone()[0]
            if verdict != "ok":
                raise BackupError(f"备份文件 {path.name} 已损坏（{verdict}）；数据库未改动")
            dst = sqlite3.connect(target, timeout=_sqlite_timeout(conn))
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite 恢复失败：{exc}") from exc


# --- PostgreSQL ---------------------------------------------------------------------------------


def _pg_command(tool: str, conn: BaseDatabaseWrapper) -> tuple[list[str], dict[str, str]]:
    """The argv start and environment for a PostgreSQL client tool on the configured database."""
    executable = shutil.which(tool)
    if executable is None:
        raise BackupError(f"找不到 {tool}，请安装 PostgreSQL 客户端（与服务器同一主版本）")
    conf = conn.settings_dict
    argv = [executable, "--no-password"]
    if conf.get("HOST"):
        argv.append(f"--host={conf['HOST']}")
    if conf.get("PORT"):
        argv.append(f"--port={conf['PORT']}")
    if conf.get("USER"):
        argv.append(f"--username={conf['USER']}")
    env = dict(os.environ)
    if conf.get("PASSWORD"):
        # The password goes by environment, never on the command line where `ps` would show it.
        env["PGPASSWORD"] = str(conf["PASSWORD"])
    for option, variable in PG_OPTION_ENV.items():
        if conf.get("OPTIONS", {}).get(option):
            env[variable] = str(conf["OPTIONS"][option])
    return argv, env


def _run(argv: list[str], env: dict[str, str], tool: str) -> None:
    result = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        detail = result.stderr.strip()[-2000:] or f"退出码 {result.returncode}"
        raise BackupError(f"{tool} 失败：{detail}")


def _pg_backup(conn: BaseDatabaseWrapper, output: Path) -> dict[str, Any]:
    # A separate connection holds one REPEATABLE READ snapshot, exported to pg_dump: the counts
    # and migration state in the sidecar describe exactly the rows the dump holds, even while
    # the site and the worker go on writing.
    wrapper = conn.copy()
    try:
        wrapper.set_autocommit(False)
        with wrapper.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot, server_version = cursor.fetchone()
            existing = set(wrapper.introspection.table_names(cursor))
            facts = {
                "engine_version": server_version,
                "migrations": _migrations(cursor, existing),
                "row_counts": _counts(cursor, existing),
                "audit_head": _audit_head(cursor, existing),
            }
            argv, env = _pg_command("pg_dump", conn)
            argv += [
                "--format=custom",
                f"--snapshot={snapshot}",
                f"--file={output}",
                f"--dbname={wrapper.settings_dict['NAME']}",
            ]
            _run(argv, env, "pg_dump")
    finally:
        wrapper.close()
    return facts


def _pg_restore(conn: BaseDatabaseWrapper, path: Path) -> None:
    argv, env = _pg_command("pg_restore", conn)
    argv += [
        # Drop what the dump recreates, quietly when it is not there (a fresh database).
        "--clean",
        "--if-exists",
        # The restoring user owns everything: the dumped owner and grantees may not exist here.
        "--no-owner",
        "--no-privileges",
        # All or nothing: a failure half-way leaves the database as it was.
        "--single-transaction",
        "--exit-on-error",
        f"--dbname={conn.settings_dict['NAME']}",
        str(path),
    ]
    _run(argv, env, "pg_restore")

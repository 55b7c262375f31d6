"""What a backup records of its copy and what a restore checks: the facts in the sidecar.

They are read through a cursor on the copy itself (the SQLite file just written, or the snapshot
pg_dump exports), so they describe exactly the rows the file holds: the migration state, the row
counts of the project's tables and the head of the audit log. The head is also anchored in the
live database before each copy (`anchor_before_copy`), and a restored log must end where the
sidecar says (`check_audit_head`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.apps import apps
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from fpa.core.errors import DomainError

from .anchor import CheckpointRefused, checkpoint, read_head


class BackupError(DomainError):
    """A backup or restore could not be made; the message says why, in Chinese."""


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


def counts(cursor: Any, existing: set[str]) -> dict[str, int]:
    """Rows per table of the project's apps, read through the cursor given."""
    # Raw SQL, not managers: scoped managers refuse to count without an actor, and a table of a
    # newer model may not exist in an older backup.
    found = {}
    for table in own_tables():
        if table in existing:
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
            found[table] = int(cursor.fetchone()[0])
    return found


def migrations(cursor: Any, existing: set[str]) -> dict[str, str]:
    """The latest applied migration per app, read through the cursor given (so from the copy)."""
    table = MigrationRecorder.Migration._meta.db_table
    if table not in existing:
        return {}
    cursor.execute(f"SELECT app, name FROM {quote(table)} ORDER BY applied, id")
    # Later rows overwrite earlier ones: what remains is each app's last applied migration.
    return dict(sorted(dict(cursor.fetchall()).items()))


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def audit_head(cursor: Any, existing: set[str]) -> dict[str, Any] | None:
    """The audit log's head as the copy holds it, for the sidecar; None before the log exists."""
    if "audit_logentry" not in existing:
        return None
    return read_head(cursor).as_dict() | {"at": timezone.localtime().isoformat(timespec="seconds")}


def anchor_before_copy(conn: BaseDatabaseWrapper) -> str:
    """Write an audit checkpoint before the copy, so the backup holds it too; "" when done.

    A refusal (the log no longer matches its last checkpoint) does not stop the backup — that
    is exactly when a copy matters most — but is returned, kept in the sidecar and reported.
    """
    with conn.cursor() as cursor:
        if "audit_auditcheckpoint" not in conn.introspection.table_names(cursor):
            return ""
    try:
        with _short_wait(conn):
            checkpoint("backup", conn)
    except CheckpointRefused as exc:
        return exc.message
    return ""


#: how long a backup waits for a writer before it copies without a new checkpoint (seconds)
ANCHOR_WAIT = 2


@contextmanager
def _short_wait(conn: BaseDatabaseWrapper) -> Iterator[None]:
    """A backup does not wait out a long import for its checkpoint: on SQLite the connection's
    busy timeout is lowered for that one write (the copy itself never waits for writers)."""
    if conn.vendor != "sqlite":
        yield
        return
    configured = int(float(conn.settings_dict.get("OPTIONS", {}).get("timeout", 30)) * 1000)
    with conn.cursor() as cursor:
        cursor.execute(f"PRAGMA busy_timeout = {ANCHOR_WAIT * 1000}")
    try:
        yield
    finally:
        with conn.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {configured}")


def check_audit_head(conn: BaseDatabaseWrapper, expected: dict[str, Any]) -> None:
    """Refuse a restored log that does not end where the sidecar says it ended."""
    with conn.cursor() as cursor:
        head = read_head(cursor)
    recorded = (expected.get("count"), expected.get("last_id"), expected.get("last_hash"))
    if (head.count, head.last_id, head.last_hash) != recorded:
        raise BackupError(
            f"恢复后的审计日志与备份时记录的日志头不一致：现在共 {head.count} 条、最后一条是第 "
            f"{head.last_id} 条，备份时共 {recorded[0]} 条、最后一条是第 {recorded[1]} 条"
            "（哈希也须一致）；备份文件中的审计日志可能被改动"
        )

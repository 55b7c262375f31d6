"""The chain's head anchored outside the log: checkpoint rows and head files.

A hash chain proves that no entry was changed or removed *before* the last one; it cannot tell
that the newest entries were deleted, because a shorter chain is still a valid chain. So the head
(how many entries, the last one's id and hash) is written down elsewhere: in an
`AuditCheckpoint` row guarded by its own triggers, and in every backup's sidecar (a file that
leaves the server). `chain.verify` compares the log with these heads.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import DatabaseError, OperationalError, connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from fpa.core.errors import DomainError

from .models import AuditCheckpoint

HEAD_FORMAT = "fpa-audit-head/1"
SOURCES = {"backup": "备份时", "command": "定时检查点"}


class CheckpointRefused(DomainError):
    """The database refused a checkpoint: the log no longer matches the last one."""


@dataclass(frozen=True)
class Head:
    count: int
    last_id: int
    last_hash: str
    at: str = ""
    #: where this head was read from, for messages: "检查点（…）", "头文件 x.json"
    label: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": HEAD_FORMAT,
            "count": self.count,
            "last_id": self.last_id,
            "last_hash": self.last_hash,
            "at": self.at,
        }


def read_head(cursor: Any) -> Head:
    """The head of the log seen through any DB-API cursor (Django's, or sqlite3's on a copy).

    No parameters, so the placeholder style of the cursor does not matter.
    """
    cursor.execute("SELECT COUNT(*), COALESCE(MAX(id), 0) FROM audit_logentry")
    count, last_id = cursor.fetchone()
    cursor.execute("SELECT hash FROM audit_logentry ORDER BY id DESC LIMIT 1")
    row = cursor.fetchone()
    return Head(int(count), int(last_id), row[0] if row else "")


# One statement: the count, the last id and its hash come from the same snapshot, however many
# writers append meanwhile (an entry still uncommitted is simply after this checkpoint).
CHECKPOINT_SQL = """
    INSERT INTO audit_auditcheckpoint (at, "count", last_entry_id, last_hash, source)
    SELECT %s, COUNT(*), COALESCE(MAX(id), 0),
           COALESCE((SELECT hash FROM audit_logentry ORDER BY id DESC LIMIT 1), ''), %s
    FROM audit_logentry
    RETURNING "count", last_entry_id, last_hash
"""


def checkpoint(source: str, conn: BaseDatabaseWrapper = connection) -> Head:
    """Write the log's current head as a checkpoint row; return it.

    Raw SQL on the connection given, because a backup may run on a connection that is not one of
    Django's aliases. A refusal by the trigger (the log is shorter than, or differs from, the
    last checkpoint) raises `CheckpointRefused` and leaves any surrounding transaction usable.
    """
    now = timezone.now()
    savepoint = conn.savepoint() if conn.in_atomic_block else None
    try:
        with conn.cursor() as cursor:
            cursor.execute(CHECKPOINT_SQL, [conn.ops.adapt_datetimefield_value(now), source])
            count, last_id, last_hash = cursor.fetchone()
    except OperationalError as exc:
        if savepoint is not None:
            conn.savepoint_rollback(savepoint)
        if _busy(exc):
            # A writer holds the lock (a long import): nothing is wrong with the log.
            raise CheckpointRefused(
                "数据库正忙（有写入尚未完成），这次未能写入审计检查点（这与审计日志是否完整无关），"
                "稍后运行 manage.py audit_checkpoint 即可补上"
            ) from exc
        raise _refused(exc) from exc
    except DatabaseError as exc:
        if savepoint is not None:
            conn.savepoint_rollback(savepoint)
        raise _refused(exc) from exc
    if savepoint is not None:
        conn.savepoint_commit(savepoint)
    return Head(int(count), int(last_id), last_hash, now.isoformat(timespec="seconds"))


def _busy(exc: Exception) -> bool:
    """Whether the database refused for a lock held by another writer (SQLite's "database is
    locked", PostgreSQL's lock timeout), not for what the trigger checks."""
    text = str(exc).lower()
    return "locked" in text or "lock timeout" in text


def _refused(exc: Exception) -> CheckpointRefused:
    return CheckpointRefused(
        "数据库拒绝写入审计检查点：审计日志与上一个检查点不符（末尾的记录可能已被删除），"
        f"请立即运行 manage.py verify_audit 查明（{exc}）"
    )


def latest_checkpoint() -> Head | None:
    row = AuditCheckpoint.objects.order_by("-id").first()
    if row is None:
        return None
    at = timezone.localtime(row.at)
    label = f"{SOURCES.get(row.source, row.source)}写下的检查点（{at:%Y-%m-%d %H:%M:%S}）"
    return Head(row.count, row.last_entry_id, row.last_hash, at.isoformat(), label)


def write_head_file(head: Head, path: Path) -> None:
    """The head as a small JSON file, readable by its owner only (kept off the server)."""
    path.write_text(json.dumps(head.as_dict(), ensure_ascii=False, indent=2) + "\n", "utf-8")
    path.chmod(0o600)


def load_head_file(path: Path) -> Head:
    """A head from a head file, or from a backup's sidecar (its `audit_head`)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DomainError(f"无法读取头文件 {path}：{exc}") from exc
    if isinstance(data, dict) and isinstance(data.get("audit_head"), dict):
        data, label = data["audit_head"], f"备份说明文件 {path.name} 记录的日志头"
    else:
        label = f"头文件 {path.name}"
    try:
        if data["format"] != HEAD_FORMAT:
            raise ValueError(data["format"])
        head = Head(int(data["count"]), int(data["last_id"]), str(data["last_hash"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise DomainError(f"{path} 不是审计日志头文件，也不是含日志头的备份说明文件") from exc
    return Head(head.count, head.last_id, head.last_hash, str(data.get("at", "")), label)

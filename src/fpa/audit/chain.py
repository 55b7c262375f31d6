"""The hash chain over the audit log, and the database triggers that make it append-only."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper

from .models import LogEntry

# Any constant: the key of the PostgreSQL advisory lock that serializes chain appends.
CHAIN_LOCK = 4_300_001
FIELDS = [
    "at",
    "actor_id",
    "actor_org_id",
    "ip",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "changes",
    "rows",
    "prev_hash",
]

SQLITE_TRIGGERS = [
    """CREATE TRIGGER IF NOT EXISTS audit_logentry_no_update BEFORE UPDATE ON audit_logentry
       BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS audit_logentry_no_delete BEFORE DELETE ON audit_logentry
       BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END""",
]
POSTGRES_TRIGGERS = [
    """CREATE OR REPLACE FUNCTION audit_logentry_refuse() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit log is append-only'; END; $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS audit_logentry_append_only ON audit_logentry",
    """CREATE TRIGGER audit_logentry_append_only BEFORE UPDATE OR DELETE ON audit_logentry
       FOR EACH ROW EXECUTE FUNCTION audit_logentry_refuse()""",
]


def install_triggers(conn: BaseDatabaseWrapper = connection) -> None:
    statements = POSTGRES_TRIGGERS if conn.vendor == "postgresql" else SQLITE_TRIGGERS
    with conn.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def remove_triggers(conn: BaseDatabaseWrapper = connection) -> None:
    """Only for tearing down a test database (flush deletes every row)."""
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute("DROP TRIGGER IF EXISTS audit_logentry_append_only ON audit_logentry")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_logentry_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS audit_logentry_no_delete")


def digest(values: dict[str, Any]) -> str:
    canonical = json.dumps(
        {k: values[k] for k in FIELDS},
        sort_keys=True,
        ensure_ascii=False,
        default=str,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _values(entry: LogEntry) -> dict[str, Any]:
    values = {name: getattr(entry, name) for name in FIELDS}
    values["at"] = entry.at.isoformat(timespec="microseconds")
    return values


def append(entry: LogEntry) -> LogEntry:
    """Link the entry to the last one and save it, under a lock so the chain never forks.

    Called inside the service's transaction: the lock is held until that transaction commits,
    so the next writer reads this entry's hash. SQLite's IMMEDIATE transactions already serialize
    writers; PostgreSQL takes a transaction-level advisory lock.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
    last = LogEntry.unscoped_objects.order_by("-id").values_list("hash", flat=True).first()
    entry.prev_hash = last or ""
    # JSON round trip so the hash covers exactly what the database will return.
    entry.changes = json.loads(json.dumps(entry.changes, ensure_ascii=False, default=str))
    entry.rows = json.loads(json.dumps(entry.rows, ensure_ascii=False, default=str))
    entry.hash = digest(_values(entry))
    entry.save()
    return entry


@dataclass
class Verdict:
    checked: int
    broken_at: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify() -> Verdict:
    """Walk the chain in order; report the first entry whose link or content does not match."""
    previous = ""
    checked = 0
    for entry in LogEntry.unscoped_objects.order_by("id").iterator(chunk_size=2000):
        if entry.prev_hash != previous:
            return Verdict(checked, entry.pk, "与上一条的链接不符（有记录被删除或插入）")
        if digest(_values(entry)) != entry.hash:
            return Verdict(checked, entry.pk, "内容与哈希不符（记录被改动）")
        previous = entry.hash
        checked += 1
    return Verdict(checked)

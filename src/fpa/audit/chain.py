"""The hash chain over the audit log, and the database triggers that make it append-only."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper

from .models import LogEntry

if TYPE_CHECKING:
    from .anchor import Head

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

# The log's own triggers: no UPDATE, no DELETE (and on PostgreSQL no TRUNCATE, which row
# triggers do not see).
SQLITE_TRIGGERS = {
    "logentry": [
        """CREATE TRIGGER IF NOT EXISTS audit_logentry_no_update BEFORE UPDATE ON audit_logentry
           BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END""",
        """CREATE TRIGGER IF NOT EXISTS audit_logentry_no_delete BEFORE DELETE ON audit_logentry
           BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END""",
    ],
    # A checkpoint is never changed, and a new one must tell the truth about the log: its count
    # is the number of entries up to its last one, its hash that entry's, and it never goes
    # backwards — so a truncated log cannot be covered by a fresh, smaller checkpoint.
    "checkpoint": [
        """CREATE TRIGGER IF NOT EXISTS audit_checkpoint_no_update
           BEFORE UPDATE ON audit_auditcheckpoint
           BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END""",
        """CREATE TRIGGER IF NOT EXISTS audit_checkpoint_no_delete
           BEFORE DELETE ON audit_auditcheckpoint
           BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END""",
        """CREATE TRIGGER IF NOT EXISTS audit_checkpoint_true_head
           BEFORE INSERT ON audit_auditcheckpoint
           BEGIN
             SELECT RAISE(ABORT, 'audit checkpoint does not match the log')
             WHERE NEW."count" != (SELECT COUNT(*) FROM audit_logentry
                                   WHERE id <= NEW.last_entry_id)
                OR (NEW."count" > 0 AND NEW.last_hash IS NOT
                    (SELECT hash FROM audit_logentry WHERE id = NEW.last_entry_id))
                OR (NEW."count" = 0 AND (NEW.last_entry_id != 0 OR NEW.last_hash != ''));
             SELECT RAISE(ABORT, 'audit checkpoint goes backwards')
             WHERE EXISTS (SELECT 1 FROM audit_auditcheckpoint
                           WHERE "count" > NEW."count" OR last_entry_id > NEW.last_entry_id);
           END""",
    ],
}
POSTGRES_TRIGGERS = {
    "logentry": [
        """CREATE OR REPLACE FUNCTION audit_logentry_refuse() RETURNS trigger AS $$
           BEGIN RAISE EXCEPTION 'audit log is append-only'; END; $$ LANGUAGE plpgsql""",
        "DROP TRIGGER IF EXISTS audit_logentry_append_only ON audit_logentry",
        """CREATE TRIGGER audit_logentry_append_only BEFORE UPDATE OR DELETE ON audit_logentry
           FOR EACH ROW EXECUTE FUNCTION audit_logentry_refuse()""",
        "DROP TRIGGER IF EXISTS audit_logentry_no_truncate ON audit_logentry",
        """CREATE TRIGGER audit_logentry_no_truncate BEFORE TRUNCATE ON audit_logentry
           FOR EACH STATEMENT EXECUTE FUNCTION audit_logentry_refuse()""",
    ],
    "checkpoint": [
        """CREATE OR REPLACE FUNCTION audit_checkpoint_refuse() RETURNS trigger AS $$
           BEGIN RAISE EXCEPTION 'audit checkpoints are append-only'; END; $$ LANGUAGE plpgsql""",
        """CREATE OR REPLACE FUNCTION audit_checkpoint_check() RETURNS trigger AS $$
           BEGIN
             IF NEW."count" <> (SELECT COUNT(*) FROM audit_logentry
                                WHERE id <= NEW.last_entry_id)
                OR (NEW."count" > 0 AND NEW.last_hash IS DISTINCT FROM
                    (SELECT hash FROM audit_logentry WHERE id = NEW.last_entry_id))
                OR (NEW."count" = 0 AND (NEW.last_entry_id <> 0 OR NEW.last_hash <> ''))
             THEN
               RAISE EXCEPTION 'audit checkpoint does not match the log';
             END IF;
             IF EXISTS (SELECT 1 FROM audit_auditcheckpoint
                        WHERE "count" > NEW."count" OR last_entry_id > NEW.last_entry_id) THEN
               RAISE EXCEPTION 'audit checkpoint goes backwards';
             END IF;
             RETURN NEW;
           END; $$ LANGUAGE plpgsql""",
        "DROP TRIGGER IF EXISTS audit_checkpoint_append_only ON audit_auditcheckpoint",
        """CREATE TRIGGER audit_checkpoint_append_only
           BEFORE UPDATE OR DELETE ON audit_auditcheckpoint
           FOR EACH ROW EXECUTE FUNCTION audit_checkpoint_refuse()""",
        "DROP TRIGGER IF EXISTS audit_checkpoint_no_truncate ON audit_auditcheckpoint",
        """CREATE TRIGGER audit_checkpoint_no_truncate BEFORE TRUNCATE ON audit_auditcheckpoint
           FOR EACH STATEMENT EXECUTE FUNCTION audit_checkpoint_refuse()""",
        "DROP TRIGGER IF EXISTS audit_checkpoint_true_head ON audit_auditcheckpoint",
        """CREATE TRIGGER audit_checkpoint_true_head BEFORE INSERT ON audit_auditcheckpoint
           FOR EACH ROW EXECUTE FUNCTION audit_checkpoint_check()""",
    ],
}
DROP_SQLITE = {
    "logentry": ["audit_logentry_no_update", "audit_logentry_no_delete"],
    "checkpoint": [
        "audit_checkpoint_no_update",
        "audit_checkpoint_no_delete",
        "audit_checkpoint_true_head",
    ],
}
DROP_POSTGRES = {
    "logentry": [
        "audit_logentry_append_only ON audit_logentry",
        "audit_logentry_no_truncate ON audit_logentry",
    ],
    "checkpoint": [
        "audit_checkpoint_append_only ON audit_auditcheckpoint",
        "audit_checkpoint_no_truncate ON audit_auditcheckpoint",
        "audit_checkpoint_true_head ON audit_auditcheckpoint",
    ],
}
TABLES = ("logentry", "checkpoint")


def install_triggers(
    conn: BaseDatabaseWrapper = connection, tables: tuple[str, ...] = TABLES
) -> None:
    """Install the append-only triggers of the given tables (a migration names the ones that
    exist at its point; everything else installs all)."""
    statements = POSTGRES_TRIGGERS if conn.vendor == "postgresql" else SQLITE_TRIGGERS
    with conn.cursor() as cursor:
        for table in tables:
            for sql in statements[table]:
                cursor.execute(sql)


def remove_triggers(
    conn: BaseDatabaseWrapper = connection, tables: tuple[str, ...] = TABLES
) -> None:
    """Only for tearing down a test database (flush deletes every row)."""
    with conn.cursor() as cursor:
        for table in tables:
            if conn.vendor == "postgresql":
                for target in DROP_POSTGRES[table]:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {target}")
            else:
                for name in DROP_SQLITE[table]:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


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
    #: the break is a missing tail (a head recorded elsewhere is no longer in the log)
    truncated: bool = False

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify(anchors: Sequence[Head] = ()) -> Verdict:
    """Walk the chain in order; report the first entry whose link or content does not match,
    then whether every anchored head (checkpoint, backup) is still where it was."""
    expected = {a.last_id: a for a in anchors if a.count > 0}
    previous = ""
    checked = 0
    last_id = 0
    # per anchor: how many entries there are up to its last id, and the last of them
    seen: dict[int, tuple[int, int]] = {}
    for entry in LogEntry.unscoped_objects.order_by("id").iterator(chunk_size=2000):
        if entry.prev_hash != previous:
            return Verdict(checked, entry.pk, "与上一条的链接不符（有记录被删除或插入）")
        if digest(_values(entry)) != entry.hash:
            return Verdict(checked, entry.pk, "内容与哈希不符（记录被改动）")
        previous = entry.hash
        checked += 1
        last_id = entry.pk
        for anchor_id in expected:
            if entry.pk <= anchor_id:
                seen[anchor_id] = (checked, entry.pk)
        anchor = expected.get(entry.pk)
        if anchor is not None and entry.hash != anchor.last_hash:
            return Verdict(
                checked,
                entry.pk,
                f"第 {entry.pk} 条的哈希与{anchor.label}记录的不符（这一条被替换过）",
            )
        if anchor is not None and checked != anchor.count:
            return Verdict(
                checked,
                entry.pk,
                f"至第 {entry.pk} 条共有 {checked} 条，{anchor.label}记录为 {anchor.count} 条"
                "（有记录被删除或插入）",
            )
    for anchor in expected.values():
        if anchor.last_id in seen and seen[anchor.last_id][1] == anchor.last_id:
            continue
        surviving, survivor = seen.get(anchor.last_id, (0, 0))
        after = f"第 {survivor} 条之后" if survivor else "从第一条起"
        return Verdict(
            checked,
            anchor.last_id,
            f"审计日志末尾被截断：{anchor.label}记录日志共 {anchor.count} 条、最后一条是第 "
            f"{anchor.last_id} 条，现在这一条已不在日志中；至第 {anchor.last_id} 条为止只剩 "
            f"{surviving} 条，缺少 {anchor.count - surviving} 条（{after}的记录被删除）。"
            f"现存日志共 {checked} 条，最后一条是第 {last_id} 条。",
            truncated=True,
        )
    return Verdict(checked)

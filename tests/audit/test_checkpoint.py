"""The chain's head anchored outside the log: a deleted tail no longer passes verify_audit."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from fpa.audit import chain
from fpa.audit.models import AppendOnlyError, AuditCheckpoint, LogEntry
from fpa.audit.services import record
from fpa.kernel.scope import Actor


@pytest.fixture
def actor(tree) -> Actor:
    return Actor.system(tree["430000000000"])


@pytest.fixture
def anchored(actor, tree) -> list[LogEntry]:
    """Five entries after the loader's, then a checkpoint over all of them."""
    for i in range(5):
        record(actor, "fpa.test.done", tree["430121000000"], {"n": i})
    call_command("audit_checkpoint")
    return list(LogEntry.unscoped_objects.order_by("id"))


def _delete_newest(n: int) -> list[int]:
    """What an intruder with the triggers dropped does: delete the newest n entries."""
    chain.remove_triggers(connection, ("logentry",))
    ids = list(LogEntry.unscoped_objects.order_by("-id").values_list("id", flat=True)[:n])
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM audit_logentry WHERE id IN ({','.join(map(str, ids))})")
    return ids


def _verify(*args: str) -> str:
    out = StringIO()
    call_command("verify_audit", *args, stdout=out)
    return out.getvalue()


def test_an_untouched_chain_agrees_with_its_checkpoint(anchored, actor):
    record(actor, "fpa.test.after", None, {})  # entries after the checkpoint are fine
    out = _verify()
    assert "哈希链连续" in out and "一致" in out
    latest = AuditCheckpoint.objects.get()
    assert latest.count == len(anchored) and latest.last_entry_id == anchored[-1].pk
    assert latest.last_hash == anchored[-1].hash and latest.source == "command"


def test_deleting_the_newest_entries_is_reported_as_a_truncated_tail(anchored):
    ids = _delete_newest(3)
    # The chain alone cannot tell: what is left is still a valid chain.
    assert chain.verify().ok
    with pytest.raises(CommandError) as failure:
        _verify()
    message = str(failure.value)
    assert "末尾被截断" in message and "缺少 3 条" in message
    assert f"最后一条是第 {max(ids)} 条" in message and f"第 {min(ids) - 1} 条之后" in message
    assert f"共 {len(anchored)} 条" in message


def test_a_cut_tail_is_found_even_after_new_entries_follow_it(anchored, actor):
    _delete_newest(2)
    chain.install_triggers(connection)
    # The site goes on writing: the new entries link to the last survivor, the chain is valid.
    record(actor, "fpa.test.after", None, {})
    record(actor, "fpa.test.after", None, {})
    assert chain.verify().ok
    with pytest.raises(CommandError, match="末尾被截断.*缺少 2 条"):
        _verify()


def test_an_empty_log_with_no_checkpoint_passes_with_a_note(db):
    out = _verify()
    assert "共 0 条" in out and "还没有审计检查点" in out


def test_the_orm_refuses_to_change_or_delete_a_checkpoint(anchored):
    row = AuditCheckpoint.objects.get()
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        AuditCheckpoint.objects.update(count=1)
    with pytest.raises(AppendOnlyError):
        AuditCheckpoint.objects.all().delete()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditcheckpoint SET count = 1",
        "DELETE FROM audit_auditcheckpoint",
        # a head that is not in the log
        "INSERT INTO audit_auditcheckpoint (at, count, last_entry_id, last_hash, source)"
        " SELECT at, count, last_entry_id, 'forged', 'x' FROM audit_auditcheckpoint",
        # a count the log does not have
        "INSERT INTO audit_auditcheckpoint (at, count, last_entry_id, last_hash, source)"
        " SELECT at, count + 1, last_entry_id, last_hash, 'x' FROM audit_auditcheckpoint",
        # an older, true head: a checkpoint never goes backwards
        "INSERT INTO audit_auditcheckpoint (at, count, last_entry_id, last_hash, source)"
        " SELECT c.at, 1, e.id, e.hash, 'x' FROM audit_auditcheckpoint c, audit_logentry e"
        " WHERE e.id = (SELECT MIN(id) FROM audit_logentry)",
    ],
    ids=["update", "delete", "wrong-hash", "wrong-count", "backwards"],
)
def test_the_database_refuses_a_forged_checkpoint(anchored, sql):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    row = AuditCheckpoint.objects.get()
    assert (row.count, row.last_entry_id) == (len(anchored), anchored[-1].pk)


def test_a_truncated_log_cannot_be_covered_by_a_new_checkpoint(anchored):
    _delete_newest(2)
    with pytest.raises(CommandError, match="拒绝写入审计检查点"):
        call_command("audit_checkpoint")
    assert AuditCheckpoint.objects.count() == 1


def test_a_head_file_finds_the_tail_when_the_checkpoints_are_gone_too(anchored, tmp_path):
    head = tmp_path / "head.json"
    call_command("audit_checkpoint", "--head-file", str(head))
    saved = json.loads(head.read_text(encoding="utf-8"))
    assert saved["count"] == len(anchored) and saved["last_hash"] == anchored[-1].hash
    assert head.stat().st_mode & 0o077 == 0
    # An intruder who drops every trigger removes the checkpoints as well …
    chain.remove_triggers(connection)
    _delete_newest(1)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditcheckpoint")
    assert "还没有审计检查点" in _verify()
    # … but not the head file kept off the server.
    with pytest.raises(CommandError, match=f"头文件 head.json.*第 {anchored[-1].pk} 条"):
        _verify("--head", str(head))


def test_a_replaced_entry_at_the_head_is_named(anchored):
    chain.remove_triggers(connection, ("logentry",))
    last = anchored[-1]
    # Rewritten with a fresh, self-consistent hash: the chain holds, the anchor does not.
    LogEntry.unscoped_objects.filter(pk=last.pk)._raw_delete(connection.alias)
    forged = LogEntry(
        pk=last.pk,
        at=last.at,
        action="fpa.test.forged",
        prev_hash=last.prev_hash,
        changes={},
        rows=[],
    )
    forged.hash = chain.digest(chain._values(forged))
    LogEntry.unscoped_objects.bulk_create([forged])
    assert chain.verify().ok
    with pytest.raises(CommandError, match=f"第 {last.pk} 条的哈希与.*不符"):
        _verify()


def test_a_file_that_is_no_head_is_refused(db, tmp_path):
    path = tmp_path / "notes.json"
    path.write_text('{"hello": 1}', encoding="utf-8")
    with pytest.raises(CommandError, match="不是审计日志头文件"):
        _verify("--head", str(path))

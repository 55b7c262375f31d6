from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from fpa.audit import chain
from fpa.audit.models import AppendOnlyError, LogEntry
from fpa.audit.services import record
from fpa.kernel.scope import Actor


@pytest.fixture
def entries(tree):
    actor = Actor.system(tree["430000000000"])
    for i in range(3):
        record(actor, "fpa.test.done", tree["430121000000"], {"n": [i, i + 1]})
    return LogEntry.unscoped_objects.order_by("id")


def test_orm_refuses_to_change_or_delete_an_entry(entries):
    entry = entries.first()
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        LogEntry.unscoped_objects.filter(pk=entry.pk).update(action="x")


@pytest.mark.parametrize(
    "sql", ["UPDATE audit_logentry SET action = 'x'", "DELETE FROM audit_logentry"]
)
def test_database_refuses_raw_update_and_delete(entries, sql):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert LogEntry.unscoped_objects.filter(action="fpa.test.done").count() == 3


def test_chain_verifies_and_detects_a_tampered_row(entries, capsys):
    call_command("verify_audit")
    assert "哈希链连续" in capsys.readouterr().out
    victim = entries[2]
    chain.remove_triggers(connection)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_logentry SET object_repr = 'forged' WHERE id = %s", [victim.pk]
        )
    verdict = chain.verify()
    assert verdict.broken_at == victim.pk and "改动" in verdict.reason
    with pytest.raises(CommandError, match=f"第 {victim.pk} 条"):
        call_command("verify_audit")


def test_chain_detects_a_deleted_row(entries):
    victim = entries[1]
    chain.remove_triggers(connection)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_logentry WHERE id = %s", [victim.pk])
    verdict = chain.verify()
    assert verdict.broken_at == entries[1].pk and "删除" in verdict.reason


def test_secrets_are_dropped_and_id_numbers_masked(tree):
    entry = record(
        Actor.system(tree["430000000000"]),
        "fpa.test.person",
        None,
        {"password": ["a", "b"], "id_number": [None, "430102199001011234"], "phone": "13812345678"},
        rows=[{"row": 2, "id_number": "430102199001011234"}],
    )
    text = str(entry.changes) + str(entry.rows)
    assert "430102199001011234" not in text and "13812345678" not in text
    assert entry.changes["password"] == "***"
    assert entry.changes["id_number"] == [None, "430102********1234"]
    assert entry.rows == [{"row": 2, "id_number": "430102********1234"}]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_do_not_fork_the_chain(tree):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (concurrent connections)")
    import threading

    from django.db import connections

    actor = Actor.system(tree["430000000000"])
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for i in range(15):
                with transaction.atomic():
                    record(actor, "fpa.test.concurrent", None, {"writer": n, "i": i})
        except BaseException as exc:  # reported below; a thread's exception is otherwise lost
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert LogEntry.unscoped_objects.filter(action="fpa.test.concurrent").count() == 60
    hashes = list(LogEntry.unscoped_objects.values_list("prev_hash", flat=True))
    assert len(hashes) == len(set(hashes))  # no two entries claim the same predecessor
    assert chain.verify().ok


def test_revealing_a_full_number_is_itself_audited(users, tree):
    from fpa.audit.services import record_reveal

    entry = record_reveal(Actor.for_user(users["county"]), users["village"], "phone")
    assert entry.action == "fpa.pii.revealed" and entry.changes == {"field": "phone"}
    assert entry.actor == users["county"] and entry.object_id == str(users["village"].pk)

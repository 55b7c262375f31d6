"""manage.py backup / restore: real round trips on SQLite files and on fresh PostgreSQL databases.

pytest-django keeps the SQLite test database in memory, so the SQLite tests copy it (tree, users
and audit entries) into a real WAL file and reach that through a connection of their own. On
PostgreSQL the test database itself is backed up — committed, hence `transaction=True` — and
restored into a freshly created database that is dropped afterwards. The commands run as real
`manage.py` processes pointed at those databases by DATABASE_URL.
"""

from __future__ import annotations

import copy
import json
import os
import re
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.recorder import MigrationRecorder
from django.db.utils import load_backend

from fpa.audit import backup, chain
from fpa.audit.services import record
from fpa.kernel.scope import Actor
from tests.factories import MINI_TABLE

# Committed data: pg_dump and the SQLite copy cannot see a test's open transaction.
pytestmark = pytest.mark.django_db(transaction=True)

only_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite pass only")
only_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
ROOT_SQL = "SELECT name FROM orgs_org WHERE code = '430000000000'"


def _wrapper(name: str, alias: str) -> BaseDatabaseWrapper:
    """A connection to another database with the default's settings: no alias to register."""
    conf = copy.deepcopy(connection.settings_dict)
    conf["NAME"] = name
    return load_backend(conf["ENGINE"]).DatabaseWrapper(conf, alias)


def _admin() -> psycopg.Connection:
    """A connection to the server's maintenance database, to create and drop databases."""
    conf = connection.settings_dict
    return psycopg.connect(
        host=conf["HOST"] or None,
        port=conf["PORT"] or None,
        user=conf["USER"] or None,
        password=conf["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )


def _url(conn: BaseDatabaseWrapper) -> str:
    conf = conn.settings_dict
    if conn.vendor == "sqlite":
        return f"sqlite:///{conf['NAME']}"
    password = f":{conf['PASSWORD']}" if conf["PASSWORD"] else ""
    return f"postgres://{conf['USER']}{password}@{conf['HOST']}:{conf['PORT']}/{conf['NAME']}"


@pytest.fixture
def live(users: dict[str, Any], tmp_path: Path) -> Iterator[BaseDatabaseWrapper]:
    """A database holding the standing tree, users and a few audit entries, all committed."""
    root = users["province"].org
    for action in ("fpa.test.backup.first", "fpa.test.backup.second"):
        record(Actor.system(root), action, root, {"note": "备份测试"})
    if connection.vendor == "postgresql":
        yield connection
        return
    path = tmp_path / "live.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as dst:
        connection.connection.backup(dst)
    conn = _wrapper(str(path), "backup_live")
    # Through Django, so the production pragmas apply: the file is a live WAL database.
    assert _select(conn, "PRAGMA journal_mode") == [("wal",)]
    yield conn
    conn.close()


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[BaseDatabaseWrapper]:
    """A new, empty database to restore into, named unlike the source."""
    if connection.vendor == "sqlite":
        conn = _wrapper(str(tmp_path / "restored" / "fresh.sqlite3"), "backup_fresh")
        yield conn
        conn.close()
        return
    name = f"test_restore_{uuid.uuid4().hex[:12]}"
    with _admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    conn = _wrapper(name, "backup_fresh")
    try:
        yield conn
    finally:
        conn.close()
        with _admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _select(conn: BaseDatabaseWrapper, sql: str) -> list[tuple[Any, ...]]:
    with conn.cursor() as cursor:
        cursor.execute(sql)
        return [tuple(row) for row in cursor.fetchall()]


def _snapshot(conn: BaseDatabaseWrapper) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (sequences too), to compare two databases."""
    with conn.cursor() as cursor:
        tables = conn.introspection.table_names(cursor)
    state = {table: sorted(_select(conn, f'SELECT * FROM "{table}"'), key=repr) for table in tables}
    if conn.vendor == "sqlite":
        state["sqlite_sequence"] = sorted(_select(conn, "SELECT * FROM sqlite_sequence"))
    else:
        state["pg_sequences"] = _select(
            conn, "SELECT sequencename, last_value FROM pg_sequences ORDER BY sequencename"
        )
    return state


def _round_trip(live: BaseDatabaseWrapper, fresh: BaseDatabaseWrapper, tmp_path: Path) -> None:
    path = backup.backup(tmp_path / "out" / "nightly.bak", connection=live)
    counts = backup.restore(path, connection=fresh)
    assert counts == backup.read_sidecar(path)["row_counts"]
    assert counts["orgs_org"] == len(MINI_TABLE)
    assert _snapshot(fresh) == _snapshot(live)
    org_sql = "SELECT id, path, code, name, parent_id FROM orgs_org ORDER BY id"
    log_sql = (
        "SELECT id, action, object_type, object_id, actor_org_id FROM audit_logentry ORDER BY id"
    )
    orgs, logs = _select(fresh, org_sql), _select(fresh, log_sql)
    assert len(orgs) == len(MINI_TABLE) and orgs == _select(live, org_sql)
    actions = [row[1] for row in logs]
    assert "fpa.org.divisions.loaded" in actions and "fpa.test.backup.second" in actions
    assert logs == _select(live, log_sql)


@only_sqlite
def test_sqlite_round_trip_restores_every_row_into_a_fresh_file(
    live: BaseDatabaseWrapper, fresh: BaseDatabaseWrapper, tmp_path: Path
) -> None:
    _round_trip(live, fresh, tmp_path)


@pytest.mark.postgres
@only_postgres
def test_postgres_round_trip_restores_every_row_into_a_fresh_database(
    live: BaseDatabaseWrapper, fresh: BaseDatabaseWrapper, tmp_path: Path
) -> None:
    assert fresh.settings_dict["NAME"] != live.settings_dict["NAME"]
    _round_trip(live, fresh, tmp_path)


def _manage(*args: str, database: BaseDatabaseWrapper) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": _url(database), "FPA_VAR_DIR": str(settings.VAR_DIR)}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_commands_back_up_and_restore(
    live: BaseDatabaseWrapper, fresh: BaseDatabaseWrapper, tmp_path: Path
) -> None:
    # A folder that does not exist yet, said to be one by the trailing slash.
    done = _manage("backup", "--output", f"{tmp_path / 'nightly'}/", database=live)
    assert done.returncode == 0, done.stderr
    (out,) = (p for p in (tmp_path / "nightly").iterdir() if p.suffix != ".json")
    assert out.name.startswith(f"fpa-{live.vendor}-")
    assert str(out) in done.stdout and f"{out.stat().st_size} 字节" in done.stdout
    assert backup.sidecar_path(out).is_file()

    done = _manage("restore", str(out), "--yes", database=fresh)
    assert done.returncode == 0, done.stderr
    assert "各表行数与备份时一致" in done.stdout
    assert re.search(rf"^  orgs_org +{len(MINI_TABLE)}$", done.stdout, re.MULTILINE)
    assert _snapshot(fresh) == _snapshot(live)
    # the restored audit log is still one unbroken, verifiable chain
    verified = _manage("verify_audit", database=fresh)
    assert verified.returncode == 0 and "哈希链连续" in verified.stdout, verified.stderr


def test_restore_without_yes_refuses_and_changes_nothing(
    live: BaseDatabaseWrapper, tmp_path: Path
) -> None:
    path = backup.backup(tmp_path / "before.bak", connection=live)
    # A change after the backup: a restore would undo it.
    with live.cursor() as cursor:
        cursor.execute("UPDATE orgs_org SET name = 'after backup' WHERE code = '430000000000'")
    before = _snapshot(live)
    live.close()
    done = _manage("restore", str(path), database=live)
    assert done.returncode != 0
    assert "--yes" in done.stderr and "无法撤销" in done.stderr
    assert _snapshot(live) == before
    assert _select(live, ROOT_SQL) == [("after backup",)]


def test_corrupted_backup_is_refused_before_anything_changes(
    live: BaseDatabaseWrapper, tmp_path: Path
) -> None:
    path = backup.backup(tmp_path / "before.bak", connection=live)
    with live.cursor() as cursor:
        cursor.execute("UPDATE orgs_org SET name = 'after backup' WHERE code = '430000000000'")
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    before = _snapshot(live)
    live.close()
    done = _manage("restore", str(path), "--yes", database=live)
    assert done.returncode != 0
    assert "SHA-256" in done.stderr and "数据库未作任何改动" in done.stderr
    with pytest.raises(backup.BackupError, match="校验失败"):
        backup.restore(path, connection=live)
    assert _snapshot(live) == before


def test_row_count_mismatch_exits_non_zero(
    live: BaseDatabaseWrapper, fresh: BaseDatabaseWrapper, tmp_path: Path
) -> None:
    path = backup.backup(tmp_path / "edited.bak", connection=live)
    side = backup.sidecar_path(path)
    meta = json.loads(side.read_text(encoding="utf-8"))
    meta["row_counts"]["orgs_org"] += 1
    side.write_text(json.dumps(meta), encoding="utf-8")
    done = _manage("restore", str(path), "--yes", database=fresh)
    assert done.returncode != 0
    assert "orgs_org（恢复后 15，备份时 16）" in done.stderr
    assert "≠ 备份时 16" in done.stdout


def test_sidecar_describes_the_backup(live: BaseDatabaseWrapper, tmp_path: Path) -> None:
    path = backup.backup(tmp_path / "described.bak", connection=live)
    meta = json.loads(backup.sidecar_path(path).read_text(encoding="utf-8"))
    assert meta["engine"] == live.vendor and meta["database"] == live.settings_dict["NAME"]
    assert meta["sha256"] == backup.sha256(path) and meta["size"] == path.stat().st_size
    applied = _select(live, f"SELECT app, name FROM {MigrationRecorder.Migration._meta.db_table}")
    for app in ("orgs", "audit", "accounts"):
        assert meta["migrations"][app] == max(name for label, name in applied if label == app)
    assert meta["row_counts"] == backup.row_counts(live)
    assert meta["row_counts"]["orgs_org"] == len(MINI_TABLE)
    assert meta["row_counts"]["audit_logentry"] >= 3  # the loader's entry and the fixture's two
    assert set(meta["row_counts"]) <= set(backup.own_tables())
    assert path.stat().st_mode & 0o077 == 0, "backups hold personal data: owner only"
    # The audit head as the copy holds it, also anchored by a checkpoint in the live database.
    (count, last_id, last_hash), *_ = _select(
        live,
        "SELECT COUNT(*), MAX(id), (SELECT hash FROM audit_logentry ORDER BY id DESC LIMIT 1)"
        " FROM audit_logentry",
    )
    head = meta["audit_head"]
    assert (head["count"], head["last_id"], head["last_hash"]) == (count, last_id, last_hash)
    checkpoints = _select(
        live, "SELECT count, last_entry_id, last_hash, source FROM audit_auditcheckpoint"
    )
    assert checkpoints == [(count, last_id, last_hash, "backup")]
    assert "audit_warning" not in meta


def test_default_output_goes_to_var_backups(live: BaseDatabaseWrapper) -> None:
    path = backup.backup(connection=live)
    suffix = {"postgresql": ".dump", "sqlite": ".sqlite3"}[live.vendor]
    assert path.parent == Path(settings.VAR_DIR) / "backups"
    assert path.name.startswith(f"fpa-{live.vendor}-") and path.suffix == suffix
    with pytest.raises(backup.BackupError, match="不覆盖"):
        backup.backup(path, connection=live)


def test_a_file_that_is_no_backup_is_refused(live: BaseDatabaseWrapper, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("不是备份", encoding="utf-8")
    with pytest.raises(backup.BackupError, match="不是可识别的备份文件"):
        backup.restore(path, connection=live)
    with pytest.raises(backup.BackupError, match="找不到备份文件"):
        backup.restore(tmp_path / "missing.dump", connection=live)


@only_sqlite
def test_sqlite_backup_copies_a_live_database_without_waiting_for_writers(
    live: BaseDatabaseWrapper, tmp_path: Path
) -> None:
    writer = sqlite3.connect(live.settings_dict["NAME"], isolation_level=None)
    try:
        writer.execute("CREATE TABLE scratch (note TEXT)")
        # A writer in the middle of its transaction: WAL lets the copy go on, without its row.
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("INSERT INTO scratch VALUES ('uncommitted')")
        path = backup.backup(tmp_path / "live.bak", connection=live)
        writer.execute("COMMIT")
    finally:
        writer.close()
    copied = sqlite3.connect(path)
    try:
        assert copied.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert copied.execute("SELECT COUNT(*) FROM scratch").fetchone()[0] == 0
    finally:
        copied.close()
    side = backup.read_sidecar(path)
    assert side["row_counts"] == backup.row_counts(live)
    # the checkpoint could not wait for the writer: said so, not taken for a tampered log
    assert "数据库正忙" in side["audit_warning"] and "被删除" not in side["audit_warning"]


def test_restore_refuses_an_audit_log_whose_head_differs_from_the_sidecar(
    live: BaseDatabaseWrapper, fresh: BaseDatabaseWrapper, tmp_path: Path
) -> None:
    path = backup.backup(tmp_path / "edited.bak", connection=live)
    side = backup.sidecar_path(path)
    meta = json.loads(side.read_text(encoding="utf-8"))
    meta["audit_head"]["last_hash"] = "0" * 64
    side.write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(backup.BackupError, match="审计日志与备份时记录的日志头不一致"):
        backup.restore(path, connection=fresh)


def test_a_backup_sidecar_finds_a_deleted_tail_of_the_live_log(
    live: BaseDatabaseWrapper, tmp_path: Path
) -> None:
    path = backup.backup(tmp_path / "nightly.bak", connection=live)
    # Every trigger dropped: the newest entry and the checkpoints go.
    chain.remove_triggers(live)
    with live.cursor() as cursor:
        cursor.execute("DELETE FROM audit_logentry WHERE id = (SELECT MAX(id) FROM audit_logentry)")
        cursor.execute("DELETE FROM audit_auditcheckpoint")
    chain.install_triggers(live)
    live.close()
    assert _manage("verify_audit", database=live).returncode == 0
    done = _manage("verify_audit", "--head", str(backup.sidecar_path(path)), database=live)
    assert done.returncode != 0
    assert "末尾被截断" in done.stderr and "备份说明文件" in done.stderr


def test_a_backup_goes_on_when_the_log_no_longer_matches_its_checkpoint(
    live: BaseDatabaseWrapper, tmp_path: Path
) -> None:
    backup.backup(tmp_path / "first.bak", connection=live)
    chain.remove_triggers(live, ("logentry",))
    with live.cursor() as cursor:
        cursor.execute("DELETE FROM audit_logentry WHERE id = (SELECT MAX(id) FROM audit_logentry)")
    chain.install_triggers(live)
    live.close()
    done = _manage("backup", "--output", f"{tmp_path / 'second'}/", database=live)
    # The copy is made (it matters most now), and the refusal is reported with a failing status.
    assert done.returncode != 0 and "备份已完成" in done.stderr
    assert "拒绝写入审计检查点" in done.stderr
    (out,) = (p for p in (tmp_path / "second").iterdir() if p.suffix != ".json")
    assert "拒绝写入审计检查点" in backup.read_sidecar(out)["audit_warning"]

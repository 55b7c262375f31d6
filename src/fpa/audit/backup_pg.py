"""The PostgreSQL copy of a backup and its restore, through `pg_dump --format=custom` and
`pg_restore`, run on the configured database with its connection settings."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

from .backup_facts import BackupError, audit_head, counts, migrations

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


def _command(tool: str, conn: BaseDatabaseWrapper) -> tuple[list[str], dict[str, str]]:
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


def copy(conn: BaseDatabaseWrapper, output: Path) -> dict[str, Any]:
    """Copy the PostgreSQL database to `output`; return the sidecar's facts, read from the copy."""
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
                "migrations": migrations(cursor, existing),
                "row_counts": counts(cursor, existing),
                "audit_head": audit_head(cursor, existing),
            }
            argv, env = _command("pg_dump", conn)
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


def restore(conn: BaseDatabaseWrapper, path: Path) -> None:
    """Replace the PostgreSQL database with the backup at `path` (already checked by the caller)."""
    argv, env = _command("pg_restore", conn)
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

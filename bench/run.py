"""Benchmarks: load the Hunan tree, then time the heaviest pages; prints figures, asserts nothing.

    .venv/bin/python bench/run.py [--db sqlite|postgresql|both] [-n 30]

Per database the parent starts a child process of this same file (Django settings are configured
once per process) on a fresh database: SQLite at var/bench/bench.sqlite3, PostgreSQL `fpa_bench`
on 127.0.0.1:5432 (user postgres, trust auth; skipped when unreachable).
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var" / "bench"
SQLITE_FILE = VAR / "bench.sqlite3"
PG_DB = "fpa_bench"
PG_DSN = "host=127.0.0.1 port=5432 user=postgres"
LOAD_GOAL_S = 30.0
PAGE_GOAL_MS = 100.0
WARMUP = 3
Row = dict[str, Any]


# ---------------------------------------------------------------- parent


def prepare_sqlite() -> str:
    VAR.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{SQLITE_FILE}"


def prepare_postgresql() -> str | None:
    """Drop and re-create the bench database; None when PostgreSQL cannot be reached."""
    import psycopg

    try:
        with psycopg.connect(f"{PG_DSN} dbname=postgres", autocommit=True, connect_timeout=5) as c:
            c.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
            c.execute(f"CREATE DATABASE {PG_DB} ENCODING 'UTF8' TEMPLATE template0")
    except psycopg.OperationalError as exc:
        print(f"postgresql: skipped, 127.0.0.1:5432 unreachable ({' '.join(str(exc).split())})")
        return None
    return f"postgres://postgres@127.0.0.1:5432/{PG_DB}"


def run_child(label: str, url: str, n: int) -> list[Row] | None:
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "PYTEST_VERSION")}
    env |= {
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "fpa.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
        "FPA_VAR_DIR": str(VAR),  # change reports of load_divisions go here, not into var/
    }
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as fh:
        out = Path(fh.name)
    try:
        cmd = [sys.executable, __file__, "--child", label, "-n", str(n), "--out", str(out)]
        proc = subprocess.run(cmd, env=env, cwd=ROOT, check=False)
        if proc.returncode != 0:
            print(f"{label}: benchmark failed (exit code {proc.returncode})")
            return None
        return json.loads(out.read_text())
    finally:
        out.unlink(missing_ok=True)


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, size: int) -> str:
    return text + " " * max(0, size - width(text))


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    return f"{value:.1f} s" if unit == "s" else f"{value:.0f} ms"


def print_table(rows: list[Row]) -> None:
    header = ["database", "measure", "median", "p95", "queries", "goal", ""]
    lines = [header]
    for r in rows:
        goal = f"< {r['goal']:g} {r['unit']}"
        worst = r["p95"] if r["p95"] is not None else r["median"]
        verdict = r.get("error") or ("OK" if worst < r["goal"] else "SLOW")
        queries = "-" if r["queries"] is None else str(r["queries"])
        median, p95 = fmt(r["median"], r["unit"]), fmt(r["p95"], r["unit"])
        lines.append([r["db"], r["measure"], median, p95, queries, goal, verdict])
    sizes = [max(width(line[i]) for line in lines) for i in range(len(header))]
    print()
    for line in lines:
        print("  ".join(pad(cell, size) for cell, size in zip(line, sizes, strict=True)).rstrip())


def positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError("a positive integer")
    return int(text)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("-n", type=positive, default=30, help="timed requests per page")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        rows = child(args.child, args.n)
        args.out.write_text(json.dumps(rows))
        return 0
    rows: list[Row] = []
    for label in ("sqlite", "postgresql"):
        if args.db not in (label, "both"):
            continue
        url = prepare_sqlite() if label == "sqlite" else prepare_postgresql()
        if url is not None:
            rows += run_child(label, url, args.n) or []
    if rows:
        print_table(rows)
        age = os.environ.get("DATABASE_CONN_MAX_AGE", "0")
        print(
            f"(N={args.n} after {WARMUP} warm-ups, as sheng; DATABASE_CONN_MAX_AGE={age}; "
            "queries include session, user, actor and session save)"
        )
    return 0


# ---------------------------------------------------------------- child


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def child(label: str, n: int) -> list[Row]:
    sys.path.insert(0, str(ROOT / "src"))
    warnings.filterwarnings("ignore", "No directory at", UserWarning)  # static_root not built
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Q
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from fpa.accounts.models import User
    from fpa.orgs.models import Org

    def say(text: str) -> None:
        print(f"{label}: {text}", file=sys.stderr, flush=True)

    say("migrate")
    call_command("migrate", verbosity=0)
    say("load_divisions --province 43 (timed)")
    start = time.perf_counter()
    call_command("load_divisions", province="43", stdout=io.StringIO())
    load_s = time.perf_counter() - start
    total = Org.unscoped_objects.count()
    say(f"loaded {total:,} orgs in {load_s:.1f} s; load_demo")
    call_command("load_demo", stdout=io.StringIO())
    rows: list[Row] = [
        {
            "db": label,
            "measure": f"load Hunan tree ({total:,} orgs)",
            "median": load_s,
            "p95": None,
            "queries": None,
            "goal": LOAD_GOAL_S,
            "unit": "s",
        }
    ]

    client = Client()
    client.force_login(User.objects.get(username="sheng"))
    province = Org.unscoped_objects.get(code="430000000000")
    county = Org.unscoped_objects.get(code="430121000000")
    county_kids = Org.unscoped_objects.filter(parent=county).count()

    def hits(q: str) -> int:
        match = Q(name__contains=q) | Q(initials__startswith=q.lower())
        return Org.unscoped_objects.filter(match).count()

    pages: list[tuple[str, str, dict[str, str]]] = [
        ("tree page /orgs/", "/orgs/", {}),
        ("province children partial", f"/orgs/{province.pk}/children/", {}),
        (f"county page 长沙县 ({county_kids} children)", f"/orgs/{county.pk}/", {}),
        (f"search q=湖 ({hits('湖'):,} hits)", "/orgs/search/", {"q": "湖"}),
        (f"search q=dtz ({hits('dtz'):,} hits)", "/orgs/search/", {"q": "dtz"}),
        ("dashboard / (province)", "/", {}),
    ]
    for measure, path, params in pages:
        row: Row = {"db": label, "measure": measure, "goal": PAGE_GOAL_MS, "unit": "ms"}
        for _ in range(WARMUP):
            client.get(path, params)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path, params)
        row["queries"] = len(ctx.captured_queries)
        if response.status_code != 200:
            row |= {"median": None, "p95": None, "error": f"HTTP {response.status_code}"}
            rows.append(row)
            continue
        times = []
        for _ in range(n):
            start = time.perf_counter()
            client.get(path, params)
            times.append((time.perf_counter() - start) * 1000)
        row |= {"median": statistics.median(times), "p95": percentile(times, 95)}
        say(f"{measure}: median {row['median']:.0f} ms, p95 {row['p95']:.0f} ms")
        rows.append(row)
    return rows


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

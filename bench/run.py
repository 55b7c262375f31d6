"""Benchmarks: tree pages, 100,000-row import and export, province lists; prints, asserts nothing.

    .venv/bin/python bench/run.py [--db sqlite|postgresql|both] [-n 30] [--only pages,import,export]
    .venv/bin/python bench/run.py --big [--persons 5000000] [--workers 2] [--regenerate]
    .venv/bin/python bench/run.py --generate [--persons 5000000] [--regenerate]

Each measurement runs in a child process of this same file (Django settings are configured once
per process). Without --big: fresh databases, SQLite at var/bench/bench.sqlite3 and PostgreSQL
`fpa_bench` on 127.0.0.1:5432 (user postgres, trust auth; skipped when unreachable). With --big:
the province data set `fpa_bench_big`, generated once (bench/generate.py) and then reused.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from common import (
    BIG_DB,
    PG_DB,
    SQLITE_FILE,
    VAR,
    WARMUP,
    pg_recreate,
    pg_url,
    print_grid,
    print_pages,
    run_child,
    setup_django,
)

SUITES = ("pages", "import", "export")
EXPORT_SIZES = (10_000, 100_000)


def prepare_sqlite() -> str:
    VAR.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{SQLITE_FILE}"


def prepare_postgresql() -> str | None:
    """Drop and re-create the bench database; None when PostgreSQL cannot be reached."""
    reason = pg_recreate(PG_DB)
    if reason is not None:
        print(f"postgresql: skipped, 127.0.0.1:5432 unreachable ({reason})")
        return None
    return pg_url(PG_DB)


def fresh(args: argparse.Namespace, out: dict[str, list[Any]]) -> None:
    """The fresh databases: tree pages, then the import and the export on the same data."""
    for label in ("sqlite", "postgresql"):
        if args.db not in (label, "both"):
            continue
        url = prepare_sqlite() if label == "sqlite" else prepare_postgresql()
        if url is None:
            continue
        rows = run_child(label, url, "pages", args.src, n=args.n, timed="pages" in args.only)
        if rows is None:
            continue
        out["pages"] += rows
        if "import" in args.only or "export" in args.only:
            params = {"rows": args.import_rows, "rollback": False, "profile": args.profile}
            out["import"].append(run_child(label, url, "import", args.src, **params))
        if "export" in args.only:
            run_child(label, url, "members", args.src)
            for limit in EXPORT_SIZES:
                out["export"].append(run_child(label, url, "export", args.src, limit=limit))


def big(args: argparse.Namespace, out: dict[str, list[Any]]) -> None:
    """The province data set: generated once, then the lists, the import and the export."""
    from generate import marker

    label = f"pg {BIG_DB}"
    url = pg_url(BIG_DB)
    found = None if args.regenerate else marker()
    if found is None:
        reason = pg_recreate(BIG_DB)
        if reason is not None:
            print(f"{label}: skipped, PostgreSQL unreachable ({reason})")
            return
        params = {"persons": args.persons, "workers": args.workers}
        generated = run_child(label, url, "generate", args.src, **params)
        if generated is None:
            return
        out["generated"].append(generated)
    else:
        print(
            f"{label}: holds {found['persons']:,} persons, {found['members']:,} members "
            f"(generated {found['generated_at']:%Y-%m-%d %H:%M} in {found['seconds']:.0f} s); "
            "--regenerate makes it anew"
        )
    if args.generate:
        return
    if "pages" in args.only:
        result = run_child(label, url, "big-pages", args.src, n=args.n)
        if result is not None:
            out["pages"] += result["rows"]
            out["plans"] += result["plans"]
            out["sizes"].append(result["sizes"])
    if "import" in args.only:
        params = {"rows": args.import_rows, "rollback": True, "profile": args.profile}
        out["import"].append(run_child(label, url, "import", args.src, **params))
    if "export" in args.only:
        for limit in EXPORT_SIZES:
            out["export"].append(run_child(label, url, "export", args.src, limit=limit))


def report(args: argparse.Namespace, out: dict[str, list[Any]]) -> None:
    for g in out["generated"]:
        print(
            f"\ngenerated {g['persons']:,} persons and {g['members']:,} members in "
            f"{g['seconds']:.0f} s (migrate + tree {g['migrate_load_s']:.0f} s, build + COPY "
            f"{g['build_copy_s']:.0f} s, indexes {g['indexes_s']:.0f} s, recount_people "
            f"{g['recount_s']:.0f} s, VACUUM ANALYZE "
            f"{g['vacuum_analyze_s']:.0f} s); database {g['size']}"
        )
    for s in out["sizes"]:
        print(f"\ndata set: {json.dumps(s, ensure_ascii=False)}")
    if out["pages"]:
        print_pages(out["pages"])
        age = os.environ.get("DATABASE_CONN_MAX_AGE", "0")
        print(f"(N={args.n} after {WARMUP} warm-ups; DATABASE_CONN_MAX_AGE={age}; queries include")
        print(" session, user, actor and session save; tree pages as sheng, lists as the clerks)")
    imports = [r for r in out["import"] if r]
    if imports:
        header = ["database", "stored", "rows", "new", "rejected", "preview", "commit", "total"]
        header += ["rows/s", "queries p+c", "SQL time p+c", "goal", ""]
        lines = []
        for r in imports:
            rate = r["rows"] / r["total_s"]
            lines.append(
                [
                    r["db"] + (" (rolled back)" if r["rolled_back"] else ""),
                    f"{r['persons_before']:,}",
                    f"{r['rows']:,}",
                    f"{r['statuses']['new']:,}",
                    f"{r['statuses']['rejected']:,}",
                    f"{r['preview_s']:.1f} s",
                    f"{r['commit_s']:.1f} s",
                    f"{r['total_s']:.1f} s",
                    f"{rate:,.0f}",
                    f"{r['preview_queries']:,}+{r['commit_queries']:,}",
                    f"{r['preview_sql_s']:.1f}+{r['commit_sql_s']:.1f} s",
                    "≥ 20,000/s",
                    "OK" if rate >= 20_000 else "SLOW",
                ]
            )
        print_grid(header, lines)
        print("(written: " + "; ".join(f"{r['db']} {r['written']}" for r in imports) + ")")
        for r in imports:
            python_cpu, server_cpu = r.get("cpu_s") or (None, None)
            if python_cpu is not None:
                server = "not on this machine" if server_cpu is None else f"{server_cpu:.1f} s"
                print(
                    f"(CPU over preview + commit on {r['db']}: Python {python_cpu:.1f} s,"
                    f" PostgreSQL backend {server}; the backend's is a floor under the total)"
                )
        for r in imports:
            if r.get("profile"):
                print(f"\ncProfile of preview() + commit() on {r['db']}:\n{r['profile']}")
    exports = [r for r in out["export"] if r]
    if exports:
        header = ["database", "scope", "rows", "seconds", "of which fetch", "rows/s"]
        header += ["RSS before", "peak growth", ".xlsx"]
        lines = [
            [
                r["db"],
                r["scope"],
                f"{r['rows']:,}",
                f"{r['seconds']:.1f} s",
                f"{r['fetch_s']:.1f} s",
                f"{r['rows'] / r['seconds']:,.0f}",
                f"{r['base_mb']:.0f} MB",
                f"{r['growth_mb']:.1f} MB",
                f"{r['file_mb']:.1f} MB",
            ]
            for r in exports
        ]
        print_grid(header, lines)
        print("(goal: peak growth flat, the same for 10,000 and 100,000 rows; ru_maxrss, fresh")
        print(" process per export)")
    for p in out["plans"]:
        print(f"\n--- {p['page']}: {p['kind']} ---\n{p['sql']}\n{p['plan']}")


def child(args: argparse.Namespace) -> Any:
    setup_django()
    params = json.loads(args.params)
    label = args.child
    if args.task in ("import", "export", "big-pages"):
        from django.core.management import call_command

        call_command("migrate", verbosity=0)  # the data set may predate a migration
    if args.task == "pages":
        import pages

        return pages.run(label, params["n"], params["timed"])
    if args.task == "import":
        import people

        return people.run_import(label, params["rows"], params["rollback"], params["profile"])
    if args.task == "members":
        import people

        return people.make_members(label)
    if args.task == "export":
        import people

        return people.run_export(label, params["limit"], max(EXPORT_SIZES))
    if args.task == "generate":
        import generate

        return generate.run(label, params["persons"], params["workers"])
    if args.task == "big-pages":
        import big as big_pages

        return big_pages.run(label, params["n"])
    raise ValueError(args.task)


def positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError("a positive integer")
    return int(text)


def suites(text: str) -> list[str]:
    chosen = [s.strip() for s in text.split(",") if s.strip()]
    if not chosen or any(s not in SUITES for s in chosen):
        raise argparse.ArgumentTypeError(f"a comma-separated choice of {', '.join(SUITES)}")
    return chosen


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("-n", type=positive, default=30, help="timed requests per page")
    parser.add_argument("--only", type=suites, default=list(SUITES), help="pages,import,export")
    parser.add_argument("--import-rows", type=positive, default=100_000)
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the import")
    parser.add_argument("--big", action="store_true", help=f"measure on {BIG_DB}")
    parser.add_argument("--generate", action="store_true", help=f"only generate {BIG_DB}")
    parser.add_argument("--persons", type=positive, default=5_000_000)
    parser.add_argument("--workers", type=positive, default=2, help="generator processes")
    parser.add_argument("--regenerate", action="store_true", help=f"drop and refill {BIG_DB}")
    parser.add_argument("--src", type=Path, help="measure another revision's src (README)")
    for hidden in ("--child", "--task", "--params"):
        parser.add_argument(hidden, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        args.out.write_text(json.dumps(child(args), default=str))
        return 0
    out: dict[str, list[Any]] = {
        k: [] for k in ("pages", "import", "export", "plans", "sizes", "generated")
    }
    if args.big or args.generate:
        big(args, out)
    else:
        fresh(args, out)
    report(args, out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

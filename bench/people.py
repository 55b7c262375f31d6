"""Child tasks of the registry: the validated .xlsx import, and the .xlsx export's time and memory.

`import`: write a 100,000-row file of new residents of 长沙县 (not timed), then time what the
import job does — `preview` + `accepted` + `commit` — as `Actor.system(长沙县)`. On the province
data set the import runs in a transaction that is rolled back afterwards (the audit log is
append-only and the data set must stay as generated): the deferred foreign-key checks of its
COMMIT are run and timed (`SET CONSTRAINTS ALL IMMEDIATE`), the final WAL flush is not.

`export`: in a fresh process, stream the member list of a scope through
`fpa.core.exports.write_xlsx` as `fpa.people.exports.export_members` does, and report the
growth of the peak RSS (ru_maxrss) over the export.
"""

from __future__ import annotations

import contextlib
import cProfile
import datetime
import io
import os
import pstats
import random
import resource
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import synth
from common import VAR, Row, say

COUNTY = "430121000000"  # 长沙县
IMPORT_GOAL = 20_000.0  # rows/s, end to end
PHONE_SHARE = 0.6
JOIN_SHARE = 0.3
EXPORT_SCOPES = ("430121000000", "430100000000", "430000000000")  # 长沙县, 长沙市, 湖南省


class Rollback(Exception):
    """Raised to undo a measured import on the province data set."""


def write_import_file(path: Path, villages: list[tuple[str, str]], rows: int) -> None:
    """A clerk's roster: name, ID number, ethnicity, some phones, village code, join dates."""
    from openpyxl import Workbook

    rng = random.Random(4301)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("人员")
    ws.append(["姓名", "身份证号码", "民族", "联系电话", "居住地", "居住地址", "入会日期"])
    order = list(range(rows))
    rng.shuffle(order)
    for i in order:
        code, village = rng.choice(villages)
        number, _ = synth.id_number(COUNTY[:6], i, rng.choice(["male", "female"]), synth.IMPORT)
        phone = synth.phone(rng) if rng.random() < PHONE_SHARE else None
        joined = None
        if rng.random() < JOIN_SHARE:
            joined = datetime.date(rng.randint(2015, 2024), rng.randint(1, 12), rng.randint(1, 28))
        address = f"{village}{rng.randint(1, 30)}组{rng.randint(1, 99)}号"
        ws.append([synth.name(rng), number, synth.ethnicity(rng), phone, code, address, joined])
    wb.save(path)


class QueryCounter:
    """Counts SQL statements through `connection.execute_wrapper` (no debug cursor overhead)."""

    def __init__(self) -> None:
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start


def run_import(label: str, rows: int, rollback: bool, profile: bool) -> Row:
    from django.db import connection, transaction

    from fpa.core.imports import accepted, preview
    from fpa.kernel.scope import Actor
    from fpa.orgs.models import Level, Org, Status
    from fpa.people.imports import PersonSchema, commit, make_context
    from fpa.people.models import Membership, Person

    county = Org.unscoped_objects.get(code=COUNTY)
    villages = list(
        Org.unscoped_objects.filter(county=county, level=Level.VILLAGE)
        .exclude(status=Status.ABOLISHED)
        .exclude(code="")
        .values_list("code", "name")
    )
    path = VAR / f"import-{label.replace(' ', '-')}.xlsx"
    say(label, f"writing {rows:,} rows over {len(villages)} villages of 长沙县 (not timed)")
    write_import_file(path, villages, rows)
    before = Person.unscoped_objects.count()
    actor = Actor.system(county)
    counter = QueryCounter()
    backend = backend_pid()
    profiler = cProfile.Profile() if profile else None
    result: Row = {"db": label, "rows": rows, "persons_before": before, "rolled_back": rollback}
    say(label, f"import: preview + commit ({before:,} persons already stored)")
    try:
        outer = transaction.atomic() if rollback else contextlib.nullcontext()
        with connection.execute_wrapper(counter), outer:
            if profiler:
                profiler.enable()
            start = time.perf_counter()
            cpu_before = cpu_seconds(backend)
            checked = preview(path, PersonSchema(), make_context(actor), filename=path.name)
            result["preview_s"] = time.perf_counter() - start
            result["preview_queries"] = counter.count
            result["preview_sql_s"] = counter.seconds
            result["statuses"] = checked.counts
            written = commit(accepted(checked, "update"), actor=actor, filename=path.name)
            if rollback and connection.vendor == "postgresql":
                # The deferred foreign-key checks a real COMMIT would run, run and timed here.
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            if profiler:
                profiler.disable()
            result["total_s"] = time.perf_counter() - start
            cpu_after = cpu_seconds(backend)
            result["cpu_s"] = [
                None if b is None else a - b for a, b in zip(cpu_after, cpu_before, strict=True)
            ]
            result["commit_s"] = result["total_s"] - result["preview_s"]
            result["commit_queries"] = counter.count - result["preview_queries"]
            result["commit_sql_s"] = counter.seconds - result["preview_sql_s"]
            result["written"] = written
            if rollback:
                raise Rollback
    except Rollback:
        vacuum(label)
    if profiler:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(40)
        stats.sort_stats("tottime").print_stats(20)
        result["profile"] = out.getvalue()
    result["members_after"] = Membership.unscoped_objects.filter(county=county).count()
    say(label, f"import: {result['total_s']:.1f} s ({rows / result['total_s']:,.0f} rows/s)")
    return result


def backend_pid() -> int | None:
    """The PostgreSQL server process serving this connection, when it runs on this machine."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    return pid if Path(f"/proc/{pid}/stat").exists() else None


def cpu_seconds(backend: int | None) -> tuple[float, float | None]:
    """CPU seconds (user + system) used so far by this process and by the server backend.

    One transaction runs on one backend, one core at a time: its CPU time is a floor under the
    import's wall time that no client-side change lowers.
    """
    own = resource.getrusage(resource.RUSAGE_SELF)
    server = None
    if backend is not None:
        fields = Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()
        server = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return own.ru_utime + own.ru_stime, server


def vacuum(label: str) -> None:
    """Clean up after a rolled-back import: this server runs without autovacuum, and dead rows
    would clear the visibility map (index-only scans) for the next measurements."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    tables = set(connection.introspection.table_names()) & {
        "people_person",
        "people_membership",
        "people_membershipevent",
        "people_cardcounter",
        "core_orgcounter",
        "audit_logentry",
    }
    say(label, f"VACUUM (ANALYZE) {', '.join(sorted(tables))} (not timed)")
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {', '.join(sorted(tables))}")


def make_members(label: str) -> int:
    """Make every person of 长沙县 without a membership a member (setup for the export)."""
    from fpa.orgs.models import Org
    from fpa.people.models import CardCounter, Membership, Person

    county = Org.unscoped_objects.get(code=COUNTY)
    prefix = f"{COUNTY[:6]}19"
    counter, _ = CardCounter.objects.get_or_create(prefix=prefix)
    persons = Person.unscoped_objects.filter(county=county).exclude(memberships__isnull=False)
    batch = []
    for person in persons.only("id", "org_id", "city_id", "county_id", "township_id").iterator():
        counter.last += 1
        m = Membership(person=person, card_number=f"{prefix}{counter.last:06d}")
        m.joined_on = datetime.date(2019, 1 + counter.last % 12, 1 + counter.last % 28)
        m.org_id, m.city_id = person.org_id, person.city_id
        m.county_id, m.township_id = person.county_id, person.township_id
        batch.append(m)
    Membership.unscoped_objects.bulk_create(batch, batch_size=2000)
    counter.save()
    say(label, f"made {len(batch):,} more members in 长沙县 for the export (not timed)")
    return Membership.unscoped_objects.filter(county=county).count()


def export_scope(needed: int) -> Any:
    """The narrowest of 长沙县, 长沙市, the province holding `needed` members."""
    from django.db.models import Q

    from fpa.kernel.scope import subtree_q
    from fpa.orgs.models import Org
    from fpa.people.models import Membership

    for code in EXPORT_SCOPES:
        org = Org.unscoped_objects.get(code=code)
        scope = subtree_q(org) if org.level != "province" else Q()
        if Membership.unscoped_objects.filter(scope)[: needed + 1].count() >= needed:
            return org
    return org


def run_export(label: str, limit: int, needed: int) -> Row:
    from fpa.core.exports import write_xlsx
    from fpa.kernel.scope import Actor
    from fpa.people import selectors
    from fpa.people.exports import MEMBER_HEADER, _person_cells

    org = export_scope(needed)
    actor = Actor.system(org)
    qs = selectors.members(actor, {}).select_related("person__org")
    list(qs[:10])  # connection, imports and caches warm before the baseline
    path = VAR / f"export-{label.replace(' ', '-')}-{limit}.xlsx"
    written, fetch_s = 0, 0.0

    def rows() -> Iterator[list[Any]]:
        nonlocal written, fetch_s
        # exports._run's iterator and export_members' cells, sliced to `limit`
        members = qs[:limit].iterator(chunk_size=2000)
        while True:
            start = time.perf_counter()
            m = next(members, None)
            fetch_s += time.perf_counter() - start
            if m is None:
                return
            written += 1
            head = [m.card_number, m.joined_on, m.get_status_display(), m.org.name]
            yield [*head, *_person_cells(m.person)]

    base_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    write_xlsx(path, "会员名单", MEMBER_HEADER, rows())
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    say(label, f"export {written:,} rows of {org.name}: {seconds:.1f} s")
    return {
        "db": label,
        "scope": org.name,
        "rows": written,
        "seconds": seconds,
        "fetch_s": fetch_s,
        "base_mb": base_kb / 1024,
        "growth_mb": (peak_kb - base_kb) / 1024,
        "file_mb": path.stat().st_size / 2**20,
    }

"""Child task `generate`: the province data set in `fpa_bench_big`, made once with COPY.

Persons are spread over every village of Hunan with their org's ancestor columns, a name,
its pinyin initials (`fpa.orgs.tree.initials`, cached per distinct name), a valid ID number of
the village's county (encrypted, blind-indexed and cut to its last four by
`fpa.core.fields.protect`, as the app stores it) and a phone for most; about 70% are members
with a card number of their county and join year, and the join event. The CardCounter rows
are set so that cards issued later never repeat a generated number.

Speed: worker processes build the COPY text (the encryption is the CPU cost), the parent
streams it in one transaction after TRUNCATE (so COPY ... FREEZE writes frozen rows) with the
secondary indexes dropped and foreign-key triggers off (`session_replication_role = replica`);
the indexes are then rebuilt from their saved definitions, and VACUUM ANALYZE runs last. A
`bench_generated` row records that the data set is complete.
"""

from __future__ import annotations

import datetime
import io
import multiprocessing
import random
import re
import time
from collections import defaultdict
from typing import Any

import synth
from common import BIG_DB, PG_DSN, Row, say

TABLES = ("people_person", "people_membership", "people_membershipevent")
PERSON_COLUMNS = (
    "id, org_id, city_id, county_id, township_id, name, initials, gender, birth_date, ethnicity,"
    " id_type, id_number_enc, id_number_index, id_number_last4, phone_enc, phone_index,"
    " phone_last4, hukou_code, hukou_address, address, status, created_at, updated_at"
)
MEMBER_COLUMNS = (
    "id, org_id, city_id, county_id, township_id, person_id, card_number, joined_on, status,"
    " created_at"
)
EVENT_COLUMNS = "id, membership_id, org_id, at, status, note, recorded_at"
MEMBER_SHARE = 0.7
PHONE_SHARE = 0.8
LAPSED_SHARE = 0.03
NOW = "2025-01-01 08:00:00+08"
SUFFIX = re.compile(r"(村民委员会|社区居民委员会|居民委员会|村委会|居委会)$")
# (id, 12-digit code, short name, city_id, county_id, township_id)
Village = tuple[int, str, str, int | None, int | None, int | None]
Task = tuple[str, list[tuple[Village, int]], int, int]


def marker(db: str = BIG_DB) -> dict[str, Any] | None:
    """What the data set's `bench_generated` row says; None when it is missing or incomplete."""
    import psycopg

    try:
        with psycopg.connect(f"{PG_DSN} dbname={db}", connect_timeout=5) as conn:
            row = conn.execute(
                "SELECT persons, members, seconds, generated_at FROM bench_generated"
                " ORDER BY generated_at DESC LIMIT 1"
            ).fetchone()
    except (psycopg.OperationalError, psycopg.errors.UndefinedTable):
        return None
    if row is None:
        return None
    return dict(zip(("persons", "members", "seconds", "generated_at"), row, strict=True))


# ---------------------------------------------------------------- workers

_initials: dict[str, str] = {}


def initials(name: str) -> str:
    found = _initials.get(name)
    if found is None:
        from fpa.orgs.tree import initials as pinyin_initials

        found = _initials[name] = pinyin_initials(name)
    return found


def nul(value: int | None) -> str:
    return r"\N" if value is None else str(value)


def build(task: Task) -> tuple[bytes, bytes, bytes, dict[str, int], int, int]:
    """The COPY text of one region's persons, memberships and events, and its card counters."""
    from fpa.core.fields import protect

    region, villages, first_id, seed = task
    rng = random.Random(seed)
    persons, members, events = io.StringIO(), io.StringIO(), io.StringIO()
    counters: dict[str, int] = defaultdict(int)
    pid, i, joined_count = first_id, 0, 0
    for (vid, code, short, city, county, township), count in villages:
        ancestors = f"{nul(city)}\t{nul(county)}\t{nul(township)}"
        for _ in range(count):
            gender = "male" if rng.random() < 0.5 else "female"
            number, birth = synth.id_number(region, i, gender, synth.DATASET)
            doc = protect(number, "id_number")
            ph = protect(synth.phone(rng), "phone") if rng.random() < PHONE_SHARE else None
            phone = f"{ph.enc}\t{ph.index}\t{ph.last4}" if ph else "\\N\t\\N\t"
            name = synth.name(rng)
            address = f"{short}{rng.randint(1, 30)}组{rng.randint(1, 99)}号"
            persons.write(
                f"{pid}\t{vid}\t{ancestors}\t{name}\t{initials(name)}\t{gender}\t{birth}\t"
                f"{synth.ethnicity(rng)}\tresident\t{doc.enc}\t{doc.index}\t{doc.last4}\t"
                f"{phone}\t{code}\t\t{address}\tactive\t{NOW}\t{NOW}\n"
            )
            if rng.random() < MEMBER_SHARE:
                joined = datetime.date(
                    rng.randint(2000, 2024), rng.randint(1, 12), rng.randint(1, 28)
                )
                prefix = f"{region}{joined.year % 100:02d}"
                counters[prefix] += 1
                status = "lapsed" if rng.random() < LAPSED_SHARE else "active"
                # A person holds one membership here, so the person's id serves as its id.
                members.write(
                    f"{pid}\t{vid}\t{ancestors}\t{pid}\t{prefix}{counters[prefix]:06d}\t{joined}\t"
                    f"{status}\t{NOW}\n"
                )
                events.write(f"{pid}\t{pid}\t{vid}\t{joined}\tactive\t入会\t{NOW}\n")
                joined_count += 1
            pid += 1
            i += 1
    blobs = (persons.getvalue().encode(), members.getvalue().encode(), events.getvalue().encode())
    return *blobs, dict(counters), i, joined_count


# ---------------------------------------------------------------- parent (the child task)


def plan(villages: list[Village], total: int, seed: int = 43) -> list[Task]:
    """Spread `total` persons over the villages (uneven sizes), one task per county region."""
    rng = random.Random(seed)
    weights = [rng.uniform(0.4, 1.6) for _ in villages]
    scale = total / sum(weights)
    counts = [int(w * scale) for w in weights]
    by_remainder = sorted(range(len(villages)), key=lambda k: counts[k] - weights[k] * scale)
    for k in by_remainder[: total - sum(counts)]:
        counts[k] += 1
    regions: dict[str, list[tuple[Village, int]]] = defaultdict(list)
    for village, count in zip(villages, counts, strict=True):
        regions[village[1][:6]].append((village, count))
    tasks, first = [], 1
    for n, (region, items) in enumerate(sorted(regions.items())):
        tasks.append((region, items, first, seed * 1000 + n))
        first += sum(c for _, c in items)
    # The largest regions first, so the last worker does not finish alone.
    return sorted(tasks, key=lambda t: -sum(c for _, c in t[1]))


def secondary_indexes(cur: Any, table: str) -> list[tuple[str, str]]:
    """(name, definition) of the indexes that back no constraint (dropped during COPY)."""
    cur.execute(
        "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x"
        " JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = %s::regclass"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
        (table,),
    )
    return cur.fetchall()


def run(label: str, persons: int, workers: int) -> Row:
    import psycopg
    from django.core.management import CommandError, call_command
    from django.db import connections

    from fpa.core import crypto
    from fpa.orgs.models import Kind, Level, Org

    times: dict[str, float] = {}
    start = time.perf_counter()
    say(label, "migrate, load_divisions --province 43")
    call_command("migrate", verbosity=0)
    call_command("load_divisions", province="43", stdout=io.StringIO())
    times["migrate_load_s"] = time.perf_counter() - start
    rows = Org.unscoped_objects.filter(level=Level.VILLAGE, kind=Kind.TERRITORIAL).order_by("path")
    villages: list[Village] = [
        (pk, code, SUFFIX.sub("", name), city, county, township)
        for pk, code, name, city, county, township in rows.values_list(
            "id", "code", "name", "city_id", "county_id", "township_id"
        )
    ]
    tasks = plan(villages, persons)
    say(label, f"{persons:,} persons over {len(villages):,} villages in {len(tasks)} regions")
    crypto.load_keys()  # read once, inherited by the forked workers
    connections.close_all()

    step = time.perf_counter()
    done = members = 0
    counters: dict[str, int] = {}
    with psycopg.connect(f"{PG_DSN} dbname={BIG_DB}") as conn, conn.cursor() as cur:
        cur.execute("SET session_replication_role = replica")  # no FK triggers per row
        cur.execute("SET maintenance_work_mem = '1GB'")
        cur.execute(f"TRUNCATE {', '.join(TABLES)} CASCADE")
        saved = [d for table in TABLES for d in secondary_indexes(cur, table)]
        for name, _ in saved:
            cur.execute(f'DROP INDEX "{name}"')
        context = multiprocessing.get_context("fork")
        with context.Pool(workers) as pool:
            for blob_p, blob_m, blob_e, found, n, m in pool.imap_unordered(build, tasks):
                for table, columns, blob in (
                    ("people_person", PERSON_COLUMNS, blob_p),
                    ("people_membership", MEMBER_COLUMNS, blob_m),
                    ("people_membershipevent", EVENT_COLUMNS, blob_e),
                ):
                    with cur.copy(f"COPY {table} ({columns}) FROM STDIN WITH (FREEZE)") as copy:
                        copy.write(blob)
                counters |= found
                before, done, members = done, done + n, members + m
                if done * 10 // persons != before * 10 // persons:
                    rate = done / (time.perf_counter() - step)
                    say(label, f"copied {done:,} persons ({rate:,.0f}/s)")
        times["build_copy_s"] = time.perf_counter() - step
        step = time.perf_counter()
        for name, definition in saved:
            t = time.perf_counter()
            cur.execute(definition)
            say(label, f"index {name}: {time.perf_counter() - t:.1f} s")
        times["indexes_s"] = time.perf_counter() - step
        for table in TABLES:
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" (SELECT max(id) FROM {table}))"
            )
        with cur.copy("COPY people_cardcounter (prefix, last) FROM STDIN") as copy:
            for prefix, last in sorted(counters.items()):
                copy.write_row((prefix, last))
    step = time.perf_counter()
    try:  # the registry's maintained counters, in revisions that have them
        call_command("recount_people", stdout=io.StringIO())
        times["recount_s"] = time.perf_counter() - step
    except CommandError:
        times["recount_s"] = 0.0
    connections.close_all()
    step = time.perf_counter()
    with psycopg.connect(f"{PG_DSN} dbname={BIG_DB}", autocommit=True) as conn:
        say(label, "VACUUM ANALYZE")
        for table in TABLES:
            conn.execute(f"VACUUM (ANALYZE) {table}")
        conn.execute("ANALYZE")
        times["vacuum_analyze_s"] = time.perf_counter() - step
        seconds = time.perf_counter() - start
        conn.execute(
            "CREATE TABLE IF NOT EXISTS bench_generated (persons bigint, members bigint,"
            " seconds double precision, generated_at timestamptz DEFAULT now())"
        )
        conn.execute(
            "INSERT INTO bench_generated (persons, members, seconds) VALUES (%s, %s, %s)",
            (done, members, seconds),
        )
        size = conn.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        db_size = size.fetchone()[0]
    say(label, f"generated {done:,} persons, {members:,} members in {seconds:.0f} s")
    return {"persons": done, "members": members, "seconds": seconds, "size": db_size, **times}

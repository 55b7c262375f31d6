"""Donations benchmark (issue 14 point 10) on PostgreSQL: 1,000,000 gifts and 200,000
distributions across the province, the campaign page and the donation register, and 100,000
gift rows imported through the import engine.

    .venv/bin/python bench/donations.py [--donations 1000000] [--distributions 200000]
                                        [--import-rows 100000] [-n 20] [--reuse]

Generates into its own database `fpa_bench_donations` (dropped and rebuilt unless --reuse finds
it filled) with COPY: the province's tree, 50,000 persons, 5,000 donors, 40 campaigns (the
province's epidemic campaign holding a fifth of all gifts), the gifts (70% cash, a third of them
restricted to a campaign of their org or above), and distributions each drawing on one gift of
its own org (one draw each, the gifts' `distributed` consistent). Then, each in a fresh child
process: the campaign page of the biggest campaign and the province's register (median, p95 as
the province clerk), and an import of 100,000 gift rows (preview + commit, rolled back). Prints
figures, asserts nothing; never run in CI.
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (  # noqa: E402
    PG_DSN,
    VAR,
    child_env,
    pg_recreate,
    pg_url,
    print_grid,
    say,
    setup_django,
    time_page,
)

DB = "fpa_bench_donations"
PAGE_GOAL_MS = 200.0
PERSONS = 50_000
DONORS = 5_000
CAMPAIGNS = 40


class Rollback(Exception):
    """Undo a measurement's writes (the data set stays as generated)."""


def _copy(table: str, columns: tuple[str, ...], rows: Any) -> None:
    from django.db import connection

    names = ", ".join(f'"{c}"' for c in columns)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def _reset_sequence(table: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
        )


def generate(donations: int, distributions: int) -> dict[str, float]:
    from django.core.management import call_command

    from fpa.accounts.models import Role, RoleAssignment, User
    from fpa.core.fields import protected_fields
    from fpa.core.idnumber import synthesize
    from fpa.funds.models import Campaign, Donor
    from fpa.orgs.models import Level, Org
    from fpa.people.models import Person

    timings: dict[str, float] = {}
    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_divisions", province="43", verbosity=0)
    timings["migrate + tree"] = time.perf_counter() - t
    rng = random.Random(14)
    province = Org.unscoped_objects.get(code="430000000000")
    user = User.objects.create(username="sheng", org=province, must_change_password=False)
    RoleAssignment.objects.create(user=user, role=Role.objects.get(code="clerk"))
    places = ("id", "code", "path", "city_id", "county_id", "township_id", "level", "parent_id")
    villages = list(Org.unscoped_objects.filter(level=Level.VILLAGE).only(*places))
    counties = list(Org.unscoped_objects.filter(level=Level.COUNTY).only(*places))
    cities = list(Org.unscoped_objects.filter(level=Level.CITY).only(*places))
    t = time.perf_counter()
    persons, seen = [], set()
    while len(persons) < PERSONS:
        v = rng.choice(villages)
        birth = datetime.date(rng.randint(1960, 1995), rng.randint(1, 12), rng.randint(1, 28))
        number = synthesize(v.code[:6], birth, rng.randrange(0, 999), "female")
        if number in seen:
            continue
        seen.add(number)
        p = Person(
            name="李" + rng.choice("医生护士明华"),
            initials="l",
            birth_date=birth,
            **protected_fields("id_number", number, "id_number"),
        )
        p.place_in(v)
        persons.append(p)
    Person.unscoped_objects.bulk_create(persons, batch_size=5000)
    person_ids = [p.pk for p in persons]
    timings["persons"] = time.perf_counter() - t
    # Gifts are received by counties (90%) and cities (10%); a county's campaign gifts go to its
    # own or its city's campaigns, or the province's epidemic campaign.
    holders = counties * 9 + cities
    donors = []
    for i in range(DONORS):
        org = rng.choice(holders)
        d = Donor(kind="organisation", name=f"爱心企业{i:05d}")
        d.place_in(org)
        donors.append(d)
    Donor.unscoped_objects.bulk_create(donors, batch_size=5000)
    donors_of: dict[int, list[int]] = {}
    for d in donors:
        donors_of.setdefault(d.org_id, []).append(d.pk)
    year = datetime.date.today().year
    start = datetime.date(year, 1, 20)
    campaigns = [Campaign(name="抗击疫情募捐", starts_on=start)]
    campaigns[0].place_in(province)
    for i, city in enumerate(cities):
        for j in range(CAMPAIGNS // len(cities) + 1):
            c = Campaign(name=f"{i}-{j} 助学募捐", starts_on=start)
            c.place_in(city)
            campaigns.append(c)
    Campaign.unscoped_objects.bulk_create(campaigns[:CAMPAIGNS])
    epidemic = campaigns[0]
    by_city: dict[int, list[int]] = {}
    for c in campaigns[1:CAMPAIGNS]:
        by_city.setdefault(c.org_id, []).append(c.pk)

    t = time.perf_counter()
    rows = []
    cash_of: dict[int, list[int]] = {}
    for i in range(1, donations + 1):
        org = rng.choice(holders)
        kind = "cash" if rng.random() < 0.7 else "in_kind"
        amount = rng.choice([200, 500, 1000, 2000, 5000, 10000, 50000])
        r = rng.random()
        campaign = None
        if r < 0.2:
            campaign = epidemic.pk
        elif r < 0.33:
            city = org.city_id or org.pk
            campaign = rng.choice(by_city.get(city) or [epidemic.pk])
        named = rng.random() < 0.9 and donors_of.get(org.pk)
        on = start + datetime.timedelta(days=rng.randint(0, 300))
        rows.append([i, org, named and rng.choice(named), kind, on, amount, campaign])
        if kind == "cash":
            cash_of.setdefault(org.pk, []).append(i)
    # Distributions: each from one cash gift of its org with enough left.
    distributed: dict[int, int] = {}
    plans = []
    orgs_with_cash = list(cash_of)
    for k in range(1, distributions + 1):
        org_id = rng.choice(orgs_with_cash)
        gift = rng.choice(cash_of[org_id])
        amount = rows[gift - 1][5]
        give = min(amount - distributed.get(gift, 0), rng.choice([100, 200, 500]))
        if give <= 0:
            continue
        distributed[gift] = distributed.get(gift, 0) + give
        plans.append((k, gift, give))
    now = datetime.datetime.now(datetime.UTC)

    def donation_rows() -> Any:
        for i, org, donor, kind, on, amount, campaign in rows:
            goods = (
                ("口罩", Decimal(100), "只", "market") if kind == "in_kind" else ("", None, "", "")
            )
            yield (
                i, org.pk, org.city_id, org.county_id, org.township_id, donor or None, kind,
                "donation", on.year, on, "bank" if kind == "cash" else "handover", amount,
                *goods, campaign is not None, campaign, distributed.get(i, 0), "", now,
            )  # fmt: skip

    _copy(
        "funds_donation",
        (
            "id", "org_id", "city_id", "county_id", "township_id", "donor_id", "kind", "source",
            "year", "received_on", "channel", "amount", "item", "quantity", "unit", "valuation",
            "restricted", "campaign_id", "distributed", "note", "recorded_at",
        ),
        donation_rows(),
    )  # fmt: skip
    _reset_sequence("funds_donation")
    timings["donations (COPY)"] = time.perf_counter() - t
    t = time.perf_counter()

    def distribution_rows() -> Any:
        for k, gift, give in plans:
            org = rows[gift - 1][1]
            on = rows[gift - 1][4] + datetime.timedelta(days=10)
            yield (
                k, org.pk, org.city_id, org.county_id, org.township_id, "cash", on.year, on,
                "person", rng.choice(person_ids), rows[gift - 1][6], give, "", "", "慰问金", "",
                "", now,
            )  # fmt: skip

    _copy(
        "funds_distribution",
        (
            "id", "org_id", "city_id", "county_id", "township_id", "kind", "year", "on",
            "recipient_kind", "person_id", "campaign_id", "amount", "item", "unit", "purpose",
            "signed_by", "evidence", "recorded_at",
        ),
        distribution_rows(),
    )  # fmt: skip
    _reset_sequence("funds_distribution")
    _copy(
        "funds_draw",
        ("distribution_id", "donation_id", "amount"),
        ((k, gift, give) for k, gift, give in plans),
    )
    timings["distributions + draws (COPY)"] = time.perf_counter() - t
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return timings


def measure_pages(n: int) -> dict[str, Any]:
    from django.test import Client

    from fpa.accounts.models import User
    from fpa.funds.models import Campaign

    client = Client()
    client.force_login(User.objects.get(username="sheng"))
    biggest = Campaign.unscoped_objects.get(name="抗击疫情募捐")
    city = Campaign.unscoped_objects.exclude(pk=biggest.pk).order_by("pk").first()
    pages = [
        ("campaign page (province, 1/5 of gifts)", f"/funds/campaigns/{biggest.pk}/", {}),
        ("campaign page (a city's)", f"/funds/campaigns/{city.pk}/", {}),
        ("donation register (province)", "/funds/donations/", {}),
        ("register, lacking receipt", "/funds/donations/", {"lacking": "on"}),
    ]
    rows = [time_page(DB, client, label, path, params, n) for label, path, params in pages]
    for r in rows:
        r.pop("sql", None)
        r["goal"] = PAGE_GOAL_MS
    return {"pages": rows}


def write_import_file(path: Path, rows: int, orgs: list[str]) -> None:
    from openpyxl import Workbook

    rng = random.Random(1414)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("捐赠")
    ws.append(["接收单位", "接收日期", "捐赠人类别", "捐赠人", "捐赠类别", "金额", "接收方式"])
    today = datetime.date.today()
    for i in range(rows):
        ws.append(
            [
                rng.choice(orgs),
                today - datetime.timedelta(days=rng.randint(1, 200)),
                "单位",
                f"导入企业{i % 3000:04d}",
                "资金",
                rng.choice([100, 500, 1000]),
                "银行转账",
            ]
        )
    wb.save(path)


def measure_import(rows: int) -> dict[str, Any]:
    from django.db import transaction

    from fpa.core.imports import accepted, preview
    from fpa.funds.donation_imports import Context, DonationSchema, commit_donations
    from fpa.kernel.scope import Actor
    from fpa.orgs.models import Level, Org

    province = Org.unscoped_objects.get(code="430000000000")
    codes = list(
        Org.unscoped_objects.filter(level=Level.COUNTY).values_list("code", flat=True)[:50]
    )
    path = VAR / "import-donations.xlsx"
    VAR.mkdir(parents=True, exist_ok=True)
    say(DB, f"writing {rows:,} gift rows (not timed)")
    write_import_file(path, rows, codes)
    actor = Actor.system(province)
    result: dict[str, Any] = {"rows": rows}
    try:
        with transaction.atomic():
            start = time.perf_counter()
            checked = preview(path, DonationSchema(), Context(actor), filename=path.name)
            result["preview_s"] = time.perf_counter() - start
            result["counts"] = checked.counts
            result["written"] = commit_donations(
                accepted(checked, "skip"), actor=actor, filename=path.name
            )
            result["total_s"] = time.perf_counter() - start
            raise Rollback
    except Rollback:
        pass
    say(DB, f"import: {result['total_s']:.1f} s ({rows / result['total_s']:,.0f} rows/s)")
    return result


def child(args: argparse.Namespace) -> None:
    setup_django()
    from fpa.funds.models import Donation

    result: dict[str, Any] = {}
    if args.task == "generate":
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        if not Donation.unscoped_objects.exists():
            result["timings"] = generate(args.donations, args.distributions)
        result["donations"] = Donation.unscoped_objects.count()
        from fpa.funds.models import Distribution

        result["distributions"] = Distribution.unscoped_objects.count()
    elif args.task == "pages":
        result = measure_pages(args.n)
    else:
        result = measure_import(args.import_rows)
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    Path(args.out).write_text(json.dumps(result, default=str))


def _exists(db: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(f"{PG_DSN} dbname={db}", connect_timeout=5):
            return True
    except psycopg.OperationalError:
        return False


def run(task: str, args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as fh:
        out = Path(fh.name)
    cmd = [sys.executable, __file__, "--child", "--task", task, "--out", str(out)]
    cmd += ["--donations", str(args.donations), "--distributions", str(args.distributions)]
    cmd += ["--import-rows", str(args.import_rows), "-n", str(args.n)]
    subprocess.run(cmd, env=child_env(pg_url(DB)), check=True)
    try:
        return json.loads(out.read_text())
    finally:
        out.unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--donations", type=int, default=1_000_000)
    parser.add_argument("--distributions", type=int, default=200_000)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("-n", type=int, default=20)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--task")
    parser.add_argument("--out")
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    if not (args.reuse and _exists(DB)) and (why := pg_recreate(DB)):
        print(f"donations benchmark skipped: PostgreSQL unreachable ({why})")
        return
    generated = run("generate", args)
    print(
        f"data set: {generated['donations']:,} donations, "
        f"{generated['distributions']:,} distributions in {DB}"
    )
    for label, seconds in (generated.get("timings") or {}).items():
        print(f"  {label}: {seconds:.1f} s")
    pages = run("pages", args)["pages"]
    lines = []
    for r in pages:
        ok = r.get("p95") is not None and r["p95"] < PAGE_GOAL_MS
        median = "-" if r.get("median") is None else f"{r['median']:.0f} ms"
        p95 = "-" if r.get("p95") is None else f"{r['p95']:.0f} ms"
        lines.append(
            [
                r["measure"],
                median,
                p95,
                str(r["queries"]),
                r.get("error") or ("OK" if ok else "SLOW"),
            ]
        )
    print_grid(["page", "median", "p95", "queries", f"goal p95 < {PAGE_GOAL_MS:.0f} ms"], lines)
    if args.import_rows:
        r = run("import", args)
        rate = r["rows"] / r["total_s"]
        print(
            f"\nimport of {r['rows']:,} gift rows: preview {r['preview_s']:.1f} s, "
            f"total {r['total_s']:.1f} s ({rate:,.0f} rows/s), written {r['written']:,}"
        )


if __name__ == "__main__":
    main()

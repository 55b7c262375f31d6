"""Assistance-program benchmark (issue 6) on PostgreSQL: entitlements and payment batches for
100,000 beneficiaries, and a bulk approval of 10,000 applications.

    .venv/bin/python bench/programs.py [--families 50000] [--sizes 10000,100000] [--approve 10000]
                                       [--reuse]

Generates special families (two parents each, so 100,000 beneficiaries by default) into its own
database `fpa_bench_programs` with bench/families.py's generator, then, each in a fresh child
process and inside a transaction rolled back afterwards (the data set stays as generated):

* enrol — the province's group health insurance for about N eligible persons
  (`enrolment.enrol_insurance`: an approved application, its decision, an entitlement, a policy
  and the budget charge each, one audit entry), then a payment batch for every county holding
  them (`payments.build_batch`, eligibility checked again, one audit entry each); seconds and
  growth of the peak RSS — the goal is under 60 s for 100,000 and a growth that does not follow N;
* approve — N pending hospital-care applications at the province's step, approved in one
  `services.bulk_decide` call (row lock, eligibility, rate, cap ledger, budget charge,
  entitlement each; one audit entry with a row per application); goal under 30 s for 10,000.

Prints figures, asserts nothing; never run in CI.
"""

from __future__ import annotations

import argparse
import datetime
import json
import resource
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
    child_env,
    pg_recreate,
    pg_url,
    print_grid,
    setup_django,
)

DB = "fpa_bench_programs"
ENROL_GOAL_S = 60.0
APPROVE_GOAL_S = 30.0


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Rollback(Exception):
    """Raised to undo a measurement's writes (the audit log is append-only, the data set fixed)."""


def _province_actor() -> Any:
    from fpa.accounts.models import Role, RoleAssignment, User
    from fpa.kernel.scope import Actor
    from fpa.orgs.models import Org

    province = Org.unscoped_objects.get(parent__isnull=True)
    user, created = User.objects.get_or_create(
        username="bench_approver", defaults={"org": province, "must_change_password": False}
    )
    if created:
        for code in ("clerk", "approver"):
            RoleAssignment.objects.create(user=user, role=Role.objects.get(code=code))
    return Actor.for_user(user)


def _program(actor: Any, kind: str, code: str, rate: dict, steps: list, budget: Decimal) -> Any:
    from fpa.programs import setup

    year = datetime.date.today().year
    return setup.create_program(
        {
            "code": code,
            "name": code,
            "kind": kind,
            "year": year,
            "funding_source": "local",
            "budget": budget,
            "eligibility": "family_member",
            "opens_on": datetime.date(year, 1, 1),
            "closes_on": datetime.date(year, 12, 31),
            "status": "open",
        },
        rate,
        steps,
        actor=actor,
    )


def _org_near(size: int) -> Any:
    """The smallest city or the province holding at least `size` family parents."""
    from django.db.models import Count

    from fpa.families.models import FamilyParent
    from fpa.orgs.models import Org

    counts = (
        FamilyParent.objects.filter(until__isnull=True)
        .values("person__city_id")
        .annotate(n=Count("pk"))
        .order_by("n")
    )
    for row in counts:
        if row["n"] >= size:
            return Org.unscoped_objects.get(pk=row["person__city_id"]), row["n"]
    province = Org.unscoped_objects.get(parent__isnull=True)
    return province, FamilyParent.objects.filter(until__isnull=True).count()


def measure_enrol(size: int) -> dict[str, Any]:
    from django.db import transaction

    from fpa.core.fields import protect
    from fpa.families.models import FamilyParent
    from fpa.orgs.models import Level, Org
    from fpa.programs import enrolment, payments, setup
    from fpa.programs.models import Entitlement, Payee

    actor = _province_actor()
    org, expected = _org_near(size)
    result: dict[str, Any] = {"org": org.name, "eligible": expected}
    try:
        with transaction.atomic():
            program = _program(
                actor,
                "insurance",
                "BENCH-BX",
                {"premium": "150"},
                [("county", "审批")],
                # Enough for every parent of the province: split by families, it covers any org.
                Decimal(150 * 2 * FamilyParent.objects.count()),
            )
            setup.split_budget(program, program.funding_org, "families", actor=actor)
            insurer = Payee.unscoped_objects.create(
                kind="insurer",
                name="保险公司",
                bank_name="工商银行",
                org=program.funding_org,
                **protect("6222021234567890123", "bank_account").as_fields("account"),
            )
            before = rss_mb()
            year = program.year
            t = time.perf_counter()
            enrolled = enrolment.enrol_insurance(
                program,
                org,
                insurer=insurer,
                group_policy="GP-BENCH",
                starts_on=datetime.date(year, 1, 1),
                ends_on=datetime.date(year, 12, 31),
                actor=actor,
            )
            result["enrol_s"] = time.perf_counter() - t
            counties = Org.unscoped_objects.filter(
                pk__in=Entitlement.unscoped_objects.filter(program=program)
                .values("county_id")
                .distinct(),
                level=Level.COUNTY,
            )
            t = time.perf_counter()
            lines = 0
            for county in counties:
                lines += payments.build_batch(
                    program, county, f"{year}-06", "icbc", actor=actor
                ).line_count
            result["batch_s"] = time.perf_counter() - t
            result["rss_growth_mb"] = rss_mb() - before
            result["persons"] = enrolled["persons"]
            result["lines"] = lines
            result["counties"] = counties.count()
            raise Rollback
    except Rollback:
        pass
    return result


def measure_approve(count: int) -> dict[str, Any]:
    from django.db import transaction

    from fpa.core.fields import protect
    from fpa.families.models import FamilyParent
    from fpa.programs import services
    from fpa.programs.models import Application, Entitlement, Payee

    actor = _province_actor()
    year = datetime.date.today().year
    result: dict[str, Any] = {}
    try:
        with transaction.atomic():
            program = _program(
                actor,
                "hospital_care",
                "BENCH-ZYHL",
                {"per_day": "50", "annual_cap": "3000"},
                [("province", "审批")],
                Decimal(500 * count),
            )
            parents = list(
                FamilyParent.objects.filter(until__isnull=True)
                .select_related("person")
                .order_by("pk")[:count]
            )
            payees = Payee.unscoped_objects.bulk_create(
                Payee(
                    kind="person",
                    name=p.person.name,
                    person=p.person,
                    bank_name="农商银行",
                    org_id=p.person.org_id,
                    **protect(f"62309{p.person_id:014d}", "bank_account").as_fields("account"),
                )
                for p in parents
            )
            admitted = datetime.date(year, 1, 5)
            details = {
                "hospital": "县人民医院",
                "admitted_on": admitted.isoformat(),
                "discharged_on": (admitted + datetime.timedelta(days=10)).isoformat(),
            }
            apps = Application.unscoped_objects.bulk_create(
                Application(
                    program=program,
                    number=f"BENCH-{p.person_id}",
                    person=p.person,
                    payee=payee,
                    details=details,
                    amount=Decimal("500.00"),
                    step=0,
                    org_id=p.person.org_id,
                    city_id=p.person.city_id,
                    county_id=p.person.county_id,
                    township_id=p.person.township_id,
                )
                for p, payee in zip(parents, payees, strict=True)
            )
            t = time.perf_counter()
            outcome = services.bulk_decide([a.pk for a in apps], "approve", actor=actor)
            result["approve_s"] = time.perf_counter() - t
            result["approved"] = outcome["done"]
            result["refused"] = len(outcome["refused"])
            result["entitlements"] = Entitlement.unscoped_objects.filter(program=program).count()
            if outcome["refused"]:
                result["first_refusal"] = outcome["refused"][0]["reason"]
            raise Rollback
    except Rollback:
        pass
    return result


def child(args: argparse.Namespace) -> None:
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from fpa.families.models import FamilyParent

    call_command("migrate", verbosity=0)
    result: dict[str, Any] = {}
    if args.task == "generate":
        from bench.families import generate

        if not FamilyParent.objects.exists():
            result["timings"] = generate(args.families, 0)
        result["parents"] = FamilyParent.objects.count()
    else:
        measure = measure_enrol if args.task == "enrol" else measure_approve
        if args.profile:
            import cProfile
            import pstats

            profile = cProfile.Profile()
            result = profile.runcall(measure, args.size)
            pstats.Stats(profile, stream=sys.stderr).sort_stats("cumulative").print_stats(40)
        else:
            result = measure(args.size)
    if args.task != "generate":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # the rolled-back rows would spoil the next run
    Path(args.out).write_text(json.dumps(result, default=str))


def _exists(db: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(f"{PG_DSN} dbname={db}", connect_timeout=5):
            return True
    except psycopg.OperationalError:
        return False


def run(task: str, size: int, args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as fh:
        out = Path(fh.name)
    env = child_env(pg_url(DB))
    cmd = [sys.executable, __file__, "--child", "--task", task, "--size", str(size)]
    cmd += ["--families", str(args.families), "--out", str(out)]
    if args.profile:
        cmd.append("--profile")
    subprocess.run(cmd, env=env, check=True)
    try:
        return json.loads(out.read_text())
    finally:
        out.unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--families", type=int, default=50_000)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--approve", type=int, default=10_000)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--task")
    parser.add_argument("--size", type=int, default=0)
    parser.add_argument("--out")
    parser.add_argument("--profile", action="store_true", help="cProfile each measurement")
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    if not (args.reuse and _exists(DB)) and (why := pg_recreate(DB)):
        print(f"programs benchmark skipped: PostgreSQL unreachable ({why})")
        return
    generated = run("generate", 0, args)
    print(f"data set: {generated['parents']} special-family parents in {DB}")
    for label, seconds in (generated.get("timings") or {}).items():
        print(f"  {label}: {seconds:.1f} s")
    lines = []
    for size in (int(s) for s in args.sizes.split(",") if s):
        r = run("enrol", size, args)
        total = r["enrol_s"] + r["batch_s"]
        lines.append(
            [
                f"enrol + batches, {r['org']}",
                f"{r['persons']:,} persons, {r['counties']} batches, {r['lines']:,} lines",
                f"{r['enrol_s']:.1f} s + {r['batch_s']:.1f} s = {total:.1f} s",
                f"+{r['rss_growth_mb']:.1f} MB",
                "OK" if total < ENROL_GOAL_S else "SLOW",
            ]
        )
    if args.approve:
        r = run("approve", args.approve, args)
        refused = f", {r['refused']} refused ({r.get('first_refusal', '')})" if r["refused"] else ""
        lines.append(
            [
                "bulk approve (province step)",
                f"{r['approved']:,} approved, {r['entitlements']:,} entitlements{refused}",
                f"{r['approve_s']:.1f} s",
                "-",
                "OK" if r["approve_s"] < APPROVE_GOAL_S else "SLOW",
            ]
        )
    print_grid(["measure", "rows", "time", "peak RSS growth", "goal"], lines)
    print(f"goals: enrol + batches < {ENROL_GOAL_S:.0f} s, memory flat;", end=" ")
    print(f"approve < {APPROVE_GOAL_S:.0f} s")


if __name__ == "__main__":
    main()

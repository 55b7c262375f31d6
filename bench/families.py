"""Special-family benchmark (issue 5): 150,000 family members and 1,000,000 care records on
PostgreSQL, then the coverage page for the province and a county, and a family's timeline.

    .venv/bin/python bench/families.py [--families 75000] [--care 1000000] [-n 10] [--reuse]

Generates into its own database `fpa_bench_families` (dropped and rebuilt unless --reuse finds
it filled); prints figures, asserts nothing; never run in CI.
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (  # noqa: E402
    child_env,
    percentile,
    pg_recreate,
    pg_url,
    print_grid,
    setup_django,
)

DB = "fpa_bench_families"
GOAL_MS = 300.0


def generate(families: int, care: int) -> dict[str, float]:
    from django.core.management import call_command
    from django.db import connection

    from fpa.accounts.models import Role, RoleAssignment, User
    from fpa.core.fields import protected_fields
    from fpa.core.idnumber import synthesize
    from fpa.families.models import (
        DoctorContract,
        FamilyEvent,
        FamilyParent,
        PairedContact,
        SpecialFamily,
    )
    from fpa.orgs.models import Level, Org
    from fpa.people.models import Household, HouseholdMember, Person

    timings: dict[str, float] = {}
    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_divisions", province="43", verbosity=0)
    timings["migrate + tree"] = time.perf_counter() - t
    rng = random.Random(5)
    province = Org.unscoped_objects.get(code="430000000000")
    county = Org.unscoped_objects.get(code="430121000000")
    for name, org in (("sheng", province), ("changshaxian", county)):
        user = User.objects.create(username=name, org=org, must_change_password=False)
        RoleAssignment.objects.create(user=user, role=Role.objects.get(code="clerk"))
    villages = list(
        Org.unscoped_objects.filter(level=Level.VILLAGE).only(
            "id", "code", "city_id", "county_id", "township_id", "path"
        )
    )
    t = time.perf_counter()
    persons, seen = [], set()
    while len(persons) < families * 2:
        v = rng.choice(villages)
        gender = "female" if len(persons) % 2 == 0 else "male"
        birth = datetime.date(rng.randint(1940, 1975), rng.randint(1, 12), rng.randint(1, 28))
        number = synthesize(v.code[:6], birth, rng.randrange(0, 999), gender)
        if number in seen:
            continue
        seen.add(number)
        p = Person(
            name="张" + rng.choice("桂兰秀英建国志强"),
            initials="z",
            gender=gender,
            birth_date=birth,
            **protected_fields("id_number", number, "id_number"),
        )
        p.place_in(v)
        persons.append(p)
    # Each couple lives in the mother's village.
    for i in range(1, len(persons), 2):
        persons[i].place_in(persons[i - 1].org)
    Person.unscoped_objects.bulk_create(persons, batch_size=5000)
    timings["persons"] = time.perf_counter() - t
    t = time.perf_counter()
    heads = persons[0::2]
    households = []
    for head in heads:
        h = Household(head=head)
        h.place_in(head.org)
        households.append(h)
    Household.unscoped_objects.bulk_create(households, batch_size=5000)
    HouseholdMember.objects.bulk_create(
        [HouseholdMember(household=h, person=h.head, relation="head") for h in households],
        batch_size=5000,
    )
    fams = []
    for h in households:
        recognized = datetime.date(rng.randint(2012, 2023), rng.randint(1, 12), 1)
        f = SpecialFamily(
            household=h,
            kind="bereaved",
            recognized_on=recognized,
            status_on=recognized,
            child_name="明",
            child_died_on=recognized - datetime.timedelta(days=200),
        )
        f.place_in(h.head.org)
        fams.append(f)
    SpecialFamily.unscoped_objects.bulk_create(fams, batch_size=5000)
    FamilyParent.objects.bulk_create(
        [
            FamilyParent(family=f, person=p, since=f.recognized_on)
            for f, pair in zip(fams, zip(persons[0::2], persons[1::2], strict=True), strict=True)
            for p in pair
        ],
        batch_size=5000,
    )
    FamilyEvent.objects.bulk_create(
        [
            FamilyEvent(family=f, on=f.recognized_on, status="active", org_id=f.org_id, note="认定")
            for f in fams
        ],
        batch_size=5000,
    )
    PairedContact.objects.bulk_create(
        [
            PairedContact(
                family=f,
                role=role,
                person=persons[rng.randrange(len(persons))],
                since=f.recognized_on,
            )
            for f in fams
            for role in ("cadre", "health_worker")
            if rng.random() < 0.85
        ],
        batch_size=5000,
    )
    today = datetime.date.today()
    DoctorContract.objects.bulk_create(
        [
            DoctorContract(
                family=f,
                doctor="医生",
                institution="卫生院",
                signed_on=today - datetime.timedelta(days=100),
                renewal_due=today + datetime.timedelta(days=265),
            )
            for f in fams
            if rng.random() < 0.6
        ],
        batch_size=5000,
    )
    timings["families, parents, contacts"] = time.perf_counter() - t
    t = time.perf_counter()
    kinds = ["visit", "visit", "visit", "emotional", "volunteer", "insurance"]
    columns = (
        "org_id",
        "city_id",
        "county_id",
        "township_id",
        "family_id",
        "kind",
        "on",
        "by_name",
        "what",
        "amount",
        "goods",
        "notes",
        "recorded_at",
    )
    now = datetime.datetime.now(datetime.UTC)
    with connection.cursor() as cursor:
        sql = (
            f"COPY families_carerecord ({', '.join(chr(34) + c + chr(34) for c in columns)}) "
            "FROM STDIN"
        )
        with cursor.cursor.copy(sql) as copy:
            for i in range(care):
                f = fams[i % len(fams)] if i < len(fams) else rng.choice(fams)
                on = today - datetime.timedelta(days=rng.randint(0, 1500))
                copy.write_row(
                    (
                        f.org_id,
                        f.city_id,
                        f.county_id,
                        f.township_id,
                        f.pk,
                        rng.choice(kinds),
                        max(on, f.recognized_on),
                        "专干",
                        "走访慰问",
                        0,
                        "",
                        "",
                        now,
                    )
                )
        cursor.execute("ANALYZE")
    timings["care records (COPY)"] = time.perf_counter() - t
    return timings


def measure(n: int) -> list[list[str]]:
    from django.test import Client

    from fpa.accounts.models import User
    from fpa.families.models import CareRecord, Festival, SpecialFamily

    festival = Festival.objects.filter(date__lte=datetime.date.today()).order_by("-date").first()
    busiest = (
        CareRecord.unscoped_objects.values("family_id").order_by("-family_id").first()["family_id"]
    )
    family = SpecialFamily.unscoped_objects.get(pk=busiest)
    pages = [
        ("sheng", "coverage page, province (snapshot)", "/families/coverage/", {}),
        (
            "sheng",
            f"coverage, province ({festival.name})",
            "/families/coverage/",
            {"festival": festival.pk},
        ),
        ("changshaxian", "coverage page, county (live)", "/families/coverage/", {}),
        ("changshaxian", "family list, county", "/families/", {}),
        (
            "changshaxian" if family.county and family.county.code == "430121000000" else "sheng",
            "family timeline page",
            f"/families/{family.pk}/",
            {},
        ),
    ]
    lines = []
    from fpa.families import coverage
    from fpa.kernel.scope import Actor

    sheng = Actor.for_user(User.objects.get(username="sheng"))
    end = coverage.quarter(datetime.date.today())[1]
    for f in (None, festival):
        t = time.perf_counter()
        coverage.compute_snapshot(sheng, sheng.org, end, f)
        seconds = time.perf_counter() - t
        lines.append(
            [
                f"snapshot job, province ({f.name if f else 'this quarter'})",
                f"{seconds:.1f} s",
                "-",
                "background",
                "job",
            ]
        )
    for username, label, path, params in pages:
        client = Client()
        client.force_login(User.objects.get(username=username))
        client.get(path, params)
        times = []
        for _ in range(n):
            t = time.perf_counter()
            response = client.get(path, params)
            times.append((time.perf_counter() - t) * 1000)
        med, p95 = sorted(times)[len(times) // 2], percentile(times, 95)
        verdict = (
            "OK"
            if p95 < GOAL_MS and response.status_code == 200
            else (f"HTTP {response.status_code}" if response.status_code != 200 else "SLOW")
        )
        lines.append([label, f"{med:.0f} ms", f"{p95:.0f} ms", f"< {GOAL_MS:.0f} ms", verdict])
    return lines


def child(args: argparse.Namespace) -> None:
    setup_django()
    from django.core.management import call_command

    from fpa.families.models import CareRecord, FamilyParent

    result: dict[str, Any] = {}
    call_command("migrate", verbosity=0)  # a reused database may predate a migration
    if not args.reuse or not CareRecord.unscoped_objects.exists():
        result["timings"] = generate(args.families, args.care)
    result["counts"] = {
        "family members": FamilyParent.objects.count(),
        "care records": CareRecord.unscoped_objects.count(),
    }
    result["pages"] = measure(args.n)
    Path(args.out).write_text(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--families", type=int, default=75_000)
    parser.add_argument("--care", type=int, default=1_000_000)
    parser.add_argument("-n", type=int, default=10)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--out")
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    if not args.reuse and (why := pg_recreate(DB)):
        print(f"families benchmark skipped: PostgreSQL unreachable ({why})")
        return
    import subprocess
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as fh:
        out = Path(fh.name)
    env = child_env(pg_url(DB))
    cmd = [
        sys.executable,
        __file__,
        "--child",
        "--out",
        str(out),
        "-n",
        str(args.n),
        "--families",
        str(args.families),
        "--care",
        str(args.care),
    ]
    if args.reuse:
        cmd.append("--reuse")
    subprocess.run(cmd, env=env, check=True)
    result = json.loads(out.read_text())
    out.unlink()
    print(
        "\nSpecial families on PostgreSQL:",
        ", ".join(f"{v:,} {k}" for k, v in result["counts"].items()),
    )
    for step, seconds in result.get("timings", {}).items():
        print(f"  generate {step}: {seconds:.1f} s")
    print_grid(["page", "median", "p95", "goal", ""], result["pages"])


if __name__ == "__main__":
    main()

"""Child task `big-pages`: the registry lists on the province data set, with their plans.

Two clerks (role "clerk"), one at the province and one at 长沙县, are created once. Each list
page is timed like the tree pages (warm-ups, then N requests through Django's test Client,
page rendered), and the SQL of one request is kept: the list query (LIMIT) and the count
(COUNT(*), from the Paginator) are then run again under EXPLAIN (ANALYZE, BUFFERS).
"""

from __future__ import annotations

from typing import Any

from common import Row, say, time_page

CLERKS = (("bench_province", "430000000000"), ("bench_county", "430121000000"))
PAGES = (
    ("members 长沙县 q=王 (county clerk)", "bench_county", "/people/members/", {"q": "王"}),
    ("members province (province clerk)", "bench_province", "/people/members/", {}),
    ("persons 长沙县 q=王 (county clerk)", "bench_county", "/people/", {"q": "王"}),
    ("persons province (province clerk)", "bench_province", "/people/", {}),
    ("members 长沙县 (county clerk)", "bench_county", "/people/members/", {}),
    ("members province q=王 (province clerk)", "bench_province", "/people/members/", {"q": "王"}),
    ("duplicates 长沙县 (county clerk)", "bench_county", "/people/duplicates/", {}),
    ("duplicates province (province clerk)", "bench_province", "/people/duplicates/", {}),
)


def clerks() -> dict[str, Any]:
    """The two clerks, created once in the data set."""
    from django.utils import timezone

    from fpa.accounts.models import Role, RoleAssignment, User
    from fpa.orgs.models import Org

    role = Role.objects.get(code="clerk")
    users = {}
    for username, code in CLERKS:
        org = Org.unscoped_objects.get(code=code)
        user, created = User.objects.get_or_create(
            username=username, defaults={"display_name": f"基准测试 {org.name}", "org": org}
        )
        if created:
            user.set_unusable_password()
            user.must_change_password = False
            user.password_changed_at = timezone.now()
            user.save()
        RoleAssignment.objects.get_or_create(user=user, role=role)
        users[username] = user
    return users


def explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return "\n".join(line for (line,) in cursor.fetchall())


def slow_queries(statements: list[str]) -> list[tuple[str, str]]:
    """The list query and the count of a page, by the table they read."""
    found = []
    for sql in statements:
        reads = ' FROM "people_membership"' in sql or ' FROM "people_person"' in sql
        if not reads:
            continue
        kind = "count" if sql.startswith("SELECT COUNT(*)") else "list"
        if kind == "count" or " LIMIT " in sql:
            found.append((kind, sql))
    return found


def sizes() -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        tables: dict[str, Any] = {}
        for table in ("people_person", "people_membership"):
            cursor.execute(
                f"SELECT count(*), pg_size_pretty(pg_total_relation_size('{table}')) FROM {table}"
            )
            rows, size = cursor.fetchone()
            tables[table] = {"rows": rows, "size": size}
        cursor.execute(
            "SELECT count(*) FROM people_person p JOIN orgs_org o ON o.id = p.county_id"
            " WHERE o.code = '430121000000'"
        )
        tables["persons_in_changsha_county"] = cursor.fetchone()[0]
        cursor.execute("SHOW shared_buffers")
        tables["shared_buffers"] = cursor.fetchone()[0]
    return tables


def run(label: str, n: int) -> dict[str, Any]:
    from django.test import Client

    users = clerks()
    clients = {}
    for username, user in users.items():
        clients[username] = Client()
        clients[username].force_login(user)
    rows: list[Row] = []
    plans = []
    for measure, username, path, params in PAGES:
        row = time_page(label, clients[username], measure, path, params, n)
        for kind, sql in slow_queries(row.pop("sql")):
            say(label, f"EXPLAIN ANALYZE {kind} of {measure}")
            plans.append({"page": measure, "kind": kind, "sql": sql, "plan": explain(sql)})
        rows.append(row)
    return {"rows": rows, "plans": plans, "sizes": sizes()}

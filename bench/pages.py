"""Child task `pages`: migrate, load the Hunan tree (timed) and the demo, then time the pages."""

from __future__ import annotations

import io
import time

from common import Row, say, time_page

LOAD_GOAL_S = 30.0


def run(label: str, n: int, timed: bool = True) -> list[Row]:
    """The load row, then (when `timed`) a row per page."""
    from django.core.management import call_command
    from django.db.models import Q
    from django.test import Client

    from fpa.accounts.models import User
    from fpa.orgs.models import Org

    say(label, "migrate")
    call_command("migrate", verbosity=0)
    say(label, "load_divisions --province 43 (timed)")
    start = time.perf_counter()
    call_command("load_divisions", province="43", stdout=io.StringIO())
    load_s = time.perf_counter() - start
    total = Org.unscoped_objects.count()
    say(label, f"loaded {total:,} orgs in {load_s:.1f} s; load_demo")
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
    if not timed:
        return rows

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
        ("funds page /funds/ (province)", "/funds/", {}),
        ("transfer register /funds/transfers/", "/funds/transfers/", {}),
        ("project board /funds/projects/board/", "/funds/projects/board/", {}),
    ]
    for measure, path, params in pages:
        row = time_page(label, client, measure, path, params, n)
        row.pop("sql")
        rows.append(row)
    return rows

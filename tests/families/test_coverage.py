"""Coverage rules at period boundaries: active on the last day, held by the org then."""

from __future__ import annotations

import datetime

from fpa.families import coverage, services
from fpa.families.models import CoverageRule
from tests.conftest import actor_of
from tests.families.conftest import make_family

D = datetime.date
Q3_END = D(2021, 9, 30)


def gaps(users, end, festival=None, who="county"):
    return {f.pk: f.gaps for f in coverage.with_gaps(actor_of(users[who]), end, festival)}


def test_a_visit_on_the_last_day_of_the_quarter_counts_and_the_next_day_does_not(family, users):
    actor = actor_of(users["county"])
    assert "gap_visit" in gaps(users, Q3_END)[family.pk]
    services.record_care(
        family, {"kind": "visit", "on": D(2021, 10, 1), "what": "走访"}, actor=actor
    )
    assert "gap_visit" in gaps(users, Q3_END)[family.pk]
    services.record_care(family, {"kind": "visit", "on": Q3_END, "what": "走访"}, actor=actor)
    assert "gap_visit" not in gaps(users, Q3_END)[family.pk]
    assert "gap_visit" not in gaps(users, D(2021, 12, 31))[family.pk]


def test_the_rule_is_data(family, users):
    CoverageRule.objects.filter(kind="visit").update(period="year")
    services.record_care(
        family,
        {"kind": "visit", "on": D(2021, 2, 1), "what": "走访"},
        actor=actor_of(users["county"]),
    )
    assert "gap_visit" not in gaps(users, Q3_END)[family.pk]
    CoverageRule.objects.filter(kind="visit").update(enabled=False)
    assert "gap_visit" not in gaps(users, D(2022, 3, 31))[family.pk]


def test_a_family_counts_only_if_active_on_the_last_day(users, tree):
    fam = make_family(users, tree, seq=330)
    assert fam.pk not in gaps(users, D(2019, 12, 31))  # recognized later
    services.end_family(fam, D(2021, 9, 30), "迁居外省", actor=actor_of(users["county"]))
    assert fam.pk not in gaps(users, Q3_END)
    assert fam.pk in gaps(users, D(2021, 6, 30))


def test_a_moved_family_counts_for_the_org_that_held_it_then(users, tree):
    fam = make_family(users, tree, seq=340)
    services.end_family(
        fam,
        D(2021, 8, 1),
        "随子女搬迁",
        "relocate",
        actor=actor_of(users["county"]),
        to_org=tree["430121002001"],
    )
    county = tree["430121000000"]
    rows, totals = coverage.by_child_org(actor_of(users["county"]), county, D(2021, 6, 30), None)
    counts = {r["org"].name: r["families"] for r in rows}
    assert counts == {"星沙街道": 1, "黄花镇": 0}
    rows, _ = coverage.by_child_org(actor_of(users["county"]), county, Q3_END, None)
    assert {r["org"].name: r["families"] for r in rows} == {"星沙街道": 0, "黄花镇": 1}


def test_festival_and_arrangement_gaps(family, users, festival):
    row = gaps(users, D(2021, 10, 31), festival)[family.pk]
    assert {"gap_festival", "gap_contact", "gap_doctor"} <= set(row)
    services.record_care(
        family,
        {"kind": "visit", "on": D(2021, 10, 10), "what": "重阳慰问", "festival": festival},
        actor=actor_of(users["county"]),
    )
    services.set_doctor(
        family,
        {
            "doctor": "王医生",
            "institution": "星沙卫生院",
            "signed_on": D(2021, 1, 1),
            "renewal_due": D(2022, 1, 1),
        },
        actor=actor_of(users["county"]),
    )
    row = gaps(users, D(2021, 10, 31), festival)[family.pk]
    assert "gap_festival" not in row and "gap_doctor" not in row


def test_outsider_sees_no_family_in_coverage(family, users):
    assert gaps(users, Q3_END, who="outsider") == {}


def test_province_coverage_is_read_from_a_snapshot_the_job_computes(family, users, client_for):
    from fpa.core.models import Job

    client = client_for(users["province"])
    before = client.get("/families/coverage/", {"end": "2021-09-30"}).content.decode()
    assert "尚未统计过本期" in before and 'data-testid="total-families">0<' in before
    client.post("/families/coverage/refresh/", {"end": "2021-09-30"})
    job = Job.unscoped_objects.get(kind="families.coverage")
    assert job.status == "done" and job.result["next_url"].startswith("/families/coverage/?")
    after = client.get("/families/coverage/", {"end": "2021-09-30"}).content.decode()
    assert "的统计结果" in after and 'data-testid="total-families">1<' in after
    live_rows, live_totals = coverage.by_child_org(
        actor_of(users["province"]), users["province"].org, Q3_END, None
    )
    assert live_totals["families"] == 1


def test_refresh_command_fills_the_snapshots(family, users, tree):
    from django.core.management import call_command

    from fpa.families.models import CoverageSnapshot

    call_command("refresh_coverage")
    assert CoverageSnapshot.objects.filter(org=tree["430000000000"]).exists()
    assert CoverageSnapshot.objects.filter(org=tree["430100000000"]).exists()


def test_coverage_table_exports_as_shown_with_its_total(family, users, client_for):
    import io

    from openpyxl import load_workbook

    client = client_for(users["county"])
    page = client.get("/families/coverage/", {"end": "2021-09-30"}).content.decode()
    assert 'data-testid="coverage-export"' in page
    response = client.get("/families/coverage/", {"end": "2021-09-30", "format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][:2] == ["单位", "在册家庭"] and "走访" in "".join(map(str, rows[0]))
    assert rows[-1][0] == "合计" and rows[-1][1] == 1
    assert sum(r[1] for r in rows[1:-1]) == 1
    outsider = client_for(users["outsider"])
    other = outsider.get("/families/coverage/", {"end": "2021-09-30", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(other.content)).active
    assert list(sheet.iter_rows(values_only=True))[-1][1] == 0

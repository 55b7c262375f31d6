"""Budgets and transfers from a finance office's sheet, through the one import flow."""

from __future__ import annotations

from decimal import Decimal

from openpyxl import Workbook

from fpa.core.models import Job
from fpa.funds.models import BudgetLine, Transfer
from fpa.orgs.picker import label_of

from .conftest import YEAR


def _sheet(path, header, rows):
    wb = Workbook()
    ws = wb.active
    ws.append([f"{YEAR}年下拨明细表"])  # a title row above the header, as offices write them
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def _upload(client, url, path) -> Job:
    with open(path, "rb") as fh:
        client.post(url, {"file": fh})
    return Job.unscoped_objects.filter(kind__endswith=".preview").latest("created_at")


def test_transfers_of_a_line_import_all_or_none(province_line, users, tree, client_for, tmp_path):
    client = client_for(users["province"])
    url = f"/funds/lines/{province_line.pk}/transfers/import/"
    header = ["收款单位", "下拨金额", "下达文号", "下达日期", "备注"]
    path = _sheet(
        tmp_path / "下拨.xlsx",
        header,
        [
            [
                label_of(tree["430100000000"]),
                600000,
                "湘计生协〔2026〕8号",
                "2026-03-15",
                "工作经费",
            ],
            ["430200000000", "400,000.00", "湘计生协〔2026〕8号", "2026/3/15", None],
            ["湖南省", 1, "X", "2026-03-15", None],  # the line's own org: not below it
        ],
    )
    job = _upload(client, url, path)
    assert (job.result["counts"]["new"], job.result["counts"]["rejected"]) == (2, 1)
    assert any("只能下拨给湖南省的下级单位" in e["reason"] for e in job.result["errors"])
    client.post(f"{url}{job.pk}/commit/")
    assert sorted(Transfer.unscoped_objects.values_list("amount", flat=True)) == [
        Decimal("400000.00"),
        Decimal("600000.00"),
    ]
    province_line.refresh_from_db()
    assert province_line.remaining == 0
    # A second sheet past the balance: nothing written, the job says why.
    more = _sheet(tmp_path / "追加.xlsx", header, [["430100000000", 1, "X", "2026-04-01", None]])
    job = _upload(client, url, more)
    client.post(f"{url}{job.pk}/commit/")
    commit = Job.unscoped_objects.filter(kind="funds.import.transfers.commit").latest("created_at")
    assert "结余 0.00 元" in commit.message and "created" not in commit.result
    assert Transfer.unscoped_objects.count() == 2


def test_a_years_budget_lines_import_with_their_programs_and_skip_those_there(
    province_line, users, tree, client_for, tmp_path
):
    client = client_for(users["province"])
    header = ["单位", "年度", "资金来源", "用途", "项目编号", "预算金额", "文号"]
    path = _sheet(
        tmp_path / "预算.xlsx",
        header,
        [
            ["湖南省", YEAR, "本级财政", "本级工作经费", None, 1000000, "湘财社〔2026〕1号"],
            ["长沙县", YEAR, "中国计生协", "本级工作经费", None, "250000", "中计生协〔2026〕2号"],
            ["长沙县", YEAR, "本级财政", "帮扶项目", "NOPE", 5, None],
            ["浏阳市", "两千", "本级财政", "本级工作经费", None, 5, None],
        ],
    )
    job = _upload(client, "/funds/lines/import/", path)
    counts = job.result["counts"]
    assert (counts["new"], counts["unchanged"], counts["rejected"]) == (1, 1, 2)
    reasons = " ".join(e["reason"] for e in job.result["errors"])
    assert "找不到编号为“NOPE”的帮扶项目" in reasons
    client.post(f"/funds/lines/import/{job.pk}/commit/")
    line = BudgetLine.unscoped_objects.get(org=tree["430121000000"])
    assert (line.source, line.planned, line.versions.get().doc_number) == (
        "cfpa",
        Decimal("250000.00"),
        "中计生协〔2026〕2号",
    )

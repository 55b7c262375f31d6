"""The funds pages as a clerk uses them: the funds page, a line, passing money down, the
register and their files; another county's line is a 404."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import load_workbook

from fpa.audit.models import LogEntry
from fpa.core.models import Job
from fpa.funds.models import BudgetLine, Transfer
from fpa.orgs.picker import label_of

from .conftest import YEAR


def test_province_clerk_passes_money_to_a_county_from_the_line_page(
    province_line, users, tree, client_for
):
    client = client_for(users["province"])
    county = tree["430121000000"]
    url = f"/funds/lines/{province_line.pk}/"
    page = client.get(url).content.decode()
    assert "1,000,000.00" in page and "湘财社〔2026〕1号" in page
    response = client.post(
        f"{url}transfer/",
        {
            "to_org": label_of(county),
            "amount": "250000",
            "doc_number": "湘计生协〔2026〕7号",
            "on": f"{YEAR}-04-01",
        },
    )
    assert response.status_code == 302
    assert Transfer.unscoped_objects.get().org == county
    # Past what is left: the form says so and nothing is written.
    page = client.post(
        f"{url}transfer/",
        {"to_org": label_of(county), "amount": "750000.01", "doc_number": "X", "on": "2026-04-02"},
    ).content.decode()
    assert "湖南省该科目结余 750,000.00 元" in page or "湖南省该科目结余 750000.00 元" in page
    assert Transfer.unscoped_objects.count() == 1


def test_funds_page_shows_lines_share_and_children(province_line, users, tree, client_for):
    from fpa.funds import ledger
    from tests.conftest import actor_of

    ledger.transfer(
        province_line,
        tree["430121000000"],
        Decimal("400000"),
        doc_number="D1",
        on=province_line.versions.get().effective_on,
        actor=actor_of(users["province"]),
    )
    client = client_for(users["province"])
    page = client.get("/funds/", {"year": YEAR}).content.decode()
    assert 'data-testid="share">40.0%' in page
    assert "长沙市" in page  # the county's money is in its city's row
    assert "100.00 万元" in page or "100.00" in page
    # The county sees the money as its own budget, received from above.
    county = client_for(users["county"]).get("/funds/", {"year": YEAR}).content.decode()
    assert "上级转移支付" in county and "400,000.00" in county


def test_an_org_without_lines_says_what_to_do(users, client_for):
    page = client_for(users["county"]).get("/funds/", {"year": YEAR}).content.decode()
    assert 'data-testid="empty"' in page and "新增预算科目" in page


def test_another_countys_line_is_a_404_and_its_transfers_are_not_listed(
    province_line, users, tree, client_for
):
    from fpa.funds import ledger
    from tests.conftest import actor_of

    ledger.transfer(
        province_line,
        tree["430121000000"],
        Decimal("5"),
        doc_number="长沙县专项",
        on=province_line.versions.get().effective_on,
        actor=actor_of(users["province"]),
    )
    line = BudgetLine.unscoped_objects.get(org=tree["430121000000"])
    outsider = client_for(users["outsider"])
    assert outsider.get(f"/funds/lines/{line.pk}/").status_code == 404
    assert outsider.post(f"/funds/lines/{line.pk}/revise/", {}).status_code == 404
    assert "长沙县专项" not in outsider.get("/funds/transfers/").content.decode()
    assert "长沙县专项" in client_for(users["county"]).get("/funds/transfers/").content.decode()


def test_clerk_adds_and_revises_a_line_from_the_pages(users, tree, client_for):
    client = client_for(users["county"])
    response = client.post(
        "/funds/lines/add/",
        {
            "org": label_of(tree["430121000000"]),
            "year": YEAR,
            "source": "local",
            "purpose": "operations",
            "amount": "4810000",
            "doc_number": "长财〔2026〕2号",
            "reason": "年初预算",
        },
    )
    line = BudgetLine.unscoped_objects.get()
    assert response.status_code == 302 and line.planned == Decimal("4810000.00")
    client.post(
        f"/funds/lines/{line.pk}/revise/",
        {"amount": "5000000", "on": f"{YEAR}-06-30", "reason": "追加"},
    )
    line.refresh_from_db()
    assert line.planned == Decimal("5000000.00") and line.versions.count() == 2
    # A half-filled form: a message, nothing written.
    page = client.post("/funds/lines/add/", {"year": YEAR, "amount": "x"}).content.decode()
    assert "errorlist" in page or "invalid-feedback" in page
    assert BudgetLine.unscoped_objects.count() == 1


def test_the_register_and_the_lines_leave_as_files_and_are_audited(
    province_line, users, tree, client_for
):
    from fpa.funds import ledger
    from tests.conftest import actor_of

    ledger.transfer(
        province_line,
        tree["430100000000"],
        Decimal("12345.6"),
        doc_number="=HYPERLINK(1)",
        on=province_line.versions.get().effective_on,
        actor=actor_of(users["province"]),
    )
    client = client_for(users["province"])
    client.post("/funds/transfers/export/", {"format": "xlsx", "year": YEAR})
    job = Job.unscoped_objects.get(kind="funds.export.transfers")
    data = b"".join(client.get(f"/jobs/{job.pk}/download/").streaming_content)
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert rows[1][1] == "=HYPERLINK(1)"  # a text cell, shown as typed, never a formula
    assert rows[1][3] == "长沙市" and Decimal(str(rows[1][7])) == Decimal("12345.60")
    response = client.post("/funds/export/", {"format": "xlsx", "year": YEAR})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][:5] == ("湖南省", YEAR, "本级工作经费", "本级工作经费", "本级财政")
    actions = set(LogEntry.unscoped_objects.values_list("action", flat=True))
    assert {"fpa.funds.transfers_exported", "fpa.funds.lines_exported"} <= actions


def test_clerk_records_a_payment_on_the_line_page(province_line, users, client_for):
    client = client_for(users["province"])
    url = f"/funds/lines/{province_line.pk}/"
    response = client.post(
        f"{url}spend/",
        {"s-amount": "3200", "s-on": f"{YEAR}-05-06", "s-voucher": "记-05-12", "s-payee": "印刷厂"},
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "记-05-12" in page and "3,200.00" in page
    # Past the remainder: the form says so and nothing changes.
    page = client.post(
        f"{url}spend/",
        {"s-amount": "996800.01", "s-on": f"{YEAR}-05-06", "s-voucher": "X", "s-payee": "Y"},
    ).content.decode()
    assert "不足以支出" in page
    province_line.refresh_from_db()
    assert province_line.spent == Decimal("3200.00")

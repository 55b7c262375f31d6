from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from fpa.families.models import FamilyParent
from fpa.programs import setup
from fpa.programs.banks import REF
from tests.conftest import actor_of
from tests.factories import UserFactory
from tests.families.conftest import make_family
from tests.programs.conftest import make_program

from .conftest import login

ACCOUNT = "6230901234567890123"


@pytest.fixture
def journey(transactional_db, users, tree):
    """A province hospital-care program whose budget reached 长沙县, a special-family mother in
    湖湾村, and the chain's reviewer (星沙街道) and approver (长沙县)."""
    staff = {
        **users,
        "reviewer": UserFactory(username="shenhe", org=tree["430121001000"], roles=["reviewer"]),
        "approver": UserFactory(username="shenpi", org=tree["430121000000"], roles=["approver"]),
    }
    program = make_program(staff)
    province = actor_of(staff["province"])
    setup.split_budget(program, program.funding_org, "equal", actor=province)
    setup.split_budget(program, tree["430100000000"], "equal", actor=province)
    family = make_family(staff, tree)
    return {"program": program, "family": family, "mother": family.parents.get().person}


def switch(page, username: str) -> None:
    page.click("button:text('退出')")
    page.wait_for_url("**/accounts/login/**")
    login(page, username)


def bank_return(path: Path, ref: str, account: str, amount: str) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append([REF, "收款账号", "金额", "处理结果"])
    sheet.append([ref, account, float(amount), "成功"])
    book.save(path)
    return path


def test_a_hospital_stay_goes_from_the_village_to_the_bank_and_the_family_page_shows_the_money(
    page, journey, tmp_path, shoot
):
    program, mother = journey["program"], journey["mother"]

    # The village clerk files from the person page, with the discharge summary.
    login(page, "village")
    page.goto(page.base_url + f"/people/{mother.pk}/")
    page.click("text=申请帮扶项目")
    page.click(f"[data-testid=programs] a[href^='/programs/{program.pk}/apply/']")
    assert page.inner_text("[data-testid=applicant]") == mother.name
    page.fill("#id_bank_name", "长沙农商银行星沙支行")
    page.fill("#id_account", ACCOUNT)
    page.fill("#id_hospital", "长沙县人民医院")
    page.fill("#id_admitted_on", "2026-03-01")
    page.fill("#id_discharged_on", "2026-03-11")
    summary = tmp_path / "出院小结.pdf"
    summary.write_bytes(b"%PDF-1.4\n% discharge summary\n")
    page.set_input_files("#id_attachment", str(summary))
    page.fill("#id_attachment_label", "出院小结")
    shoot("programs-apply")
    page.click("[data-testid=submit]")
    page.wait_for_url("**/programs/applications/*/")
    number = page.inner_text("h1").removeprefix("申请 ").strip()
    application_url = page.url
    assert page.inner_text("[data-testid=status]") == "审批中"
    assert page.inner_text("[data-testid=amount]") == "500.00"
    assert "出院小结" in page.content()

    # The township reviewer approves it from the worklist.
    switch(page, "shenhe")
    page.goto(page.base_url + "/programs/worklist/")
    page.check(f"input[aria-label='选择 {number}']")
    shoot("programs-worklist")
    # Approving money asks first, with the count and the sum; saying no changes nothing.
    asked: list[str] = []
    page.once("dialog", lambda d: (asked.append(d.message), d.dismiss()))
    page.click("[data-testid=bulk-approve]")
    assert asked and asked[0].startswith("同意所选 1 份申请，合计 500.00 元")
    assert number in page.inner_text("[data-testid=worklist]")
    page.once("dialog", lambda d: d.accept())
    page.click("[data-testid=bulk-approve]")
    page.wait_for_selector("text=已处理 1 份")
    assert number not in page.inner_text("[data-testid=worklist]")

    # The county approver approves it on the application page.
    switch(page, "shenpi")
    page.goto(application_url)
    page.click("[data-testid=decide] button:text-is('同意')")
    page.wait_for_selector("[data-testid=status]:text-is('已批准')")
    shoot("programs-application")

    # The county clerk builds the batch, types the control totals and exports the bank file.
    switch(page, "county")
    page.goto(page.base_url + "/programs/batches/")
    page.select_option("#id_program", str(program.pk))
    page.select_option("#id_county", label="长沙县")
    page.fill("#id_period", "2026-06")
    page.select_option("#id_bank", "icbc")
    page.click("[data-testid=build] button[type=submit]")
    page.wait_for_url("**/programs/batches/*/")
    batch_url = page.url
    assert page.inner_text("[data-testid=line-count]") == "1"
    assert page.inner_text("[data-testid=total]") == "500.00"
    page.fill("#id_export-control_count", "1")
    page.fill("#id_export-control_total", "500.00")
    page.once("dialog", lambda d: (asked.append(d.message), d.accept()))
    with page.expect_download() as info:
        page.click("button:text('核对并导出')")
    assert "本批次 1 笔、合计 500.00 元" in asked[-1]
    bank_file = tmp_path / "bank.xlsx"
    info.value.save_as(bank_file)
    header, line = list(load_workbook(bank_file).active.iter_rows(values_only=True))
    row = dict(zip(header, line, strict=True))
    assert row["收款人账号"] == ACCOUNT and str(row["金额(元)"]) in ("500", "500.0", "500.00")

    # The bank's return file comes back; the clerk checks it and commits it.
    page.goto(batch_url)
    assert page.inner_text("[data-testid=batch-status]") == "已导出，待银行回盘"
    page.click("[data-testid=return-upload]")
    returned = bank_return(tmp_path / "回盘.xlsx", row[REF], ACCOUNT, "500.00")
    page.set_input_files("#id_file", str(returned))
    page.click("button:text('上传并检查')")
    page.click("[data-testid=next]")
    assert "将入账 1 笔" in page.inner_text("[data-testid=summary]")
    asked_to_commit: list[str] = []
    page.once("dialog", lambda d: (asked_to_commit.append(d.message), d.accept()))
    page.click("[data-testid=commit]")
    page.click("[data-testid=next]")
    page.wait_for_selector("[data-testid=batch-status]:text-is('已结清')")
    shoot("programs-batch")

    # The family page shows the money paid.
    family = FamilyParent.objects.get(person=mother).family
    page.goto(page.base_url + f"/families/{family.pk}/")
    assert page.inner_text("[data-testid=paid-total]") == "500.00"
    shoot("programs-family-paid")

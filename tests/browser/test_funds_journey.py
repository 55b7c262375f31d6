"""A province finance clerk in a real browser: enters the year's budget, passes earmarked money
to a county, and the county clerk sees it as budget and spends it through a program (issue 14's
"done when", the budget half)."""

from __future__ import annotations

import datetime

import pytest

from fpa.programs import setup
from tests.conftest import actor_of
from tests.factories import UserFactory
from tests.families.conftest import make_family
from tests.programs.conftest import approve_all, file, make_program, person_payee

from .conftest import login

YEAR = datetime.date.today().year


@pytest.fixture
def program(transactional_db, users, tree):
    return make_program(users, code=f"ZYHL{YEAR}", year=YEAR)


def test_budget_transfer_and_a_program_spending_it(page, users, tree, program, shoot):
    login(page, "sheng")
    page.goto(page.base_url + "/funds/lines/add/")
    page.select_option("select[name=source]", "local")
    page.select_option("select[name=purpose]", "operations")
    page.fill("input[name=amount]", "57500000")
    page.fill("input[name=doc_number]", f"湘财社〔{YEAR}〕1号")
    page.click("[data-testid=line-form] button[type=submit]")
    page.wait_for_url("**/funds/lines/*/")
    assert "57,500,000.00" in page.content()
    # Pass 1,500,000 to 长沙县, chosen by name; the clerk is asked first.
    box = page.locator("[data-testid=transfer-form] input[data-org-picker]")
    box.fill("长沙县 · 长沙市")
    page.fill("[data-testid=transfer-form] input[name=amount]", "1500000")
    page.fill("[data-testid=transfer-form] input[name=doc_number]", f"湘计生协〔{YEAR}〕8号")
    page.once("dialog", lambda d: d.accept())
    page.click("[data-testid=transfer-form] button[type=submit]")
    page.wait_for_selector("text=已下拨 1500000.00 元给长沙县")
    assert page.inner_text("[data-testid=remaining]") == "56,000,000.00"
    page.goto(page.base_url + f"/funds/?year={YEAR}")
    assert page.inner_text("[data-testid=share]").startswith("2.6")  # 1.5 of 57.5 million
    shoot("funds-province")
    # The program's budget passes down as transfers in the same register.
    province = actor_of(users["province"])
    setup.split_budget(program, program.funding_org, "equal", actor=province)
    setup.split_budget(program, tree["430100000000"], "equal", actor=province)
    reviewer = UserFactory(username="shenhe", org=tree["430121001000"], roles=["reviewer"])
    approver = UserFactory(username="shenpi", org=tree["430121000000"], roles=["approver"])
    staff = {**users, "reviewer": reviewer, "approver": approver}
    mother = make_family(users, tree).parents.get().person
    approve_all(file(program, mother, person_payee(mother), staff), staff)
    page.context.clear_cookies()
    login(page, "county")
    page.goto(page.base_url + f"/funds/?year={YEAR}")
    content = page.content()
    assert "1,500,000.00" in content and "上级转移支付" in content
    # The county spends through the program: the approval is committed on its program line.
    row = page.locator("[data-testid=lines] tr", has_text="住院护理补贴")
    assert "500.00" in row.inner_text()
    shoot("funds-county")
    page.goto(page.base_url + "/funds/transfers/")
    assert f"湘计生协〔{YEAR}〕8号" in page.content() and f"ZYHL{YEAR} 预算分配" in page.content()

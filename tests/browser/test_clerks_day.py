"""The clerk's day in a real browser (issue 13 point 13): the org picker suggests orgs by name
as the clerk types and the list filters by the one chosen; each role's home page says what
waits for it."""

from __future__ import annotations

import pytest

from fpa.programs import setup
from tests.conftest import actor_of
from tests.factories import UserFactory
from tests.families.conftest import make_family
from tests.programs.conftest import file, make_program, person_payee

from .conftest import login


@pytest.fixture
def day(transactional_db, users, tree):
    """A program with a pending application at 星沙街道's review step, and its reviewer."""
    staff = {
        **users,
        "reviewer": UserFactory(username="shenhe", org=tree["430121001000"], roles=["reviewer"]),
        "auditor": UserFactory(username="shenji", org=tree["430121000000"], roles=["auditor"]),
    }
    program = make_program(staff)
    province = actor_of(staff["province"])
    setup.split_budget(program, program.funding_org, "equal", actor=province)
    setup.split_budget(program, tree["430100000000"], "equal", actor=province)
    family = make_family(staff, tree)
    return {"staff": staff, "program": program, "mother": family.parents.get().person}


def test_the_org_picker_suggests_by_name_and_the_list_filters_by_it(page, day, shoot):
    login(page, "county")
    page.goto(page.base_url + "/people/")
    box = page.locator("form[method=get] input[data-org-picker]")
    box.click()
    box.press_sequentially("星沙", delay=30)
    page.wait_for_function(
        "() => [...document.querySelectorAll('datalist option')]"
        ".some(o => o.value.startsWith('星沙街道'))"
    )
    options = page.eval_on_selector_all("datalist option", "els => els.map(e => e.value)")
    assert "星沙街道 · 长沙县 · 长沙市" in options
    assert not any("淮川" in o for o in options)  # another county is never offered
    box.fill("星沙街道 · 长沙县 · 长沙市")
    shoot("org-picker")
    page.click("form[method=get] button[type=submit]")
    page.wait_for_url("**/people/?*org=*")
    assert (
        page.input_value("form[method=get] input[data-org-picker]") == "星沙街道 · 长沙县 · 长沙市"
    )
    assert "在您的管辖范围内" not in page.content()


def test_the_org_picker_browses_down_the_tree_to_a_village(page, day, shoot):
    login(page, "county")
    page.goto(page.base_url + "/people/")
    field = page.locator("form[method=get] [data-org-field]")
    field.locator("[data-testid=org-browse]").click()
    panel = field.locator("[data-testid=org-browse-panel]")
    rows = panel.locator("[data-testid=org-browse-row]")
    rows.first.wait_for()
    assert "星沙街道" in rows.first.inner_text()
    assert "浏阳市" not in panel.inner_text() and "淮川" not in panel.inner_text()
    rows.filter(has_text="星沙街道").locator("button[hx-get]").click()
    village = rows.filter(has_text="湖湾村村民委员会")
    village.wait_for()
    assert "长沙县" in panel.locator(".breadcrumb").inner_text()  # the way back up
    shoot("org-picker-browse")
    village.locator("[data-org-choose]").click()
    assert panel.count() == 0  # chosen: the panel closes
    box = field.locator("input[data-org-picker]")
    assert box.input_value() == "湖湾村村民委员会 · 星沙街道 · 长沙县"
    page.click("form[method=get] button[type=submit]")
    page.wait_for_url("**/people/?*org=*")
    assert box.input_value() == "湖湾村村民委员会 · 星沙街道 · 长沙县"
    assert "在您的管辖范围内" not in page.content()
    # back up the breadcrumb from a village's township to the county
    field.locator("[data-testid=org-browse]").click()
    rows.filter(has_text="星沙街道").locator("button[hx-get]").click()
    panel.locator(".breadcrumb button", has_text="长沙县").click()
    rows.filter(has_text="黄花镇").wait_for()


@pytest.mark.parametrize(
    "username, sees",
    [
        ("county", ["登记人员", "计生特殊家庭", "项目资金已发放"]),
        ("village", ["登记人员", "有待办事项的特殊家庭"]),
        ("sheng", ["登记人员", "有待办事项的特殊家庭"]),
    ],
)
def test_each_clerks_home_shows_what_waits_and_the_headline_figures(
    page, day, shoot, username, sees
):
    login(page, username)
    text = page.inner_text("main, .page-wrapper")
    for words in sees:
        assert words in text, (username, words)
    assert text.index("待办") < text.index("登记人员")
    shoot(f"home-{username}")


def test_the_reviewers_home_counts_the_applications_waiting_for_it(page, day, shoot):
    login(page, "shenhe")
    waiting = page.locator("[data-testid=todo]", has_text="待我审批的申请")
    assert waiting.count() == 0  # nothing to review yet
    file(day["program"], day["mother"], person_payee(day["mother"]), day["staff"])
    page.reload()
    shoot("home-reviewer")
    item = page.locator("[data-testid=todo]", has_text="待我审批的申请")
    assert item.locator("[data-testid=todo-count]").inner_text() == "1"
    item.click()
    page.wait_for_url("**/programs/worklist/")
    assert "ZYHL2026" in page.inner_text("[data-testid=worklist]")


def test_an_auditor_starts_on_the_audit_log(page, day):
    login(page, "shenji")
    assert page.url.endswith("/audit/")

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from fpa.people.models import Person
from tests.people.conftest import id_for
from tests.people.test_import import workbook

from .conftest import login


@pytest.fixture
def live_users(transactional_db, users, tree):
    return users


def test_clerk_imports_a_sheet_with_bad_rows_reads_the_preview_and_commits_the_good_ones(
    page, live_users, tmp_path, shoot
):
    good = id_for("430121", seq=80)
    bad = good[:-1] + ("1" if good[-1] != "1" else "2")
    path = workbook(
        [
            ["王桂英", good, "13812345678", "星沙街道湖湾村", "2021-05-29"],
            ["钱多多", bad, "", "湖湾村", ""],
            ["吴九", id_for("430121", seq=90), "", "不存在村", ""],
        ],
        tmp_path / "花名册.xlsx",
    )
    login(page, "county")
    page.goto(page.base_url + "/people/")
    page.click("text=从 Excel 导入")
    page.set_input_files("#id_file", str(path))
    page.click("button:text('上传并检查')")
    page.click("[data-testid=next]")
    assert page.inner_text("[data-testid=count-new]") == "1"
    assert page.inner_text("[data-testid=count-rejected]") == "2"
    assert "校验位" in page.inner_text("[data-testid=errors]")
    shoot("import-preview")
    with page.expect_download() as info:
        page.click("[data-testid=error-report]")
    report = tmp_path / "report.xlsx"
    info.value.save_as(report)
    assert load_workbook(report).active.max_row == 3
    asked_to_commit: list[str] = []
    page.once("dialog", lambda d: (asked_to_commit.append(d.message), d.accept()))
    page.click("[data-testid=commit]")
    # the confirmation said what would be written and what would not
    assert asked_to_commit and "有误的 2 行不导入" in asked_to_commit[0]
    page.click("[data-testid=next]")
    assert "王桂英" in page.inner_text("[data-testid=persons]")
    assert Person.unscoped_objects.filter(name="王桂英").exists()
    assert not Person.unscoped_objects.filter(name="钱多多").exists()


def test_registration_form_checks_the_number_while_typing(page, live_users):
    login(page, "county")
    page.goto(page.base_url + "/people/add/")
    page.fill("#id_id_number", "43012119680309")
    page.wait_for_selector("[data-testid=check]:has-text('18位')")
    page.fill("#id_id_number", id_for("430121", seq=82))
    page.wait_for_selector("[data-testid=check]:has-text('1968-03-09')")


def test_province_clerk_searches_duplicates_in_the_background_and_merges_one(
    page, live_users, tree
):
    import datetime

    from fpa.people import services
    from tests.conftest import actor_of

    county = actor_of(live_users["county"])
    first = services.register_person(
        {"name": "张桂兰", "id_number": id_for("430121"), "org": tree["430121001001"]}, actor=county
    )
    services.register_person(
        {
            "name": "张桂兰",
            "id_type": "none",
            "birth_date": datetime.date(1968, 3, 9),
            "org": tree["430121001002"],
        },
        actor=county,
    )
    login(page, "sheng")
    page.goto(page.base_url + "/people/duplicates/")
    page.click("text=开始查找")
    page.click("[data-testid=next]")
    assert page.locator("[data-testid=duplicate-group]").count() == 1
    page.click("text=合并到第一条")
    page.click("text=确认合并")
    page.wait_for_selector("text=已将记录")
    page.goto(page.base_url + "/people/duplicates/")
    assert page.locator("[data-testid=duplicate-group]").count() == 0
    assert "之后合并的记录已不再列出" in page.inner_text("[data-testid=duplicate-search]")
    assert Person.unscoped_objects.get(pk=first.pk).status == "active"

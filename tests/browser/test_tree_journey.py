from __future__ import annotations

import pytest

from fpa.orgs.models import Org, Status
from tests.browser.conftest import login


@pytest.fixture
def live_tree(transactional_db, users, tree):
    return tree


def test_clerk_drills_down_to_a_village_and_edits_its_profile(page, live_tree, shoot):
    login(page, "county")
    shoot("dashboard-county")
    page.click("text=组织网络")
    page.click("li:has(> a:text-is('长沙县')) > .toggle")
    page.click("li:has(> a:text-is('星沙街道')) > .toggle")
    page.wait_for_selector("a:text-is('湖湾村村民委员会')")
    shoot("tree-county")
    page.click("a:text-is('湖湾村村民委员会')")
    assert page.inner_text("[data-testid=org-name]") == "湖湾村村民委员会"
    page.click("text=编辑概况")
    page.select_option("#id_status", "established")
    page.fill("#id_established_on", "2021-05-29")
    page.fill("#id_address", "湖湾村村部二楼")
    page.click("button:text('保存')")
    page.wait_for_selector("text=概况已保存")
    assert page.inner_text("[data-testid=address]") == "湖湾村村部二楼"
    assert page.inner_text("[data-testid=org-status]") == "已成立"
    shoot("org-village-edited")
    village = Org.unscoped_objects.get(code="430121001001")
    assert village.status == Status.ESTABLISHED and village.address == "湖湾村村部二楼"


def test_tree_search_finds_by_pinyin_initials_as_you_type(page, live_tree):
    login(page, "county")
    page.goto(page.base_url + "/orgs/")
    page.fill("#tree-q", "hhc")
    page.wait_for_selector("#tree-search >> text=黄花村村民委员会")
    assert "长沙县 / 黄花镇" in page.inner_text("#tree-search")


def test_dashboard_draws_the_sites_chart(page, live_tree, shoot):
    login(page, "sheng")
    page.wait_for_selector(".chart canvas")
    assert page.inner_text("[data-testid=level-village]") == "5"
    shoot("dashboard-mini-province")


def test_village_user_cannot_open_the_neighbour_village(page, live_tree):
    login(page, "village")
    neighbour = live_tree["430121001002"]
    response = page.goto(page.base_url + f"/orgs/{neighbour.pk}/")
    assert response.status == 404
    assert "开元社区" not in page.content()


def test_export_shows_progress_and_offers_the_file(page, live_tree):
    login(page, "county")
    county = live_tree["430121000000"]
    page.goto(page.base_url + f"/orgs/{county.pk}/")
    page.click("button:text('导出 Excel')")
    page.wait_for_selector("[data-testid=download]")
    with page.expect_download() as info:
        page.click("[data-testid=download]")
    assert info.value.suggested_filename == "长沙县-组织名录.xlsx"

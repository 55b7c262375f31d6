from __future__ import annotations

import pytest

from fpa.accounts.models import Role
from tests.browser.conftest import login
from tests.factories import UserFactory


@pytest.fixture
def admin(transactional_db, users, tree):
    return UserFactory(username="cs_admin", org=tree["430121000000"], roles=["org_admin"])


def test_org_admin_creates_a_clerk_who_must_change_the_password_and_sees_only_their_subtree(
    page, admin, tree, shoot
):
    login(page, "cs_admin")
    page.click("text=账号管理")
    page.click("text=新建账号")
    page.fill("#id_username", "hh_clerk")
    page.fill("#id_display_name", "黄花镇专干")
    page.fill("#id_org_code", "430121002000")
    page.fill("#id_password", "Huang#hua21")
    clerk_role = Role.objects.get(code="clerk")
    page.check(f"input[name=roles][value='{clerk_role.pk}']")
    shoot("account-create")
    page.click("button:text('创建')")
    page.wait_for_selector("text=首次登录须修改密码")
    page.click("button:text('退出')")

    login(page, "hh_clerk", "Huang#hua21")
    assert "首次登录" in page.inner_text("[data-testid=password-reason]")
    page.fill("#id_old_password", "Huang#hua21")
    page.fill("#id_new_password", "Hh@2021new")
    page.fill("#id_new_password2", "Hh@2021new")
    page.click("button:text('保存新密码')")
    page.wait_for_selector("text=密码已修改")
    assert "黄花镇 · 工作概览" in page.content()
    page.click("text=组织网络")
    page.click("li:has(> a:text-is('黄花镇')) > .toggle")
    page.wait_for_selector("a:text-is('黄花村村民委员会')")
    assert "星沙街道" not in page.inner_text(".tree")
    response = page.goto(page.base_url + f"/orgs/{tree['430121001000'].pk}/")
    assert response.status == 404

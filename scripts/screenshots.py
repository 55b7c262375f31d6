"""Take the README's screenshots from a running `make run` server (http://127.0.0.1:8000).

Usage: .venv/bin/python scripts/screenshots.py [BASE_URL]
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.browser.conftest import CHROMIUM, LAUNCH_ARGS  # noqa: E402  (the tests' browser)

OUT = ROOT / "docs" / "screenshots"
PASSWORD = "Fpa@2021demo"


def login(page: Page, base: str, username: str) -> None:
    """Log in as `username`, leaving whoever was logged in before."""
    page.context.clear_cookies()
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=whoami]")


def main(base: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        page = browser.new_page(locale="zh-CN", viewport={"width": 1366, "height": 900})
        login(page, base, "sheng")
        page.wait_for_selector(".chart canvas")
        page.screenshot(path=OUT / "dashboard-province.png", full_page=True)
        page.goto(base + "/orgs/")
        page.click("li:has(> a:text-is('湖南省')) > .toggle")
        page.click("li:has(> a:text-is('长沙市')) > .toggle")
        page.click("li:has(> a:text-is('长沙县')) > .toggle")
        page.wait_for_selector("a:text-is('星沙街道')")
        page.screenshot(path=OUT / "tree-province.png", full_page=True)
        page.click("a:text-is('长沙县')")
        page.wait_for_selector("[data-testid=children]")
        page.screenshot(path=OUT / "org-county.png", full_page=True)
        login(page, base, "cun")
        page.screenshot(path=OUT / "dashboard-village.png", full_page=True)
        page.click("[data-testid=my-org]")
        page.screenshot(path=OUT / "org-village.png", full_page=True)
        login(page, base, "changshaxian_admin")
        page.goto(base + "/accounts/users/add/")
        page.screenshot(path=OUT / "account-create.png", full_page=True)
        login(page, base, "changshaxian")
        page.goto(base + "/people/")
        page.screenshot(path=OUT / "people-list.png", full_page=True)
        page.click("[data-testid=persons] a >> nth=0")
        page.screenshot(path=OUT / "person.png", full_page=True)
        page.goto(base + "/people/members/")
        page.screenshot(path=OUT / "members.png", full_page=True)
        page.goto(base + "/people/add/")
        page.fill("#id_id_number", "43012119680309001")
        page.wait_for_selector("[data-testid=check]")
        page.screenshot(path=OUT / "person-add-check.png", full_page=True)
        page.goto(base + "/programs/")
        page.click("[data-testid=programs] a >> nth=0")
        page.wait_for_selector(".chart canvas")
        page.screenshot(path=OUT / "program-county.png", full_page=True)
        page.goto(base + "/programs/batches/")
        page.click("[data-testid=batches] tr:has-text('已结清') a")
        page.screenshot(path=OUT / "program-batch.png", full_page=True)
        login(page, base, "xingsha_shenhe")
        page.screenshot(path=OUT / "dashboard-reviewer.png", full_page=True)
        page.goto(base + "/programs/worklist/")
        page.screenshot(path=OUT / "program-worklist.png", full_page=True)
        login(page, base, "sheng")
        page.goto(base + "/funds/")
        page.wait_for_selector(".chart canvas")
        page.screenshot(path=OUT / "funds-province.png", full_page=True)
        page.goto(base + "/funds/projects/?state=evaluated")
        page.click("[data-testid=projects] a >> nth=0")
        page.screenshot(path=OUT / "project.png", full_page=True)
        page.goto(base + "/funds/projects/board/")
        page.screenshot(path=OUT / "project-board.png", full_page=True)
        login(page, base, "sheng_audit")
        page.screenshot(path=OUT / "audit-log.png", full_page=True)
        browser.close()
    print(f"screenshots written to {OUT}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")

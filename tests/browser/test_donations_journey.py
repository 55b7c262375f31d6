"""A county clerk enters a gift for the county's campaign and its receipt, voids and reissues the
receipt, gives a medic money from the gift, and finds it on the medic's page."""

from __future__ import annotations

import datetime

from fpa.funds import donations
from fpa.funds.models import Distribution
from tests.conftest import actor_of
from tests.funds.donation_helpers import medic
from tests.people.conftest import id_for

from .conftest import login


def test_from_a_gift_to_a_distribution_to_the_persons_page(
    page, transactional_db, users, tree, shoot
):
    county = tree["430121000000"]
    donations.create_campaign(
        county, "抗疫募捐", datetime.date(2026, 1, 25), actor=actor_of(users["county"])
    )
    person = medic(users, tree, name="李医生")
    login(page, "county")
    page.goto(page.base_url + "/funds/donations/")
    page.click("a.btn:has-text('登记捐赠')")
    page.select_option("#id_donor_kind", "organisation")
    page.fill("#id_donor_name", "湘江爱心企业")
    page.select_option("#id_kind", "cash")
    page.fill("#id_amount", "9000")
    page.fill("#id_received_on", "2026-02-10")
    page.select_option("#id_channel", "bank")
    page.select_option("#id_campaign", label="抗疫募捐（长沙县）")
    page.click("[data-testid=donation-form] button[type=submit]")
    page.wait_for_selector("text=已登记捐赠")
    assert "未开票据" in page.locator("[data-testid=current-receipt]").inner_text()
    page.fill("[data-testid=receipt-form] input[name=number]", "43012026000001")
    page.fill("[data-testid=receipt-form] input[name=issued_on]", "2026-02-11")
    page.click("[data-testid=receipt-form] button[type=submit]")
    page.wait_for_selector("text=已登记票据 43012026000001")
    page.fill("[data-testid=void-form] input[name=reason]", "抬头有误")
    page.fill("[data-testid=void-form] input[name=on]", "2026-02-12")
    asked: list[str] = []
    page.once("dialog", lambda d: (asked.append(d.message), d.accept()))
    page.click("[data-testid=void-form] button[type=submit]")
    page.wait_for_selector("text=已作废")
    assert "作废票据 43012026000001" in asked[0]
    page.fill("[data-testid=reissue-form] input[name=number]", "43012026000002")
    page.fill("[data-testid=reissue-form] input[name=issued_on]", "2026-02-12")
    page.click("[data-testid=reissue-form] button[type=submit]")
    page.wait_for_selector("text=已补开票据 43012026000002")
    shoot("donation")
    page.click("a.btn:has-text('登记发放')")
    page.fill("#id_id_number", id_for("430121", seq=31))
    page.fill("#id_amount", "4500")
    page.fill("#id_on", "2026-03-01")
    page.fill("#id_purpose", "一线医务人员慰问金")
    page.select_option("#id_campaign", label="抗疫募捐（长沙县）")
    page.locator("[data-testid=usable] input").first.fill("4500")
    page.once("dialog", lambda d: d.accept())
    page.click("[data-testid=distribution-form] button[type=submit]")
    page.wait_for_selector("text=已登记发放")
    assert Distribution.objects.for_actor(actor_of(users["county"])).get().person == person
    page.click("text=受助人信息")
    received = page.locator("[data-testid=donations-received]")
    assert "4,500.00" in received.inner_text() and "抗疫募捐" in received.inner_text()
    shoot("donations-received")

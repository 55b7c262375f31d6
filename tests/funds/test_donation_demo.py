"""The donations' demo: the foundation's epidemic campaign, gifts in cash and kind, receipts (one
voided and reissued) and medics paid 4,000–5,000 yuan each."""

from __future__ import annotations

import datetime
from decimal import Decimal

from fpa import figures
from fpa.funds import donation_demo
from fpa.funds.models import Campaign, Distribution, DonationReceipt
from fpa.programs import demo as programs_demo
from tests.programs.test_demo import demo_tree  # noqa: F401  (the programs demo's fixture)


def test_the_demo_foundation_raises_and_pays_medics(demo_tree):  # noqa: F811
    assert donation_demo.load() is True
    year = programs_demo.demo_year(datetime.date.today())
    campaign = Campaign.unscoped_objects.get(name=donation_demo.CAMPAIGN)
    foundation = campaign.org
    assert (foundation.name, foundation.parent) == (
        donation_demo.FOUNDATION,
        demo_tree["430000000000"],
    )
    province = demo_tree["430000000000"]
    cash = figures.figure("funds.donations_cash", province, year, campaign=campaign)
    goods = figures.figure("funds.donations_goods", province, year, campaign=campaign)
    assert cash > Decimal("5000000") and Decimal("2800000") < goods < Decimal("3000000")
    paid = Distribution.unscoped_objects.filter(person__isnull=False)
    assert paid.exists() and {d.amount for d in paid} <= {
        Decimal("4000.00"),
        Decimal("4500.00"),
        Decimal("5000.00"),
    }
    voided = DonationReceipt.unscoped_objects.get(status="voided")
    assert voided.reissued_as.status == "issued"
    assert donation_demo.load() is False  # idempotent

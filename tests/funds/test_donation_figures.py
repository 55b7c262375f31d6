"""The donations' figures: cash and goods raised, given, persons and households helped, for any
org and year, and per campaign."""

from __future__ import annotations

import datetime
from decimal import Decimal

from fpa import figures
from fpa.funds import donations
from tests.conftest import actor_of

from .donation_helpers import ON, gift, give, medic


def test_raised_given_and_helped_roll_up_and_read_per_campaign(users, tree):
    province, county, village = tree["430000000000"], tree["430121000000"], tree["430121001001"]
    campaign = donations.create_campaign(
        province, "抗疫募捐", ON, actor=actor_of(users["province"])
    )
    big = gift(users, province, "50000", who="province", campaign=campaign)
    gift(users, county, "2000")
    gift(
        users,
        village,
        "3000",
        who="village",
        kind="in_kind",
        item="口罩",
        quantity=Decimal("3000"),
        unit="只",
        valuation="market",
        channel="handover",
    )
    a, b = medic(users, tree, 31, "甲"), medic(users, tree, 32, "乙")
    for person in (a, b, a):
        give(users, province, person, "4500", [(big.pk, "4500")], who="province", campaign=campaign)
    got = figures.many(
        [
            "funds.donations_cash",
            "funds.donations_goods",
            "funds.distributed",
            "funds.helped_persons",
        ],
        province,
        2026,
    )
    assert got == {
        "funds.donations_cash": Decimal("52000.00"),
        "funds.donations_goods": Decimal("3000.00"),
        "funds.distributed": Decimal("13500.00"),
        "funds.helped_persons": 2,
    }
    assert figures.figure("funds.donations_cash", county, 2026) == Decimal("2000.00")
    assert figures.figure("funds.donations_goods", county, 2026) == Decimal("3000.00")
    assert figures.figure("funds.donations_cash", province, 2026, campaign=campaign) == Decimal(
        "50000.00"
    )
    assert figures.figure("funds.donations_cash", province, 2025) == Decimal("0.00")
    assert figures.figure("funds.distributed", province, None, campaign=campaign) == Decimal(
        "13500.00"
    )
    assert datetime.date(2026, 1, 1) <= ON

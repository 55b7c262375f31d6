"""The funds demo on the mini tree: the report's budget, its growth, and money passed down."""

from __future__ import annotations

import datetime
from decimal import Decimal

from fpa import figures
from fpa.funds import demo as funds_demo
from fpa.funds.models import BudgetLine, Transfer
from fpa.programs import demo as programs_demo
from tests.programs.test_demo import demo_tree  # noqa: F401  (the programs demo's fixture)


def test_the_demo_has_the_reports_budget_and_passes_money_down(demo_tree):  # noqa: F811
    assert programs_demo.load() is True
    assert funds_demo.load() is True
    year = programs_demo.demo_year(datetime.date.today())
    province = demo_tree["430000000000"]
    got = figures.many(
        ["funds.budget", "funds.budget_growth", "funds.passed_share"], province, year
    )
    assert got["funds.budget"] == Decimal("57500000.00")
    assert got["funds.budget_growth"] == Decimal("1560000.00")
    assert got["funds.passed_share"] > 90  # the report: more than 90% passed down
    county = demo_tree["430121000000"]
    assert Transfer.unscoped_objects.filter(org=county, sender=demo_tree["430100000000"]).exists()
    assert BudgetLine.unscoped_objects.filter(org=county, source="cfpa").count() == 0
    assert figures.figure("funds.received", county, year) > 0
    assert funds_demo.load() is False  # idempotent

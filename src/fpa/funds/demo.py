"""Demo data for the funds: the demo year's budget of the province (the 2021 work report's
57.5 million yuan, 1.56 million more than the year before) and of 长沙县 (a first-level budget
unit), the national association's pilot money, and transfers down to the demo cities and
counties. The programs' own lines and their transfers come from the programs' demo (the
programs draw on the ledger).

Through the ledger's services with the demo province clerk as actor, so the versions, the
register and the audit log are what the pages would have written. Idempotent: nothing is done
when the province has its demo-year operations line. Called from `fpa.demo.loader.load`.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from fpa.accounts.models import User
from fpa.core.money import split
from fpa.kernel.scope import Actor
from fpa.orgs.models import Kind, Org
from fpa.programs.demo import demo_year

from . import ledger, selectors
from .models import BudgetLine, Purpose, Source

PROVINCE, CHANGSHA, CHANGSHA_COUNTY = "430000000000", "430100000000", "430121000000"
#: the province's budget in the report's year and the year before (yuan)
BUDGET, LAST_YEAR = Decimal("57500000"), Decimal("55940000")
#: the national association's support for pilot projects (the report: 3 million and more)
CFPA = Decimal("3000000")
#: 华容县's budget as a first-level budget unit in the report, given to the demo county
COUNTY_BUDGET = Decimal("4810000")
#: operations money the province passes to its cities (split evenly), and 长沙市 on to counties
TO_CITIES = Decimal("6000000")
TO_COUNTIES = {"430121000000": "1500000", "430181000000": "1000000"}


def load(today: datetime.date | None = None) -> bool:
    today = today or datetime.date.today()
    year = demo_year(today)
    province = Org.unscoped_objects.filter(code=PROVINCE).first()
    user = User.objects.filter(username="sheng").first()
    if province is None or user is None:
        return False  # not a demo database
    done = BudgetLine.unscoped_objects.filter(
        org=province, year=year, purpose=Purpose.OPERATIONS, source=Source.LOCAL
    )
    if done.exists():
        return False
    actor = Actor.for_user(user, "127.0.0.1")
    jan = datetime.date(year, 1, 1)
    ledger.open_line(
        province,
        year - 1,
        Source.LOCAL,
        Purpose.OPERATIONS,
        LAST_YEAR,
        doc_number=f"湘财社〔{year - 1}〕1号",
        actor=actor,
    )
    # The programs' lines are this year's budget too: the operations line is what is left.
    programs = selectors.totals(province, year).budget
    operations = ledger.open_line(
        province,
        year,
        Source.LOCAL,
        Purpose.OPERATIONS,
        BUDGET - CFPA - programs,
        doc_number=f"湘财社〔{year}〕1号",
        actor=actor,
    )
    pilots = ledger.open_line(
        province,
        year,
        Source.CFPA,
        Purpose.OPERATIONS,
        CFPA,
        doc_number=f"中计生协〔{year}〕12号",
        reason="中国计生协试点项目经费",
        actor=actor,
    )
    county = Org.unscoped_objects.filter(code=CHANGSHA_COUNTY).first()
    if county is not None:
        ledger.open_line(
            county,
            year,
            Source.LOCAL,
            Purpose.OPERATIONS,
            COUNTY_BUDGET,
            doc_number=f"长县财〔{year}〕3号",
            reason="一级预算单位年初预算",
            actor=actor,
        )
    march = max(jan, min(today, datetime.date(year, 3, 15)))
    cities = list(province.children.filter(kind=Kind.TERRITORIAL).order_by("path"))
    for city, amount in zip(cities, split(TO_CITIES, [1] * len(cities)), strict=True):
        ledger.transfer(
            operations,
            city,
            amount,
            doc_number=f"湘计生协〔{year}〕8号",
            on=march,
            note="市州计生协工作经费",
            actor=actor,
        )
    city_line = BudgetLine.unscoped_objects.filter(
        org__code=CHANGSHA, year=year, purpose=Purpose.OPERATIONS, source=Source.TRANSFER
    ).first()
    counties = {o.code: o for o in Org.unscoped_objects.filter(code__in=list(TO_COUNTIES))}
    if city_line is not None:
        for code, text in TO_COUNTIES.items():
            if code in counties:
                ledger.transfer(
                    city_line,
                    counties[code],
                    Decimal(text),
                    doc_number=f"长计生协〔{year}〕5号",
                    on=march,
                    note="县级计生协工作经费",
                    actor=actor,
                )
    if county is not None:
        ledger.transfer(
            pilots,
            county,
            Decimal("500000"),
            doc_number=f"湘计生协〔{year}〕15号",
            on=march,
            note="中国计生协试点项目（暖心家园）",
            actor=actor,
        )
    return True


# The donations' demo (funds/donation_demo.py) runs after the budgets, from the same entry point.
_load_budgets = load


def load(today: datetime.date | None = None) -> bool:  # type: ignore[no-redef]
    """The budgets, then the foundation's donations; True when either was added."""
    from . import donation_demo

    budgets = _load_budgets(today)
    return donation_demo.load(today) or budgets

"""The funds figures: an org's own budget for a year and what it passed down; the project
library's projects by state and grade, counted over the subtree where they were applied for.

A budget is the org's own (its lines: what it planned and what was passed down to it), never a
sum over its subtree — a county's budget already holds what the city passed down, so adding the
two would count that money twice. These figures are therefore not additive: a parent's value is
not the sum of its children's, and each child's value is its own.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.db.models import Aggregate, Count, Q, QuerySet

from fpa.figures.registry import Figure, Period, Value
from fpa.orgs.models import Org

from . import selectors
from .models import Project, ProjectKind, ProjectState, Source

NAMES = {
    "funds.budget": ("本级预算", "元"),
    "funds.budget_growth": ("本级预算比上年增加", "元"),
    "funds.received": ("收到上级转移支付", "元"),
    "funds.passed_down": ("下拨下级资金", "元"),
    "funds.passed_share": ("下拨比例", "%"),
    "funds.cfpa": ("中国计生协支持资金", "元"),
}


def _values(now: selectors.Totals, before: selectors.Totals, cfpa: Decimal) -> dict[str, Value]:
    share = now.passed_share
    return {
        "funds.budget": now.budget,
        "funds.budget_growth": now.budget - before.budget,
        "funds.received": now.received,
        "funds.passed_down": now.transferred,
        # A per-cent figure is read to one place; 0 where the org held no budget.
        "funds.passed_share": share if share is not None else Decimal("0.0"),
        "funds.cfpa": cfpa,
    }


def own_budget(org: Org, period: Period) -> tuple[dict[str, Value], dict[int, dict[str, Value]]]:
    """`org`'s own figures and each child's own, from one grouped query."""
    if period.year is None:
        return {}, {}
    year = period.year
    children = list(Org.unscoped_objects.filter(parent=org).values_list("pk", flat=True))
    got = selectors.totals_by_org([org.pk, *children], [year, year - 1])
    empty = selectors.Totals()

    def of(pk: int) -> dict[str, Value]:
        now = got.get((pk, year), {})
        before = got.get((pk, year - 1), {})
        total = selectors.Totals()
        for part in now.values():
            total.merge(part)
        last = selectors.Totals()
        for part in before.values():
            last.merge(part)
        cfpa = now.get(Source.CFPA, empty)
        return _values(total, last, cfpa.budget)

    return of(org.pk), {pk: of(pk) for pk in children}


def projects(period: Period) -> QuerySet:
    """The library's projects of the period's year, where they were applied for."""
    qs = Project.unscoped_objects.all()
    return qs if period.year is None else qs.filter(year=period.year)


#: the grades of the bands kept as data (`GradeBand`), by the name a figure carries
GRADES = {"excellent": "优", "good": "良", "fair": "中", "poor": "差"}


def _count(**where: str) -> Callable[[], Aggregate]:
    return lambda: Count("pk", filter=Q(**where))


FIGURES = [
    *(
        Figure(name, label, unit, None, additive=False, computed=own_budget, own=True)
        for name, (label, unit) in NAMES.items()
    ),
    Figure("funds.projects", "项目库项目", "个", projects, stock=False),
    *(
        Figure(
            f"funds.projects.{state}",
            f"处于“{label}”的项目",
            "个",
            projects,
            stock=False,
            measure=_count(state=state),
        )
        for state, label in ProjectState.choices
    ),
    *(
        Figure(
            f"funds.projects.{key}",
            f"绩效评价为“{grade}”的项目",
            "个",
            projects,
            stock=False,
            measure=_count(grade=grade),
        )
        for key, grade in GRADES.items()
    ),
    Figure(
        "funds.cfpa_pilots",
        "中国计生协试点项目",
        "个",
        projects,
        stock=False,
        measure=_count(kind=ProjectKind.CFPA_PILOT),
    ),
]


# ---------------------------------------------------------------- donations (issue 14 points 4–5)
# Flows by the date the gift was received and the date it was given; each takes an optional
# `campaign=` (a campaign's page or a report reads one campaign, over all its years with
# year=None). Money raised and given is additive over the tree (each gift is held by one org);
# persons and households helped count each once however often and wherever they were helped.

from django.db.models import Sum  # noqa: E402

from .models import Campaign, Distribution, Donation  # noqa: E402


def _of_campaign(qs: QuerySet, campaign: Campaign | None) -> QuerySet:
    return qs if campaign is None else qs.filter(campaign=campaign)


def raised(period: Period, campaign: Campaign | None = None) -> QuerySet:
    qs = _of_campaign(Donation.unscoped_objects.all(), campaign)
    return qs if period.year is None else qs.filter(year=period.year)


def given(period: Period, campaign: Campaign | None = None) -> QuerySet:
    qs = _of_campaign(Distribution.unscoped_objects.all(), campaign)
    return qs if period.year is None else qs.filter(year=period.year)


CAMPAIGN = ("campaign",)

FIGURES += [
    Figure(
        "funds.donations_cash",
        "募集善款（资金）",
        "元",
        raised,
        stock=False,
        measure=lambda: Sum("amount", filter=Q(kind="cash")),
        params=CAMPAIGN,
    ),
    Figure(
        "funds.donations_goods",
        "募集物资（估值）",
        "元",
        raised,
        stock=False,
        measure=lambda: Sum("amount", filter=Q(kind="in_kind")),
        params=CAMPAIGN,
    ),
    Figure(
        "funds.distributed",
        "捐赠款物已发放",
        "元",
        given,
        stock=False,
        measure=lambda: Sum("amount"),
        params=CAMPAIGN,
    ),
    Figure(
        "funds.helped_persons",
        "捐赠款物惠及人数",
        "人",
        given,
        additive=False,
        stock=False,
        measure=lambda: Count("person", distinct=True),
        params=CAMPAIGN,
    ),
    Figure(
        "funds.helped_households",
        "捐赠款物惠及户数",
        "户",
        given,
        additive=False,
        stock=False,
        measure=lambda: Count("household", distinct=True),
        params=CAMPAIGN,
    ),
]

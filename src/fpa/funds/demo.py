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

from . import ledger, projects, selectors
from .models import BudgetLine, ProjectKind, ProjectState, Purpose, Source, TargetKind

PROVINCE, CHANGSHA, CHANGSHA_COUNTY = "430000000000", "430100000000", "430121000000"
#: the province's budget in the report's year and the year before (yuan)
BUDGET, LAST_YEAR = Decimal("57500000"), Decimal("55940000")
#: the national association's support for pilot projects (the report: 3 million and more)
CFPA = Decimal("3000000")
#: of which passed to the demo county for its pilot project (暖心家园)
PILOT = Decimal("500000")
#: 华容县's budget as a first-level budget unit in the report, given to the demo county
COUNTY_BUDGET = Decimal("4810000")
#: operations money the province passes to its cities (split evenly); 长沙市 passes 60% of its
#: share on to two counties, 5 : 3 (a share of what it got, so any province's split fits)
TO_CITIES = Decimal("6000000")
TO_COUNTIES = {"430121000000": 5, "430181000000": 3}


def load(today: datetime.date | None = None) -> bool:
    """The budgets, then the foundation's donations (`donation_demo`); True when either was
    added."""
    from . import donation_demo

    budgets = _budgets(today)
    return donation_demo.load(today) or budgets


def _budgets(today: datetime.date | None) -> bool:
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
    ledger.open_line(
        province,
        year,
        Source.CFPA,
        Purpose.OPERATIONS,
        CFPA - PILOT,
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
    counties = list(Org.unscoped_objects.filter(code__in=list(TO_COUNTIES)).order_by("code"))
    if city_line is not None and counties:
        weights = [TO_COUNTIES[c.code] for c in counties]
        parts = split(city_line.remaining * Decimal("0.6"), weights)
        for target, amount in zip(counties, parts, strict=True):
            ledger.transfer(
                city_line,
                target,
                amount,
                doc_number=f"长计生协〔{year}〕5号",
                on=march,
                note="县级计生协工作经费",
                actor=actor,
            )
    if county is not None:
        _projects(actor, year, province, county, march)
    return True


#: code, name, kind, the state it has reached, budget; the first is the pilot the national
#: association supports through the province, evaluated
PROJECTS = [
    ("NXJY", "暖心家园建设试点", ProjectKind.CFPA_PILOT, ProjectState.EVALUATED, "500000"),
    ("QZXW", "亲子小屋建设", ProjectKind.PARENT_CHILD, ProjectState.ACCEPTED, "120000"),
    ("XFGC", "幸福工程·救助贫困母亲", ProjectKind.HAPPINESS, ProjectState.RUNNING, "300000"),
    ("SJH", "计生“三结合”帮扶基地", ProjectKind.PRODUCTION, ProjectState.APPROVED, "200000"),
    ("QCJK", "青春健康进校园", ProjectKind.YOUTH_HEALTH, ProjectState.LISTED, "80000"),
    ("LSET", "留守儿童关爱之家", ProjectKind.OTHER, ProjectState.APPLIED, "60000"),
]
TARGETS = [
    (TargetKind.OUTPUT, "建成示范点", "5", "个", "40"),
    (TargetKind.EFFECT, "受益计生特殊家庭", "200", "户", "40"),
    (TargetKind.SATISFACTION, "服务对象满意度", "90", "%", "20"),
]


def _projects(actor: Actor, year: int, province: Org, county: Org, on: datetime.date) -> None:
    """The library in every state, in 长沙县: the pilot is funded by the national association's
    money through a province line passed down, and evaluated 优."""
    order = list(projects.TRANSITIONS)
    for code, name, kind, state, budget in PROJECTS:
        data = {"code": f"{code}{year}", "name": name, "kind": kind, "year": year}
        project = projects.apply(county, {**data, "budget": Decimal(budget)}, actor=actor)
        if state != ProjectState.APPLIED:
            for kind_, label, target, unit, weight in TARGETS:
                projects.add_target(
                    project,
                    {
                        "kind": kind_,
                        "name": label,
                        "target": Decimal(target),
                        "unit": unit,
                        "weight": Decimal(weight),
                    },
                    actor=actor,
                )
            projects.add_milestone(
                project, "完成建设并验收", datetime.date(year, 10, 31), actor=actor
            )
        for current in order:
            if project.state == state or current != project.state:
                continue
            project = projects.advance(project, projects.TRANSITIONS[current], actor=actor)
        if state == ProjectState.EVALUATED:
            results = {
                t.pk: (t.target, t.weight - (Decimal("2") if t.unit == "%" else 0))
                for t in project.targets.all()
            }
            projects.evaluate(
                project,
                results,
                evaluator="省财政厅绩效评价组",
                on=datetime.date(year, 11, 20),
                actor=actor,
            )
            line = ledger.open_line(
                province,
                year,
                Source.CFPA,
                Purpose.PROJECT,
                PILOT,
                project_id=project.pk,
                doc_number=f"中计生协〔{year}〕12号",
                reason="中国计生协试点项目经费",
                actor=actor,
            )
            ledger.transfer(
                line,
                county,
                PILOT,
                doc_number=f"湘计生协〔{year}〕15号",
                on=on,
                note="中国计生协试点项目（暖心家园）",
                actor=actor,
            )

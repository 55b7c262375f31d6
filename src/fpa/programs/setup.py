"""Setting up a program: its first rate and chain, later rate versions, its status, and the
budget — a line of the funding org's budget (`fpa.funds`), passed down the tree as transfers split
by largest remainders, and charged, under row locks, to the line of the beneficiary's org or its
nearest ancestor (the database refuses a line used past what it holds).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from fpa.audit.services import record
from fpa.core.dates import check_span
from fpa.core.errors import DomainError
from fpa.core.money import split, to_fen
from fpa.funds import ledger
from fpa.funds.models import BudgetLine, Purpose, Transfer
from fpa.kernel.scope import Actor, in_reach
from fpa.orgs.models import Kind, Level, Org, Status

from .models import ApprovalStep, Eligibility, Program, ProgramRate
from .rules import Portion, rule_for


def parse_steps(text: str) -> list[tuple[str, str]]:
    """'township:审核, county:审批' → [(level, name)], lower levels first, each level once."""
    order: list[str] = [Level.TOWNSHIP, Level.COUNTY, Level.CITY, Level.PROVINCE]
    steps: list[tuple[str, str]] = []
    for part in filter(None, (p.strip() for p in text.replace("，", ",").split(","))):
        level, _, name = part.partition(":")
        if level not in order:
            raise DomainError(f"审批层级“{level}”无效", field="steps")
        steps.append((level, name.strip() or "审批"))
    levels = [lv for lv, _ in steps]
    if not steps or len(set(levels)) != len(levels):
        raise DomainError("请设置审批环节，每个层级一次", field="steps")
    if levels != sorted(levels, key=order.index):
        raise DomainError("审批环节须由下而上排列", field="steps")
    return steps


@transaction.atomic
def create_program(
    data: dict[str, Any], rate: dict[str, Any], steps: list[tuple[str, str]], *, actor: Actor
) -> Program:
    """Set up a program funded by the actor's org, with its first rate, chain and whole budget.

    The budget is a line of the funding org's budget (`fpa.funds.ledger`); `split_budget` passes
    it down as transfers.
    """
    actor.require("programs.add")
    rule = rule_for(data["kind"])
    values = rule.clean_params(rate)
    if not 2000 <= data["year"] <= 2100:
        raise DomainError("年度应在 2000 至 2100 之间", field="year")
    if not 0 <= data["budget"] < Decimal("1e12"):
        raise DomainError("预算应为 0 至 1 万亿元之间", field="budget")
    check_span(data["opens_on"], "受理开始日期", "opens_on")
    check_span(data["closes_on"], "受理截止日期", "closes_on")
    if data["closes_on"] < data["opens_on"]:
        raise DomainError("受理截止日期不能早于开始日期", field="closes_on")
    if Program.unscoped_objects.filter(code=data["code"]).exists():
        raise DomainError("项目编号已存在", field="code")
    if rule.per_person and data.get("eligibility") == Eligibility.HOUSEHOLD:
        raise DomainError("本类项目按人封顶或投保，不能以家庭户为申请对象", field="eligibility")
    program = Program(**data, funding_org=actor.org)
    program.budget = to_fen(program.budget)
    program.save()
    ProgramRate.objects.create(
        program=program, effective_from=datetime.date(program.year, 1, 1), values=values
    )
    ApprovalStep.objects.bulk_create(
        [
            ApprovalStep(program=program, order=i, level=level, name=name)
            for i, (level, name) in enumerate(steps)
        ]
    )
    ledger.program_line(program)
    record(
        actor,
        "fpa.program.created",
        program,
        {"budget": [None, str(program.budget)], "rate": [None, values], "steps": [None, steps]},
    )
    return program


def _own(program: Program, actor: Actor, perm: str) -> None:
    """Only the funding org (or above) changes a program."""
    actor.require(perm)
    if not in_reach(program.funding_org, actor):
        raise DomainError("只有出资单位可以修改本项目")


@transaction.atomic
def set_rate(
    program: Program, effective_from: datetime.date, raw: dict[str, Any], *, actor: Actor
) -> ProgramRate:
    """A new version of the program's rates, in force from a date; earlier versions stay."""
    _own(program, actor, "programs.change")
    check_span(effective_from, "生效日期", "effective_from")
    values = rule_for(program.kind).clean_params(raw)
    if program.rates.filter(effective_from=effective_from).exists():
        raise DomainError("该日期已有一个标准版本", field="effective_from")
    rate = ProgramRate.objects.create(program=program, effective_from=effective_from, values=values)
    record(actor, "fpa.program.rate_set", program, {str(effective_from): [None, values]})
    return rate


@transaction.atomic
def set_status(program: Program, status: str, *, actor: Actor) -> None:
    _own(program, actor, "programs.change")
    if status == program.status:
        return
    record(actor, "fpa.program.status", program, {"status": [program.status, status]})
    program.status = status
    program.save(update_fields=["status"])


def rate_for(program: Program, on: datetime.date) -> dict[str, Any]:
    """The parameters in force on `on`: the latest version that started on or before it."""
    rate = program.rates.filter(effective_from__lte=on).order_by("-effective_from").first()
    if rate is None:
        raise DomainError(f"{on:%Y-%m-%d} 时本项目尚无补贴标准，请联系项目出资单位")
    return rate.values


def estimate(program: Program, details: dict[str, Any]) -> list[Portion]:
    rule = rule_for(program.kind)
    return rule.amounts(
        details, rate_for(program, rule.rate_date(details, program.year)), program.year
    )


def family_weights(program: Program, children: list[Org]) -> list[int]:
    """Special-family parents in each child's subtree: the usual basis of a care budget."""
    from fpa.families.models import FamilyParent

    counts = []
    for child in children:
        counts.append(
            FamilyParent.objects.filter(
                until__isnull=True, person__org__path__startswith=child.path
            ).count()
        )
    return counts


@transaction.atomic
def split_budget(program: Program, parent: Org, basis: str, *, actor: Actor) -> list[Transfer]:
    """Pass what the parent's line of the program has left down to its live territorial children,
    split by largest remainders, one transfer each (the parts add up to the fen).

    `basis` is "equal" or "families" (special-family parents under each child).
    """
    actor.require("programs.change")
    if not in_reach(parent, actor):
        raise DomainError("只能分配本单位及下级的预算")
    line = BudgetLine.unscoped_objects.filter(
        program=program, org=parent, purpose=Purpose.PROGRAM
    ).first()
    if line is None:
        raise DomainError(f"{parent.name}尚无本项目预算，不能再分配")
    # Territorial children only: a school or migrant association under the parent spends from
    # the parent's own line (the nearest line up its path), as its dashboard row shows.
    children = list(
        parent.children.filter(kind=Kind.TERRITORIAL)
        .exclude(status=Status.ABOLISHED)
        .order_by("path")
    )
    if not children:
        raise DomainError(f"{parent.name}没有下级单位")
    if line.remaining <= 0:
        raise DomainError(f"{parent.name}本项目预算已全部下拨或使用，没有可分配的结余")
    weights = family_weights(program, children) if basis == "families" else [1] * len(children)
    parts = split(line.remaining, weights)
    basis_name = "按特殊家庭人数" if basis == "families" else "平均"
    made = [
        ledger.pass_down(
            line,
            child,
            amount,
            doc_number=f"{program.code} 预算分配",
            on=timezone.localdate(),
            note=f"{basis_name}分配",
            actor=actor,
        )
        for child, amount in zip(children, parts, strict=True)
        if amount > 0
    ]
    record(
        actor,
        "fpa.program.budget_split",
        program,
        {"parent": parent.name, "basis": basis},
        rows=[{"org": t.org_id, "amount": str(t.amount)} for t in made],
    )
    return made

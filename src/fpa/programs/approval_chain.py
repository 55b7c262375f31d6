"""The approval chain: the legal transitions, the org acting at each step, and a program's
steps and rate versions read once for a whole decision."""

from __future__ import annotations

import bisect
import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from fpa.core.errors import DomainError
from fpa.orgs.models import Level, Org

from .models import (
    Application,
    ApplicationStatus,
    ApprovalStep,
    DecisionAction,
    Program,
)
from .rules import Portion, rule_for

# action -> (the states it may leave, the state it reaches, what the refusal calls it)
TRANSITIONS: dict[str, tuple[set[str], str, str]] = {
    DecisionAction.APPROVE: ({ApplicationStatus.PENDING}, ApplicationStatus.PENDING, "审批同意"),
    DecisionAction.RETURN: ({ApplicationStatus.PENDING}, ApplicationStatus.RETURNED, "退回"),
    DecisionAction.REJECT: ({ApplicationStatus.PENDING}, ApplicationStatus.REJECTED, "不予批准"),
    DecisionAction.RESUBMIT: ({ApplicationStatus.RETURNED}, ApplicationStatus.PENDING, "重新提交"),
    DecisionAction.WITHDRAW: (
        {ApplicationStatus.PENDING, ApplicationStatus.RETURNED},
        ApplicationStatus.WITHDRAWN,
        "撤回",
    ),
}


def check_transition(application: Application, action: str) -> str:
    """The state `action` leads to, or a refusal that names the current state."""
    sources, target, verb = TRANSITIONS[action]
    if application.status not in sources:
        raise DomainError(
            f"申请 {application.number} 的状态为“{application.get_status_display()}”，不能{verb}"
        )
    return target


# -- the chain ----------------------------------------------------------------------------


def root_id(org_path: str) -> int:
    return Org.unscoped_objects.only("pk").get(path=org_path[:5]).pk


def step_org_id(application: Application, level: str, root: int | None = None) -> int | None:
    """The org that acts at `level` for this application; None when the level is skipped.

    A non-territorial org (a school under a county) has no township above it, so its chain
    starts at its territorial parent.
    """
    if level == Level.PROVINCE:
        return root if root is not None else root_id(application.org.path)
    return getattr(application, f"{level}_id")


def chain(
    application: Application,
    steps: Iterable[ApprovalStep] | None = None,
    root: int | None = None,
) -> list[tuple[ApprovalStep, int]]:
    """The steps that apply to this application, with the org acting at each."""
    found = []
    for step in application.program.steps.all() if steps is None else steps:
        org_id = step_org_id(application, step.level, root)
        if org_id is not None:
            found.append((step, org_id))
    return found


def chain_with_orgs(application: Application) -> list[tuple[ApprovalStep, Org]]:
    """The chain with the acting orgs themselves (for the page; they may lie above the reader)."""
    steps = chain(application)
    orgs = Org.unscoped_objects.in_bulk([org_id for _, org_id in steps])
    return [(step, orgs[org_id]) for step, org_id in steps]


# -- the programs' parameters, read once per call ------------------------------------------


@dataclass
class Terms:
    """A program's steps and rate versions, loaded once for a whole decision."""

    program: Program
    steps: list[ApprovalStep]
    starts: list[datetime.date] = field(default_factory=list)
    values: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def load(cls, program: Program) -> Terms:
        terms = cls(program, list(program.steps.order_by("order")))
        for rate in program.rates.order_by("effective_from"):
            terms.starts.append(rate.effective_from)
            terms.values.append(rate.values)
        return terms

    def rate_on(self, on: datetime.date) -> dict[str, Any]:
        i = bisect.bisect_right(self.starts, on)
        if i == 0:
            raise DomainError(f"{on:%Y-%m-%d} 时本项目尚无补贴标准，请联系项目出资单位")
        return self.values[i - 1]

    def portions(self, details: dict[str, Any]) -> list[Portion]:
        rule = rule_for(self.program.kind)
        year = self.program.year
        return rule.amounts(details, self.rate_on(rule.rate_date(details, year)), year)

"""The approval chain and deciding applications, one or ten thousand at a time.

One engine serves the approve button and the worklist's bulk approve: the applications are
locked in one query, each is checked (its version, its state, that the actor's org acts at its
current step), and the last approvals are granted together — eligibility checked again, the
hospital-care cap applied per person and year through the locked ledger, the budget charged on
every allocation of the beneficiary's path under the allocation locks, entitlements written in
bulk. An application refused for a reason of its own is listed with that reason; the others go
on. Two approvers clicking at once: the second waits for the first's lock and is told the
application has moved on.
"""

from __future__ import annotations

import bisect
import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, Subquery, Sum
from django.utils import timezone

from fpa.core.errors import DomainError
from fpa.core.money import to_fen
from fpa.core.scope import Actor
from fpa.orgs.models import Level, Org

from . import eligibility
from .models import (
    Allocation,
    Application,
    ApplicationStatus,
    ApprovalStep,
    CapLedger,
    Decision,
    DecisionAction,
    Entitlement,
    InsurancePolicy,
    Program,
    ProgramKind,
)
from .rules import Portion, rule_for

CHUNK = 2000
ZERO = Decimal("0.00")

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


def _root_id(org_path: str) -> int:
    return Org.unscoped_objects.only("pk").get(path=org_path[:5]).pk


def step_org_id(application: Application, level: str, root: int | None = None) -> int | None:
    """The org that acts at `level` for this application; None when the level is skipped.

    A non-territorial org (a school under a county) has no township above it, so its chain
    starts at its territorial parent.
    """
    if level == Level.PROVINCE:
        return root if root is not None else _root_id(application.org.path)
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


# -- deciding -----------------------------------------------------------------------------


@dataclass
class Outcome:
    done: list[Application] = field(default_factory=list)
    refused: list[dict[str, Any]] = field(default_factory=list)

    def refuse(self, pk: int, reason: str) -> None:
        self.refused.append({"id": pk, "reason": reason})


def decide_many(
    ids: list[int],
    action: str,
    *,
    actor: Actor,
    reason: str = "",
    versions: dict[int, int] | None = None,
) -> Outcome:
    """Decide applications at their current step (inside the caller's transaction).

    Returns the decided applications and, for each refused one, why. Writes decisions,
    states, entitlements, ledgers and budgets; the caller writes the audit entry.
    """
    actor.require("programs.approve")
    if action not in (DecisionAction.APPROVE, DecisionAction.RETURN, DecisionAction.REJECT):
        raise DomainError("无效的审批操作")
    reason = reason.strip()
    if action != DecisionAction.APPROVE and not reason:
        raise DomainError("退回或不予批准须写明理由", field="reason")
    outcome = Outcome()
    for start in range(0, len(ids), CHUNK):
        _decide_chunk(ids[start : start + CHUNK], action, actor, reason, versions or {}, outcome)
    return outcome


def _decide_chunk(
    ids: list[int],
    action: str,
    actor: Actor,
    reason: str,
    versions: dict[int, int],
    outcome: Outcome,
) -> None:
    locked = {
        a.pk: a
        for a in Application.objects.for_actor(actor)
        .select_for_update(of=("self",))
        .select_related("program", "org", "person", "household__head")
        .filter(pk__in=ids)
        .order_by("pk")
    }
    terms: dict[int, Terms] = {}
    root = _root_id(actor.org.path)
    moving: list[tuple[Application, ApprovalStep]] = []
    for pk in ids:
        application = locked.get(pk)
        if application is None:
            outcome.refuse(pk, "申请不存在或不在您的管辖范围内")
            continue
        if pk in versions and versions[pk] != application.version:
            outcome.refuse(pk, f"申请 {application.number} 已被他人处理，请刷新后再试")
            continue
        try:
            check_transition(application, action)
        except DomainError as exc:
            outcome.refuse(pk, exc.message)
            continue
        t = terms.get(application.program_id)
        if t is None:
            t = terms[application.program_id] = Terms.load(application.program)
        steps = chain(application, t.steps, root)
        current = next(((s, o) for s, o in steps if s.order == application.step), None)
        if current is None:
            outcome.refuse(pk, "本申请的审批环节已变更，请联系项目出资单位")
            continue
        step, org_id = current
        if org_id != actor.org.pk:
            outcome.refuse(
                pk,
                f"申请 {application.number} 正在等待{step.get_level_display()}{step.name}，"
                "不是本单位的环节",
            )
            continue
        following = next((s.order for s, _ in steps if s.order > step.order), None)
        if action == DecisionAction.APPROVE and following is not None:
            application.step = following
        elif action == DecisionAction.APPROVE:
            application.status = ApplicationStatus.APPROVED
        else:
            application.status = TRANSITIONS[action][1]
        moving.append((application, step))
    finals = [a for a, _ in moving if action == DecisionAction.APPROVE and a.status == "approved"]
    granted = _grant(finals, terms, outcome) if finals else set()
    decided = [(a, s) for a, s in moving if a.status != "approved" or a.pk in granted]
    now = timezone.now()
    user = actor.user if actor.user is not None and actor.user.pk else None
    _save_states([a for a, _ in decided], granted, now)
    Decision.objects.bulk_create(
        Decision(
            application=a, step=s.order, org=actor.org, user=user, action=action, reason=reason
        )
        for a, s in decided
    )
    outcome.done.extend(a for a, _ in decided)


def _save_states(apps: list[Application], granted: set[int], now: datetime.datetime) -> None:
    """Write the new states with one UPDATE per (state, step) and one for the granted amounts.

    Django's bulk_update builds a CASE per row and is quadratic in practice; the decided rows
    share a handful of states, and a granted amount is the sum of its entitlements.
    """
    groups: dict[tuple[str, int], list[int]] = defaultdict(list)
    for a in apps:
        groups[(a.status, a.step)].append(a.pk)
        a.version += 1
        a.updated_at = now
    for (status, step), pks in groups.items():
        Application.unscoped_objects.filter(pk__in=pks).update(
            status=status, step=step, version=F("version") + 1, updated_at=now
        )
    if granted:
        total = (
            Entitlement.unscoped_objects.filter(application=OuterRef("pk"))
            .values("application")
            .annotate(s=Sum("amount"))
            .values("s")
        )
        Application.unscoped_objects.filter(pk__in=granted).update(amount=Subquery(total))


def _grant(apps: list[Application], terms: dict[int, Terms], outcome: Outcome) -> set[int]:
    """Entitlements for the finally approved applications; the pks granted."""
    granted: set[int] = set()
    by_program: dict[int, list[Application]] = defaultdict(list)
    for a in apps:
        by_program[a.program_id].append(a)
    for program_id, group in by_program.items():
        granted |= _grant_program(terms[program_id], group, outcome)
    return granted


def _grant_program(t: Terms, apps: list[Application], outcome: Outcome) -> set[int]:
    program = t.program
    fine = eligibility.eligible_persons(program, [a.person_id for a in apps if a.person_id])
    wanted: list[tuple[Application, list[Portion]]] = []
    for a in apps:
        if a.person_id and a.person_id not in fine:
            outcome.refuse(
                a.pk, eligibility.problem(program, a.person, a.household) or "不符合条件"
            )
            continue
        try:
            wanted.append((a, t.portions(a.details)))
        except DomainError as exc:
            outcome.refuse(a.pk, exc.message)
    keys = {_key(a) for a, _ in wanted}
    taken = set(
        Entitlement.unscoped_objects.filter(program=program, beneficiary__in=keys).values_list(
            "beneficiary", "period"
        )
    )
    ledger = _Ledger(t, wanted) if program.kind == ProgramKind.HOSPITAL_CARE else None
    budget = _Budget(program)
    policies = _used_policies(wanted) if program.kind == ProgramKind.INSURANCE else set()
    rows: list[Entitlement] = []
    granted: set[int] = set()
    for a, portions in wanted:
        key = _key(a)
        if any((key, p.period) in taken for p in portions):
            outcome.refuse(a.pk, f"{a.beneficiary_name}在该期间已享受过本项目待遇")
            continue
        if program.kind == ProgramKind.INSURANCE and a.details["policy_no"] in policies:
            outcome.refuse(a.pk, f"保单号 {a.details['policy_no']} 已被使用")
            continue
        try:
            if ledger is not None:
                portions = ledger.cut(a, portions)
            total = sum((p.amount for p in portions), ZERO)
            budget.spend(a.org.path, total)
        except DomainError as exc:
            outcome.refuse(a.pk, exc.message)
            continue
        if ledger is not None:
            ledger.keep(a, portions)
        if program.kind == ProgramKind.INSURANCE:
            policies.add(a.details["policy_no"])
        taken |= {(key, p.period) for p in portions}
        a.amount = total
        granted.add(a.pk)
        rows.extend(_entitlement(a, key, p) for p in portions)
    if ledger is not None:
        ledger.save()
    budget.save()
    try:
        with transaction.atomic():
            Entitlement.unscoped_objects.bulk_create(rows, batch_size=CHUNK)
    except IntegrityError as exc:
        raise DomainError("有申请人在该期间已享受过本项目待遇，请刷新后重试") from exc
    if program.kind == ProgramKind.INSURANCE:
        _enrol(rows, {a.pk: a for a, _ in wanted})
    return granted


def _key(a: Application) -> str:
    return f"p{a.person_id}" if a.person_id else f"h{a.household_id}"


def _entitlement(a: Application, key: str, p: Portion) -> Entitlement:
    return Entitlement(
        program_id=a.program_id,
        application=a,
        person_id=a.person_id,
        household_id=a.household_id,
        beneficiary=key,
        period=p.period,
        year=p.year,
        amount=p.amount,
        funding_source=a.program.funding_source,
        funding_org_id=a.program.funding_org_id,
        payee_id=a.payee_id,
        org_id=a.org_id,
        city_id=a.city_id,
        county_id=a.county_id,
        township_id=a.township_id,
    )


class _Ledger:
    """The per-person, per-year cap of a hospital-care program, on locked ledger rows."""

    def __init__(self, t: Terms, wanted: list[tuple[Application, list[Portion]]]) -> None:
        self.t = t
        pairs = {(a.person_id, p.year) for a, portions in wanted for p in portions}
        CapLedger.objects.bulk_create(
            [CapLedger(program=t.program, person_id=p, year=y) for p, y in pairs],
            ignore_conflicts=True,
        )
        self.rows = {
            (r.person_id, r.year): r
            for r in CapLedger.objects.select_for_update()
            .filter(
                program=t.program,
                person_id__in={p for p, _ in pairs},
                year__in={y for _, y in pairs},
            )
            .order_by("pk")
        }
        self.changed: set[tuple[int, int]] = set()
        self.added: dict[tuple[int, int], Decimal] = defaultdict(Decimal)

    def cut(self, a: Application, portions: list[Portion]) -> list[Portion]:
        cut = []
        for p in portions:
            cap = to_fen(Decimal(str(self.t.rate_on(datetime.date(p.year, 12, 31))["annual_cap"])))
            left = cap - self.rows[(a.person_id, p.year)].used
            if left <= 0:
                raise DomainError(f"{a.person.name} {p.year} 年已达封顶 {cap} 元，不能再补贴")
            cut.append(Portion(p.period, p.year, min(p.amount, left)))
        return cut

    def keep(self, a: Application, portions: list[Portion]) -> None:
        for p in portions:
            key = (a.person_id, p.year)
            self.rows[key].used += p.amount
            self.added[key] += p.amount
            self.changed.add(key)

    def save(self) -> None:
        by_delta: dict[Decimal, list[int]] = defaultdict(list)
        for key in self.changed:
            by_delta[self.added[key]].append(self.rows[key].pk)
        for delta, pks in by_delta.items():
            CapLedger.objects.filter(pk__in=pks).update(used=F("used") + delta)


class _Budget:
    """A program's allocations, locked in one order, spent on every allocation of a path."""

    def __init__(self, program: Program) -> None:
        self.rows = {
            a.org.path: a
            for a in Allocation.unscoped_objects.select_for_update(of=("self",))
            .filter(program=program)
            .select_related("org")
            .order_by("pk")
        }
        self.changed: set[str] = set()

    def spend(self, org_path: str, amount: Decimal) -> None:
        path = [
            self.rows[org_path[:end]]
            for end in range(5, len(org_path) + 1, 5)
            if org_path[:end] in self.rows
        ]
        if not path:
            raise DomainError("本项目尚未向该单位下达预算")
        for allocation in path:
            if allocation.committed + amount > allocation.amount:
                raise DomainError(
                    f"{allocation.org.name}本项目剩余预算 {allocation.remaining} 元，"
                    f"不足以批准 {amount} 元"
                )
        for allocation in path:
            allocation.committed += amount
            self.changed.add(allocation.org.path)

    def save(self) -> None:
        Allocation.unscoped_objects.bulk_update([self.rows[p] for p in self.changed], ["committed"])


def _used_policies(wanted: list[tuple[Application, list[Portion]]]) -> set[str]:
    numbers = [a.details["policy_no"] for a, _ in wanted]
    return set(
        InsurancePolicy.objects.filter(policy_no__in=numbers).values_list("policy_no", flat=True)
    )


def _enrol(entitlements: list[Entitlement], apps: dict[int, Application]) -> None:
    """The policies of the granted enrolments (numbers checked unused in `_grant_program`)."""
    InsurancePolicy.objects.bulk_create(
        InsurancePolicy(
            entitlement=e,
            person_id=e.person_id,
            policy_no=apps[e.application_id].details["policy_no"],
            insurer_id=e.payee_id,
            starts_on=apps[e.application_id].details["starts_on"],
            ends_on=apps[e.application_id].details["ends_on"],
        )
        for e in entitlements
    )

"""Granting the finally approved applications together: eligibility again, the hospital-care cap
on locked ledgers, the budget on locked lines (`fpa.funds.ledger`), entitlements and policies in
bulk. An application refused for a reason of its own is listed in the outcome; the others go on."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F

from fpa.core.errors import DomainError
from fpa.core.money import to_fen
from fpa.funds.ledger import ProgramBudget
from fpa.funds.models import BudgetLine

from . import eligibility
from .approval_chain import Terms
from .models import (
    Application,
    CapLedger,
    Entitlement,
    InsurancePolicy,
    ProgramKind,
)
from .rules import Portion

CHUNK = 2000
ZERO = Decimal("0.00")


@dataclass
class Outcome:
    done: list[Application] = field(default_factory=list)
    refused: list[dict[str, Any]] = field(default_factory=list)

    def refuse(self, pk: int, reason: str) -> None:
        self.refused.append({"id": pk, "reason": reason})


def grant_all(apps: list[Application], terms: dict[int, Terms], outcome: Outcome) -> set[int]:
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
    budget = ProgramBudget(program)
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
            line = budget.spend(a.org.path, total)
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
        rows.extend(_entitlement(a, key, p, line) for p in portions)
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


def _entitlement(a: Application, key: str, p: Portion, line: BudgetLine) -> Entitlement:
    return Entitlement(
        program_id=a.program_id,
        application=a,
        person_id=a.person_id,
        household_id=a.household_id,
        beneficiary=key,
        period=p.period,
        year=p.year,
        amount=p.amount,
        # the line the approval was charged to names the money's source and funder
        funding_source=line.source,
        funding_org_id=line.org_id,
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
        # A household's application has no person to cap: `cut` refuses it.
        pairs = {
            (a.person_id, p.year)
            for a, portions in wanted
            if a.person_id is not None
            for p in portions
        }
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
        person_id = self._person_id(a)
        for p in portions:
            cap = to_fen(Decimal(str(self.t.rate_on(datetime.date(p.year, 12, 31))["annual_cap"])))
            left = cap - self.rows[(person_id, p.year)].used
            if left <= 0:
                raise DomainError(f"{a.beneficiary_name} {p.year} 年已达封顶 {cap} 元，不能再补贴")
            cut.append(Portion(p.period, p.year, min(p.amount, left)))
        return cut

    def keep(self, a: Application, portions: list[Portion]) -> None:
        for p in portions:
            key = (self._person_id(a), p.year)
            self.rows[key].used += p.amount
            self.added[key] += p.amount
            self.changed.add(key)

    @staticmethod
    def _person_id(a: Application) -> int:
        if a.person_id is None:
            raise DomainError("本项目按人每年封顶，只能由个人申请，不能以家庭户申请")
        return a.person_id

    def save(self) -> None:
        by_delta: dict[Decimal, list[int]] = defaultdict(list)
        for key in self.changed:
            by_delta[self.added[key]].append(self.rows[key].pk)
        for delta, pks in by_delta.items():
            CapLedger.objects.filter(pk__in=pks).update(used=F("used") + delta)


def _used_policies(wanted: list[tuple[Application, list[Portion]]]) -> set[str]:
    numbers = [a.details["policy_no"] for a, _ in wanted]
    return set(
        InsurancePolicy.objects.filter(policy_no__in=numbers).values_list("policy_no", flat=True)
    )


def _insured(e: Entitlement) -> int:
    if e.person_id is None:
        raise ValueError("an insurance entitlement is a person's (create_program refuses others)")
    return e.person_id


def _enrol(entitlements: list[Entitlement], apps: dict[int, Application]) -> None:
    """The policies of the granted enrolments (numbers checked unused in `_grant_program`)."""
    InsurancePolicy.objects.bulk_create(
        InsurancePolicy(
            entitlement=e,
            person_id=_insured(e),
            policy_no=apps[e.application_id].details["policy_no"],
            insurer_id=e.payee_id,
            starts_on=apps[e.application_id].details["starts_on"],
            ends_on=apps[e.application_id].details["ends_on"],
        )
        for e in entitlements
    )

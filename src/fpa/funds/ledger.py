"""The ledger's rules: opening and revising a budget line, passing money down (转移支付), and
charging a program's approvals and payments to its lines.

Every column of a line moves here, under a row lock (`select_for_update`, taken in id order so
two writers never deadlock); the database's `line_not_overdrawn` check is the last word.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction

from fpa.audit.services import record
from fpa.core.dates import check_span
from fpa.core.errors import DomainError
from fpa.core.money import to_fen
from fpa.kernel.scope import Actor, in_reach
from fpa.orgs.models import Org

from .models import BudgetLine, BudgetVersion, Expenditure, Purpose, Source, Transfer

if TYPE_CHECKING:
    from fpa.programs.models import Program

#: no line holds a trillion yuan; a bigger number is a typing slip
CEILING = Decimal("1e12")


def _amount(value: Decimal, field: str = "amount", *, zero: bool = False) -> Decimal:
    amount = to_fen(value)
    if not (amount >= 0 if zero else amount > 0) or amount >= CEILING:
        low = "0" if zero else "0.01"
        raise DomainError(f"金额应在 {low} 元至 1 万亿元之间", field=field)
    return amount


def _user_id(actor: Actor) -> int | None:
    return actor.user.pk if actor.user is not None and actor.user.pk else None


def _locked(line: BudgetLine) -> BudgetLine:
    return BudgetLine.unscoped_objects.select_for_update(of=("self",)).get(pk=line.pk)


@transaction.atomic
def open_line(
    org: Org,
    year: int,
    source: str,
    purpose: str,
    amount: Decimal,
    *,
    doc_number: str = "",
    reason: str = "年初预算",
    on: datetime.date | None = None,
    program: Program | None = None,
    project_id: int | None = None,
    actor: Actor,
) -> BudgetLine:
    """A new line of `org`'s budget with its first version."""
    actor.require("funds.add")
    line = new_line(
        org,
        year,
        source,
        purpose,
        amount,
        doc_number=doc_number,
        reason=reason,
        on=on,
        program=program,
        project_id=project_id,
        actor=actor,
    )
    record(
        actor,
        "fpa.funds.line_opened",
        line,
        {"planned": [None, str(line.planned)], "source": source, "purpose": purpose},
    )
    return line


def new_line(
    org: Org,
    year: int,
    source: str,
    purpose: str,
    amount: Decimal,
    *,
    doc_number: str,
    reason: str,
    on: datetime.date | None,
    program: Program | None,
    project_id: int | None,
    actor: Actor,
) -> BudgetLine:
    """The line itself, inside the caller's transaction: the caller checked the permission and
    writes the audit entry (an import writes one for all its lines)."""
    if not in_reach(org, actor):
        raise DomainError("只能为本单位及下级编制预算", field="org")
    if not 2000 <= year <= 2100:
        raise DomainError("年度应在 2000 至 2100 之间", field="year")
    if source not in Source.values:
        raise DomainError("请选择资金来源", field="source")
    if purpose == Purpose.PROGRAM and program is None:
        raise DomainError("请选择帮扶项目", field="program")
    if purpose == Purpose.PROJECT and project_id is None:
        raise DomainError("请选择项目库项目", field="project")
    if purpose not in Purpose.values:
        raise DomainError("请选择用途", field="purpose")
    amount = _amount(amount, zero=True)
    on = on or datetime.date(year, 1, 1)
    check_span(on, "日期", "on")
    line = BudgetLine(
        year=year,
        source=source,
        purpose=purpose,
        program=program if purpose == Purpose.PROGRAM else None,
        project_id=project_id if purpose == Purpose.PROJECT else None,
        planned=amount,
    )
    line.place_in(org)
    try:
        with transaction.atomic():
            line.save()
    except IntegrityError as exc:
        raise DomainError(f"{org.name}{year}年已有该用途的预算科目，请调整原科目") from exc
    BudgetVersion.objects.create(
        line=line,
        amount=amount,
        effective_on=on,
        doc_number=doc_number,
        reason=reason,
        recorded_by_id=_user_id(actor),
    )
    return line


@transaction.atomic
def revise(
    line: BudgetLine,
    amount: Decimal,
    *,
    reason: str,
    doc_number: str = "",
    on: datetime.date,
    actor: Actor,
) -> BudgetVersion:
    """A new dated version of the line's own budget; the earlier versions stay as history."""
    actor.require("funds.change")
    if not in_reach(line.org, actor):
        raise DomainError("只能调整本单位及下级的预算")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写调整原因", field="reason")
    check_span(on, "日期", "on")
    amount = _amount(amount, zero=True)
    line = _locked(line)
    used = line.transferred + line.committed + line.spent
    if amount + line.received < used:
        raise DomainError(
            f"该科目已下拨、承诺和支出共 {used} 元，调整后的预算不能少于 {used - line.received} 元",
            field="amount",
        )
    before = line.planned
    line.planned = amount
    line.save(update_fields=["planned"])
    version = BudgetVersion.objects.create(
        line=line,
        amount=amount,
        effective_on=on,
        doc_number=doc_number,
        reason=reason,
        recorded_by_id=_user_id(actor),
    )
    program = line.program
    if program is not None and program.funding_org_id == line.org_id:
        # The program's budget is its funding org's line: one ledger, the program reads it.
        program.budget = line.budget
        program.save(update_fields=["budget"])
    record(
        actor,
        "fpa.funds.line_revised",
        line,
        {"planned": [str(before), str(amount)], "reason": reason, "doc_number": doc_number},
    )
    return version


def program_line(program: Program) -> BudgetLine:
    """The funding org's line of a new program, holding its whole budget (the caller, setting up
    the program, checked the permission and audits it)."""
    source = program.funding_source if program.funding_source in Source.values else Source.OTHER
    line = BudgetLine(
        year=program.year,
        source=source,
        purpose=Purpose.PROGRAM,
        program=program,
        planned=program.budget,
    )
    line.place_in(program.funding_org)
    line.save()
    BudgetVersion.objects.create(
        line=line,
        amount=program.budget,
        effective_on=program.opens_on,
        reason="设立项目",
    )
    return line


def _receiving_line(line: BudgetLine, to_org: Org) -> BudgetLine:
    """The receiver's line of the same purpose (made on its first transfer), locked."""
    match: dict[str, object]
    if line.purpose == Purpose.PROGRAM:
        match = {"program_id": line.program_id}
    elif line.purpose == Purpose.PROJECT:
        match = {"project_id": line.project_id}
    else:
        match = {"year": line.year, "source": Source.TRANSFER}
    found = (
        BudgetLine.unscoped_objects.select_for_update(of=("self",))
        .filter(org=to_org, purpose=line.purpose, **match)
        .first()
    )
    if found is not None:
        return found
    made = BudgetLine(**{"year": line.year, "source": Source.TRANSFER, **match})
    made.purpose = line.purpose
    made.place_in(to_org)
    made.save()
    return made


def _check_below(sender: Org, to_org: Org) -> None:
    if to_org.pk == sender.pk or not to_org.path.startswith(sender.path):
        raise DomainError(f"只能下拨给{sender.name}的下级单位", field="to_org")


@transaction.atomic
def transfer(
    line: BudgetLine,
    to_org: Org,
    amount: Decimal,
    *,
    doc_number: str,
    on: datetime.date,
    note: str = "",
    actor: Actor,
) -> Transfer:
    """Pass `amount` of `line` down to `to_org` (a child or lower org), earmarked to the line's
    purpose; refused past what the line has left."""
    actor.require("funds.change")
    if not in_reach(line.org, actor):
        raise DomainError("只能从本单位及下级的预算下拨")
    made = pass_down(line, to_org, amount, doc_number=doc_number, on=on, note=note, actor=actor)
    record(
        actor,
        "fpa.funds.transferred",
        made,
        {
            "from": line.org.name,
            "to": to_org.name,
            "amount": str(made.amount),
            "doc_number": made.doc_number,
        },
    )
    return made


def pass_down(
    line: BudgetLine,
    to_org: Org,
    amount: Decimal,
    *,
    doc_number: str,
    on: datetime.date,
    note: str,
    actor: Actor,
) -> Transfer:
    """The transfer itself, inside the caller's transaction: the caller checked the actor's
    permission and writes the audit entry (a program's split writes one for all its parts)."""
    _check_below(line.org, to_org)
    doc_number = (doc_number or "").strip()
    if not doc_number:
        raise DomainError("请填写下达文号", field="doc_number")
    check_span(on, "下达日期", "on")
    amount = _amount(amount)
    # Locks in id order: the sender's line (older) before the receiver's.
    line = _locked(line)
    if amount > line.remaining:
        raise DomainError(
            f"{line.org.name}该科目结余 {line.remaining} 元，不足以下拨 {amount} 元", field="amount"
        )
    to_line = _receiving_line(line, to_org)
    line.transferred += amount
    line.save(update_fields=["transferred"])
    to_line.received += amount
    to_line.save(update_fields=["received"])
    made = Transfer(
        sender=line.org,
        from_line=line,
        to_line=to_line,
        year=line.year,
        amount=amount,
        doc_number=doc_number,
        on=on,
        note=note,
        recorded_by_id=_user_id(actor),
    )
    made.place_in(to_org)
    made.save()
    return made


@transaction.atomic
def spend(
    line: BudgetLine,
    amount: Decimal,
    *,
    on: datetime.date,
    voucher: str,
    payee: str,
    note: str = "",
    actor: Actor,
) -> Expenditure:
    """支出登记 on an operations or project line, refused past what it has left."""
    actor.require("funds.change")
    if not in_reach(line.org, actor):
        raise DomainError("只能登记本单位及下级的支出")
    if line.purpose == Purpose.PROGRAM:
        raise DomainError("帮扶项目的支出由审批和银行发放记录，不在此登记")
    voucher, payee = (voucher or "").strip(), (payee or "").strip()
    if not voucher:
        raise DomainError("请填写凭证号", field="voucher")
    if not payee:
        raise DomainError("请填写收款方", field="payee")
    check_span(on, "支出日期", "on")
    amount = _amount(amount)
    line = _locked(line)
    if amount > line.remaining:
        raise DomainError(
            f"{line.org.name}该科目结余 {line.remaining} 元，不足以支出 {amount} 元", field="amount"
        )
    line.spent += amount
    line.save(update_fields=["spent"])
    made = Expenditure(
        line=line,
        amount=amount,
        on=on,
        voucher=voucher,
        payee=payee,
        note=note,
        recorded_by_id=_user_id(actor),
    )
    made.place_in(line.org)
    made.save()
    record(
        actor,
        "fpa.funds.spent",
        made,
        {"amount": str(amount), "voucher": voucher, "payee": payee},
    )
    return made


class ProgramBudget:
    """A program's lines, locked in id order (two approvals never deadlock).

    An approval is charged to the line of the beneficiary's org or of its nearest ancestor that
    has one (a village spends its township's line); the line refuses to go past what it holds,
    with the org and what is left in the message.
    """

    def __init__(self, program: Program) -> None:
        self.rows = {
            line.org.path: line
            for line in BudgetLine.unscoped_objects.select_for_update(of=("self",))
            .filter(program=program, purpose=Purpose.PROGRAM)
            .select_related("org")
            .order_by("pk")
        }
        self.changed: set[str] = set()

    def deepest(self, org_path: str) -> str:
        """The path of the line an org spends: its own, or its nearest ancestor's."""
        for end in range(len(org_path), 0, -5):
            if org_path[:end] in self.rows:
                return org_path[:end]
        raise DomainError("本项目尚未向该单位下达预算，请先分配预算")

    def line_for(self, org_path: str) -> BudgetLine:
        return self.rows[self.deepest(org_path)]

    def spend(self, org_path: str, amount: Decimal) -> BudgetLine:
        line = self.line_for(org_path)
        if amount > line.remaining:
            raise DomainError(
                f"{line.org.name}本项目剩余预算 {line.remaining} 元，不足以批准 {amount} 元"
            )
        line.committed += amount
        self.changed.add(line.org.path)
        return line

    def save(self) -> None:
        BudgetLine.unscoped_objects.bulk_update(
            [self.rows[p] for p in sorted(self.changed)], ["committed"]
        )


def settle(paid: Iterable[tuple[int, int, Decimal]]) -> None:
    """Move what was paid from committed to spent: `paid` is (program, line's org, amount) for
    each payment that reached its payee (an entitlement names the line's org as its funder)."""
    totals: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for program_id, org_id, amount in paid:
        totals[(program_id, org_id)] += amount
    for (program_id, org_id), amount in sorted(totals.items()):
        line = (
            BudgetLine.unscoped_objects.select_for_update(of=("self",))
            .filter(program_id=program_id, org_id=org_id, purpose=Purpose.PROGRAM)
            .first()
        )
        if line is None:
            raise DomainError("找不到该笔发放所用的预算科目")
        line.committed -= amount
        line.spent += amount
        line.save(update_fields=["committed", "spent"])

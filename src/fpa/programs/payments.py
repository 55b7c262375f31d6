"""Paying entitlements: payment batches, the bank file, the bank's return, re-issue.

A line is unique per entitlement unless it failed (a partial unique index), so a failed line can
be re-issued and nothing is ever paid twice. A return file applied twice changes nothing: its
digest is refused the second time, and a line already settled the same way stays as it is.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Sum, Value
from django.utils import timezone

from fpa.audit.services import record
from fpa.core.errors import DomainError
from fpa.core.exports import export_path
from fpa.core.fields import reveal
from fpa.core.money import to_fen
from fpa.funds import ledger
from fpa.kernel.scope import Actor, in_reach
from fpa.orgs.models import Level, Org

from . import banks, eligibility
from .models import (
    BankReturn,
    BatchStatus,
    Entitlement,
    EntitlementStatus,
    LineStatus,
    PaymentBatch,
    PaymentLine,
    Program,
)

CHUNK = 2000
PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@transaction.atomic
def build_batch(
    program: Program,
    county: Org,
    period: str,
    bank: str,
    *,
    actor: Actor,
    only: list[int] | None = None,
) -> PaymentBatch:
    """A batch of the county's unpaid entitlements under the program, for one period.

    Eligibility is checked again: a beneficiary no longer eligible (deceased, left the family
    registry) is left out and listed in the audit entry. The lines are copied by the database in
    one statement, so building 100,000 lines keeps memory flat. Releasing payments is
    `programs.pay` (the clerk's), never the reviewer's or approver's.
    """
    actor.require("programs.pay")
    if county.level != Level.COUNTY or not in_reach(county, actor):
        raise DomainError("发放批次按县（市、区）生成，请选择本辖区的县级单位")
    if not PERIOD.match(period or ""):
        raise DomainError("发放期间格式为 年-月，如 2021-06", field="period")
    if bank not in banks.FORMATS:
        raise DomainError("请选择银行文件格式", field="bank")
    candidates = Entitlement.objects.for_actor(actor).filter(
        program=program, county_id=county.pk, status=EntitlementStatus.UNPAID
    )
    if only is not None:
        candidates = candidates.filter(pk__in=only)
    if not candidates.exists():
        raise DomainError(f"{county.name}没有待发放的{program.name}待遇")
    # The program row's lock serializes batch numbering: two clerks building at once get
    # consecutive numbers instead of a clash on the unique number.
    Program.unscoped_objects.select_for_update().filter(pk=program.pk).first()
    sequence = PaymentBatch.unscoped_objects.filter(org=county, program=program).count() + 1
    batch = PaymentBatch.unscoped_objects.create(
        program=program,
        org=county,
        period=period,
        bank=bank,
        number=f"{program.code}-{county.code[:6]}-{period.replace('-', '')}-{sequence:02d}",
    )
    rule = eligibility.eligible_q(program)
    # Listed in the audit entry (the first 10,000 of them; the count is always whole).
    gone = candidates.exclude(rule)
    left_out = list(gone.order_by("pk").values_list("pk", flat=True)[:10000])
    try:
        with transaction.atomic():
            _insert_lines(batch, candidates.filter(rule))
    except IntegrityError as exc:
        raise DomainError("有待遇已在其他批次中，请刷新后重试") from exc
    Entitlement.unscoped_objects.filter(lines__batch=batch).update(
        status=EntitlementStatus.IN_BATCH
    )
    totals = batch.lines.aggregate(total=Sum("amount"), count=Count("pk"))
    if not totals["count"]:
        raise DomainError("所有待发放对象都已不符合受益条件，未生成批次")
    batch.total, batch.line_count = totals["total"], totals["count"]
    batch.save(update_fields=["total", "line_count"])
    record(
        actor,
        "fpa.payment.batch_built",
        batch,
        {"lines": batch.line_count, "total": str(batch.total), "left_out": gone.count()},
        rows=[{"entitlement": pk, "reason": "不再符合受益条件"} for pk in left_out],
    )
    return batch


def _insert_lines(batch: PaymentBatch, entitlements: Any) -> None:
    """One INSERT … SELECT of the batch's lines: the database copies the rows, Python holds none
    of them (100,000 lines cost what 100 do)."""
    select = entitlements.order_by().values_list(
        Value(batch.pk), "pk", "amount", "payee_id", Value(LineStatus.PENDING), Value("")
    )
    sql, params = select.query.sql_with_params()
    table = PaymentLine._meta.db_table
    columns = ("batch_id", "entitlement_id", "amount", "payee_id", "status", "failure")
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(table)} ({', '.join(map(quote, columns))}) {sql}", params
        )


def check_totals(batch: PaymentBatch, control_total: Decimal, control_count: int) -> None:
    """Before export the lines must add up to the batch, and to what the clerk typed."""
    live = batch.lines.exclude(status=LineStatus.FAILED).aggregate(
        total=Sum("amount"), count=Count("pk")
    )
    if (live["total"] or Decimal("0.00")) != batch.total or live["count"] != batch.line_count:
        raise DomainError("批次明细与批次合计不符，请联系管理员核查，暂不能导出")
    if control_total != batch.total or control_count != batch.line_count:
        raise DomainError(
            f"核对不符：批次合计 {batch.line_count} 笔 {batch.total} 元，"
            f"您填写的是 {control_count} 笔 {control_total} 元",
            field="control_total",
        )


def bank_lines(batch: PaymentBatch) -> Iterator[banks.BankLine]:
    lines = (
        batch.lines.select_related("payee", "entitlement__program")
        .order_by("pk")
        .iterator(chunk_size=CHUNK)
    )
    for line in lines:
        yield banks.BankLine(
            ref=f"L{line.pk}",
            name=line.payee.name,
            account=reveal(line.payee.account_enc),
            bank_name=line.payee.bank_name,
            amount=line.amount,
            purpose=f"{batch.program.name}{line.entitlement.period}"[:30],
        )


def bank_file(batch: PaymentBatch, *, actor: Actor) -> Path:
    """The bank file already exported for a batch (downloading it again is audited too, with the
    line count and total it carries)."""
    actor.require("programs.pay")
    path = export_path(f"{batch.number}.xlsx")
    if batch.status == BatchStatus.DRAFT or not path.exists():
        raise DomainError("该批次还没有导出的银行文件")
    record(
        actor,
        "fpa.payment.bank_file_downloaded",
        batch,
        {"file": path.name, "lines": batch.line_count, "total": str(batch.total)},
    )
    return path


@transaction.atomic
def export_batch(
    batch: PaymentBatch,
    path: Path,
    *,
    actor: Actor,
    control_total: Decimal,
    control_count: int,
) -> None:
    """Write the bank file once the totals match; the batch then waits for the bank's return."""
    actor.require("programs.pay")
    batch = PaymentBatch.objects.for_actor(actor).select_for_update(of=("self",)).get(pk=batch.pk)
    if batch.status != BatchStatus.DRAFT:
        # A second file could be sent to the bank beside the first: every line paid twice.
        raise DomainError("该批次已导出银行文件，请下载已导出的文件，不能重新生成")
    check_totals(batch, control_total, control_count)
    banks.write(banks.FORMATS[batch.bank], path, batch.number, bank_lines(batch))
    before = batch.status
    batch.status = BatchStatus.EXPORTED
    batch.exported_at = timezone.now()
    batch.save(update_fields=["status", "exported_at"])
    record(
        actor,
        "fpa.payment.bank_file",
        batch,
        {"status": [before, batch.status], "total": str(batch.total), "lines": batch.line_count},
    )


def parse_result(text: str) -> str | None:
    """A bank's result column → paid / failed (banks word it differently)."""
    text = (text or "").strip()
    if any(word in text for word in ("失败", "退回", "不符", "错误", "冻结", "销户")):
        return LineStatus.FAILED
    if any(word in text for word in ("成功", "入账", "已付", "完成")):
        return LineStatus.PAID
    return None


def judge(line: PaymentLine, result: str, amount: Decimal) -> str:
    """What applying one return row to its line does: "change" or "unchanged" (or refuse)."""
    if amount != line.amount:
        raise DomainError(f"金额 {to_fen(amount)} 与发放金额 {line.amount} 不符", field="amount")
    if line.status == result:
        return "unchanged"
    if line.status != LineStatus.PENDING:
        raise DomainError(
            f"该笔已是“{line.get_status_display()}”，不能改为“{LineStatus(result).label}”",
            field="result",
        )
    return "change"


@transaction.atomic
def apply_return(
    batch: PaymentBatch,
    rows: list[dict[str, Any]],
    *,
    actor: Actor,
    sha256: str,
    filename: str,
    settled_on: datetime.date | None = None,
) -> dict[str, int]:
    """Settle the lines a return file names: paid, or failed with the bank's reason.

    `rows` are checked rows ({"line": id, "result": paid|failed, "amount", "reason"}). The same
    file twice is refused by its digest; a line already settled the same way is left alone.
    """
    actor.require("programs.pay")
    batch = PaymentBatch.objects.for_actor(actor).select_for_update(of=("self",)).get(pk=batch.pk)
    if batch.status == BatchStatus.DRAFT:
        raise DomainError("批次尚未导出银行文件，不能导入回盘")
    if BankReturn.objects.filter(batch=batch, sha256=sha256).exists():
        raise DomainError("该回盘文件已导入过，本次未作任何更改")
    lines = {
        line.pk: line
        for line in batch.lines.select_for_update().filter(pk__in=[r["line"] for r in rows])
    }
    counts = {"paid": 0, "failed": 0, "unchanged": 0}
    settled: list[int] = []
    today = settled_on or datetime.date.today()
    for row in rows:
        line = lines.get(row["line"])
        if line is None:
            raise DomainError(f"流水号 L{row['line']} 不属于批次 {batch.number}")
        if judge(line, row["result"], row["amount"]) == "unchanged":
            counts["unchanged"] += 1
            continue
        line.status = row["result"]
        if line.status == LineStatus.PAID:
            line.settled_on = today
            entitlement_status = EntitlementStatus.PAID
            settled.append(line.entitlement_id)
        else:
            line.failure = (row.get("reason") or "银行未说明原因")[:200]
            entitlement_status = EntitlementStatus.UNPAID
        line.save(update_fields=["status", "settled_on", "failure"])
        Entitlement.unscoped_objects.filter(pk=line.entitlement_id).update(
            status=entitlement_status
        )
        counts[line.status] += 1
    # What reached its payee moves from committed to spent on the line that was charged.
    ledger.settle(
        Entitlement.unscoped_objects.filter(pk__in=settled).values_list(
            "program_id", "funding_org_id", "amount"
        )
    )
    BankReturn.objects.create(
        batch=batch, sha256=sha256, filename=filename, paid=counts["paid"], failed=counts["failed"]
    )
    before = batch.status
    if not batch.lines.filter(status=LineStatus.PENDING).exists():
        batch.status = BatchStatus.CLOSED
        batch.save(update_fields=["status"])
    record(
        actor,
        "fpa.payment.bank_return",
        batch,
        {"file": filename, **counts, "status": [before, batch.status]},
        rows=[{"line": r["line"], "result": r["result"]} for r in rows],
    )
    return counts


def reissue(batch: PaymentBatch, period: str, *, actor: Actor) -> PaymentBatch:
    """A new batch for the failed lines of `batch` whose entitlements are still unpaid."""
    failed = list(
        batch.lines.filter(
            status=LineStatus.FAILED, entitlement__status=EntitlementStatus.UNPAID
        ).values_list("entitlement_id", flat=True)
    )
    if not failed:
        raise DomainError("本批次没有待重新发放的失败项")
    return build_batch(batch.program, batch.org, period, batch.bank, actor=actor, only=failed)

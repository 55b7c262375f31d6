"""Program tables to Excel or CSV, as jobs: programs, a program's figures by child org,
applications, batches, the lines of a batch.

Accounts are masked (the full account goes only into the bank file, whose export is audited).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fpa.audit.services import record
from fpa.core.exports import write_job_file
from fpa.core.jobs import Progress, runner
from fpa.core.models import Job
from fpa.kernel.scope import Actor
from fpa.orgs.models import Org

from . import selectors, services
from .models import Application, PaymentBatch, Program

APPLICATION_HEADER = ["申请编号", "项目", "申请对象", "单位", "状态", "测算金额", "申请时间"]
BATCH_HEADER = ["批次号", "项目", "发放单位", "期间", "状态", "笔数", "合计金额"]
PROGRAM_HEADER = [
    "编号",
    "项目",
    "类型",
    "年度",
    "资金来源",
    "出资单位",
    "预算",
    "受理开始",
    "受理截止",
    "状态",
]
DASHBOARD_HEADER = ["单位", "预算", "已批准", "剩余", "已发放", "受益人数", "办理中"]
LINE_HEADER = ["流水号", "户名", "账号", "开户行", "期间", "金额", "状态", "失败原因", "到账日期"]


def _applications(actor: Actor, params: dict[str, Any]) -> Any:
    qs = Application.objects.for_actor(actor)
    if params.get("program"):
        qs = qs.filter(program_id=params["program"])
    if params.get("status"):
        qs = qs.filter(status=params["status"])
    if params.get("number"):
        qs = qs.filter(number=params["number"])
    return qs.select_related("program", "org", "person", "household__head").order_by("id")


def _application_rows(qs: Any) -> Iterator[list[Any]]:
    for a in qs.iterator(chunk_size=2000):
        yield [
            a.number,
            a.program.name,
            a.beneficiary_name,
            a.org.name,
            a.get_status_display(),
            a.amount,
            a.filed_at.strftime("%Y-%m-%d %H:%M"),
        ]


def _program_rows(qs: Any) -> Iterator[list[Any]]:
    for p in qs.iterator(chunk_size=2000):
        yield [
            p.code,
            p.name,
            p.get_kind_display(),
            p.year,
            p.get_funding_source_display(),
            p.funding_org.name,
            p.budget,
            p.opens_on,
            p.closes_on,
            p.get_status_display(),
        ]


def _dashboard_rows(rows: list[Any]) -> Iterator[list[Any]]:
    for r in rows:
        yield [r.org.name, r.budget, r.committed, r.remaining, r.paid, r.reached, r.pending]


def _batch_rows(qs: Any) -> Iterator[list[Any]]:
    for b in qs.iterator(chunk_size=2000):
        yield [
            b.number,
            b.program.name,
            b.org.name,
            b.period,
            b.get_status_display(),
            b.line_count,
            b.total,
        ]


def _line_rows(qs: Any) -> Iterator[list[Any]]:
    for ln in qs.iterator(chunk_size=2000):
        yield [
            f"L{ln.pk}",
            ln.payee.name,
            f"****{ln.payee.account_last4}",
            ln.payee.bank_name,
            ln.entitlement.period,
            ln.amount,
            ln.get_status_display(),
            ln.failure,
            ln.settled_on,
        ]


@runner("programs.export")
def export_list(job: Job, actor: Actor, progress: Progress) -> None:
    actor.require("programs.export")
    what = job.params.get("what", "applications")
    qs: Any
    if what == "programs":
        qs = (
            Program.objects.for_actor(actor).select_related("funding_org").order_by("-year", "code")
        )
        header, rows, title = PROGRAM_HEADER, _program_rows(qs), "帮扶项目"
    elif what == "dashboard":
        program = Program.objects.for_actor(actor).get(pk=job.params["program"])
        node = Org.objects.for_actor(actor).get(pk=job.params.get("org") or actor.org.pk)
        total_row, children = selectors.dashboard(program, node)
        qs = [*children, total_row]
        header, rows, title = DASHBOARD_HEADER, _dashboard_rows(qs), f"{program.name}按单位"
    elif what == "worklist":
        qs = (
            services.worklist(actor)
            .select_related("program", "org", "person", "household__head")
            .order_by("filed_at", "id")
        )
        header, rows, title = APPLICATION_HEADER, _application_rows(qs), "待我审批"
    elif what == "batches":
        qs = PaymentBatch.objects.for_actor(actor).select_related("program", "org").order_by("id")
        header, rows, title = BATCH_HEADER, _batch_rows(qs), "发放批次"
    elif what == "lines":
        batch = PaymentBatch.objects.for_actor(actor).get(pk=job.params["batch"])
        qs = batch.lines.select_related("payee", "entitlement").order_by("pk")
        header, rows, title = LINE_HEADER, _line_rows(qs), f"发放明细{batch.number}"
    else:
        qs = _applications(actor, job.params)
        header, rows, title = APPLICATION_HEADER, _application_rows(qs), "申请名单"
    total = len(qs) if isinstance(qs, list) else qs.count()
    write_job_file(job, progress, total=total, unit="行", title=title, header=header, rows=rows)
    record(actor, "fpa.programs.exported", None, {"what": what, "count": total, **job.params})

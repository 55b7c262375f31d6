"""Budgets and transfers from Excel through the one import engine: a year's budget lines of the
orgs in reach, and the transfers of one line to many lower orgs (a province's split to its
cities, typed in a finance office's sheet). Row errors are reported, the commit is all or none."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction

from fpa.audit.services import record
from fpa.core.errors import DomainError
from fpa.core.imports import Column, RowSchema
from fpa.core.imports.flow import Commit, ImportFlow, Owner
from fpa.core.imports.schema import Status
from fpa.core.money import to_fen
from fpa.kernel.scope import Actor
from fpa.orgs import picker
from fpa.orgs.models import Org
from fpa.programs.models import Program

from . import ledger
from .models import BudgetLine, Project, Purpose, Source

ORG_SYNONYMS = ("单位名称", "预算单位", "区划代码")


@dataclass
class OrgsContext:
    """The orgs a sheet names, found once each (`picker.resolve`: a name, a label, a code)."""

    actor: Actor
    owner: Any = None
    orgs: dict[str, Org] = field(default_factory=dict)

    def org(self, text: str, column: str) -> Org:
        if text not in self.orgs:
            try:
                self.orgs[text] = picker.resolve(self.actor, text)
            except picker.NotFound as exc:
                raise DomainError(str(exc), field=column) from exc
        return self.orgs[text]


def _amount(value: Decimal | None, column: str = "amount") -> Decimal:
    if value is None or not 0 < value < ledger.CEILING:
        raise DomainError("金额应大于 0 且小于 1 万亿元", field=column)
    return to_fen(value)


# -- budget lines -------------------------------------------------------------------------


class LineSchema(RowSchema):
    kind = "budget_lines"
    title = "预算科目"
    columns = (
        Column("org", "单位", required=True, synonyms=ORG_SYNONYMS, max_length=100),
        Column("year", "年度", kind="int", required=True, synonyms=("预算年度",)),
        Column("source", "资金来源", kind="choice", required=True, choices=Source.choices),
        Column("purpose", "用途", kind="choice", required=True, choices=Purpose.choices),
        Column(
            "code",
            "项目编号",
            max_length=30,
            help="用途为帮扶项目或项目库项目时填写其编号",
        ),
        Column("amount", "预算金额", kind="decimal", required=True, synonyms=("金额",)),
        Column("doc_number", "文号", max_length=60, synonyms=("预算文号",)),
        Column("reason", "说明", max_length=200, synonyms=("备注",)),
    )
    key_columns = ("org", "year", "source", "purpose", "code")

    def classify(self, values: dict[str, Any], context: OrgsContext) -> Status:
        org = context.org(values["org"], "org")
        values["org"] = org
        values["amount"] = _amount(values["amount"])
        if not 2000 <= values["year"] <= 2100:
            raise DomainError("年度应在 2000 至 2100 之间", field="year")
        values["program"], values["project_id"] = None, None
        code = values.get("code")
        if values["purpose"] == Purpose.PROGRAM:
            program = Program.objects.for_actor(context.actor).filter(code=code).first()
            if program is None:
                raise DomainError(f"找不到编号为“{code or ''}”的帮扶项目", field="code")
            values["program"] = program
            taken = BudgetLine.unscoped_objects.filter(org=org, program=program)
        elif values["purpose"] == Purpose.PROJECT:
            project = Project.objects.for_actor(context.actor).filter(code=code).first()
            if project is None:
                raise DomainError(f"找不到编号为“{code or ''}”的项目库项目", field="code")
            values["project_id"] = project.pk
            taken = BudgetLine.unscoped_objects.filter(org=org, project=project)
        else:
            taken = BudgetLine.unscoped_objects.filter(
                org=org, year=values["year"], source=values["source"], purpose=Purpose.OPERATIONS
            )
        if taken.exists():
            return "unchanged"  # the line is there: a revision is made on its page, dated
        return "new"

    def will_write(self, rows: list[Any], mode: str) -> str:
        total = sum((r.values["amount"] for r in rows), Decimal("0"))
        return f"新增预算科目 {len(rows)} 项，合计 {total:,.2f} 元"


@transaction.atomic
def open_lines(rows: list[Any], *, actor: Actor, filename: str) -> int:
    actor.require("funds.add")
    made = [
        ledger.new_line(
            r.values["org"],
            r.values["year"],
            r.values["source"],
            r.values["purpose"],
            r.values["amount"],
            doc_number=r.values.get("doc_number") or "",
            reason=r.values.get("reason") or "年初预算",
            on=None,
            program=r.values["program"],
            project_id=r.values["project_id"],
            actor=actor,
        )
        for r in rows
    ]
    record(
        actor,
        "fpa.funds.lines_imported",
        None,
        {"file": filename, "created": len(made)},
        rows=[{"row": r.row, "line": line.pk} for r, line in zip(rows, made, strict=True)],
    )
    return len(made)


def _write_lines(to: Commit) -> dict[str, int]:
    return {"created": open_lines(to.rows, actor=to.actor, filename=to.name)}


LINES_FLOW = ImportFlow(
    job="funds.import.lines",
    url_name="funds:import",
    route="lines/import/",
    perm="funds.add",
    title="预算科目",
    schema=lambda owner: LineSchema(),
    context=lambda actor, owner: OrgsContext(actor),
    commit=_write_lines,
    done="导入完成：新增预算科目 {created} 项",
    after="funds:home",
    after_label="查看预算与资金",
    hints=(
        "一行一个预算科目；单位写名称或区划代码；已有的科目显示为“无变化”，调整请在科目页面办理。",
    ),
)


# -- transfers of one line ---------------------------------------------------------------


class TransferSchema(RowSchema):
    kind = "transfers"
    title = "下拨明细"
    columns = (
        Column("to_org", "收款单位", required=True, synonyms=("单位", *ORG_SYNONYMS)),
        Column("amount", "金额", kind="decimal", required=True, synonyms=("下拨金额",)),
        Column("doc_number", "文号", required=True, max_length=60, synonyms=("下达文号",)),
        Column("on", "下达日期", kind="date", required=True, synonyms=("日期",)),
        Column("note", "说明", max_length=200, synonyms=("备注",)),
    )
    key_columns = ("to_org",)

    def classify(self, values: dict[str, Any], context: OrgsContext) -> Status:
        line: BudgetLine = context.owner
        org = context.org(values["to_org"], "to_org")
        if org.pk == line.org_id or not org.path.startswith(line.org.path):
            raise DomainError(f"只能下拨给{line.org.name}的下级单位", field="to_org")
        values["to_org"] = org
        values["amount"] = _amount(values["amount"])
        return "new"

    def will_write(self, rows: list[Any], mode: str) -> str:
        total = sum((r.values["amount"] for r in rows), Decimal("0"))
        return f"下拨 {len(rows)} 笔，合计 {total:,.2f} 元"


@transaction.atomic
def pass_down_all(line: BudgetLine, rows: list[Any], *, actor: Actor, filename: str) -> int:
    """Every row a transfer of `line`, in one transaction: past what the line has left, the
    first row that does not fit stops them all, with the balance in the message."""
    actor.require("funds.change")
    made = [
        ledger.pass_down(
            line,
            r.values["to_org"],
            r.values["amount"],
            doc_number=r.values["doc_number"],
            on=r.values["on"],
            note=r.values.get("note") or "",
            actor=actor,
        )
        for r in rows
    ]
    record(
        actor,
        "fpa.funds.transfers_imported",
        line,
        {"file": filename, "created": len(made)},
        rows=[{"row": r.row, "transfer": t.pk} for r, t in zip(rows, made, strict=True)],
    )
    return len(made)


def _write_transfers(to: Commit) -> dict[str, int]:
    return {"created": pass_down_all(to.owner, to.rows, actor=to.actor, filename=to.name)}


TRANSFERS_FLOW = ImportFlow(
    job="funds.import.transfers",
    url_name="funds:transfer_import",
    route="lines/<int:line_id>/transfers/import/",
    perm="funds.change",
    title="下拨明细",
    schema=lambda line: TransferSchema(),
    context=lambda actor, line: OrgsContext(actor, line),
    commit=_write_transfers,
    done="导入完成：下拨 {created} 笔",
    after="funds:line",
    after_label="回到预算科目",
    owner=Owner(BudgetLine, "line_id", "line"),
    template_route="lines/transfers/import/template/",
    hints=(
        "一行一笔下拨；收款单位须是本科目所属单位的下级，写名称或区划代码。",
        "合计超过本科目结余时整个文件不导入。",
    ),
)

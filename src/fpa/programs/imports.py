"""Bank return files and applications through the one import engine and the one import flow
(same rules and pages as people)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from fpa.audit.services import record
from fpa.core import crypto
from fpa.core.errors import DomainError
from fpa.core.imports import CellError, Column, RowSchema
from fpa.core.imports.flow import Commit, ImportFlow, Mode, Owner
from fpa.core.imports.schema import Status
from fpa.kernel.scope import Actor
from fpa.people.models import Person

from . import payees, payments, services, setup
from .banks import REF
from .models import Application, LineStatus, PaymentBatch, PaymentLine, Program
from .rules import rule_for

_LINE_REF = re.compile(r"^L(\d{1,12})$")


@dataclass
class ReturnContext:
    actor: Actor
    batch: PaymentBatch
    lines: dict[int, PaymentLine] = field(default_factory=dict)


class ReturnSchema(RowSchema):
    """A bank's return file: the request echoed with a result (and a reason where it failed)."""

    kind = "bank_return"
    title = "回盘"
    columns = (
        Column("line", REF, required=True, synonyms=("流水号", "业务流水号", "平台流水")),
        Column("account", "收款账号", synonyms=("客户账号", "收款人账号", "账号", "卡号")),
        Column("name", "户名", synonyms=("收款户名", "收款人名称", "姓名")),
        Column(
            "amount",
            "金额",
            kind="decimal",
            required=True,
            synonyms=("金额(元)", "代发金额", "交易金额", "实发金额"),
        ),
        Column(
            "result",
            "处理结果",
            required=True,
            synonyms=("交易结果", "处理状态", "交易状态", "状态", "结果"),
            help="成功 或 失败",
        ),
        Column("reason", "失败原因", synonyms=("错误信息", "失败信息", "备注", "说明")),
    )
    key_columns = ("line",)

    def clean(self, values: dict[str, Any], context: ReturnContext) -> dict[str, Any]:
        match = _LINE_REF.match(values["line"].strip().upper())
        if not match:
            raise CellError("line", "平台流水号应为 L 加数字，如 L123，请勿修改银行文件中的这一列")
        values["line"] = int(match.group(1))
        result = payments.parse_result(values["result"])
        if result is None:
            raise CellError("result", "无法识别处理结果，应为“成功”或“失败”")
        values["result"] = result
        return values

    def prepare(self, rows: list[dict[str, Any]], context: ReturnContext) -> None:
        context.lines = {
            line.pk: line
            for line in context.batch.lines.select_related("payee").filter(
                pk__in=[r["line"] for r in rows]
            )
        }

    def classify(self, values: dict[str, Any], context: ReturnContext) -> Status:
        line = context.lines.get(values["line"])
        if line is None:
            raise CellError("line", f"该流水号不属于批次 {context.batch.number}")
        account = values.get("account")
        if account and crypto.last4(account) != line.payee.account_last4:
            raise CellError("account", "账号与发放明细不符")
        change = payments.judge(line, values["result"], values["amount"])
        return "update" if change == "change" else "unchanged"

    def will_write(self, rows: list[Any], mode: str) -> str:
        paid = sum(1 for row in rows if row.values["result"] == LineStatus.PAID)
        words = [f"入账 {paid} 笔"] if paid else []
        if len(rows) - paid:
            words.append(f"标记失败 {len(rows) - paid} 笔")
        return "、".join(words)


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def return_rows(rows: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "line": r.values["line"],
            "result": r.values["result"],
            "amount": r.values["amount"],
            "reason": r.values.get("reason") or "",
        }
        for r in rows
    ]


def _apply_return(to: Commit) -> dict[str, int]:
    return payments.apply_return(
        to.owner,
        return_rows(to.rows),
        actor=to.actor,
        sha256=file_digest(to.path),
        filename=to.name,
    )


RETURN_FLOW = ImportFlow(
    job="programs.return",
    url_name="programs:return",
    route="batches/<int:batch_id>/return/",
    template_route="banks/return-template/",
    perm="programs.pay",
    title="银行回盘",
    schema=lambda batch: ReturnSchema(),
    context=ReturnContext,
    commit=_apply_return,
    done="回盘已导入：到账 {paid} 笔，失败 {failed} 笔",
    after="programs:batch",
    after_label="回到发放批次",
    modes=(Mode("update"),),
    owner=Owner(PaymentBatch, "batch_id", "batch"),
    hints=(
        "银行返回的文件须保留“平台流水号”列，并有“处理结果”（成功/失败）和金额列。",
        "同一个回盘文件再导入一次不会重复入账。",
    ),
    upload_template="programs/return_upload.html",
)


# -- applications ------------------------------------------------------------------------


@dataclass
class ApplicationContext:
    actor: Actor
    program: Program
    persons: dict[str, Person] = field(default_factory=dict)
    seen: set[tuple[int, str]] = field(default_factory=set)


class ApplicationSchema(RowSchema):
    """Applications of one program for persons already in the registry, paid to themselves.

    The detail columns are the program rule's fields; built per program kind.
    """

    kind = "applications"
    title = "申请"

    def __init__(self, program_kind: str) -> None:
        rule = rule_for(program_kind)
        kinds = {"date": "date", "decimal": "decimal", "int": "int", "text": "text"}
        self.rule = rule
        self.columns = (  # type: ignore[misc]
            Column(
                "id_number",
                "身份证号码",
                kind="id_number",
                required=True,
                synonyms=("身份证号", "公民身份号码", "申请人身份证号码"),
            ),
            Column("name", "姓名", required=True, synonyms=("申请人", "申请人姓名")),
            Column("bank_name", "开户行", required=True, synonyms=("开户银行",)),
            Column("account", "银行账号", kind="code", required=True, synonyms=("账号", "卡号")),
            *(
                Column(f.name, f.label, kind=kinds[f.type], required=f.required, help=f.help)  # type: ignore[arg-type]
                for f in rule.fields
            ),
        )

    def clean(self, values: dict[str, Any], context: ApplicationContext) -> dict[str, Any]:
        try:
            payees.check_account(values["bank_name"], values["account"])
        except DomainError as exc:
            raise CellError("account", exc.message) from exc
        raw = {f.name: values.get(f.name) for f in self.rule.fields}
        values["details"] = self.rule.clean(raw)
        portions = setup.estimate(context.program, values["details"])
        values["period_key"] = "|".join(p.period for p in portions)
        values["amount"] = sum(p.amount for p in portions)
        return values

    def prepare(self, rows: list[dict[str, Any]], context: ApplicationContext) -> None:
        numbers = {r["id_number"] for r in rows}
        index = {crypto.blind_index(n, "id_number"): n for n in numbers}
        found = Person.objects.for_actor(context.actor).filter(id_number_index__in=list(index))
        context.persons = {index[p.id_number_index]: p for p in found}

    def classify(self, values: dict[str, Any], context: ApplicationContext) -> Status:
        person = context.persons.get(values["id_number"])
        if person is None:
            raise CellError("id_number", "本辖区人员库中没有该身份证号码，请先登记人员")
        if person.name != values["name"]:
            raise CellError("name", f"姓名与人员库不符（人员库为 {person.name}）")
        mine = Application.unscoped_objects.filter(
            program=context.program, person=person, details=values["details"]
        ).exclude(status__in=["rejected", "withdrawn"])
        if mine.exists():
            return "unchanged"
        key = (person.pk, values["period_key"])
        if key in context.seen:
            raise CellError("id_number", "文件中已有此人同一期间的申请")
        context.seen.add(key)
        services.check_filing(context.program, person, None, values["details"], context.actor)
        values["person"] = person
        return "new"

    def will_write(self, rows: list[Any], mode: str) -> str:
        return f"提交申请 {len(rows)} 份"


@transaction.atomic
def commit_applications(
    rows: list[Any], program: Program, *, actor: Actor, filename: str
) -> list[Application]:
    """File every accepted row (all or none), each with its own audit entry and history."""
    filed = []
    for row in rows:
        v = row.values
        payee = payees.payee_for_person(v["person"], v["bank_name"], v["account"], actor=actor)
        filed.append(
            services.file_application(
                program, actor=actor, person=v["person"], payee=payee, details=v["details"]
            )
        )
    record(
        actor,
        "fpa.application.imported",
        program,
        {"file": filename, "filed": len(filed)},
        rows=[{"row": r.row, "application": a.pk} for r, a in zip(rows, filed, strict=True)],
    )
    return filed


def _file_applications(to: Commit) -> dict[str, int]:
    return {"filed": len(commit_applications(to.rows, to.owner, actor=to.actor, filename=to.name))}


APPLICATIONS_FLOW = ImportFlow(
    job="programs.applications",
    url_name="programs:import",
    route="<int:program_id>/import/",
    perm="programs.add",
    title="申请",
    schema=lambda program: ApplicationSchema(program.kind),
    context=ApplicationContext,
    commit=_file_applications,
    done="导入完成：提交申请 {filed} 份",
    after="programs:detail",
    after_label="查看项目",
    owner=Owner(Program, "program_id", "program"),
    hints=(
        "申请人须已在人员库登记，姓名与人员库一致；每行一份申请，发放到申请人本人账户。",
        "模板按本项目的待遇规则列出要填写的明细。",
    ),
)

"""The funds page's lines and a project's evaluation report (page downloads); the transfer
register and the project library (jobs)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.utils import timezone

from fpa.core.exporters import Exporter, Table, exporter
from fpa.core.forms import ascii_int
from fpa.kernel.scope import Actor, get_in_reach_or_404

from . import selectors
from .forms import FundsFilter, ProjectFilter, TransferFilter
from .models import BudgetLine, Project, Transfer

LINE_HEADER = [
    "单位",
    "年度",
    "用途",
    "项目",
    "资金来源",
    "本级预算（元）",
    "上级下达（元）",
    "下拨（元）",
    "已承诺（元）",
    "已支出（元）",
    "结余（元）",
]


def _line_rows(lines: list[BudgetLine]) -> Iterator[list[Any]]:
    for line in lines:
        yield [
            line.org.name,
            line.year,
            line.get_purpose_display(),
            line.purpose_name,
            line.get_source_display(),
            line.planned,
            line.received,
            line.transferred,
            line.committed,
            line.spent,
            line.remaining,
        ]


@exporter
class FundsLines(Exporter):
    """An org's budget lines for a year, as the funds page shows them."""

    key = "funds.export.lines"
    permission = "funds.export"
    audit_action = "fpa.funds.lines_exported"
    unit = "项"

    def table(self, actor: Actor, params: dict[str, Any]) -> Table:
        form = FundsFilter(params, actor=actor)
        chosen = form.cleaned_data if form.is_valid() else {}
        org = chosen.get("org") or actor.org
        year = chosen.get("year") or timezone.localdate().year
        lines = selectors.lines_of(org, year)
        title = f"{org.name}{year}年预算科目"
        recorded = {"org": org.pk, "year": year}
        return Table(title, LINE_HEADER, _line_rows(lines), len(lines), title, recorded)


TRANSFER_HEADER = [
    "下达日期",
    "文号",
    "下拨单位",
    "收款单位",
    "区划代码",
    "用途",
    "项目",
    "金额（元）",
    "说明",
]


def _transfer_rows(qs: Any) -> Iterator[list[Any]]:
    t: Transfer
    for t in qs.iterator(chunk_size=1000):
        yield [
            t.on,
            t.doc_number,
            t.sender.name,
            t.org.name,
            t.org.code,
            t.from_line.get_purpose_display(),
            t.from_line.purpose_name,
            t.amount,
            t.note,
        ]


@exporter
class TransferRegister(Exporter):
    """The transfer register as its page filters it."""

    key = "funds.export.transfers"
    permission = "funds.export"
    audit_action = "fpa.funds.transfers_exported"
    unit = "笔"

    def table(self, actor: Actor, params: dict[str, Any]) -> Table:
        form = TransferFilter(params, actor=actor)
        filters = form.cleaned_data if form.is_valid() else {}
        qs = selectors.transfers_of(actor, filters)
        return Table(
            "转移支付登记",
            TRANSFER_HEADER,
            _transfer_rows(qs),
            qs.count(),
            "",
            {"filters": params},
        )


PROJECT_HEADER = [
    "项目编号",
    "项目名称",
    "类别",
    "年度",
    "申报单位",
    "区划代码",
    "状态",
    "申报预算（元）",
    "评价得分",
    "评价等级",
]


def _project_rows(qs: Any) -> Iterator[list[Any]]:
    p: Project
    for p in qs.iterator(chunk_size=1000):
        yield [
            p.code,
            p.name,
            p.get_kind_display(),
            p.year,
            p.org.name,
            p.org.code,
            p.get_state_display(),
            p.budget,
            p.score,
            p.grade,
        ]


@exporter
class ProjectList(Exporter):
    """The project library as its list filters it."""

    key = "funds.export.projects"
    permission = "funds.export"
    audit_action = "fpa.funds.projects_exported"
    unit = "个"

    def table(self, actor: Actor, params: dict[str, Any]) -> Table:
        form = ProjectFilter(params, actor=actor)
        filters = form.cleaned_data if form.is_valid() else {}
        qs = selectors.projects_of(actor, filters)
        recorded = {"filters": params}
        return Table("项目库", PROJECT_HEADER, _project_rows(qs), qs.count(), "", recorded)


EVALUATION_HEADER = ["指标类别", "指标名称", "目标值", "计量单位", "实际值", "分值", "得分"]


@exporter
class EvaluationReport(Exporter):
    """One project's performance evaluation: each target against its actual value, the score,
    and the total with its grade, the evaluator and the date."""

    key = "funds.export.evaluation"
    permission = "funds.export"
    audit_action = "fpa.funds.evaluation_exported"
    unit = "项"

    def table(self, actor: Actor, params: dict[str, Any]) -> Table:
        project = get_in_reach_or_404(Project.objects, actor, pk=ascii_int(params.get("project")))
        targets = list(project.targets.all())
        rows: list[list[Any]] = [
            [t.get_kind_display(), t.name, t.target, t.unit, t.actual, t.weight, t.score]
            for t in targets
        ]
        when = f"{project.evaluated_on:%Y-%m-%d}" if project.evaluated_on else ""
        rows.append(
            [
                "合计",
                f"评价等级：{project.grade or '未评价'}",
                "",
                "",
                f"评价人：{project.evaluator}" if project.evaluator else "",
                sum((t.weight for t in targets), Decimal("0")),
                project.score,
            ]
        )
        if when:
            rows.append(["评价日期", when, "", "", "", "", ""])
        title = f"{project.code}{project.name}绩效评价"
        recorded = {"project": project.pk}
        return Table(title, EVALUATION_HEADER, iter(rows), len(rows), title, recorded)

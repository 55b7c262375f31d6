"""The funds page's lines (a page download) and the transfer register (a job)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils import timezone

from fpa.core.exporters import Exporter, Table, exporter
from fpa.kernel.scope import Actor

from . import selectors
from .forms import FundsFilter, TransferFilter
from .models import BudgetLine, Transfer

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


# The donations' exports and imports register with the app's (apps.py imports this module).
from . import donation_exports, donation_imports  # noqa: E402, F401

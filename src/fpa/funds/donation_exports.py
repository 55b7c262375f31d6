"""The donation lists as files, each as its page filters it: the register, the receipt log, the
campaigns with their money, the distributions (jobs, `funds.export`, audited)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fpa.core.exporters import Exporter, Table, exporter
from fpa.kernel.scope import Actor

from . import donation_selectors as selectors
from .donation_forms import DistributionFilter, DonationFilter, ReceiptFilter
from .models import Campaign, Distribution, Donation, DonationReceipt


def _filters(form: Any) -> dict[str, Any]:
    return form.cleaned_data if form.is_valid() else {}


DONATION_HEADER = [
    "编号",
    "接收日期",
    "接收单位",
    "区划代码",
    "捐赠人",
    "捐赠人类别",
    "类别",
    "物资名称",
    "数量",
    "计量单位",
    "估值方式",
    "金额或估值（元）",
    "资金来源",
    "年度",
    "接收方式",
    "用途",
    "已发放（元）",
    "结余（元）",
    "当前票据号码",
    "备注",
]


def _donation_rows(qs: Any) -> Iterator[list[Any]]:
    d: Donation
    for d in qs.iterator(chunk_size=1000):
        yield [
            d.pk,
            d.received_on,
            d.org.name,
            d.org.code,
            d.donor.name if d.donor else "匿名",
            d.donor.get_kind_display() if d.donor else "匿名",
            d.get_kind_display(),
            d.item,
            d.quantity,
            d.unit,
            d.get_valuation_display() if d.valuation else "",
            d.amount,
            d.get_source_display(),
            d.year,
            d.get_channel_display(),
            d.purpose_name,
            d.distributed,
            d.remaining,
            d.receipt.number if d.receipt else "",
            d.note,
        ]


@exporter
class DonationRegister(Exporter):
    """The donation register as its page filters it."""

    key = "funds.export.donations"
    permission = "funds.export"
    audit_action = "fpa.funds.donations_exported"
    unit = "笔"

    def table(self, actor: Actor, params: dict[str, Any]) -> Table:
        qs = selectors.donations_of(actor, _filters(DonationFilter(params, actor=actor)))
        return Table(
            "捐赠登记", DONATION_HEADER, _donation_rows(qs), qs.count(), "", {"filters": params}
        )


RECEIPT_HEADER = [
    "票据号码",
    "开票日期",
    "单位",
    "捐赠编号",
    "捐赠人",
    "状态",
    "补开自",
    "作废日期",
    "作废原因",
]


def _receipt_rows(qs: Any) -> Iterator[list[Any]]:
    r: DonationReceipt
    for r in qs.iterator(chunk_size=1000):
        yield [
            r.number,
            r.issued_on,
            r.org.name,
            r.donation_id,
            r.donation.donor.name if r.donation.donor else "匿名",
            r.get_status_display(),
            r.replaces.number if r.replaces else "",
            r.voided_on,
            r.void_reason,
        ]


@exporter
class ReceiptLog(Exporter):
    """The receipt log, voided receipts included."""

    key = "funds.export.receipts"
    permission = "funds.export"
    audit_action = "fpa.funds.receipts_exported"
    unit = "张"

    def table(self, actor: Actor, params: dict[str, Any]) -> Table:
        qs = selectors.receipts_of(actor, _filters(ReceiptFilter(params, actor=actor)))
        return Table(
            "捐赠票据登记", RECEIPT_HEADER, _receipt_rows(qs), qs.count(), "", {"filters": params}
        )


CAMPAIGN_HEADER = [
    "活动名称",
    "发起单位",
    "开始日期",
    "结束日期",
    "募集资金（元）",
    "募集物资估值（元）",
    "已发放（元）",
    "结余（元）",
]


def _campaign_rows(campaigns: list[Campaign]) -> Iterator[list[Any]]:
    for c in campaigns:
        total = selectors.campaign_summary(c).total
        yield [
            c.name,
            c.org.name,
            c.starts_on,
            c.ends_on,
            total.cash,
            total.goods,
            total.distributed,
            total.remaining,
        ]


@exporter
class CampaignList(Exporter):
    """The campaigns in reach with what each raised, distributed and has left."""

    key = "funds.export.campaigns"
    permission = "funds.export"
    audit_action = "fpa.funds.campaigns_exported"
    unit = "个"

    def table(self, actor: Actor, params: dict[str, Any]) -> Table:
        campaigns = list(
            Campaign.objects.for_actor(actor).select_related("org").order_by("-starts_on", "pk")
        )
        return Table("募捐活动", CAMPAIGN_HEADER, _campaign_rows(campaigns), len(campaigns), "", {})


DISTRIBUTION_HEADER = [
    "编号",
    "发放日期",
    "发放单位",
    "受助对象类别",
    "受助对象",
    "类别",
    "物资名称",
    "数量",
    "计量单位",
    "金额（元）",
    "募捐活动",
    "用途",
    "签收人",
    "动用捐赠",
]


def _distribution_rows(qs: Any) -> Iterator[list[Any]]:
    d: Distribution
    for d in qs.prefetch_related("draws").iterator(chunk_size=1000):
        yield [
            d.pk,
            d.on,
            d.org.name,
            d.get_recipient_kind_display(),
            d.recipient_name,
            d.get_kind_display(),
            d.item,
            d.quantity,
            d.unit,
            d.amount,
            d.campaign.name if d.campaign else "",
            d.purpose,
            d.signed_by,
            "；".join(f"#{w.donation_id}:{w.amount}" for w in d.draws.all()),
        ]


@exporter
class DistributionList(Exporter):
    """The distributions as their page filters them, with the gifts each drew on."""

    key = "funds.export.distributions"
    permission = "funds.export"
    audit_action = "fpa.funds.distributions_exported"
    unit = "笔"

    def table(self, actor: Actor, params: dict[str, Any]) -> Table:
        qs = selectors.distributions_of(actor, _filters(DistributionFilter(params, actor=actor)))
        return Table(
            "捐赠款物发放",
            DISTRIBUTION_HEADER,
            _distribution_rows(qs),
            qs.count(),
            "",
            {"filters": params},
        )

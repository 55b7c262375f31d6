"""Donations (捐赠), their receipts (公益事业捐赠票据), campaigns (募捐活动) and what they were
given to (发放).

A donation is money or goods an org received, from a named donor or anonymously, restricted
(定向) to a campaign or a project of the library, or unrestricted. A distribution gives money or
goods to a person or an org, drawing on the donations it spends (`Draw`: distribution ×
donation × amount). A donation's `distributed` column moves only in `fpa.funds.donations`, under
a row lock, and the database refuses it past the donation's amount (`donation_not_overdrawn`).

Receipts are issued by the finance bureau's system: the platform records their number and date,
never makes one up, and never deletes one — a wrong receipt is voided (作废) with its reason and a
new one reissued (补开) in its place, linked to it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from fpa.core.dates import span_constraint
from fpa.kernel.merging import Stays
from fpa.kernel.owned import OrgOwned
from fpa.kernel.scope import ScopedManager, ScopedQuerySet

from .budgets import Source, money

ZERO = Decimal("0.00")


class DonorKind(models.TextChoices):
    PERSON = "person", "个人"
    ORGANISATION = "organisation", "单位"


class DonationKind(models.TextChoices):
    CASH = "cash", "资金"
    IN_KIND = "in_kind", "物资"


class Channel(models.TextChoices):
    BANK = "bank", "银行转账"
    CASH = "cash", "现金"
    WECHAT = "wechat", "微信"
    ALIPAY = "alipay", "支付宝"
    HANDOVER = "handover", "实物交接"
    OTHER = "other", "其他"


class Valuation(models.TextChoices):
    """How goods received were valued."""

    MARKET = "market", "市场价"
    INVOICE = "invoice", "发票价"
    APPRAISED = "appraised", "评估价"


class ReceiptStatus(models.TextChoices):
    ISSUED = "issued", "有效"
    VOIDED = "voided", "已作废"


class RecipientKind(models.TextChoices):
    PERSON = "person", "个人"
    ORG = "org", "单位"


class Donor(OrgOwned):
    """A named donor as the receiving org knows them: a person of the registry or an organisation
    by name. One row per donor and org, so the donor's page lists everything they gave it."""

    on_merge = Stays("the donor as the org that received the gifts knows them")

    kind = models.CharField("捐赠人类别", max_length=14, choices=DonorKind.choices)
    person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="捐赠人（人员库）",
    )
    name = models.CharField("捐赠人", max_length=100)
    contact = models.CharField("联系方式", max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta(OrgOwned.Meta):
        verbose_name = "捐赠人"
        constraints = [
            models.UniqueConstraint(
                fields=["org", "person"], condition=Q(kind="person"), name="donor_person_once"
            ),
            models.UniqueConstraint(
                fields=["org", "name"], condition=Q(kind="organisation"), name="donor_name_once"
            ),
            models.CheckConstraint(
                condition=(Q(kind="person") & Q(person__isnull=False))
                | (Q(kind="organisation") & Q(person__isnull=True)),
                name="donor_kind_names_one",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Campaign(OrgOwned):
    """募捐活动: a drive an org runs (an epidemic relief campaign); donations restricted to it are
    raised across the org's subtree and spent only on it."""

    on_merge = Stays("a campaign run by the org that ran it")

    name = models.CharField("活动名称", max_length=100)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta(OrgOwned.Meta):
        verbose_name = "募捐活动"
        constraints = [
            models.UniqueConstraint(fields=["org", "name"], name="campaign_name_once"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="campaign_ends_after_start",
                violation_error_message="结束日期不能早于开始日期",
            ),
            span_constraint("campaign", "starts_on", "开始日期"),
            span_constraint("campaign", "ends_on", "结束日期"),
        ]

    def __str__(self) -> str:
        return self.name


class Donation(OrgOwned):
    """One gift received by `org`. `amount` is the money, or the goods' valuation in yuan."""

    on_merge = Stays("a gift received on a date by the org that received it")

    donor = models.ForeignKey(
        Donor,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donations",
        verbose_name="捐赠人",
    )
    kind = models.CharField("捐赠类别", max_length=8, choices=DonationKind.choices)
    source = models.CharField(
        "资金来源", max_length=12, choices=Source.choices, default=Source.DONATION
    )
    year = models.PositiveSmallIntegerField("年度")
    received_on = models.DateField("接收日期")
    channel = models.CharField("接收方式", max_length=10, choices=Channel.choices)
    amount = money("金额（元）")
    item = models.CharField("物资名称", max_length=100, blank=True)
    quantity = models.DecimalField("数量", max_digits=12, decimal_places=2, null=True, blank=True)
    unit = models.CharField("单位", max_length=10, blank=True)
    valuation = models.CharField("估值方式", max_length=10, choices=Valuation.choices, blank=True)
    restricted = models.BooleanField("定向捐赠", default=False)
    campaign = models.ForeignKey(
        Campaign,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donations",
        verbose_name="募捐活动",
    )
    project = models.ForeignKey(
        "funds.Project",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donations",
        verbose_name="项目库项目",
    )
    distributed = money("已发放（元）", default=ZERO)
    receipt = models.ForeignKey(
        "funds.DonationReceipt",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="当前票据",
    )
    note = models.CharField("备注", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间", default=timezone.now, editable=False)

    class Meta(OrgOwned.Meta):
        verbose_name = "捐赠"
        indexes = [
            models.Index(fields=["org", "year"], name="donation_org_year"),
            models.Index(fields=["county", "year"], name="donation_county_year"),
            models.Index(fields=["city", "year"], name="donation_city_year"),
            models.Index(fields=["year", "kind"], name="donation_year_kind"),
            # The register, newest first: the province's, a city's, a county's page is one range.
            models.Index(fields=["-received_on", "-id"], name="donation_recent"),
            models.Index(fields=["city", "-received_on"], name="donation_city_recent"),
            models.Index(fields=["county", "-received_on"], name="donation_county_recent"),
            models.Index(
                fields=["-received_on", "-id"],
                condition=Q(receipt__isnull=True, donor__isnull=False),
                name="donation_lacking_receipt",
            ),
            # A campaign's page groups its gifts by child org from the index alone (PostgreSQL).
            models.Index(
                fields=["campaign", "city", "county", "township", "org", "kind"],
                include=["amount"],
                name="donation_campaign_places",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="donation_positive"),
            models.CheckConstraint(
                condition=Q(distributed__gte=0) & Q(distributed__lte=F("amount")),
                name="donation_not_overdrawn",
                violation_error_message="超过该笔捐赠的结余",
            ),
            # Restricted to exactly one purpose; unrestricted money names none.
            models.CheckConstraint(
                condition=(
                    Q(restricted=True)
                    & (
                        Q(campaign__isnull=False, project__isnull=True)
                        | Q(campaign__isnull=True, project__isnull=False)
                    )
                )
                | Q(restricted=False, campaign__isnull=True, project__isnull=True),
                name="donation_restriction_names_one",
            ),
            models.CheckConstraint(
                condition=Q(kind="cash", item="", quantity__isnull=True, valuation="")
                | (Q(kind="in_kind", quantity__gt=0) & ~Q(item="") & ~Q(valuation="")),
                name="donation_goods_described",
            ),
            span_constraint("donation", "year", "年度", year=True),
            span_constraint("donation", "received_on", "接收日期"),
        ]

    def __str__(self) -> str:
        who = self.donor.name if self.donor_id and self.donor else "匿名"
        return f"{who} {self.received_on} {self.amount} 元"

    @property
    def remaining(self) -> Decimal:
        return self.amount - self.distributed

    @property
    def purpose_name(self) -> str:
        if self.campaign_id and self.campaign:
            return f"定向：{self.campaign.name}"
        if self.project_id and self.project:
            return f"定向：{self.project.name}"
        return "非定向"


class ReceiptQuerySet(ScopedQuerySet["DonationReceipt"]):
    def delete(self) -> NoReturn:
        raise PermissionError("捐赠票据记录不可删除，作废请登记作废原因")


class DonationReceipt(OrgOwned):
    """One 公益事业捐赠票据 recorded against a donation, held by the donation's org. Never deleted:
    voided with its reason, and a reissue names the receipt it replaces."""

    on_merge = Stays("a receipt issued to a gift received by the org")

    # the receipts' own queryset, whose delete refuses (OrgOwned's managers know none)
    objects = ScopedManager.from_queryset(ReceiptQuerySet)()  # type: ignore[misc]
    unscoped_objects = ReceiptQuerySet.as_manager()  # type: ignore[misc]

    donation = models.ForeignKey(
        Donation, on_delete=models.PROTECT, related_name="receipts", verbose_name="捐赠"
    )
    number = models.CharField("票据号码", max_length=40)
    issued_on = models.DateField("开票日期")
    status = models.CharField(
        "票据状态", max_length=8, choices=ReceiptStatus.choices, default=ReceiptStatus.ISSUED
    )
    replaces = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reissued_as",
        verbose_name="补开自",
    )
    voided_on = models.DateField("作废日期", null=True, blank=True)
    void_reason = models.CharField("作废原因", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间", default=timezone.now, editable=False)

    class Meta(OrgOwned.Meta):
        verbose_name = "捐赠票据"
        indexes = [models.Index(fields=["org", "issued_on"], name="receipt_org_issued")]
        constraints = [
            models.UniqueConstraint(fields=["number"], name="receipt_number_once"),
            models.UniqueConstraint(
                fields=["donation"], condition=Q(status="issued"), name="receipt_one_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="issued", voided_on__isnull=True, void_reason="")
                | (Q(status="voided", voided_on__isnull=False) & ~Q(void_reason="")),
                name="receipt_void_has_reason",
            ),
            span_constraint("receipt", "issued_on", "开票日期"),
            span_constraint("receipt", "voided_on", "作废日期"),
        ]

    def __str__(self) -> str:
        return f"票据 {self.number}"

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("捐赠票据记录不可删除，作废请登记作废原因")


class Distribution(OrgOwned):
    """发放: money or goods `org` gave to a person or an org, drawing on the donations it spends."""

    on_merge = Stays("a gift handed out on a date by the org that gave it")

    kind = models.CharField("发放类别", max_length=8, choices=DonationKind.choices)
    year = models.PositiveSmallIntegerField("年度")
    on = models.DateField("发放日期")
    recipient_kind = models.CharField("受助对象类别", max_length=8, choices=RecipientKind.choices)
    person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="受助人",
    )
    recipient_org = models.ForeignKey(
        "orgs.Org",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="受助单位",
    )
    household = models.ForeignKey(
        "people.Household",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="受助家庭户",
    )
    campaign = models.ForeignKey(
        Campaign,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="distributions",
        verbose_name="募捐活动",
    )
    project = models.ForeignKey(
        "funds.Project",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="distributions",
        verbose_name="项目库项目",
    )
    amount = money("金额（元）")
    item = models.CharField("物资名称", max_length=100, blank=True)
    quantity = models.DecimalField("数量", max_digits=12, decimal_places=2, null=True, blank=True)
    unit = models.CharField("单位", max_length=10, blank=True)
    purpose = models.CharField("用途", max_length=200)
    signed_by = models.CharField("签收人", max_length=50, blank=True)
    evidence = models.FileField("签收凭证", upload_to="donations/%Y/%m/", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间", default=timezone.now, editable=False)

    class Meta(OrgOwned.Meta):
        verbose_name = "捐赠款物发放"
        indexes = [
            models.Index(fields=["org", "year"], name="distribution_org_year"),
            models.Index(fields=["county", "year"], name="distribution_county_year"),
            models.Index(fields=["-on", "-id"], name="distribution_recent"),
            models.Index(
                fields=["campaign", "city", "county", "township", "org"],
                include=["amount"],
                name="distribution_campaign_places",
            ),
            models.Index(
                fields=["person"], condition=Q(person__isnull=False), name="distribution_person"
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="distribution_positive"),
            models.CheckConstraint(
                condition=Q(recipient_kind="person", person__isnull=False, recipient_org=None)
                | Q(recipient_kind="org", person__isnull=True, recipient_org__isnull=False),
                name="distribution_recipient_names_one",
            ),
            models.CheckConstraint(
                condition=Q(campaign__isnull=True) | Q(project__isnull=True),
                name="distribution_one_purpose",
            ),
            span_constraint("distribution", "year", "年度", year=True),
            span_constraint("distribution", "on", "发放日期"),
        ]

    def __str__(self) -> str:
        return f"{self.on} {self.recipient_name} {self.amount} 元"

    @property
    def recipient_name(self) -> str:
        if self.person_id and self.person:
            return self.person.name
        if self.recipient_org_id and self.recipient_org:
            return self.recipient_org.name
        return ""


class Draw(models.Model):
    """What one distribution took from one donation."""

    distribution = models.ForeignKey(
        Distribution, on_delete=models.PROTECT, related_name="draws", verbose_name="发放"
    )
    donation = models.ForeignKey(
        Donation, on_delete=models.PROTECT, related_name="draws", verbose_name="捐赠"
    )
    amount = money("金额（元）")

    class Meta:
        verbose_name = "发放动用捐赠"
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="draw_positive"),
            models.UniqueConstraint(fields=["distribution", "donation"], name="draw_once"),
        ]

    def __str__(self) -> str:
        return f"{self.donation_id} → {self.distribution_id}: {self.amount} 元"

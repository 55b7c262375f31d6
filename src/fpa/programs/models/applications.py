"""Applications, their decisions, the entitlements they grant, cap ledgers and insurance."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from fpa.kernel.merging import Stays
from fpa.kernel.owned import OrgOwned

if TYPE_CHECKING:
    from .payments import PaymentLine

from .programs import ZERO, FundingSource, Payee, Program, money


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", "审批中"
    RETURNED = "returned", "退回修改"
    REJECTED = "rejected", "不予批准"
    APPROVED = "approved", "已批准"
    WITHDRAWN = "withdrawn", "已撤回"


class Application(OrgOwned):
    """An application for one beneficiary (a person or a household) under one program."""

    on_merge = Stays("history: an application is reviewed and decided where it was made")

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="applications")
    number = models.CharField("申请编号", max_length=30, unique=True)
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(
        "people.Household", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    payee = models.ForeignKey(Payee, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        "状态", max_length=10, choices=ApplicationStatus.choices, default="pending"
    )
    step = models.PositiveSmallIntegerField("当前环节", default=0)
    details = models.JSONField("申请内容", default=dict)
    amount = money("测算金额（元）", default=ZERO)
    version = models.PositiveIntegerField(default=1)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField("申请时间", default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(OrgOwned.Meta):
        verbose_name = "申请"
        indexes = [
            models.Index(fields=["program", "status", "step"], name="application_program_state"),
            models.Index(fields=["county", "status", "id"], name="application_county_state"),
            models.Index(fields=["township", "status", "id"], name="application_township_state"),
            models.Index(fields=["person", "program"], name="application_person"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(household__isnull=False),
                name="application_has_beneficiary",
            )
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def beneficiary_name(self) -> str:
        return self.person.name if self.person is not None else str(self.household)


class ApplicationAttachment(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to="programs/%Y/%m/")
    label = models.CharField("说明", max_length=50, blank=True)
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    def __str__(self) -> str:
        return self.label or self.file.name


class DecisionAction(models.TextChoices):
    SUBMIT = "submit", "提交申请"
    APPROVE = "approve", "同意"
    RETURN = "return", "退回修改"
    REJECT = "reject", "不予批准"
    RESUBMIT = "resubmit", "修改后重新提交"
    WITHDRAW = "withdraw", "撤回"


class Decision(models.Model):
    """One step of an application's history: who did what at which level, and why."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="decisions")
    step = models.PositiveSmallIntegerField(null=True)
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField("操作", max_length=10, choices=DecisionAction.choices)
    reason = models.CharField("理由", max_length=200, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "审批记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.application} {self.get_action_display()}"


class EntitlementStatus(models.TextChoices):
    UNPAID = "unpaid", "待发放"
    IN_BATCH = "in_batch", "发放中"
    PAID = "paid", "已发放"


class Entitlement(OrgOwned):
    """What an approval granted: an amount for one beneficiary and period, paid to a payee.

    Every money row names its funding source, the org that funds it and its year (DESIGN).
    """

    on_merge = Stays("paid from the budget line of the org that granted it")

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="entitlements")
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="entitlements"
    )
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(
        "people.Household", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    beneficiary = models.CharField(max_length=24)
    period = models.CharField("期间", max_length=30)
    year = models.PositiveSmallIntegerField("计入年度")
    amount = money("金额（元）")
    funding_source = models.CharField("资金来源", max_length=12, choices=FundingSource.choices)
    funding_org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    payee = models.ForeignKey(Payee, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        "状态", max_length=10, choices=EntitlementStatus.choices, default="unpaid"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    #: its paid payment line, set by the selector that lists a person's entitlements: no column
    paid_line: PaymentLine | None

    class Meta(OrgOwned.Meta):
        verbose_name = "待遇"
        constraints = [
            # No double entitlement: one per program, beneficiary and period (a stay for
            # hospital care), whatever the race.
            models.UniqueConstraint(
                fields=["program", "beneficiary", "period"], name="entitlement_once"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="entitlement_positive"),
        ]
        indexes = [
            models.Index(fields=["program", "county", "status"], name="entitlement_batchable"),
            models.Index(fields=["person", "created_at"], name="entitlement_person"),
            models.Index(fields=["household", "created_at"], name="entitlement_household"),
        ]

    def __str__(self) -> str:
        return f"{self.program} {self.period} {self.amount}"


class CapLedger(models.Model):
    """What a person has been granted under a capped program in a year; locked on approval."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    used = money("已用额度", default=ZERO)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program", "person", "year"], name="cap_ledger_once")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.year} {self.used}"


class InsurancePolicy(models.Model):
    """The health-insurance enrolment an approved premium bought."""

    entitlement = models.OneToOneField(Entitlement, on_delete=models.PROTECT, related_name="policy")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    policy_no = models.CharField("保单号", max_length=40, unique=True)
    insurer = models.ForeignKey(Payee, on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField("保险起期")
    ends_on = models.DateField("保险止期")

    def __str__(self) -> str:
        return self.policy_no


class InsuranceClaim(models.Model):
    policy = models.ForeignKey(InsurancePolicy, on_delete=models.PROTECT, related_name="claims")
    claimed_on = models.DateField("理赔日期")
    amount = money("保险公司赔付（元）")
    note = models.CharField("说明", max_length=200, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    def __str__(self) -> str:
        return f"{self.policy} {self.amount}"

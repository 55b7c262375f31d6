"""Assistance programs: one engine from application to paid (issue 6).

A program is data (kind, year, funding, budget and its split, eligibility, versioned rates, the
approval chain, a window). An application climbs the chain; the last approval turns it into
entitlements (one per program, beneficiary and period — a database rule); entitlements are paid
through payment batches whose lines are unique per entitlement unless they failed.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from fpa.core.fields import pii_fields
from fpa.core.scope import Actor, ScopedManager, ScopedQuerySet
from fpa.orgs.models import Level
from fpa.people.models import OrgOwned

ZERO = Decimal("0.00")


def money(verbose_name: str, **kwargs: object) -> models.DecimalField:
    """Yuan to the fen (DESIGN: Decimal, never float)."""
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **kwargs)


class ProgramKind(models.TextChoices):
    HOSPITAL_CARE = "hospital_care", "住院护理补贴"
    INSURANCE = "insurance", "计生健康保险"
    LOAN_INTEREST = "loan_interest", "创业贷款贴息"
    PRODUCTION = "production", "生产扶持项目（三结合、幸福工程）"
    FIXED_GRANT = "fixed_grant", "定额补助（金秋助学、节日慰问金）"


class Eligibility(models.TextChoices):
    FAMILY_MEMBER = "family_member", "在册计生特殊家庭成员"
    MEMBER = "member", "在册会员"
    HOUSEHOLD = "household", "辖区家庭户"
    RESIDENT = "resident", "辖区居民"


class FundingSource(models.TextChoices):
    CENTRAL = "central", "中央财政"
    PROVINCE = "province", "省级财政"
    CITY = "city", "市州财政"
    COUNTY = "county", "县级财政"
    LOTTERY = "lottery", "福彩公益金"
    DONATION = "donation", "社会捐赠"
    OTHER = "other", "其他"


class ProgramStatus(models.TextChoices):
    DRAFT = "draft", "筹备中"
    OPEN = "open", "受理中"
    CLOSED = "closed", "已截止"


class ReachQuerySet(ScopedQuerySet):
    """Rows held by an org that the actor reaches, or by one of the actor's ancestors.

    A province program (or insurer) applies to every county under it, so a county sees it; a
    county's own program is not seen by another county.
    """

    scope_prefix = "org__"
    ancestor_columns = False

    def for_actor(self, actor: Actor) -> ReachQuerySet:
        path = actor.org.path
        above = [path[:i] for i in range(5, len(path), 5)]
        field = self.scope_prefix + "path"
        if actor.self_only:
            return self.filter(Q(**{field: path}) | Q(**{f"{field}__in": above}))
        return self.filter(Q(**{f"{field}__startswith": path}) | Q(**{f"{field}__in": above}))


class ProgramQuerySet(ReachQuerySet):
    scope_prefix = "funding_org__"


class Program(models.Model):
    code = models.CharField("项目编号", max_length=30, unique=True)
    name = models.CharField("项目名称", max_length=100)
    kind = models.CharField("项目类型", max_length=20, choices=ProgramKind.choices)
    year = models.PositiveSmallIntegerField("年度")
    funding_source = models.CharField("资金来源", max_length=12, choices=FundingSource.choices)
    funding_org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="出资单位"
    )
    budget = money("预算（元）")
    eligibility = models.CharField("受益条件", max_length=16, choices=Eligibility.choices)
    opens_on = models.DateField("受理开始")
    closes_on = models.DateField("受理截止")
    status = models.CharField(
        "状态", max_length=8, choices=ProgramStatus.choices, default=ProgramStatus.DRAFT
    )
    description = models.TextField("说明", blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedManager(ProgramQuerySet)
    unscoped_objects = ProgramQuerySet.as_manager()

    class Meta:
        default_manager_name = "unscoped_objects"
        verbose_name = "帮扶项目"
        indexes = [models.Index(fields=["year", "kind"], name="program_year_kind")]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget__gte=0),
                name="program_budget_positive",
                violation_error_message="预算不能为负数",
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="program_window_order",
                violation_error_message="受理截止日期不能早于开始日期",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.name}"

    @property
    def for_households(self) -> bool:
        return self.eligibility == Eligibility.HOUSEHOLD


class ProgramRate(models.Model):
    """One version of a program's benefit parameters, in force from a date (never settings)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="rates")
    effective_from = models.DateField("生效日期")
    values = models.JSONField("参数")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "项目标准"
        ordering = ["effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["program", "effective_from"], name="rate_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.program} 自 {self.effective_from}"


STEP_LEVELS = [Level.TOWNSHIP, Level.COUNTY, Level.CITY, Level.PROVINCE]


class ApprovalStep(models.Model):
    """One level of a program's approval chain (e.g. township reviews, county approves)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField("顺序")
    level = models.CharField(
        "审批层级", max_length=16, choices=[(lv.value, lv.label) for lv in STEP_LEVELS]
    )
    name = models.CharField("环节名称", max_length=20)

    class Meta:
        verbose_name = "审批环节"
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["program", "order"], name="step_order_once"),
            models.UniqueConstraint(fields=["program", "level"], name="step_level_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()}{self.name}"


class AllocationQuerySet(ScopedQuerySet):
    ancestor_columns = False


class Allocation(models.Model):
    """The part of a program's budget an org may commit; `committed` moves under a row lock."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="allocations")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    amount = money("额度（元）")
    committed = money("已批准（元）", default=ZERO)

    objects = ScopedManager(AllocationQuerySet)
    unscoped_objects = AllocationQuerySet.as_manager()

    class Meta:
        default_manager_name = "unscoped_objects"
        verbose_name = "预算分配"
        constraints = [
            models.UniqueConstraint(fields=["program", "org"], name="allocation_once"),
            models.CheckConstraint(
                condition=Q(committed__lte=models.F("amount")), name="allocation_not_overspent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program} · {self.org}"

    @property
    def remaining(self) -> Decimal:
        return self.amount - self.committed


class PayeeKind(models.TextChoices):
    PERSON = "person", "本人"
    INSURER = "insurer", "保险公司"
    BANK = "bank", "贷款银行"
    PROJECT = "project", "项目账户"


class PayeeQuerySet(ReachQuerySet):
    scope_prefix = "org__"


class Payee(models.Model):
    """Who is paid (not always the beneficiary), with a bank account stored encrypted."""

    kind = models.CharField("收款方类型", max_length=10, choices=PayeeKind.choices)
    name = models.CharField("户名", max_length=100)
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    bank_name = models.CharField("开户行", max_length=100)
    account_enc, account_index, account_last4 = pii_fields("银行账号")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedManager(PayeeQuerySet)
    unscoped_objects = PayeeQuerySet.as_manager()

    class Meta:
        default_manager_name = "unscoped_objects"
        verbose_name = "收款方"
        constraints = [
            models.UniqueConstraint(fields=["name", "account_index"], name="payee_account_once")
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.bank_name} 尾号{self.account_last4}）"


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", "审批中"
    RETURNED = "returned", "退回修改"
    REJECTED = "rejected", "不予批准"
    APPROVED = "approved", "已批准"
    WITHDRAWN = "withdrawn", "已撤回"


class Application(OrgOwned):
    """An application for one beneficiary (a person or a household) under one program."""

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
        return self.person.name if self.person_id else str(self.household)


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


class BatchStatus(models.TextChoices):
    DRAFT = "draft", "待导出"
    EXPORTED = "exported", "已导出，待银行回盘"
    CLOSED = "closed", "已结清"


class BatchQuerySet(ScopedQuerySet):
    ancestor_columns = False


class PaymentBatch(models.Model):
    """The payments of one county for one program and period, sent to the bank as one file."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="batches")
    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="发放单位"
    )
    number = models.CharField("批次号", max_length=40, unique=True)
    period = models.CharField("发放期间", max_length=7)
    bank = models.CharField("银行文件格式", max_length=16)
    status = models.CharField("状态", max_length=10, choices=BatchStatus.choices, default="draft")
    total = money("合计金额（元）", default=ZERO)
    line_count = models.PositiveIntegerField("笔数", default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    exported_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(BatchQuerySet)
    unscoped_objects = BatchQuerySet.as_manager()

    class Meta:
        default_manager_name = "unscoped_objects"
        verbose_name = "发放批次"
        indexes = [models.Index(fields=["org", "created_at"], name="batch_org_created")]

    def __str__(self) -> str:
        return self.number


class LineStatus(models.TextChoices):
    PENDING = "pending", "待回盘"
    PAID = "paid", "已发放"
    FAILED = "failed", "发放失败"


class PaymentLine(models.Model):
    batch = models.ForeignKey(PaymentBatch, on_delete=models.PROTECT, related_name="lines")
    entitlement = models.ForeignKey(Entitlement, on_delete=models.PROTECT, related_name="lines")
    amount = money("金额（元）")
    payee = models.ForeignKey(Payee, on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=8, choices=LineStatus.choices, default="pending")
    failure = models.CharField("失败原因", max_length=200, blank=True)
    settled_on = models.DateField("到账日期", null=True, blank=True)

    class Meta:
        verbose_name = "发放明细"
        constraints = [
            # One live payment an entitlement: a failed line may be re-issued, never paid twice.
            models.UniqueConstraint(
                fields=["entitlement"],
                condition=~Q(status="failed"),
                name="payment_line_live_once",
            ),
        ]
        indexes = [models.Index(fields=["batch", "id"], name="line_batch")]

    def __str__(self) -> str:
        return f"{self.batch} #{self.pk}"


class BankReturn(models.Model):
    """A bank's return file applied to a batch; the same file twice is refused by its digest."""

    batch = models.ForeignKey(PaymentBatch, on_delete=models.PROTECT, related_name="returns")
    sha256 = models.CharField(max_length=64)
    filename = models.CharField(max_length=200)
    paid = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    applied_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["batch", "sha256"], name="bank_return_once")]

    def __str__(self) -> str:
        return self.filename

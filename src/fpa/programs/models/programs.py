"""Programs, their rates, approval steps and budget allocations, and the payees they pay."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, TypeVar

from django.db import models
from django.db.models import Q
from django.utils import timezone

from fpa.core.dates import span_constraint
from fpa.core.fields import pii_fields
from fpa.funds.models.budgets import Source
from fpa.kernel.scope import Actor, ScopedManager, ScopedQuerySet
from fpa.orgs.models import Level

ZERO = Decimal("0.00")


def money(verbose_name: str, **kwargs: Any) -> models.DecimalField[Any, Any]:
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


#: the funding source of a program and its payments is the ledger's (GLOSSARY 资金来源)
FundingSource = Source


class ProgramStatus(models.TextChoices):
    DRAFT = "draft", "筹备中"
    OPEN = "open", "受理中"
    CLOSED = "closed", "已截止"


_Reached = TypeVar("_Reached", bound=models.Model)


class ReachQuerySet(ScopedQuerySet[_Reached]):
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


class ProgramQuerySet(ReachQuerySet["Program"]):
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
    #: the funding org's budget line for the program (kept equal by `fpa.funds.ledger`)
    budget = money("预算（元）")
    eligibility = models.CharField("受益条件", max_length=16, choices=Eligibility.choices)
    opens_on = models.DateField("受理开始")
    closes_on = models.DateField("受理截止")
    status = models.CharField(
        "状态", max_length=8, choices=ProgramStatus.choices, default=ProgramStatus.DRAFT
    )
    description = models.TextField("说明", blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedManager.from_queryset(ProgramQuerySet)()
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
            span_constraint("program", "year", "年度", year=True),
            span_constraint("program", "opens_on", "受理开始日期"),
            span_constraint("program", "closes_on", "受理截止日期"),
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
            models.UniqueConstraint(fields=["program", "effective_from"], name="rate_once_a_day"),
            span_constraint("rate", "effective_from", "生效日期"),
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


class PayeeKind(models.TextChoices):
    PERSON = "person", "本人"
    INSURER = "insurer", "保险公司"
    BANK = "bank", "贷款银行"
    PROJECT = "project", "项目账户"


class PayeeQuerySet(ReachQuerySet["Payee"]):
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

    objects = ScopedManager.from_queryset(PayeeQuerySet)()
    unscoped_objects = PayeeQuerySet.as_manager()

    class Meta:
        default_manager_name = "unscoped_objects"
        verbose_name = "收款方"
        constraints = [
            models.UniqueConstraint(fields=["name", "account_index"], name="payee_account_once")
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.bank_name} 尾号{self.account_last4}）"

"""Budget lines, their dated versions, and transfers down the tree (转移支付).

One ledger: a line is an org's money for a year from one funding source for one purpose — a
program, a project of the library, or the association's own operations. What the line holds is
`planned` (its own budget, the latest version) plus `received` (transfers from above); what it
has used is `transferred` (passed down), `committed` (approved, not yet paid) and `spent` (paid).
The columns move only in `fpa.funds.ledger`, under a row lock, and the database refuses a line
used past what it holds.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from fpa.core.dates import span_constraint
from fpa.kernel.merging import Stays
from fpa.kernel.owned import OrgOwned

ZERO = Decimal("0.00")


def money(verbose_name: str, **kwargs: Any) -> models.DecimalField[Any, Any]:
    """Yuan to the fen (DESIGN: Decimal, never float)."""
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **kwargs)


class Source(models.TextChoices):
    """资金来源 (GLOSSARY): seen from the org that holds the money."""

    LOCAL = "local", "本级财政"
    TRANSFER = "transfer", "上级转移支付"
    CFPA = "cfpa", "中国计生协"
    FOUNDATION = "foundation", "基金会"
    DONATION = "donation", "社会捐赠"
    OTHER = "other", "其他"


class Purpose(models.TextChoices):
    PROGRAM = "program", "帮扶项目"
    PROJECT = "project", "项目库项目"
    OPERATIONS = "operations", "本级工作经费"


class BudgetLine(OrgOwned):
    on_merge = Stays("a year's money of the org that was given it; the successor gets its own")

    year = models.PositiveSmallIntegerField("年度")
    source = models.CharField("资金来源", max_length=12, choices=Source.choices)
    purpose = models.CharField("用途", max_length=12, choices=Purpose.choices)
    program = models.ForeignKey(
        "programs.Program",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="budget_lines",
        verbose_name="帮扶项目",
    )
    project = models.ForeignKey(
        "funds.Project",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="budget_lines",
        verbose_name="项目库项目",
    )
    planned = money("本级预算（元）", default=ZERO)
    received = money("上级下达（元）", default=ZERO)
    transferred = money("下拨（元）", default=ZERO)
    committed = money("已承诺（元）", default=ZERO)
    spent = money("已支出（元）", default=ZERO)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta(OrgOwned.Meta):
        verbose_name = "预算科目"
        indexes = [
            models.Index(fields=["org", "year"], name="line_org_year"),
            models.Index(fields=["year", "source"], name="line_year_source"),
        ]
        constraints = [
            # One line per org for a program or a project (a transfer to the org adds to it);
            # the operations money of a year, one line per source.
            models.UniqueConstraint(
                fields=["org", "program"], condition=Q(purpose="program"), name="line_program_once"
            ),
            models.UniqueConstraint(
                fields=["org", "project"], condition=Q(purpose="project"), name="line_project_once"
            ),
            models.UniqueConstraint(
                fields=["org", "year", "source"],
                condition=Q(purpose="operations"),
                name="line_operations_once",
            ),
            models.CheckConstraint(
                condition=(Q(purpose="program") & Q(program__isnull=False, project__isnull=True))
                | (Q(purpose="project") & Q(project__isnull=False, program__isnull=True))
                | (Q(purpose="operations") & Q(program__isnull=True, project__isnull=True)),
                name="line_purpose_names_one",
            ),
            models.CheckConstraint(
                condition=Q(
                    planned__gte=0,
                    received__gte=0,
                    transferred__gte=0,
                    committed__gte=0,
                    spent__gte=0,
                ),
                name="line_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(
                    transferred__lte=F("planned") + F("received") - F("committed") - F("spent")
                ),
                name="line_not_overdrawn",
                violation_error_message="超过本科目结余",
            ),
            span_constraint("line", "year", "年度", year=True),
        ]

    def __str__(self) -> str:
        return f"{self.year}年 {self.get_source_display()} · {self.purpose_name}"

    @property
    def purpose_name(self) -> str:
        if self.program is not None:
            return self.program.name
        if self.project is not None:
            return self.project.name
        return self.get_purpose_display()

    @property
    def budget(self) -> Decimal:
        """What the line holds: its own budget and what was passed down to it."""
        return self.planned + self.received

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.transferred - self.committed - self.spent


class BudgetVersion(models.Model):
    """One dated version of a line's own budget (a revision keeps the earlier ones)."""

    line = models.ForeignKey(
        BudgetLine, on_delete=models.CASCADE, related_name="versions", verbose_name="预算科目"
    )
    amount = money("预算金额（元）")
    effective_on = models.DateField("日期")
    doc_number = models.CharField("文号", max_length=60, blank=True)
    reason = models.CharField("原因", max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "预算版本"
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="version_not_negative"),
            span_constraint("version", "effective_on", "日期"),
        ]

    def __str__(self) -> str:
        return f"{self.effective_on} {self.amount} 元（{self.reason}）"


class Transfer(OrgOwned):
    """转移支付: money passed from a line of an org to the same purpose at a lower org.

    Held by the receiving org (`org`), so a subtree's register holds what its orgs received and
    what they passed further down; `sender` is the org that passed it.
    """

    on_merge = Stays("a record of money passed on a date to the org that received it")

    sender = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="下拨单位"
    )
    from_line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="transfers_out", verbose_name="下拨科目"
    )
    to_line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="transfers_in", verbose_name="收款科目"
    )
    year = models.PositiveSmallIntegerField("年度")
    amount = money("金额（元）")
    doc_number = models.CharField("文号", max_length=60)
    on = models.DateField("下达日期")
    note = models.CharField("说明", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta(OrgOwned.Meta):
        verbose_name = "转移支付"
        indexes = [
            models.Index(fields=["sender", "year"], name="transfer_sender_year"),
            models.Index(fields=["org", "year"], name="transfer_org_year"),
            models.Index(fields=["county", "year"], name="transfer_county_year"),
            models.Index(fields=["city", "year"], name="transfer_city_year"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="transfer_positive"),
            span_constraint("transfer", "year", "年度", year=True),
            span_constraint("transfer", "on", "下达日期"),
        ]

    def __str__(self) -> str:
        return f"{self.doc_number} {self.amount} 元"


class Expenditure(OrgOwned):
    """支出登记: money spent from an operations or project line (a program's line is spent by its
    payments), with the voucher it was paid on. Held by the line's org."""

    on_merge = Stays("a payment made by the org that made it")

    line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="expenditures", verbose_name="预算科目"
    )
    amount = money("金额（元）")
    on = models.DateField("支出日期")
    voucher = models.CharField("凭证号", max_length=60)
    payee = models.CharField("收款方", max_length=100)
    note = models.CharField("用途说明", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta(OrgOwned.Meta):
        verbose_name = "支出登记"
        indexes = [models.Index(fields=["line", "on"], name="expenditure_line_on")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="expenditure_positive"),
            span_constraint("expenditure", "on", "支出日期"),
        ]

    def __str__(self) -> str:
        return f"{self.voucher} {self.amount} 元"

"""Payment batches, their lines and the bank returns that settle them."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from fpa.kernel.scope import ScopedManager, ScopedQuerySet

from .applications import Entitlement
from .programs import ZERO, Payee, Program, money


class BatchStatus(models.TextChoices):
    DRAFT = "draft", "待导出"
    EXPORTED = "exported", "已导出，待银行回盘"
    CLOSED = "closed", "已结清"


class BatchQuerySet(ScopedQuerySet["PaymentBatch"]):
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

    objects = ScopedManager.from_queryset(BatchQuerySet)()
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

"""The audit log: one append-only, hash-chained entry per service call (DESIGN §4 rule 6)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from fpa.kernel.scope import ScopedManager, ScopedQuerySet


class AppendOnlyError(RuntimeError):
    """An attempt to change or delete an audit entry."""


class LogEntryQuerySet(ScopedQuerySet["LogEntry"]):
    # An auditor sees what was done by accounts of their subtree.
    scope_prefix = "actor_org__"
    ancestor_columns = False

    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("审计日志只能追加，不能修改")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("审计日志只能追加，不能删除")


class LogEntry(models.Model):
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_org = models.ForeignKey("orgs.Org", null=True, on_delete=models.PROTECT, related_name="+")
    ip = models.GenericIPAddressField("IP", null=True)
    action = models.CharField("操作", max_length=100, db_index=True)
    object_type = models.CharField("对象类型", max_length=60, blank=True)
    object_id = models.CharField("对象ID", max_length=40, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    changes = models.JSONField("变更", default=dict, blank=True)
    #: a bulk action's rows, attached to its one entry
    rows = models.JSONField("明细", default=list, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)

    objects = ScopedManager.from_queryset(LogEntryQuerySet)()
    unscoped_objects = LogEntryQuerySet.as_manager()

    class Meta:
        default_manager_name = "unscoped_objects"
        verbose_name = "审计日志"
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="log_object"),
            models.Index(fields=["actor_org", "at"], name="log_org_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("审计日志只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("审计日志只能追加，不能删除")


class CheckpointQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("审计检查点只能追加，不能修改")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("审计检查点只能追加，不能删除")


class AuditCheckpoint(models.Model):
    """The chain's head written down apart from the log: how many entries, which was the last.

    Without it, deleting the newest entries leaves a shorter chain that still verifies. Written
    only by `chain.checkpoint` (backups, `manage.py audit_checkpoint`); database triggers refuse
    to change or delete a row, and refuse a new one that does not describe the log as it is or
    that goes backwards.
    """

    at = models.DateTimeField("时间", default=timezone.now)
    count = models.PositiveBigIntegerField("日志条数")
    #: 0 while the log is empty
    last_entry_id = models.BigIntegerField("最后一条")
    last_hash = models.CharField("最后一条的哈希", max_length=64, blank=True)
    source = models.CharField("来源", max_length=20)

    objects = CheckpointQuerySet.as_manager()

    class Meta:
        verbose_name = "审计检查点"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} 共 {self.count} 条，至第 {self.last_entry_id} 条"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("审计检查点只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("审计检查点只能追加，不能删除")

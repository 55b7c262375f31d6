"""Background jobs: what a user started, how far it got, and the file it produced."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from fpa.kernel.scope import Actor, ScopedManager, ScopedQuerySet


class JobStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class JobQuerySet(ScopedQuerySet["Job"]):
    def for_actor(self, actor: Actor) -> JobQuerySet:
        # A job's file holds what its starter could see: only they may open it.
        return self.filter(user=actor.user)


class Job(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField("类型", max_length=60)
    title = models.CharField("名称", max_length=200)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    done = models.PositiveIntegerField("已处理", default=0)
    total = models.PositiveIntegerField("总数", default=0)
    message = models.CharField("说明", max_length=500, blank=True)
    result_file = models.CharField("结果文件", max_length=200, blank=True)
    #: what a job found, for the page that follows it (an import's preview counts and errors)
    result = models.JSONField("结果", default=dict, blank=True)
    result_name = models.CharField("下载文件名", max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager.from_queryset(JobQuerySet)()
    unscoped_objects = JobQuerySet.as_manager()

    class Meta:
        default_manager_name = "unscoped_objects"
        verbose_name = "后台任务"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)


class OrgCounter(models.Model):
    """One maintained figure for an org's whole subtree (see fpa.kernel.counters)."""

    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=60)
    value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org", "key"], name="orgcounter_unique")]

    def __str__(self) -> str:
        return f"{self.org_id}:{self.key}={self.value}"

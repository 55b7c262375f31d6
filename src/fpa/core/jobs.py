"""Starting background jobs and reporting their progress; imports and exports reuse this."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from fpa.kernel.scope import Actor

from .models import Job, JobStatus

#: kind -> function(job, actor, progress) that does the work and returns nothing
RUNNERS: dict[str, Callable[[Job, Actor, Progress], None]] = {}
#: kind -> the permission its file needs, where it is not the module's export permission (an
#: exporter's own declaration, `fpa.core.exporters`)
FILE_PERMISSIONS: dict[str, str] = {}


def runner(kind: str, *, file_permission: str | None = None) -> Callable:
    """Register the function that carries out jobs of `kind` (and what reading its file needs)."""

    def register(func: Callable[[Job, Actor, Progress], None]) -> Callable:
        RUNNERS[kind] = func
        if file_permission is not None:
            FILE_PERMISSIONS[kind] = file_permission
        return func

    return register


class Progress:
    """Writes a job's progress at most twice a second, so counting rows costs nothing."""

    def __init__(self, job: Job, interval: float = 0.5) -> None:
        self.job = job
        self.interval = interval
        self._last = 0.0

    def start(self, total: int, message: str = "") -> None:
        self.job.total = total
        self.job.message = message
        self._save(force=True)

    def advance(self, done: int) -> None:
        self.job.done = done
        self._save()

    def _save(self, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self._last >= self.interval:
            Job.unscoped_objects.filter(pk=self.job.pk).update(
                done=self.job.done, total=self.job.total, message=self.job.message
            )
            self._last = now


def download_permission(kind: str) -> str:
    """The permission a job's file needs: an export's is the one its exporter declares (the
    account list's is `accounts.view`: account administrators hold no business grant such as
    an export); any other job's, its module's export permission (an import's error report
    leaves the platform with the rows as uploaded). A file is a download: `view` is not enough
    where the module has an export permission."""
    return FILE_PERMISSIONS.get(kind) or f"{kind.split('.', 1)[0]}.export"


def start_job(kind: str, *, actor: Actor, title: str, params: dict[str, Any]) -> Job:
    """Record a job for the actor and hand it to the task backend."""
    from .tasks import run_job

    if kind not in RUNNERS:
        raise ValueError(f"unknown job kind {kind}")
    job = Job.unscoped_objects.create(
        kind=kind, title=title, user=actor.require_user(), org=actor.org, params=params
    )
    run_job.enqueue(str(job.pk))
    job.refresh_from_db()
    return job


def execute(job: Job) -> None:
    """Run a job to its end, recording success or the reason it failed."""
    actor = Actor.for_user(job.user)
    Job.unscoped_objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    try:
        RUNNERS[job.kind](job, actor, Progress(job))
    except Exception as exc:
        Job.unscoped_objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED, message=f"任务失败：{exc}"[:500], finished_at=timezone.now()
        )
        raise
    Job.unscoped_objects.filter(pk=job.pk).update(
        status=JobStatus.DONE,
        done=job.total or job.done,
        result_file=job.result_file,
        result_name=job.result_name,
        result=job.result,
        message=job.message,
        finished_at=timezone.now(),
    )

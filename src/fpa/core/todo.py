"""Core's own 待办 (see `fpa.core.todos`): imports checked but not yet committed, and files the
user's jobs have made ready in the last day."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from fpa.kernel.scope import Actor

from .imports.flow import FLOWS
from .models import Job, JobStatus
from .todos import Todo

#: how long a checked import waits on the home page for its commit
PREVIEW_DAYS = 7


def todos(actor: Actor) -> list[Todo]:
    if actor.user is None:
        return []
    mine = Job.objects.for_actor(actor)
    since = timezone.now() - datetime.timedelta(days=PREVIEW_DAYS)
    # two queries for every importer: the files committed, and the checks of the last week
    committed = set(
        mine.filter(kind__in=[f.commit_kind for f in FLOWS.values()]).values_list(
            "params__path", flat=True
        )
    )
    checked = mine.filter(
        kind__in=[f.preview_kind for f in FLOWS.values()],
        status=JobStatus.DONE,
        created_at__gte=since,
    )
    waiting = 0
    for job in checked:
        counts = (job.result or {}).get("counts") or {}
        writes = counts.get("new", 0) + counts.get("update", 0)
        waiting += bool(writes) and job.params.get("path") not in committed
    ready = (
        mine.filter(
            status=JobStatus.DONE,
            finished_at__gte=timezone.now() - datetime.timedelta(days=1),
        )
        .exclude(result_file="")
        .exclude(kind__endswith=".preview")
    )
    url = reverse("core:jobs")
    return [
        Todo("已检查、待确认导入的文件", waiting, url, "个"),
        Todo("今天完成、可下载的文件", ready.count(), url, "个"),
    ]

"""The audit log to Excel, as a background job."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.utils import timezone

from fpa.audit.services import record
from fpa.core.exports import write_job_file
from fpa.core.jobs import Progress, runner
from fpa.core.models import Job
from fpa.kernel.scope import Actor

from . import selectors

HEADER = ["时间", "操作人", "单位", "IP", "操作", "对象类型", "对象ID", "对象", "变更"]


def _rows(qs: Any) -> Iterator[list[Any]]:
    for e in qs.iterator(chunk_size=2000):
        yield [
            timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
            e.actor.username if e.actor else "系统",
            e.actor_org.name if e.actor_org else "",
            e.ip or "",
            e.action,
            e.object_type,
            e.object_id,
            e.object_repr,
            json.dumps(e.changes, ensure_ascii=False)[:32000],
        ]


@runner("audit.export")
def export_log(job: Job, actor: Actor, progress: Progress) -> None:
    actor.require("audit.export")
    qs = selectors.entries(actor, _filters(job.params))
    total = qs.count()
    write_job_file(
        job,
        progress,
        total=total,
        unit="条审计记录",
        title="审计日志",
        header=HEADER,
        rows=_rows(qs),
    )
    record(actor, "fpa.audit.exported", None, {"filters": job.params, "count": total})


def _filters(params: dict[str, Any]) -> dict[str, Any]:
    import datetime

    out = dict(params)
    for key in ("since", "until"):
        if out.get(key):
            out[key] = datetime.date.fromisoformat(out[key])
    return out

"""Exports of the association tree, run as background jobs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fpa.core.exports import write_job_file
from fpa.core.jobs import Progress, runner
from fpa.core.models import Job
from fpa.kernel.scope import Actor

from .models import Org

HEADER = ["区划代码", "名称", "级别", "类型", "状态", "成立日期", "下次换届", "地址"]


def org_rows(org: Org) -> Iterator[list[Any]]:
    for o in (
        Org.unscoped_objects.filter(path__startswith=org.path)
        .order_by("path")
        .iterator(chunk_size=2000)
    ):
        yield [
            o.code,
            o.name,
            o.get_level_display(),
            o.get_kind_display(),
            o.get_status_display(),
            o.established_on,
            o.next_election_due,
            o.address,
        ]


@runner("orgs.export")
def export_subtree(job: Job, actor: Actor, progress: Progress) -> None:
    """Every org under (and including) the chosen org, to .xlsx or CSV."""
    org = Org.objects.for_actor(actor).get(pk=job.params["org_id"])
    total = Org.unscoped_objects.filter(path__startswith=org.path).count()
    write_job_file(
        job,
        progress,
        total=total,
        unit="个单位",
        title=org.name,
        header=HEADER,
        rows=org_rows(org),
        filename=f"{org.name}-组织名录",
    )

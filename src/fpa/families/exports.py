"""The family list to Excel or CSV, as a job: never the cause of death, numbers masked."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from fpa.audit.services import record
from fpa.core.exports import write_job_file
from fpa.core.jobs import Progress, runner
from fpa.core.models import Job
from fpa.kernel.scope import Actor

from . import coverage
from .forms import FamilyFilter

HEADER = [
    "家庭",
    "类别",
    "村（社区）",
    "区划代码",
    "认定日期",
    "状态",
    "独居",
    "健康状况",
    "经济困难",
    "本季度未走访",
    "双岗联系人不全",
    "无家庭医生",
]


def _rows(qs: Any) -> Iterator[list[Any]]:
    for f in qs.iterator(chunk_size=1000):
        yield [
            str(f),
            f.get_kind_display(),
            f.org.name,
            f.org.code,
            f.recognized_on,
            f.get_status_display(),
            "是" if f.living_alone else "",
            f.get_health_display(),
            "是" if f.income_difficulty else "",
            "是" if getattr(f, "gap_visit", False) else "",
            "" if f.has_cadre and f.has_health_worker else "是",
            "是" if f.gap_doctor else "",
        ]


@runner("families.export")
def export_families(job: Job, actor: Actor, progress: Progress) -> None:
    actor.require("families.export")
    form = FamilyFilter(job.params, actor=actor)
    filters = form.cleaned_data if form.is_valid() else {}
    today = datetime.date.today()
    qs = coverage.annotate_gaps(coverage.families_at(actor, today), today, None)
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    qs = qs.select_related("org").order_by("org__path", "id")
    total = qs.count()
    write_job_file(
        job,
        progress,
        total=total,
        unit="户",
        title="特殊家庭",
        header=HEADER,
        rows=_rows(qs),
        filename="特殊家庭名单",
    )
    record(actor, "fpa.families.exported", None, {"count": total, "filters": job.params})


@runner("families.coverage")
def refresh_coverage(job: Job, actor: Actor, progress: Progress) -> None:
    """The snapshot behind a province's or city's coverage page."""
    from urllib.parse import urlencode

    from fpa.orgs.models import Org

    from .models import Festival

    actor.require("families.view")
    org = Org.objects.for_actor(actor).get(pk=job.params["org"])
    festival = Festival.objects.filter(pk=job.params.get("festival")).first()
    end = datetime.date.fromisoformat(job.params["end"])
    progress.start(1, "正在统计……")
    snap = coverage.compute_snapshot(actor, org, end, festival)
    query = {"org": org.code or org.pk, "end": job.params["end"]}
    if festival:
        query["festival"] = festival.pk
    job.result = {
        "next_url": "/families/coverage/?" + urlencode(query),
        "next_label": "查看覆盖情况",
    }
    job.message = f"已统计 {snap.totals['families']} 户"

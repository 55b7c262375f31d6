"""The family list to Excel or CSV, as a job (never the cause of death, numbers masked); the
coverage table and the worklist at once; the coverage snapshot job."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from fpa.core.exporters import Exporter, Table, exporter
from fpa.core.jobs import Progress, runner
from fpa.core.models import Job
from fpa.kernel.scope import Actor

from . import coverage
from .forms import CoverageForm, FamilyFilter
from .models import SpecialFamily

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


@exporter
class FamilyList(Exporter):
    """The family list, as the list page filters it by kind."""

    key = "families.export"
    permission = "families.export"
    audit_action = "fpa.families.exported"
    unit = "户"

    def table(self, actor: Actor, params: dict[str, Any]) -> Table:
        form = FamilyFilter(params, actor=actor)
        filters = form.cleaned_data if form.is_valid() else {}
        today = datetime.date.today()
        qs = coverage.annotate_gaps(coverage.families_at(actor, today), today, None)
        if filters.get("kind"):
            qs = qs.filter(kind=filters["kind"])
        qs = qs.select_related("org", *SpecialFamily.NAME_RELATED).order_by("org__path", "id")
        recorded = {"filters": params}
        return Table("特殊家庭", HEADER, _rows(qs), qs.count(), "特殊家庭名单", recorded)


@exporter
class CoverageReport(Exporter):
    """The coverage page's table, a page download (`format=xlsx` on the page's own GET)."""

    key = "families.export.coverage"
    permission = "families.export"
    unaudited = "按单位的合计数字，不含任何家庭或个人；页面 GET 下载，不写入任何记录"

    def table(self, actor: Actor, params: dict[str, Any]) -> Table:
        form = CoverageForm(params, actor=actor)
        r = coverage.report(actor, form.cleaned_data if form.is_valid() else {})
        title = f"关怀覆盖情况 {r.org.name} 截至{r.end:%Y-%m-%d}"
        rows = [[x["org"].name, x["families"], *(x.get(k, 0) for k, _ in r.keys)] for x in r.rows]
        rows.append(["合计", r.totals.get("families", 0), *(r.totals.get(k, 0) for k, _ in r.keys)])
        header = ["单位", "在册家庭", *(label for _, label in r.keys)]
        return Table(title, header, rows, len(rows))


@exporter
class Worklist(Exporter):
    """The clerk's families due something now, a page download."""

    key = "families.export.worklist"
    permission = "families.export"
    audit_action = "fpa.families.worklist.exported"

    def table(self, actor: Actor, params: dict[str, Any]) -> Table:
        today = datetime.date.today()
        families, _ = coverage.worklist(actor, today)
        rows = [[str(f), f.org.name, f.org.code, "、".join(f.gap_labels)] for f in families]
        header = ["家庭", "村（社区）", "单位代码", "待办"]
        return Table("待办", header, rows, len(rows), f"待办 {today:%Y-%m-%d}")


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

"""The audit log to Excel, as a background job."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.utils import timezone

from fpa.core.exporters import Exporter, Table, exporter
from fpa.kernel.scope import Actor

from . import labels, selectors

HEADER = ["时间", "操作人", "用户名", "单位", "IP", "操作", "操作代码", "对象", "对象编号", "变更"]


def _rows(qs: Any) -> Iterator[list[Any]]:
    for e in qs.iterator(chunk_size=2000):
        yield [
            timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
            str(e.actor) if e.actor else "系统",
            e.actor.username if e.actor else "",
            e.actor_org.name if e.actor_org else "",
            e.ip or "",
            labels.action_label(e.action),
            e.action,
            e.object_repr,
            e.object_id,
            "；".join(_change_text(c) for c in labels.changes(e.object_type, e.changes)),
        ]


def _change_text(change: labels.Change) -> str:
    if change.before is None:
        return f"{change.label}：{change.after}"
    return f"{change.label}：{change.before} → {change.after}"


def _filters(params: dict[str, Any]) -> dict[str, Any]:
    out = dict(params)
    for key in ("since", "until"):
        if out.get(key):
            out[key] = datetime.date.fromisoformat(out[key])
    return out


@exporter
class AuditLog(Exporter):
    key = "audit.export"
    permission = "audit.export"
    audit_action = "fpa.audit.exported"
    unit = "条审计记录"

    def table(self, actor: Actor, params: dict[str, Any]) -> Table:
        qs = selectors.entries(actor, _filters(params))
        return Table("审计日志", HEADER, _rows(qs), qs.count(), recorded={"filters": params})

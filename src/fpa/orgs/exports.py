"""The association tree's directory: a job from the org page, a file at once from the API."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fpa.core.exporters import Exporter, Table, exporter
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


@exporter
class OrgDirectory(Exporter):
    """Every org under (and including) the chosen org (`params["org_id"]`, in reach)."""

    key = "orgs.export"
    permission = "orgs.export"
    audit_action = "fpa.orgs.exported"
    unit = "个单位"

    def table(self, actor: Actor, params: dict[str, Any]) -> Table:
        org = Org.objects.for_actor(actor).get(pk=params["org_id"])
        total = Org.unscoped_objects.filter(path__startswith=org.path).count()
        filename = f"{org.name}-组织名录"
        return Table(org.name, HEADER, org_rows(org), total, filename, {"org": org.code or org.pk})

"""The account list to Excel, as a background job (a province holds tens of thousands)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from fpa.core.exporters import Exporter, Table, exporter
from fpa.kernel.scope import Actor

from . import services
from .models import RoleAssignment

HEADER = ["用户名", "姓名", "所属单位", "单位代码", "角色", "状态", "最后登录"]


def listed(actor: Actor, q: str = "") -> QuerySet:
    """The accounts the list page shows: in reach, searched by user name or name."""
    users = services.visible_users(actor).select_related("org").order_by("org__path", "username")
    if q:
        users = users.filter(Q(username__icontains=q) | Q(display_name__icontains=q))
    return users


def _rows(users: QuerySet) -> Iterator[list[Any]]:
    assignments = RoleAssignment.objects.select_related("role").order_by("role_id")
    for u in users.prefetch_related(Prefetch("assignments", queryset=assignments)).iterator(
        chunk_size=2000
    ):
        roles = "、".join(
            a.role.name + ("（仅本级）" if a.own_org_only else "") for a in u.assignments.all()
        )
        last = timezone.localtime(u.last_login).strftime("%Y-%m-%d %H:%M") if u.last_login else ""
        state = "正常" if u.is_active else "已停用"
        yield [u.username, u.display_name, u.org.name, u.org.code, roles, state, last]


@exporter
class AccountList(Exporter):
    """The account list. Read with `accounts.view`: account administrators hold no business
    grant such as an export."""

    key = "accounts.export"
    permission = "accounts.view"
    audit_action = "fpa.accounts.exported"
    unit = "个账号"

    def table(self, actor: Actor, params: dict[str, Any]) -> Table:
        q = params.get("q", "")
        users = listed(actor, q)
        total = users.count()
        return Table("账号", HEADER, _rows(users), total, "账号名单", recorded={"q": q})

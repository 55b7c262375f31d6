"""What the program pages read: the dashboard by child org and a person's or family's benefits."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from fpa.orgs.kernel.scope import Actor
from fpa.orgs.models import Level, Org

from .models import (
    Allocation,
    Application,
    Entitlement,
    LineStatus,
    PaymentLine,
    Program,
)

ZERO = Decimal("0.00")
#: the column of a large table that names the child of a node at each level
CHILD_COLUMN = {
    Level.PROVINCE: "city_id",
    Level.CITY: "county_id",
    Level.COUNTY: "township_id",
    Level.TOWNSHIP: "org_id",
}


@dataclass
class Row:
    org: Org
    budget: Decimal = ZERO
    committed: Decimal = ZERO
    paid: Decimal = ZERO
    reached: int = 0
    pending: int = 0

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.committed


def _node_q(node: Org, prefix: str = "") -> Q:
    if node.level == Level.PROVINCE:
        return Q()
    return Q(**{f"{prefix}{node.level}_id": node.pk})


def dashboard(program: Program, node: Org) -> tuple[Row, list[Row]]:
    """Budget, committed, paid, people reached and applications pending, for `node` and each of
    its territorial children (one grouped query per figure, not one per child)."""
    column = CHILD_COLUMN.get(node.level)
    children = list(node.children.filter(kind="territorial").order_by("path")) if column else []
    rows = {c.pk: Row(c) for c in children}
    total = Row(node)
    for a in Allocation.unscoped_objects.filter(program=program, org__in=[node, *children]):
        rows.get(a.org_id, total).budget = a.amount
    if column is None:
        return total, []
    entitlements = Entitlement.unscoped_objects.filter(_node_q(node), program=program)
    for r in entitlements.values(column).annotate(s=Sum("amount")):
        if r[column] in rows:
            rows[r[column]].committed = r["s"]
    paid = PaymentLine.objects.filter(
        _node_q(node, "entitlement__"), entitlement__program=program, status=LineStatus.PAID
    )
    for r in paid.values(f"entitlement__{column}").annotate(
        s=Sum("amount"), n=Count("entitlement__beneficiary", distinct=True)
    ):
        child = rows.get(r[f"entitlement__{column}"])
        if child:
            child.paid, child.reached = r["s"], r["n"]
    pending = Application.unscoped_objects.filter(
        _node_q(node), program=program, status__in=["pending", "returned"]
    )
    for r in pending.values(column).annotate(n=Count("pk")):
        if r[column] in rows:
            rows[r[column]].pending = r["n"]
    sums = entitlements.aggregate(s=Sum("amount"))
    total.committed = sums["s"] or ZERO
    agg = paid.aggregate(s=Sum("amount"), n=Count("entitlement__beneficiary", distinct=True))
    total.paid, total.reached = agg["s"] or ZERO, agg["n"]
    total.pending = pending.count()
    return total, list(rows.values())


def benefits(actor: Actor, *, persons: list[Any] = (), household: Any = None) -> dict[str, Any]:  # type: ignore[assignment]
    """Entitlements (with their payment lines) and live applications of persons or a household."""
    who = Q(person__in=persons)
    if household is not None:
        who |= Q(household=household)
    entitlements = list(
        Entitlement.objects.for_actor(actor)
        .filter(who)
        .select_related("program", "person", "household__head")
        .prefetch_related("lines__batch")
        .order_by("-created_at")[:200]
    )
    for e in entitlements:
        e.paid_line = next((ln for ln in e.lines.all() if ln.status == LineStatus.PAID), None)
    applications = list(
        Application.objects.for_actor(actor)
        .filter(who, status__in=["pending", "returned"])
        .select_related("program", "person")
        .order_by("-filed_at")
    )
    paid = sum((e.amount for e in entitlements if e.paid_line), ZERO)
    return {"entitlements": entitlements, "applications": applications, "paid_total": paid}

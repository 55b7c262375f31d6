"""What the program pages read: the dashboard by child org and a person's or family's benefits."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q

from fpa import figures
from fpa.funds.models import BudgetLine
from fpa.kernel.scope import Actor
from fpa.orgs.models import Level, Org

from .models import Application, Entitlement, LineStatus, Program

ZERO = Decimal("0.00")
#: the column of a large table that names the child of a node at each level
CHILD_COLUMN: dict[str, str] = {
    Level.PROVINCE: "city_id",
    Level.CITY: "county_id",
    Level.COUNTY: "township_id",
    Level.TOWNSHIP: "org_id",
}


@dataclass
class Row:
    org: Org
    #: the program's budget line at the org (its own budget and what was passed down to it); None
    #: where it has none (a village spends from its township's line), which is not a budget of 0
    budget: Decimal | None = None
    committed: Decimal = ZERO
    paid: Decimal = ZERO
    reached: int = 0
    pending: int = 0

    @property
    def remaining(self) -> Decimal | None:
        return None if self.budget is None else self.budget - self.committed


#: the row's attribute for each registry figure the dashboard shows
ROW_FIGURES = {
    "granted": "committed",
    "paid": "paid",
    "reached": "reached",
    "pending": "pending",
}


def dashboard(program: Program, node: Org) -> tuple[Row, list[Row]]:
    """Budget, committed, paid, people reached and applications pending, for `node` and each of
    its territorial children. The figures come from the registry over the program's whole record
    (a few grouped queries, not one per child); the budget is the program's budget lines."""
    column = CHILD_COLUMN.get(node.level)
    children = list(node.children.filter(kind="territorial").order_by("path")) if column else []
    rows = {c.pk: Row(c) for c in children}
    total = Row(node)
    for line in BudgetLine.unscoped_objects.filter(program=program, org__in=[node, *children]):
        rows.get(line.org_id, total).budget = line.budget
    names = [f"programs.{n}" for n in ROW_FIGURES]
    # The node's own figures whatever its level: a village's page shows what its township's row
    # for it shows.
    for name, value in figures.many(names, node, None, program=program).items():
        setattr(total, ROW_FIGURES[name.removeprefix("programs.")], value)
    if column is None:
        return total, []
    for name, by_pk in figures.by_child_many(names, node, None, program=program).items():
        for pk, row in rows.items():
            setattr(row, ROW_FIGURES[name.removeprefix("programs.")], by_pk.get(pk, 0))
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

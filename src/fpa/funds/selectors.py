"""What the funds pages read: an org's lines for a year with their totals, and what it passed to
each child. Figures of the registry (`funds.figures`) read the same functions."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum

from fpa.kernel.scope import Actor, subtree_q
from fpa.orgs.models import Org

from .models import BudgetLine, Project, ProjectState, Purpose, Source, Transfer

ZERO = Decimal("0.00")
COLUMNS = ("planned", "received", "transferred", "committed", "spent")


@dataclass
class Totals:
    planned: Decimal = ZERO
    received: Decimal = ZERO
    transferred: Decimal = ZERO
    committed: Decimal = ZERO
    spent: Decimal = ZERO

    def add(self, line: BudgetLine) -> None:
        for name in COLUMNS:
            setattr(self, name, getattr(self, name) + getattr(line, name))

    def merge(self, other: Totals) -> None:
        for name in COLUMNS:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def budget(self) -> Decimal:
        return self.planned + self.received

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.transferred - self.committed - self.spent

    @property
    def passed_share(self) -> Decimal | None:
        """下拨比例: transferred to lower levels ÷ the budget the org held, in per cent."""
        if not self.budget:
            return None
        return (self.transferred * 100 / self.budget).quantize(Decimal("0.1"))


@dataclass
class Group:
    label: str
    lines: list[BudgetLine] = field(default_factory=list)
    totals: Totals = field(default_factory=Totals)


def lines_of(org: Org, year: int) -> list[BudgetLine]:
    return list(
        BudgetLine.unscoped_objects.filter(org=org, year=year)
        .select_related("org", "program", "project")
        .order_by("purpose", "source", "pk")
    )


def totals(org: Org, year: int) -> Totals:
    got = BudgetLine.unscoped_objects.filter(org=org, year=year).aggregate(
        **{name: Sum(name) for name in COLUMNS}
    )
    return Totals(**{name: got[name] or ZERO for name in COLUMNS})


def totals_by_org(org_ids: list[int], years: list[int]) -> dict[tuple[int, int], dict[str, Totals]]:
    """{(org, year): {source: totals}} for many orgs in one grouped query."""
    out: dict[tuple[int, int], dict[str, Totals]] = defaultdict(dict)
    rows = (
        BudgetLine.unscoped_objects.filter(org_id__in=org_ids, year__in=years)
        .values("org_id", "year", "source")
        .annotate(**{name: Sum(name) for name in COLUMNS})
    )
    for row in rows:
        out[(row["org_id"], row["year"])][row["source"]] = Totals(
            **{name: row[name] or ZERO for name in COLUMNS}
        )
    return out


def grouped(lines: list[BudgetLine]) -> tuple[list[Group], list[Group]]:
    """The lines by purpose and by funding source, each group with its totals."""
    purposes = {value: Group(label) for value, label in Purpose.choices}
    sources = {value: Group(label) for value, label in Source.choices}
    for line in lines:
        for group in (purposes[line.purpose], sources[line.source]):
            group.lines.append(line)
            group.totals.add(line)
    return (
        [g for g in purposes.values() if g.lines],
        [g for g in sources.values() if g.lines],
    )


def passed_to_children(org: Org, year: int) -> list[tuple[Org, Decimal]]:
    """What `org` passed down in `year` to each child's subtree (a transfer straight to a
    village counts in its township's row), children that received nothing left out."""
    width = len(org.path) + 5
    got: dict[str, Decimal] = defaultdict(Decimal)
    for path, amount in Transfer.unscoped_objects.filter(sender=org, year=year).values_list(
        "org__path", "amount"
    ):
        got[path[:width]] += amount
    children = Org.unscoped_objects.filter(path__in=list(got)).order_by("path")
    return [(child, got[child.path]) for child in children]


def transfers_of(actor: Actor, filters: dict[str, Any]) -> Any:
    """The register: transfers received in the actor's subtree (what it got from above and what
    it passed further down), newest first, filtered as the page's form says."""
    qs = Transfer.objects.for_actor(actor)
    if filters.get("year"):
        qs = qs.filter(year=filters["year"])
    if filters.get("org"):
        qs = qs.filter(subtree_q(filters["org"], "org__"))
    if filters.get("doc_number"):
        qs = qs.filter(doc_number__contains=filters["doc_number"])
    return qs.select_related("org", "sender", "from_line__program", "from_line__project").order_by(
        "-on", "-pk"
    )


def projects_of(actor: Actor, filters: dict[str, Any]) -> Any:
    """The library as the list filters it: projects applied for in the actor's subtree."""
    qs = Project.objects.for_actor(actor)
    for name in ("year", "state", "kind"):
        if filters.get(name):
            qs = qs.filter(**{name: filters[name]})
    if filters.get("org"):
        qs = qs.filter(subtree_q(filters["org"], "org__"))
    return qs.select_related("org").order_by("-year", "-pk")


def board(actor: Actor, filters: dict[str, Any]) -> list[dict[str, Any]]:
    """Each state with how many projects are in it and the latest ten."""
    qs = projects_of(actor, {k: v for k, v in filters.items() if k != "state"})
    counts = dict(qs.order_by().values_list("state").annotate(n=Count("pk")))
    return [
        {
            "state": value,
            "label": label,
            "count": counts.get(value, 0),
            "projects": list(qs.filter(state=value)[:10]) if counts.get(value) else [],
        }
        for value, label in ProjectState.choices
    ]

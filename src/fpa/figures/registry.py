"""The declaration of a figure, the discovery of every app's figures, and the period they cover.

A package of its own beside `orgs` rather than inside it: every app's `figures.py` imports it
(orgs' own declarations included), and it is not part of the tree's domain — it only reads the
tree's ancestor columns. It knows no app: the apps are found through Django's app registry.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Aggregate, Count, QuerySet
from django.utils import timezone

from fpa.core.discovery import app_modules

#: the units a figure may have (what the annual report counts in)
UNITS = ("人", "个", "户", "元", "次", "%")

Value = int | Decimal
#: a computed figure's answer: the subtree's values and each child's, by figure name
Computed = Callable[[Any, "Period"], tuple[dict[str, Value], dict[int, dict[str, Value]]]]


@dataclass(frozen=True)
class Period:
    """The dates a figure is read for: a calendar year, or the whole record (`year=None`).

    A stock is read on `day` (the year's last day, or today while the year is running); a flow
    counts what happened from `start` to `end`.
    """

    year: int | None
    start: datetime.date | None
    end: datetime.date | None

    @classmethod
    def of(cls, year: int | None) -> Period:
        if year is None:
            return cls(None, None, None)
        return cls(year, datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    @property
    def day(self) -> datetime.date:
        today = timezone.localdate()
        return today if self.end is None else min(self.end, today)

    @property
    def current(self) -> bool:
        """Whether the stock is read today (so what the services maintain now is the answer)."""
        return self.day == timezone.localdate()


@dataclass(frozen=True)
class Figure:
    """One figure of the registry (GLOSSARY: 统计口径).

    `records(period, **where)` gives the unscoped rows that count (a stock filters on its dated
    fields as of `period.day`, a flow on the dates of the period); `measure` aggregates them;
    `via` is the lookup from those rows to the table that carries `org`, `city`, `county` and
    `township` (e.g. `"entitlement__"` for payment lines), and `path` the lookup from that table
    to its org's materialized path (`"path"` for the org table itself). `counter`, when set,
    names the maintained counter (`fpa.kernel.counters`) that answers a current stock in
    one row read.
    """

    name: str
    label: str
    unit: str
    records: Callable[..., QuerySet] | None
    additive: bool = True
    stock: bool = True
    measure: Callable[[], Aggregate] = lambda: Count("pk")
    via: str = ""
    path: str = "org__path"
    counter: str | None = None
    params: tuple[str, ...] = field(default=())
    computed: Computed | None = None
    #: the org's own value, not its subtree's (a budget: a county's holds what its city passed
    #: down, so a sum over the subtree would count that money twice); computed, never additive
    own: bool = False

    def __post_init__(self) -> None:
        if (self.records is None) == (self.computed is None):
            raise ValueError(f"figure {self.name}: give either records or computed")
        if self.unit not in UNITS:
            raise ValueError(f"figure {self.name}: unit {self.unit!r} is not one of {UNITS}")
        if self.counter and not (self.stock and self.additive):
            raise ValueError(f"figure {self.name}: a counter holds an additive stock only")
        if self.own and (self.computed is None or self.additive):
            raise ValueError(f"figure {self.name}: an org's own figure is computed, not additive")

    @property
    def zero(self) -> Value:
        return Decimal("0.00") if self.unit == "元" else 0

    @property
    def app(self) -> str:
        return self.name.split(".", 1)[0]


_registry: dict[str, Figure] | None = None


def all_figures() -> dict[str, Figure]:
    """Every declared figure by name, in app order then declaration order.

    Each installed app may have a `figures` module with a `FIGURES` list; nothing registers
    by hand, so a new app's figures appear by declaring them.
    """
    global _registry
    if _registry is None:
        found: dict[str, Figure] = {}
        for module in app_modules("figures"):
            for fig in getattr(module, "FIGURES", []):
                if fig.name in found:
                    raise ValueError(f"figure {fig.name} is declared twice")
                found[fig.name] = fig
        _registry = found
    return _registry


def get(name: str) -> Figure:
    try:
        return all_figures()[name]
    except KeyError:
        raise KeyError(f"no figure named {name!r}") from None


def declared_params(fig: Figure, where: dict[str, Any]) -> dict[str, Any]:
    """Only the parameters the figure takes (a program filter means nothing to members)."""
    return {k: v for k, v in where.items() if k in fig.params}

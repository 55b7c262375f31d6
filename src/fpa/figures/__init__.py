"""The figure registry (DESIGN §4 rule 7): every figure of every app, for any org and year.

Each app declares its figures in one module, `<app>/figures.py` (a `FIGURES` list of
`Figure`), found through the app registry. Pages, exports, commands — and the reports,
assessment and annual report that come next — read figures here and nowhere else, so an org's
page and its parent's row for it always agree. `docs/figures.md` says how to declare one.

    figure("people.members", org, 2021)          # one value
    figures(org, 2021)                           # every figure of the org and year
    by_child("people.members", org, 2021)        # {child pk: value}, one grouped query

`year=None` reads the whole record (a program's dashboard: its records whatever their year).
Keyword filters (`program=`) go to the figures that declare them and are ignored by the rest.
The registry reads unscoped: the caller has decided the actor may see `org` (the pages pass the
actor's own org, or one found through the reach check).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fpa.orgs.models import Org

from . import compute
from .registry import UNITS, Figure, Period, Value, all_figures, get

__all__ = [
    "UNITS",
    "Figure",
    "Period",
    "Value",
    "all_figures",
    "by_child",
    "by_child_many",
    "figure",
    "figures",
    "get",
    "many",
]


def figure(name: str, org: Org, year: int | None, **where: Any) -> Value:
    """One figure's value for `org`'s subtree in `year`."""
    return compute.values([get(name)], org, Period.of(year), where)[name]


def many(names: Iterable[str], org: Org, year: int | None, **where: Any) -> dict[str, Value]:
    """Several figures at once (those reading the same records share one query)."""
    return compute.values([get(n) for n in names], org, Period.of(year), where)


def figures(org: Org, year: int | None, **where: Any) -> list[tuple[Figure, Value]]:
    """Every declared figure of `org` and `year`, in declaration order."""
    declared = list(all_figures().values())
    got = compute.values(declared, org, Period.of(year), where)
    return [(fig, got[fig.name]) for fig in declared]


def by_child(name: str, org: Org, year: int | None, **where: Any) -> dict[int, Value]:
    """One figure's value for each child of `org` (every child, by pk), in one grouped query."""
    return by_child_many([name], org, year, **where)[name]


def by_child_many(
    names: Iterable[str], org: Org, year: int | None, **where: Any
) -> dict[str, dict[int, Value]]:
    """Several figures for each child of `org`: {name: {child pk: value}}."""
    _children, got = compute.child_values([get(n) for n in names], org, Period.of(year), where)
    return got

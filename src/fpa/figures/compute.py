"""Reading figures for an org's subtree and for each of its children, a few queries in all.

Figures that read the same records in the same way are aggregated together (one query for the
ten org counts of the home page). A subtree is the copied ancestor column of the org's level
(`county_id = 5`: one index range, no `LIKE` over millions of rows); the values per child are one
GROUP BY over the child level's column, plus one over the few rows that column leaves empty (the
node's own records and its non-territorial children's, placed by their org's path) — never a
query per child. A current additive stock with a maintained counter is one row read per org.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.db.models.functions import Substr

from fpa.core.models import OrgCounter
from fpa.core.money import to_fen
from fpa.orgs.models import PATH_STEP, Kind, Level, Org

from .registry import Figure, Period, Value, declared_params

#: the ancestor column that names the child of a territorial node at each level
CHILD_COLUMN: dict[str, str] = {
    Level.PROVINCE: "city_id",
    Level.CITY: "county_id",
    Level.COUNTY: "township_id",
}


def _path(fig: Figure) -> str:
    return f"{fig.via}{fig.path}"


def node_q(fig: Figure, org: Org) -> Q:
    """The rows in `org`'s subtree: its ancestor column where it has one, else its path."""
    if org.parent_id is None:
        return Q()
    if org.kind == Kind.TERRITORIAL and org.level in (Level.CITY, Level.COUNTY, Level.TOWNSHIP):
        return Q(**{f"{fig.via}{org.level}_id": org.pk})
    return Q(**{f"{_path(fig)}__startswith": org.path})


def _groups(figs: Iterable[Figure], where: dict[str, Any]) -> dict[tuple, list[Figure]]:
    """Figures that can share one query: same records, same lookup, same parameters."""
    groups: dict[tuple, list[Figure]] = defaultdict(list)
    for fig in figs:
        params = tuple(sorted(declared_params(fig, where).items()))
        groups[(fig.records, fig.via, fig.path, params)].append(fig)
    return groups


def _base(fig: Figure, period: Period, where: dict[str, Any]) -> QuerySet:
    assert fig.records is not None  # computed figures never reach a query of records
    return fig.records(period, **declared_params(fig, where))


def values(
    figs: Iterable[Figure], org: Org, period: Period, where: dict[str, Any]
) -> dict[str, Value]:
    """Each figure's value for `org`'s whole subtree."""
    out: dict[str, Value] = {}
    computed = []
    answers: dict[Any, Any] = {}
    for fig in figs:
        if fig.computed is not None:
            if fig.computed not in answers:
                answers[fig.computed] = fig.computed(org, period)
            out[fig.name] = answers[fig.computed][0].get(fig.name, fig.zero)
        elif fig.counter and period.current and not declared_params(fig, where):
            out[fig.name] = _counter_values(fig, [org.pk]).get(org.pk, 0)
        else:
            computed.append(fig)
    for group in _groups(computed, where).values():
        first = group[0]
        row = (
            _base(first, period, where)
            .filter(node_q(first, org))
            .aggregate(**{f"v{i}": fig.measure() for i, fig in enumerate(group)})
        )
        for i, fig in enumerate(group):
            out[fig.name] = _exact(fig, row[f"v{i}"])
    return out


def child_values(
    figs: Iterable[Figure], org: Org, period: Period, where: dict[str, Any]
) -> tuple[list[Org], dict[str, dict[int, Value]]]:
    """`org`'s children, and each figure's value for each child's subtree (by child pk)."""
    children = list(Org.unscoped_objects.filter(parent=org).order_by("path"))
    by_path = {c.path: c.pk for c in children}
    out: dict[str, dict[int, Value]] = {}
    computed = []
    answers: dict[Any, Any] = {}
    for fig in figs:
        out[fig.name] = {c.pk: fig.zero for c in children}
        if fig.computed is not None:
            if fig.computed not in answers:
                answers[fig.computed] = fig.computed(org, period)
            for pk, got in answers[fig.computed][1].items():
                if pk in out[fig.name]:
                    out[fig.name][pk] = got.get(fig.name, fig.zero)
        elif fig.counter and period.current and not declared_params(fig, where):
            out[fig.name].update(_counter_values(fig, list(by_path.values())))
        else:
            computed.append(fig)
    if not children:
        return children, out
    column = CHILD_COLUMN.get(org.level) if org.kind == Kind.TERRITORIAL else None
    width = len(org.path) + PATH_STEP
    for group in _groups(computed, where).values():
        first = group[0]
        qs = _base(first, period, where).filter(node_q(first, org))
        measures = {f"v{i}": fig.measure() for i, fig in enumerate(group)}
        rows: list[tuple[int | None, dict[str, Any]]] = []
        rest = qs
        if column is not None:
            key = f"{first.via}{column}"
            for row in qs.exclude(**{key: None}).values(key).annotate(**measures):
                rows.append((row[key], row))
            rest = qs.filter(**{key: None})
        prefix = Substr(_path(first), 1, width)
        for row in rest.annotate(bucket=prefix).values("bucket").annotate(**measures):
            rows.append((by_path.get(row["bucket"]), row))
        for pk, row in rows:
            if pk is None or pk not in out[first.name]:
                continue  # the node's own records, or a row whose column names no child
            for i, fig in enumerate(group):
                out[fig.name][pk] = out[fig.name][pk] + _exact(fig, row[f"v{i}"])
    return children, out


def _exact(fig: Figure, value: Any) -> Value:
    """Nothing counted is zero; yuan are Decimal to the fen whatever the database's sum gives
    (SQLite drops the places: 1300, not 1300.00)."""
    if value is None:
        return fig.zero
    return to_fen(value) if fig.unit == "元" else value


def _counter_values(fig: Figure, org_ids: list[int]) -> dict[int, int]:
    rows = OrgCounter.objects.filter(org_id__in=org_ids, key=fig.counter)
    return dict(rows.values_list("org_id", "value"))

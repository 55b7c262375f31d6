"""Counters maintained by the services, so a total at any node of the tree is one row read.

A counter row exists per (org, key) and holds the figure for that org's whole subtree: a change
at a village bumps the village, its township, county, city and province (DESIGN §4 rule 7:
"counters maintained by the services, not a GROUP BY over millions per page"). `recount` rebuilds
them from the records (after a bulk load, or to check them).
"""

from __future__ import annotations

from collections import Counter as Tally
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, TypeVar

from django.db.models import F

from fpa.core.models import OrgCounter

if TYPE_CHECKING:
    from fpa.orgs.models import Org

#: an org, or its primary key (services often hold only `row.org_id`)
_OrgRef = TypeVar("_OrgRef", bound="Org | int")


def _pk(org: Org | int) -> int:
    return org if isinstance(org, int) else org.pk


def _path_prefixes(path: str, step: int) -> list[str]:
    return [path[:i] for i in range(step, len(path) + 1, step)]


def bump_many(deltas: Mapping[_OrgRef, int], key: str) -> None:
    """Add each org's delta to its counter and to every ancestor's (one UPDATE per level)."""
    from fpa.orgs.models import PATH_STEP, Org

    by_path: Tally[str] = Tally()
    orgs = Org.unscoped_objects.filter(pk__in=[_pk(o) for o in deltas])
    paths = dict(orgs.values_list("pk", "path"))
    for org, delta in deltas.items():
        for prefix in _path_prefixes(paths[_pk(org)], PATH_STEP):
            by_path[prefix] += delta
    if not by_path:
        return
    ids = dict(Org.unscoped_objects.filter(path__in=list(by_path)).values_list("path", "pk"))
    OrgCounter.objects.bulk_create(
        [OrgCounter(org_id=ids[p], key=key, value=0) for p in by_path],
        ignore_conflicts=True,
    )
    by_delta: dict[int, list[int]] = {}
    for path, delta in by_path.items():
        if delta:
            by_delta.setdefault(delta, []).append(ids[path])
    for delta, org_ids in by_delta.items():
        OrgCounter.objects.filter(org_id__in=org_ids, key=key).update(value=F("value") + delta)


def bump(org: Org | int, key: str, delta: int = 1) -> None:
    bump_many({org: delta}, key)


def value(org: Org | int, key: str) -> int:
    row = (
        OrgCounter.objects.filter(org_id=_pk(org), key=key).values_list("value", flat=True).first()
    )
    return row or 0


def held(org: _OrgRef) -> dict[str, int]:
    """Every counter of one org by key: its subtree's totals."""
    return dict(OrgCounter.objects.filter(org_id=_pk(org)).values_list("key", "value"))


def recount(key: str, rows: Iterable[tuple[int, int]]) -> None:
    """Replace a key's counters from (org id, own count) pairs: the org's subtree totals."""
    OrgCounter.objects.filter(key=key).delete()
    bump_many(dict(rows), key)

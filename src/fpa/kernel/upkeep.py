"""Keeping the copied ancestor columns right when an org moves (DESIGN §4 rule 8).

Every row of an org-owned table copies its org's city, county and township, so a scoped,
sorted page is one index range. When an org moves (a new division code table re-parents it, or
a merge folds its children into a successor), every such copy below it is rewritten here, and
the subtree's counters leave the old ancestors for the new. The tables are found through the app
registry: a new app's table is kept without registering it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps
from django.db.models import Model

from fpa.orgs.models import Kind, Level, Org

from . import counters
from .owned import ANCESTOR_FIELDS


def fill_ancestors(org: Org, parent: Org | None) -> None:
    """Copy the parent's ancestors; a territorial city, county or township is its own."""
    org.city_id = parent.city_id if parent else None
    org.county_id = parent.county_id if parent else None
    org.township_id = parent.township_id if parent else None
    if org.kind == Kind.TERRITORIAL and org.pk:
        if org.level == Level.CITY:
            org.city_id = org.pk
        elif org.level == Level.COUNTY:
            org.county_id = org.pk
        elif org.level == Level.TOWNSHIP:
            org.township_id = org.pk


def ancestor_tables() -> list[type[Model]]:
    """Every installed model whose rows hold an org and copy its ancestors."""
    found: list[type[Model]] = []
    for model in apps.get_models():
        fields = {f.name: f for f in model._meta.concrete_fields if f.many_to_one}
        if model is not Org and all(
            name in fields and fields[name].related_model is Org
            for name in ("org", *ANCESTOR_FIELDS)
        ):
            found.append(model)
    return found


def move_subtree(org: Org, new_parent: Org, new_path: str) -> None:
    """Hang `org` (and everything below it) under `new_parent` at `new_path`, and rewrite the
    ancestor copies of the tree and of every org-owned table below it."""
    old_path = org.path
    _carry_counters(org, new_parent)
    for desc in Org.unscoped_objects.filter(path__startswith=old_path).order_by("-path"):
        # Rewritten deepest first, so no new path collides with one not yet moved.
        desc.path = new_path + desc.path[len(old_path) :]
        desc.save(update_fields=["path"])
    org.refresh_from_db()
    org.parent = new_parent
    org.depth = new_parent.depth + 1
    fill_ancestors(org, new_parent)
    org.save()
    _refresh_tables(_refresh_descendants(org))


def _carry_counters(org: Org, new_parent: Org) -> None:
    """Move the subtree's totals from the old ancestors to the new: a counter row holds its org's
    whole subtree, so what `org` counts leaves its old parent's line and joins the new one's."""
    if org.parent_id is None or org.parent_id == new_parent.pk:
        return  # the root has no old line to leave
    for key, value in counters.held(org).items():
        if value:
            counters.bump_many({org.parent_id: -value, new_parent.pk: value}, key)


def _refresh_descendants(root: Org) -> list[Org]:
    """Recompute depth and ancestor columns below `root` after it moved (one pass)."""
    by_id = {root.pk: root}
    changed = []
    for org in Org.unscoped_objects.filter(path__startswith=root.path).exclude(pk=root.pk):
        assert org.parent_id is not None, "below the moved org every org has a parent"
        parent = by_id[org.parent_id]
        fill_ancestors(org, parent)
        org.depth = parent.depth + 1
        by_id[org.pk] = org
        changed.append(org)
    Org.unscoped_objects.bulk_update(changed, ["city", "county", "township", "depth"])
    return [root, *changed]


def _refresh_tables(orgs: Iterable[Org]) -> None:
    orgs = list(orgs)
    for model in ancestor_tables():
        for org in orgs:
            # The base manager: every row, whatever managers the table declares.
            model._base_manager.filter(org=org).update(
                city_id=org.city_id, county_id=org.county_id, township_id=org.township_id
            )

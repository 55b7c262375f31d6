"""Building and rewriting the materialized path and the ancestor columns."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from django.apps import apps
from django.db.models import Max, Model
from pypinyin import Style
from pypinyin.converter import DefaultConverter
from pypinyin.core import Pinyin

from .models import PATH_STEP, Kind, Level, Org

#: the columns a row holding an org copies from it, so a scoped page is one index range
ANCESTOR_FIELDS = ("city", "county", "township")


_CONVERTER = DefaultConverter()
_PINYIN = Pinyin(_CONVERTER)  # what lazy_pinyin uses


@lru_cache(maxsize=65536)
def initials(name: str) -> str:
    """Pinyin initials for search: 东塘镇 -> dtz (cached: an import repeats common names).

    What `lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")` gives, joined: the
    name is cut into words as pypinyin cuts it, and each word's initials are cached, so a new
    name made of known surnames and given characters costs one cut (a 100,000-row import meets
    tens of thousands of distinct names, but only a few thousand distinct words).
    """
    return "".join(_word_initials(word) for word in _PINYIN.seg(name))


@lru_cache(maxsize=65536)
def _word_initials(word: str) -> str:
    found = _CONVERTER.convert(word, Style.FIRST_LETTER, False, "ignore", strict=True)
    return "".join(p for readings in found for p in readings).lower()


def step(position: int) -> str:
    if position >= 10**PATH_STEP:
        raise ValueError("too many children under one org")
    return str(position).rjust(PATH_STEP, "0")


def next_child_path(parent: Org) -> str:
    last = (
        Org.unscoped_objects.filter(parent=parent).aggregate(m=Max("path"))["m"]
        if parent.pk
        else None
    )
    position = int(last[-PATH_STEP:]) + 1 if last else 1
    return parent.path + step(position)


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


def refresh_descendants(root: Org) -> list[Org]:
    """Recompute path depth and ancestor columns below `root` after it moved (one pass)."""
    by_id = {root.pk: root}
    changed = []
    for org in Org.unscoped_objects.filter(path__startswith=root.path).exclude(pk=root.pk):
        parent = by_id[org.parent_id]
        fill_ancestors(org, parent)
        org.depth = parent.depth + 1
        by_id[org.pk] = org
        changed.append(org)
    Org.unscoped_objects.bulk_update(changed, ["city", "county", "township", "depth"])
    return [root, *changed]


def ancestor_tables() -> list[type[Model]]:
    """Every installed model whose rows hold an org and copy its ancestors, found through the
    app registry: a new table is kept right on a move without being registered anywhere."""
    found = []
    for model in apps.get_models():
        fields = {f.name: f for f in model._meta.concrete_fields if f.many_to_one}
        if model is not Org and all(
            name in fields and fields[name].related_model is Org
            for name in ("org", *ANCESTOR_FIELDS)
        ):
            found.append(model)
    return found


def refresh_ancestor_tables(orgs: Iterable[Org]) -> None:
    """Rows of org-owned tables copy their org's ancestors: rewrite them for moved orgs."""
    orgs = list(orgs)
    for model in ancestor_tables():
        for org in orgs:
            model.unscoped_objects.filter(org=org).update(
                city_id=org.city_id, county_id=org.county_id, township_id=org.township_id
            )


def attach_trails(orgs: list[Org]) -> None:
    """Attach `trail` (the names above each org) with one query for the whole page."""
    prefixes = {o.path[:i] for o in orgs for i in range(PATH_STEP, len(o.path), PATH_STEP)}
    names = dict(Org.unscoped_objects.filter(path__in=prefixes).values_list("path", "name"))
    for o in orgs:
        o.trail = [names[o.path[:i]] for i in range(PATH_STEP, len(o.path), PATH_STEP)]


def mark_parents(orgs: list[Org]) -> None:
    """Set `has_children` on each org (one query), so the tree offers to open only those."""
    parents = set(
        Org.unscoped_objects.filter(parent__in=orgs).values_list("parent_id", flat=True).distinct()
    )
    for org in orgs:
        org.has_children = org.pk in parents

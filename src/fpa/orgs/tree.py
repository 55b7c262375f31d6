"""The materialized path: new children's paths, pinyin initials, trails and parents on a page."""

from __future__ import annotations

from functools import lru_cache

from django.db.models import Max
from pypinyin import Style
from pypinyin.converter import DefaultConverter
from pypinyin.core import Pinyin

from .models import PATH_STEP, Org

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


def attach_trails(orgs: list[Org]) -> None:
    """Attach `trail` (the names above each org) with one query for the whole page."""
    prefixes = {o.path[:i] for o in orgs for i in range(PATH_STEP, len(o.path), PATH_STEP)}
    names = dict(Org.unscoped_objects.filter(path__in=prefixes).values_list("path", "name"))
    for o in orgs:
        o.trail = [names[o.path[:i]] for i in range(PATH_STEP, len(o.path), PATH_STEP)]


def mark_parents(orgs: list[Org]) -> None:
    """Set `has_children` on each org (one query), so the tree offers to open only those."""
    # order_by(): the model's default ordering would add `path` to the DISTINCT, one row per
    # grandchild (a county's every village) instead of one per parent.
    below = Org.unscoped_objects.filter(parent__in=orgs).order_by()
    parents = set(below.values_list("parent_id", flat=True).distinct())
    for org in orgs:
        org.has_children = org.pk in parents

"""Choosing an org by what a clerk knows of it: its name, its pinyin initials or any start of its
code — never a code they must look up (issue 13 point 1).

Suggestions and the chosen org both stay inside the actor's reach. An org is shown as its name
followed by the two levels above it (湖湾村 · 星沙街道 · 长沙县), so two villages of one name are
told apart, and that same text is what the field reads back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from fpa.core.forms import FULL_WIDTH
from fpa.kernel.scope import Actor

from . import tree
from .codes import full_code
from .models import PATH_STEP, Org, OrgQuerySet

SEPARATOR = " · "
SUGGESTIONS = 12
#: the most children the browse panel lists (a township has ~200 villages; a longer list is
#: found by typing)
BROWSE_LIMIT = 500
_DIGITS = re.compile(r"^[0-9]{1,12}$")


@dataclass(frozen=True)
class Choice:
    org: Org
    label: str


@dataclass(frozen=True)
class Level:
    """One step of browsing the tree: the org, the way down to it from the actor's own org,
    and its children in reach (each marked `has_children` where it can be opened further)."""

    here: Choice
    trail: list[Org]
    children: list[Choice]
    cut: bool  # more children than `BROWSE_LIMIT`


class NotFound(ValueError):
    """What the clerk typed names no org in reach, or more than one: the message says which."""


def labels(orgs: Iterable[Org]) -> list[Choice]:
    """Each org with its label, the names above it read with one query for them all."""
    orgs = list(orgs)
    tree.attach_trails(orgs)
    return [Choice(o, label_of(o)) for o in orgs]


def label_of(org: Org) -> str:
    """`org`'s name and the (at most two) levels above it below the province."""
    trail = getattr(org, "trail", None)
    if trail is None:
        tree.attach_trails([org])
        trail = org.trail
    above = list(reversed(trail[1:]))[:2]
    return SEPARATOR.join([org.name, *above])


def _reach(actor: Actor) -> OrgQuerySet:
    return Org.objects.for_actor(actor).live()


def _digits(text: str) -> str | None:
    digits = text.strip().translate(FULL_WIDTH)
    return digits if _DIGITS.match(digits) else None


def suggest(actor: Actor, text: str, limit: int = SUGGESTIONS) -> list[Choice]:
    """Orgs in reach whose code starts with the digits typed, or whose name holds the text or
    whose pinyin initials start with it: the shallower first, then in tree order."""
    text = text.strip().split(SEPARATOR)[0].strip()
    if not text:
        # Nothing typed yet: the clerk's own org and the level below it, to browse from.
        own = _reach(actor).filter(pk=actor.org.pk)
        below = _reach(actor).filter(parent=actor.org).order_by("path")[: limit - 1]
        return labels([*own, *below])
    if (digits := _digits(text)) is not None:
        match = Q(code__startswith=digits)
    else:
        match = Q(name__contains=text) | Q(initials__startswith=text.lower())
    found = _reach(actor).filter(match).order_by("depth", "path")[:limit]
    return labels(found)


def browse(actor: Actor, under: int | None = None) -> Level:
    """The children of `under` (the actor's own org when None), in tree order, for the picker's
    browse panel. `under` outside the reach, or abolished, is `Org.DoesNotExist` — never another
    county's children."""
    reach = _reach(actor)
    here = reach.get(pk=actor.org.pk if under is None else under)
    found = list(reach.filter(parent=here).order_by("path")[: BROWSE_LIMIT + 1])
    kids, cut = found[:BROWSE_LIMIT], len(found) > BROWSE_LIMIT
    # one query: which children have children of their own in reach
    below = reach.filter(parent__in=kids).order_by().values_list("parent_id", flat=True)
    parents = set(below.distinct())
    for kid in kids:
        kid.has_children = kid.pk in parents
    above = [here.path[:i] for i in range(len(actor.org.path), len(here.path), PATH_STEP)]
    trail = list(reach.filter(path__in=above).order_by("path")) if above else []
    choices = labels([here, *kids])
    return Level(choices[0], trail, choices[1:], cut)


def resolve(actor: Actor, text: str) -> Org:
    """The one org in reach that `text` names: a code of 6, 9 or 12 digits, a label as the
    suggestions write it, a name, or pinyin initials. `NotFound` with what to do otherwise."""
    text = text.strip()
    if (digits := _digits(text)) is not None:
        return _by_code(actor, digits)
    name, *above = [part.strip() for part in text.split(SEPARATOR.strip())]
    candidates = list(_reach(actor).filter(name=name).order_by("depth", "path")[:50])
    if not candidates:
        candidates = list(
            _reach(actor).filter(initials=name.lower()).order_by("depth", "path")[:50]
        )
    if above and len(candidates) > 1:
        candidates = [
            c.org
            for c in labels(candidates)
            if c.label.split(SEPARATOR)[1 : 1 + len(above)] == above
        ]
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise NotFound(
            f"在您的管辖范围内找不到“{text}”，请输入单位名称、拼音首字母或区划代码，再从提示中选择"
        )
    shown = "；".join(c.label for c in labels(candidates[:3]))
    raise NotFound(f"有 {len(candidates)} 个单位叫“{name}”，请从提示中选择，例如：{shown}")


def _by_code(actor: Actor, digits: str) -> Org:
    if len(digits) not in (6, 9, 12):
        # Non-territorial orgs have no division code; clerks know them by name.
        raise NotFound("区划代码应为 6 位（县）、9 位（乡镇）或 12 位数字；也可直接输入单位名称")
    org = _reach(actor).filter(code=full_code(digits)).first()
    if org is None:
        raise NotFound(f"在您的管辖范围内没有区划代码为 {digits} 的单位")
    return org

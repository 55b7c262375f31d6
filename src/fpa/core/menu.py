"""The side menu: each app declares its group in `<app>/menu.py` (a `MENU` list of `Group`),
found through the app registry, so ten modules fit without core naming one. An entry needs what
its page's view declares (`fpa.core.permissions`), so a user sees only the pages their roles
open and the menu cannot disagree with the view. The entry of the page being shown is marked,
and the page's breadcrumbs follow it (首页 › group › entry › the page's own title)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.urls import resolve, reverse

from .discovery import app_modules
from .permissions import declaration_of


@dataclass(frozen=True)
class Entry:
    label: str
    #: the URL name of the page ("people:persons") and its arguments
    url: str
    args: tuple[str, ...] = ()
    #: other URL names whose pages sit under this entry (a person's page under 人员)
    covers: tuple[str, ...] = ()

    @property
    def href(self) -> str:
        return reverse(self.url, args=self.args)

    @property
    def perm(self) -> str | None:
        """What the page's view declares (None: any signed-in user)."""
        declared = declaration_of(resolve(self.href).func)
        return declared.perm if declared else None


@dataclass(frozen=True)
class Group:
    label: str
    entries: tuple[Entry, ...]
    #: the order among groups: the tree, people, families, money…, administration last
    order: int = 100


@dataclass(frozen=True)
class Place:
    """Where a page sits: the menu as its user sees it, the current group and entry marked."""

    groups: list[tuple[Group, list[Entry]]]
    group: Group | None = None
    entry: Entry | None = None


@cache
def groups() -> tuple[Group, ...]:
    """Every app's menu groups, in their declared order."""
    found = [g for module in app_modules("menu") for g in getattr(module, "MENU", [])]
    return tuple(sorted(found, key=lambda g: g.order))


@cache
def _perm(entry: Entry) -> str | None:
    return entry.perm


def place(perms: frozenset[str], url_name: str, args: tuple[str, ...] = ()) -> Place:
    """The menu for `perms`, and the group and entry of the page `url_name` with `args`."""
    shown: list[tuple[Group, list[Entry]]] = []
    current_group = current_entry = None
    for group in groups():
        entries = [e for e in group.entries if _perm(e) is None or _perm(e) in perms]
        for entry in entries:
            exact = entry.url == url_name and entry.args == args
            if current_entry is None and (exact or url_name in entry.covers):
                current_group, current_entry = group, entry
        if entries:
            shown.append((group, entries))
    return Place(shown, current_group, current_entry)

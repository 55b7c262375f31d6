"""待办: what waits for a user, gathered from each app's `<app>/todo.py` (a `todos(actor)`
function returning `Todo`s), found through the app registry like the menu and the figures. The
home page shows them first, each with its count and the page that deals with it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .discovery import app_modules


@dataclass(frozen=True)
class Todo:
    label: str
    #: how many wait; None where counting is too dear at this level (the link still leads there)
    count: int | None
    url: str
    #: what the count means, shown under it
    note: str = ""


def waiting(actor: Any) -> list[Todo]:
    """Every app's todos for `actor` that have something waiting (or cannot be counted)."""
    found = [t for module in app_modules("todo") for t in module.todos(actor)]
    return [t for t in found if t.count is None or t.count > 0]

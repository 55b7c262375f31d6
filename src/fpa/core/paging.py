"""Paging a large list without counting it: an exact COUNT over a county's million rows costs as
much as the page itself, so lists fetch one row more than a page to know whether there is a next
one, and show a total only where a maintained counter has it (fpa.kernel.counters).

A page number is ASCII digits (anything else is page 1); one past the end shows the last page
that has rows, found by a count bounded by MAX_PAGE pages — only then, and never deeper."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fpa.core.forms import ascii_int

#: deep OFFSETs are slow; past this page, narrow the search instead
MAX_PAGE = 2000


@dataclass
class Page:
    object_list: list[Any]
    number: int
    has_next: bool
    total: int | None = None

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1


def page_of(queryset: Any, number: str | None, size: int = 50, total: int | None = None) -> Page:
    page = min(max(ascii_int(number) or 1, 1), MAX_PAGE)
    rows = _rows(queryset, page, size)
    if not rows and page > 1:
        # Past the end (an old link, a typed number): the last page that has rows.
        known = total if total is not None else _bounded_count(queryset, MAX_PAGE * size)
        page = min(max((known + size - 1) // size, 1), MAX_PAGE)
        rows = _rows(queryset, page, size)
    return Page(rows[:size], page, len(rows) > size, total)


def _rows(queryset: Any, page: int, size: int) -> list[Any]:
    start = (page - 1) * size
    return list(queryset[start : start + size + 1])


def _bounded_count(queryset: Any, limit: int) -> int:
    head = queryset[:limit]
    return head.count() if hasattr(head, "query") else len(head)

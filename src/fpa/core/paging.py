"""Paging a large list without counting it: an exact COUNT over a county's million rows costs as
much as the page itself, so lists fetch one row more than a page to know whether there is a next
one, and show a total only where a maintained counter has it (fpa.core.counters)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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
    page = int(number) if number and number.isdigit() else 1
    page = min(max(page, 1), MAX_PAGE)
    start = (page - 1) * size
    rows = list(queryset[start : start + size + 1])
    return Page(rows[:size], page, len(rows) > size, total)

"""Paging a large list without counting it: an exact COUNT over a county's million rows costs as
much as the page itself, so a list counts only a few pages ahead of the one shown (a bounded
count: page numbers up to there, "more than N" past it) and shows a total only where a maintained
counter or a cheap count has it (fpa.kernel.counters).

The page number and size come from the request (`page`, `size`): a number is ASCII digits
(anything else is page 1), a size one of SIZES; one past the end shows the last page that has
rows, found by a count bounded by MAX_PAGE pages — only then, and never deeper."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fpa.core.forms import ascii_int

#: deep OFFSETs are slow; past this page, narrow the search instead
MAX_PAGE = 2000
#: the page sizes a clerk may choose
SIZES = (20, 50, 100, 200)
#: how many pages past the shown one a list counts, for its page numbers
AHEAD = 10


@dataclass
class Page:
    object_list: list[Any]
    number: int
    has_next: bool
    total: int | None = None
    size: int = 50
    #: the last page known to hold rows (from the total, or the bounded count ahead)
    last_known: int = 1
    #: whether there are rows past `last_known` (the count ahead stopped)
    more: bool = False
    sizes: tuple[int, ...] = field(default=SIZES)

    @property
    def numbers(self) -> list[int | None]:
        """The page numbers to offer: the first, two each side of this one, the last known;
        None where numbers are left out."""
        wanted = {1, self.last_known, *range(self.number - 2, self.number + 3)}
        shown = sorted(n for n in wanted if 1 <= n <= self.last_known)
        out: list[int | None] = []
        for n in shown:
            if out and out[-1] is not None and n - out[-1] > 1:
                out.append(None)
            out.append(n)
        return out

    @property
    def rows_known(self) -> int:
        """At least this many rows (what "more than N" says)."""
        return (self.last_known - 1) * self.size

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1


def page_of(
    queryset: Any,
    params: Mapping[str, Any] | str | None,
    size: int = 50,
    total: int | None = None,
) -> Page:
    """The page the request asks for (`params` is its query, or the bare page number)."""
    if isinstance(params, Mapping):
        number = params.get("page")
        chosen = ascii_int(params.get("size"), digits=3)
        size = chosen if chosen in SIZES else size
    else:
        number = params
    page = min(max(ascii_int(number) or 1, 1), MAX_PAGE)
    rows = _rows(queryset, page, size)
    if not rows and page > 1:
        # Past the end (an old link, a typed number): the last page that has rows.
        known = total if total is not None else _bounded_count(queryset, MAX_PAGE * size)
        page = min(max((known + size - 1) // size, 1), MAX_PAGE)
        rows = _rows(queryset, page, size)
    has_next = len(rows) > size
    if total is not None:
        last, more = max((total + size - 1) // size, 1), False
    elif not has_next:
        last, more = page, False
    else:
        # Count a few pages ahead, never the whole list.
        start, limit = page * size, AHEAD * size
        ahead = _bounded_count(queryset[start:], limit + 1)
        last, more = page + (min(ahead, limit) + size - 1) // size, ahead > limit
    last = min(last, MAX_PAGE)
    return Page(rows[:size], page, has_next, total, size, last, more)


def _rows(queryset: Any, page: int, size: int) -> list[Any]:
    start = (page - 1) * size
    return list(queryset[start : start + size + 1])


def _bounded_count(queryset: Any, limit: int) -> int:
    head = queryset[:limit]
    return head.count() if hasattr(head, "query") else len(head)

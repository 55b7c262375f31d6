"""What can go wrong in an import, split by reach (DESIGN §4 rule 3).

A bad cell rejects its row and nothing else (`CellError`, `CellErrors`); only a file that
cannot be read as a whole stops the import (`FileUnreadable`).
"""

from __future__ import annotations

from collections.abc import Iterable

from fpa.core.errors import DomainError


class FileUnreadable(DomainError):
    """The file as a whole cannot be read: nothing is previewed and nothing is written.

    `message` is Chinese and tells the clerk what to do; `detail` keeps the technical cause for
    the log, never for the page.
    """

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail


class CellError(Exception):
    """One cell is wrong: `column` is the schema column key ("" for the row as a whole)."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


class CellErrors(Exception):
    """Several cells of one row are wrong; a schema's `clean` raises it to report them all."""

    def __init__(self, errors: Iterable[CellError]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(e.message for e in self.errors))

"""A row schema says what one kind of record looks like in a spreadsheet.

The engine is the same for every kind of record (people, families, applications, bank
returns); a kind differs only in its `RowSchema`: the columns, how a header may be spelled,
which columns identify a record within a file, and two hooks — `clean` (the rules the engine
cannot know, such as an ID-number check digit) and `classify` (new, update or unchanged, found by
looking at what is already stored).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from .errors import FileUnreadable
from .headers import header_forms, index_for, normalise_header

if TYPE_CHECKING:
    from .results import RowResult

__all__ = [
    "AmbiguousHeader",
    "Column",
    "Existing",
    "RowSchema",
    "Status",
    "header_forms",
    "normalise_header",
]

CellKind = Literal["text", "id_number", "date", "int", "decimal", "choice", "phone", "code"]
KINDS: tuple[str, ...] = ("text", "id_number", "date", "int", "decimal", "choice", "phone", "code")

#: What `classify` may answer; the engine adds "rejected" for rows with errors.
Status = Literal["new", "update", "unchanged", "rejected"]
#: What a commit does with rows of records already stored: leave them, or update them.
Existing = Literal["skip", "update"]


@dataclass(frozen=True)
class Column:
    """One column of a record as a clerk sees it.

    `label` is the header the template writes; a file may use the label or any of `synonyms`.
    `kind` chooses how the engine normalises a cell (see `cells.normalise`). For "choice",
    `choices` holds (stored value, Chinese label) pairs and a cell may give either.
    """

    key: str
    label: str
    kind: CellKind = "text"
    required: bool = False
    synonyms: tuple[str, ...] = ()
    choices: Sequence[tuple[str, str]] = ()
    help: str = ""
    max_length: int | None = None
    #: shown on the instruction sheet; a sensible one per kind is used when empty
    example: str = ""

    def __post_init__(self) -> None:
        # Accept a model's `TextChoices.choices` (a list, lazy labels) and a list of synonyms:
        # stored as tuples of str, the column stays hashable and its labels plain text.
        choices = tuple((str(value), str(label)) for value, label in self.choices)
        object.__setattr__(self, "choices", choices)
        object.__setattr__(self, "synonyms", tuple(str(s) for s in self.synonyms))
        if self.kind not in KINDS:
            raise ValueError(f"column {self.key}: unknown kind {self.kind!r}")
        if self.kind == "choice" and not self.choices:
            raise ValueError(f"column {self.key}: a choice column needs choices")

    @property
    def choice_labels(self) -> list[str]:
        return [label for _, label in self.choices]


class AmbiguousHeader(FileUnreadable):
    """A header that names two columns equally well: the file is refused, naming both."""

    def __init__(self, text: object, columns: tuple[Column, ...], where: str = "") -> None:
        labels = "”，也可以是“".join(c.label for c in columns)
        super().__init__(
            f"{where}列名“{str(text).strip()}”可以是“{labels}”，无法确定是哪一列：请把这一列的"
            "列名改为其中一个（可下载导入模板对照）"
        )
        self.text = text
        self.columns = columns


class RowSchema:
    """The base of every import schema; a concrete schema sets the class attributes.

    - `kind`: a short English name ("person"), `title`: the Chinese name of a sheet ("人员").
    - `columns`: the columns, in template order.
    - `key_columns`: the column keys that identify a record within one file; a second row with
      the same key is rejected ("与第N行重复"). Empty: no duplicate check.

    Hooks, called by the engine in this order for every row that passed the cell checks:
    `clean` for each row, `prepare` once with all cleaned rows, `classify` for each row.
    """

    kind: ClassVar[str] = ""
    title: ClassVar[str] = ""
    columns: ClassVar[tuple[Column, ...]] = ()
    key_columns: ClassVar[tuple[str, ...]] = ()

    def clean(self, values: dict[str, Any], context: Any) -> dict[str, Any]:
        """Check what the engine cannot and return the cleaned values.

        `values` holds every column key, None where the cell was empty, already normalised
        by kind. Raise `CellError(key, message)` for one bad cell, `CellErrors([...])` for
        several. May add keys (a derived birth date, a looked-up org).
        """
        return values

    def prepare(self, rows: list[dict[str, Any]], context: Any) -> None:
        """Load, once for the whole file, what `classify` needs (say, the stored records whose
        ID numbers appear in `rows`), so that classifying 100,000 rows is not 100,000 queries."""

    def classify(self, values: dict[str, Any], context: Any) -> Status:
        """Say whether the row is "new", an "update" of a stored record, or "unchanged".

        May raise `CellError` when the row cannot be written (a record of another org).
        """
        return "new"

    # -- derived lookups (the class attributes never change, so compute once per class) --

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)

    def header_matches(self, text: object) -> tuple[Column, ...]:
        """The columns a header cell may name (see `headers`): none, one, or — when the header
        is ambiguous — several, most specific form first."""
        return index_for(tuple(self.columns)).matches(text)

    def match_header(self, text: object) -> Column | None:
        """The column a header cell names, or None when it names none; an ambiguous header
        raises `AmbiguousHeader` naming the columns it could mean."""
        found = self.header_matches(text)
        if len(found) > 1:
            raise AmbiguousHeader(text, found)
        return found[0] if found else None

    def will_write(self, rows: list[RowResult], mode: Existing) -> str:
        """What committing `rows` (the accepted rows for `mode`) writes, in words after “将”:
        “新增人员 120 人、更新 30 人，新增会员 140 人”. The preview page and the command print it.

        A schema says it in its own terms; this default counts records by status.
        """
        new = sum(row.status == "new" for row in rows)
        updated = len(rows) - new
        words = f"新增{self.title} {new} 条"
        return words + (f"、更新 {updated} 条" if updated else "")

    @property
    def required_columns(self) -> list[Column]:
        return [c for c in self.columns if c.required]

    def labels(self, keys: Iterable[str]) -> list[str]:
        return [self.column(k).label for k in keys]

"""A row schema says what one kind of record looks like in a spreadsheet.

The engine is the same for every kind of record (people, families, applications, bank
returns); a kind differs only in its `RowSchema`: the columns, how a header may be spelled,
which columns identify a record within a file, and two hooks — `clean` (the rules the engine
cannot know, such as an ID-number check digit) and `classify` (new, update or unchanged, found by
looking at what is already stored).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

CellKind = Literal["text", "id_number", "date", "int", "decimal", "choice", "phone", "code"]
KINDS: tuple[str, ...] = ("text", "id_number", "date", "int", "decimal", "choice", "phone", "code")

#: What `classify` may answer; the engine adds "rejected" for rows with errors.
Status = Literal["new", "update", "unchanged", "rejected"]

# Clerks decorate headers: "*姓名", "姓名（必填）", "身份证号码：", a line break inside the cell.
_HEADER_NOISE = re.compile(r"\s+|\*|:|\((?:必填|选填|可选|非必填)\)")


def normalise_header(text: object) -> str:
    """The form in which two spellings of one header compare equal.

    NFKC first (full-width letters, digits, colon and brackets become ASCII), then spaces, line
    breaks, `*`, colons and a "(必填)"-style note are dropped and case is folded.
    """
    if text is None:
        return ""
    folded = unicodedata.normalize("NFKC", str(text))
    return _HEADER_NOISE.sub("", folded).casefold()


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
    choices: tuple[tuple[str, str], ...] = ()
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
    def spellings(self) -> tuple[str, ...]:
        """Every header this column answers to, normalised."""
        return tuple(normalise_header(s) for s in (self.label, *self.synonyms))

    @property
    def choice_labels(self) -> list[str]:
        return [label for _, label in self.choices]


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

    def match_header(self, text: object) -> Column | None:
        """The column a header cell names, or None when it names none."""
        return self._header_index().get(normalise_header(text))

    def _header_index(self) -> dict[str, Column]:
        cls = type(self)
        index = cls.__dict__.get("_index")
        if index is None:
            index = {}
            for column in self.columns:
                for spelling in column.spellings:
                    # The first column to claim a spelling keeps it: a schema mistake must not
                    # silently move a header to another column.
                    index.setdefault(spelling, column)
            cls._index = index  # type: ignore[attr-defined]
        return index

    @property
    def required_columns(self) -> list[Column]:
        return [c for c in self.columns if c.required]

    def labels(self, keys: Iterable[str]) -> list[str]:
        return [self.column(k).label for k in keys]

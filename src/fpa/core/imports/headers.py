"""Which schema column a header cell names, as clerks really write headers.

A header is compared in three ever looser forms, and the first form that names any column
decides (the most specific match wins):

1. exact: NFKC (full-width → half-width), spaces, `*`, colons and a "(必填)" note dropped,
   case folded — `身份证号码：` is `身份证号码`;
2. without brackets and what they hold, of either width — `所在村（社区）` is `所在村`,
   `居住地（村/社区）` is `居住地`;
3. without a leading qualifier (现、公民、本人) and a trailing 名称/代码 — `现居住村` is `居住村`,
   `公民身份证号码` is `身份证号码`, `村名称` is `村`.

Each column's label and synonyms are reduced the same way, so a looser form only ever meets
another looser form. Nothing is matched by containment: `户籍所在村` is not `所在村` with a
prefix, it is a different header (the people schema lists it under the hukou place). When a
header's deciding form names two columns the header is ambiguous, and the caller refuses the
file naming both, rather than guessing.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .schema import Column

# Clerks decorate headers: "*姓名", "姓名（必填）", "身份证号码：", a line break inside the cell.
_NOISE = re.compile(r"\s+|\*|:|\((?:必填|选填|可选|非必填)\)")
# Innermost brackets first, repeated, so "(村(居))" goes too. NFKC has already made （）［］＜＞
# ASCII; 【】〔〕《》〈〉「」 have no half-width form and are listed as they are.
_BRACKETED = re.compile(
    r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】|〔[^〔〕]*〕|《[^《》]*》|〈[^〈〉]*〉|「[^「」]*」"
)
_QUALIFIERS = ("现", "公民", "本人")
_SUFFIXES = ("名称", "代码")

TIERS = 3


def normalise_header(text: object) -> str:
    """The exact form (tier 1): the one in which two spellings of one header compare equal."""
    if text is None:
        return ""
    folded = unicodedata.normalize("NFKC", str(text))
    return _NOISE.sub("", folded).casefold()


def _without_brackets(text: str) -> str:
    while True:
        shorter = _BRACKETED.sub("", text)
        if shorter == text:
            return text
        text = shorter


def _without_affixes(text: str) -> str:
    for qualifier in _QUALIFIERS:
        if text.startswith(qualifier) and len(text) > len(qualifier):
            text = text[len(qualifier) :]
            break
    for suffix in _SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            text = text[: -len(suffix)]
            break
    return text


def header_forms(text: object) -> tuple[str, ...]:
    """The header's exact, bracket-free and affix-free forms ("" where a form is empty)."""
    exact = normalise_header(text)
    bare = _without_brackets(exact)
    return exact, bare, _without_affixes(bare) if bare else ""


class HeaderIndex:
    """For one tuple of columns: each form of each spelling → the columns it may mean."""

    def __init__(self, columns: tuple[Column, ...]) -> None:
        self.tiers: list[dict[str, list[Column]]] = [{} for _ in range(TIERS)]
        for column in columns:
            for spelling in (column.label, *column.synonyms):
                for tier, form in zip(self.tiers, header_forms(spelling), strict=True):
                    if form and column not in tier.setdefault(form, []):
                        tier[form].append(column)

    def matches(self, text: object) -> tuple[Column, ...]:
        """The columns the header may mean: none, one, or (ambiguous) several."""
        for tier, form in zip(self.tiers, header_forms(text), strict=True):
            found = tier.get(form) if form else None
            if found:
                return tuple(found)
        return ()


@cache
def index_for(columns: tuple[Column, ...]) -> HeaderIndex:
    """Built once per distinct tuple of columns (a schema's columns never change; an
    application schema's are built per program kind, so a few tuples at most)."""
    return HeaderIndex(columns)

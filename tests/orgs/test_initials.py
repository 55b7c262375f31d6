"""Pinyin initials are computed word by word (cached) and equal pypinyin's whole-name answer."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from pypinyin import Style, lazy_pinyin

from fpa.orgs.tree import initials

NAMES = [
    "东塘镇",
    "长沙县",
    "重庆",
    "朝阳区",
    "银行",
    "单于",
    "曾国藩",
    "乐乐",
    "abc中文Ｘ１",
    "",
    " ",
]
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
TEXT = st.text(st.one_of(CJK, st.sampled_from("曾单乐行重长朝 ·Ａa1-（")), max_size=8)


def whole(name: str) -> str:
    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")).lower()


def test_initials_of_known_names_and_heteronyms():
    assert [initials(n) for n in NAMES] == [whole(n) for n in NAMES]
    assert initials("东塘镇") == "dtz"


@settings(max_examples=500, deadline=None)
@given(TEXT)
def test_initials_equal_pypinyins_answer_for_any_text(name):
    assert initials(name) == whole(name)

"""Export files Excel opens: sheet titles it accepts."""

from __future__ import annotations

from fpa.core.exports import sheet_title


def test_sheet_title_drops_what_excel_refuses_and_keeps_31_characters():
    assert sheet_title("会长/副会长/秘书长名单") == "会长、副会长、秘书长名单"
    assert sheet_title("a:b\\c?d*e[f]") == "a、b、c、d、e、f、"
    assert len(sheet_title("长" * 40)) == 31
    assert sheet_title("") == "Sheet1"

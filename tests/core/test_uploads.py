"""Uploads checked by their bytes (issue 11, L3 and L4): `fpa.core.uploads` on its own.

The same attacks through the real pages are in tests/families/test_attachments.py,
tests/core/imports/test_upload_pages.py and tests/programs/test_pages.py.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from fpa.core import uploads
from fpa.core.imports import FileUnreadable, read
from fpa.core.uploads import ATTACHMENT, IMPORT, UploadRefused

from .uploads_helpers import (
    EXE,
    HTML,
    PDF,
    SHEET,
    SVG,
    declare,
    jpeg_with_gps,
    png,
    png_header_only,
    xlsx_bomb,
    xlsx_bytes,
)


def refused(name: str, data: bytes, kind: uploads.Kind = ATTACHMENT) -> str:
    with pytest.raises(UploadRefused) as caught:
        uploads.check(SimpleUploadedFile(name, data), kind)
    return caught.value.message


def test_an_executable_named_pdf_is_refused_as_what_it_is():
    assert refused("setup.pdf", EXE) == (
        "“setup.pdf”的内容实际是Windows 可执行程序，不是PDF 文件："
        "附件只接受 jpg、png 图片或 pdf 文件"
    )


def test_a_web_page_named_pdf_is_refused():
    assert "实际是网页（HTML）文件" in refused("通知.pdf", HTML)


def test_an_svg_with_a_script_named_png_is_refused():
    assert "实际是SVG 图片（可含脚本），不是PNG 图片" in refused("evil.png", SVG)


def test_a_png_named_jpg_is_refused():
    assert "实际是PNG 图片，不是JPEG 图片" in refused("photo.jpg", png())


def test_bytes_of_no_known_type_are_refused():
    assert "无法识别文件类型" in refused("签收单.pdf", b"just some text, not a pdf")


@pytest.mark.parametrize("kind", [ATTACHMENT, IMPORT])
def test_an_empty_file_is_refused(kind):
    name = "签收单.pdf" if kind is ATTACHMENT else "会员.xlsx"
    assert refused(name, b"", kind) == f"“{name}”是空文件（0 字节）：请确认选择了正确的文件"


def test_an_extension_the_kind_does_not_take_is_refused():
    assert refused("a.svg", SVG) == "不支持“.svg”文件：附件只接受 jpg、png 图片或 pdf 文件"
    assert "只能导入 .xlsx 或 .csv" in refused("a.pdf", PDF, IMPORT)


def test_each_type_has_its_own_size_limit(settings):
    settings.UPLOAD_ATTACHMENT_MAX_BYTES = 100
    settings.UPLOAD_CSV_MAX_BYTES = 2048
    assert refused("签收单.pdf", PDF + b" " * 100) == (
        f"“签收单.pdf”有 {len(PDF) + 100} 字节，超过了PDF 文件的上限 100 字节"
    )
    csv = "姓名\r\n".encode() + "张三\r\n".encode() * 300
    assert "请按乡镇拆分" in refused("会员.csv", csv, IMPORT)
    assert uploads.check(SimpleUploadedFile("会员.csv", csv[:1000]), IMPORT) is uploads.CSV


def checked(name: str, data: bytes, kind: uploads.Kind = ATTACHMENT) -> uploads.FileType:
    return uploads.check(SimpleUploadedFile(name, data), kind)


def test_good_files_pass_as_their_type():
    assert checked("签收单.pdf", PDF) is uploads.PDF
    assert checked("照片.JPEG", jpeg_with_gps()) is uploads.JPEG
    assert checked("签收单.png", png()) is uploads.PNG
    assert checked("会员.xlsx", xlsx_bytes([["姓名"]]), IMPORT) is uploads.XLSX
    gbk = "姓名,身份证号码\r\n张三,430102199001011234\r\n".encode("gb18030")
    assert checked("会员.csv", gbk, IMPORT) is uploads.CSV
    utf16 = "姓名\t身份证号码\r\n张三\t430102199001011234\r\n".encode("utf-16")
    assert checked("会员.csv", utf16, IMPORT) is uploads.CSV


def test_a_csv_with_nul_bytes_is_refused():
    data = "姓名\r\n张三\r\n".encode() + b"\x00\x01\x02" + "李四\r\n".encode()
    assert "含有空字符" in refused("会员.csv", data, IMPORT)


def test_a_csv_that_is_really_a_pdf_or_a_workbook_is_refused():
    assert "实际是PDF 文件，不是CSV 文本文件" in refused("会员.csv", PDF, IMPORT)
    workbook = xlsx_bytes([["姓名"]])
    assert "实际是Excel 工作簿（.xlsx），不是CSV 文本文件" in refused("会员.csv", workbook, IMPORT)


def test_a_zip_that_is_not_a_workbook_is_named_for_what_it_is():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    assert "实际是Word 文档（.docx）" in refused("会员.xlsx", out.getvalue(), IMPORT)


# ---------------------------------------------------------------- zip bombs


def test_a_workbook_declaring_more_than_the_limit_is_refused_before_it_expands(settings):
    bomb = xlsx_bomb()
    settings.IMPORT_UNZIPPED_MAX_BYTES = 1024 * 1024  # the bomb unzips to about 6 MB
    assert len(bomb) < 60_000
    message = refused("花名册.xlsx", bomb, IMPORT)
    assert message == "文件解压后超过 1 MB，请按乡镇拆分为多个文件后分别导入"


def test_a_workbook_whose_directory_lies_is_stopped_by_the_bytes_it_inflates_to(settings, tmp_path):
    settings.IMPORT_UNZIPPED_MAX_BYTES = 1024 * 1024
    lying = declare(xlsx_bomb(), SHEET, 500)
    # By what it declares it passes; counting what it really inflates to stops it.
    assert uploads.check(SimpleUploadedFile("花名册.xlsx", lying), IMPORT) is uploads.XLSX
    with pytest.raises(UploadRefused) as caught:
        uploads.check_workbook(io.BytesIO(lying))
    assert "解压后超过 1 MB" in caught.value.message
    path = tmp_path / "花名册.xlsx"
    path.write_bytes(lying)
    with pytest.raises(FileUnreadable) as unreadable:
        read(path)
    assert unreadable.value.message == "文件解压后超过 1 MB，请按乡镇拆分为多个文件后分别导入"


def test_a_workbook_of_too_many_parts_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_PARTS", 10)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for info in zipfile.ZipFile(io.BytesIO(xlsx_bytes([["姓名"]]))).infolist():
            archive.writestr(info.filename, b"")
        for n in range(20):
            archive.writestr(f"xl/media/{n}.bin", b"")
    with pytest.raises(UploadRefused) as caught:
        uploads.check_workbook(out)
    assert caught.value.message.startswith("文件结构异常（含 29 个部件）")
    assert refused("会员.xlsx", out.getvalue(), IMPORT).startswith("文件结构异常")


def test_a_workbook_within_the_limit_reads(settings, tmp_path):
    settings.IMPORT_UNZIPPED_MAX_BYTES = 10 * 1024 * 1024
    path = tmp_path / "花名册.xlsx"
    path.write_bytes(xlsx_bomb(rows=2000))
    assert len(read(path).rows) == 2000


# ---------------------------------------------------------------- images


def test_a_jpeg_comes_back_without_exif_gps_or_comment_and_upright():
    original = jpeg_with_gps()
    assert b"Exif" in original and b"secret" in original
    stored = uploads.accept_attachment(SimpleUploadedFile("走访.jpg", original))
    data = stored.read()
    assert b"Exif" not in data and b"secret" not in data
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG" and not image.getexif()
    assert "exif" not in image.info and "comment" not in image.info
    assert image.size == (30, 40)  # turned as its orientation said, then the tag dropped
    assert stored.name == "走访.jpg"


def test_a_png_keeps_its_pixels_and_loses_its_text():
    original = png()
    assert "湖湾村".encode() in original
    data = uploads.accept_attachment(SimpleUploadedFile("签收单.png", original)).read()
    assert "湖湾村".encode() not in data
    image = Image.open(io.BytesIO(data))
    assert image.size == (20, 10) and image.getpixel((3, 3)) == (10, 120, 200)


def test_an_image_with_too_many_pixels_is_refused_before_decoding(settings):
    settings.UPLOAD_IMAGE_MAX_PIXELS = 1_000_000
    bomb = SimpleUploadedFile("签收单.png", png_header_only(20_000, 20_000))
    with pytest.raises(UploadRefused) as caught:
        uploads.accept_attachment(bomb)
    assert caught.value.message == "图片像素太多（上限 1 百万像素）：请缩小后再上传"


def test_an_image_pillow_cannot_decode_is_refused():
    broken = b"\xff\xd8\xff\xe0" + b"\x00\x10JFIF" + b"\x13" * 200
    with pytest.raises(UploadRefused) as caught:
        uploads.accept_attachment(SimpleUploadedFile("走访.jpg", broken))
    assert "无法读取这张JPEG 图片" in caught.value.message


def test_a_pdf_is_kept_as_uploaded():
    upload = SimpleUploadedFile("签收单.pdf", PDF)
    assert uploads.accept_attachment(upload).read() == PDF


# ---------------------------------------------------------------- serving


def test_a_stored_file_is_served_with_the_type_its_bytes_show():
    assert uploads.served_type(ContentFile(PDF), "a.pdf") == "application/pdf"
    assert uploads.served_type(ContentFile(png()), "a.png") == "image/png"
    # Stored before bytes were checked: a page named .pdf is a plain download.
    assert uploads.served_type(ContentFile(HTML), "a.pdf") == "application/octet-stream"
    assert uploads.served_type(ContentFile(SVG), "a.svg") == "application/octet-stream"


@pytest.mark.parametrize("mode", ["P", "LA", "RGBA", "I;16"])
def test_png_modes_are_re_encoded_in_their_own_mode(mode):
    image = Image.new(mode, (8, 8))
    out = io.BytesIO()
    image.save(out, "PNG", **({"transparency": 0} if mode == "P" else {}))
    data = uploads.reencode(io.BytesIO(out.getvalue()), uploads.PNG)
    again = Image.open(io.BytesIO(data))
    assert again.mode == mode and again.size == (8, 8)
    assert ("transparency" in again.info) == (mode == "P")

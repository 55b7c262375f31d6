"""Every uploaded file goes through here: its size, and its real type from its own bytes.

The rule (issue 11, L3/L4): a file is what its bytes say, not what its name says. Each kind of
upload accepts a few types (`ATTACHMENT`: PDF, JPEG, PNG; `IMPORT`: XLSX, CSV), each with its
size limit (settings `UPLOAD_*_MAX_BYTES`); the type read from the bytes (magic numbers, the
parts of a workbook, text that decodes) must be the one its extension names. An empty file, a
file over its limit, or one that is something else is refused with a Chinese `UploadRefused`
that says what the file really is and what is accepted. A workbook that would unzip past
`IMPORT_UNZIPPED_MAX_BYTES` is refused before it is expanded (`check_workbook`); images are
re-encoded so that nothing but their pixels is kept (`accept_attachment`, through
`fpa.core.images`); stored attachments are served only as downloads of the type their bytes show
(`attachment_response`). The types, kinds and limits live in `fpa.core.upload_types` and are
importable from here as well.
"""

from __future__ import annotations

import codecs
import copy
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, cast

from django.core.files.base import ContentFile, File
from django.http import FileResponse

from .images import reencode

# Re-exported: callers import the upload types from here, as before the split.
from .upload_types import (
    ATTACHMENT as ATTACHMENT,
)
from .upload_types import (
    CSV as CSV,
)
from .upload_types import (
    IMPORT as IMPORT,
)
from .upload_types import (
    JPEG as JPEG,
)
from .upload_types import (
    PDF as PDF,
)
from .upload_types import (
    PNG as PNG,
)
from .upload_types import (
    XLSX as XLSX,
)
from .upload_types import (
    FileType as FileType,
)
from .upload_types import (
    Kind as Kind,
)
from .upload_types import (
    UploadRefused as UploadRefused,
)
from .upload_types import (
    max_bytes as max_bytes,
)
from .upload_types import (
    size_text as size_text,
)
from .upload_types import (
    unzipped_max_bytes as unzipped_max_bytes,
)

HEAD = 4096  # enough for every signature and for telling HTML or SVG from CSV text
CHUNK = 1 << 20
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Office's old container: .xls, .doc, encrypted .xlsx
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
WORKBOOK_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
# A workbook has a few dozen parts (sheets, styles, pictures); half a million empty ones cost
# zipfile and calamine hundreds of MB just to list, so the count is read first.
MAX_PARTS = 10_000
UNKNOWN = "无法识别的文件"
DAMAGED_ZIP = "损坏的 ZIP 或 Excel 文件"
NOT_TEXT = "这不是文本格式的 CSV 文件（含有空字符）：请在 Excel 中“另存为” .xlsx 后再导入"
CORRUPT = (
    "文件已损坏或不完整，无法读取：请在 Excel 中打开该文件，确认内容无误后重新保存为 .xlsx 再导入"
)


# ---------------------------------------------------------------- what the bytes are


def sniff(head: bytes) -> str | None:
    """What the first bytes of a file say it is (a label), or None for no known signature.

    PDF, JPEG, PNG and ZIP are matched to `FileType`s by `identify`; the rest are named only to
    tell the clerk what was uploaded instead.
    """
    signatures = (
        (b"%PDF-", PDF.label),
        (b"\xff\xd8\xff", JPEG.label),
        (PNG_SIGNATURE, PNG.label),
        (b"PK\x03\x04", "ZIP 压缩包"),
        (b"PK\x05\x06", "ZIP 压缩包"),
        (OLE, "旧版 Office 文件（如 .xls、.doc）或设置了密码的文件"),
        (b"MZ", "Windows 可执行程序"),
        (b"\x7fELF", "可执行程序"),
        (b"GIF87a", "GIF 图片"),
        (b"GIF89a", "GIF 图片"),
        (b"Rar!\x1a\x07", "RAR 压缩包"),
        (b"7z\xbc\xaf\x27\x1c", "7z 压缩包"),
        (b"\x1f\x8b", "gzip 压缩包"),
        (b"{\\rtf", "RTF 文档"),
    )
    for signature, label in signatures:
        if head.startswith(signature):
            return label
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WebP 图片"
    if head[4:8] == b"ftyp":
        if head[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"hevc"):
            return "HEIC 图片（苹果手机照片，请在手机上转为 JPG 后上传）"
        return "视频或 HEIC 图片"
    return _sniff_markup(head)


def _sniff_markup(head: bytes) -> str | None:
    text = head.lstrip(b"\xef\xbb\xbf\xff\xfe\xfe\xff").lstrip().lower().replace(b"\x00", b"")
    if text.startswith(b"<svg") or (text.startswith(b"<?xml") and b"<svg" in text):
        return "SVG 图片（可含脚本）"
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<script")):
        return "网页（HTML）文件"
    if text.startswith(b"<?xml"):
        return "XML 文件"
    return None


def _zip_label(fh: IO[bytes]) -> str:
    """XLSX when the archive holds a workbook's parts, else what kind of archive it is."""
    _refuse_many_parts(_declared_parts(fh))
    try:
        with zipfile.ZipFile(fh) as archive:
            names = set(archive.namelist())
    except Exception:  # any damage means the same to the clerk
        return DAMAGED_ZIP
    if all(part in names for part in WORKBOOK_PARTS):
        return XLSX.label
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        return "Word 文档（.docx）"
    if "[Content_Types].xml" in names and "ppt/presentation.xml" in names:
        return "PowerPoint 演示文稿（.pptx）"
    if "mimetype" in names:
        return "OpenDocument（WPS/LibreOffice）文件"
    return "ZIP 压缩包"


def identify(fh: IO[bytes]) -> str:
    """The label of what `fh` really is by its signature, `UNKNOWN` for none (text has none:
    `text_encoding` tells text); `fh` is left at 0."""
    fh.seek(0)
    head = fh.read(HEAD)
    fh.seek(0)
    label = sniff(head)
    if label == "ZIP 压缩包":
        label = _zip_label(fh)
        fh.seek(0)
    return label or UNKNOWN


def _chunks(fh: IO[bytes]) -> Iterator[bytes]:
    fh.seek(0)
    while block := fh.read(CHUNK):
        yield block


def text_encoding(fh: IO[bytes]) -> str:
    """The encoding CSV text in `fh` is in, read through the whole file, or `UploadRefused`.

    UTF-8 with or without BOM, UTF-16 with BOM ("Unicode 文本"), else GB18030 (a superset of
    GBK, which Excel on a Chinese Windows writes when saving "CSV (逗号分隔)"); a NUL character
    anywhere means a binary file, whatever it decodes as."""
    fh.seek(0)
    head = fh.read(2)
    candidates = ["utf-16"] if head in (b"\xff\xfe", b"\xfe\xff") else ["utf-8-sig", "gb18030"]
    for encoding in candidates:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            for block in _chunks(fh):
                if "\x00" in decoder.decode(block):
                    raise UploadRefused(NOT_TEXT)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        finally:
            fh.seek(0)
        return encoding
    raise UploadRefused(
        "无法识别文件的文字编码：请在 Excel 中“另存为” .xlsx（或“CSV UTF-8”）后再导入"
    )


# ---------------------------------------------------------------- workbooks


def _too_large(limit: int) -> UploadRefused:
    return UploadRefused(
        f"文件解压后超过 {size_text(limit)}，请按乡镇拆分为多个文件后分别导入", field="file"
    )


def check_workbook(fh: IO[bytes], *, actual: bool = True) -> None:
    """Refuse a workbook that would unzip past `IMPORT_UNZIPPED_MAX_BYTES`, before it expands.

    First by the sizes its central directory declares; then, with `actual`, by the bytes it
    really inflates to, read through and thrown away (memory stays flat), so a directory that
    lies about a member's size is caught too."""
    limit = unzipped_max_bytes()
    try:
        _refuse_many_parts(_declared_parts(fh))
        with zipfile.ZipFile(fh) as archive:
            members = archive.infolist()
            _refuse_many_parts(len(members))  # a ZIP64 directory is counted only here
            if sum(m.file_size for m in members) > limit:
                raise _too_large(limit)
            if actual:
                _inflate(archive, members, limit)
    except UploadRefused:
        raise
    except RuntimeError as exc:  # zipfile: "File is encrypted, password required"
        raise UploadRefused("文件设置了密码：请在 Excel 中取消密码后再导入") from exc
    except Exception as exc:  # BadZipFile, zlib.error, EOFError, …: all damage
        raise UploadRefused(CORRUPT) from exc
    finally:
        fh.seek(0)


def _declared_parts(fh: IO[bytes]) -> int:
    """How many parts the end of the archive says it holds, read before zipfile lists them."""
    fh.seek(0, io.SEEK_END)
    size = fh.tell()
    fh.seek(max(0, size - 65_557))  # the end record, behind a comment of at most 64 KB
    tail = fh.read()
    fh.seek(0)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return 0
    return int.from_bytes(tail[at + 10 : at + 12], "little")


def _refuse_many_parts(parts: int) -> None:
    if parts > MAX_PARTS:
        raise UploadRefused(f"文件结构异常（含 {parts} 个部件）：{CORRUPT}")


def _inflate(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], limit: int) -> None:
    total = 0
    for member in members:
        # zipfile stops a member at its declared size; declaring it unbounded lets the count
        # see what the compressed data really holds (the CRC is still checked at its end).
        probe = copy.copy(member)
        probe.file_size = 1 << 62
        with archive.open(probe) as stream:
            while block := stream.read(CHUNK):
                total += len(block)
                if total > limit:
                    raise _too_large(limit)


# ---------------------------------------------------------------- the one check


def check(upload: Any, kind: Kind) -> FileType:
    """The type of `upload` (a Django `UploadedFile` or `File`), checked for `kind`.

    Refused: a name whose extension `kind` does not accept, an empty file, a file over its
    type's limit, bytes of another type than the extension names; for a workbook, one that would
    unzip past the limit by the sizes it declares (the bytes themselves are counted when read).
    """
    name = Path(upload.name or "").name
    expected = kind.type_for(name)
    if expected is None:
        suffix = Path(name).suffix.lower() or "无扩展名"
        raise UploadRefused(f"不支持“{suffix}”文件：{kind.accepts}", field="file")
    size = upload.size or 0
    if size == 0:
        raise UploadRefused(f"“{name}”是空文件（0 字节）：请确认选择了正确的文件", field="file")
    limit = max_bytes(expected)
    if size > limit:
        raise UploadRefused(
            f"“{name}”有 {size_text(size)}，超过了{expected.label}的上限 {size_text(limit)}"
            + ("，请按乡镇拆分为多个文件后分别导入" if kind is IMPORT else ""),
            field="file",
        )
    fh = upload.open("rb") if hasattr(upload, "open") else upload
    real = identify(fh)
    if expected is CSV and real == UNKNOWN:
        text_encoding(fh)  # no signature: text it must be, in an encoding Excel writes
    elif real == DAMAGED_ZIP and expected is XLSX:
        raise UploadRefused(f"“{name}”{CORRUPT.removeprefix('文件')}", field="file")
    elif real == UNKNOWN:
        raise UploadRefused(
            f"“{name}”的内容不是{expected.label}（无法识别文件类型）：{kind.accepts}", field="file"
        )
    elif real != expected.label:
        raise UploadRefused(
            f"“{name}”的内容实际是{real}，不是{expected.label}：{kind.accepts}", field="file"
        )
    if expected is XLSX:
        check_workbook(fh, actual=False)
    fh.seek(0)
    return expected


# ---------------------------------------------------------------- attachments


def accept_attachment(upload: Any) -> File[Any]:
    """What is stored of an attachment: a PDF as uploaded, an image re-encoded from its pixels.

    Refused as `check` refuses, and an image Pillow cannot decode or with more pixels than
    `UPLOAD_IMAGE_MAX_PIXELS` (a decompression bomb is refused before its pixels are decoded).
    """
    file_type = check(upload, ATTACHMENT)
    if file_type is PDF:
        upload.seek(0)
        return cast("File[Any]", upload)
    return ContentFile(reencode(upload, file_type), name=Path(upload.name).name)


def served_type(fh: IO[bytes], filename: str) -> str:
    """The content type to serve a stored attachment with: its checked type when its bytes and
    its name agree, else a plain download (files stored before the bytes were checked)."""
    head = fh.read(HEAD)
    fh.seek(0)
    expected = ATTACHMENT.type_for(filename)
    if expected is not None and sniff(head) == expected.label:
        return expected.content_type
    return "application/octet-stream"


def attachment_response(field_file: Any) -> FileResponse:
    """A stored attachment as a download, never shown inline: a page or an SVG uploaded under
    another name cannot run in the platform's origin."""
    name = Path(field_file.name).name
    fh = field_file.open("rb")
    response = FileResponse(
        fh, as_attachment=True, filename=name, content_type=served_type(fh, name)
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response

"""What an upload may be: the refusal, the file types with their size limits, and the kinds of
upload that accept a few of them (`ATTACHMENT`, `IMPORT`).

Its own module so that `fpa.core.uploads` (the checks) and `fpa.core.images` (re-encoding) both
build on it without importing each other; `fpa.core.uploads` re-exports every name here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from fpa.core.errors import DomainError

MB = 1024 * 1024


class UploadRefused(DomainError):
    """The uploaded file is refused as a whole; nothing of it is kept."""


@dataclass(frozen=True)
class FileType:
    label: str  # what the clerk calls it, in messages
    extensions: tuple[str, ...]
    content_type: str
    max_setting: str  # the setting holding its size limit in bytes


PDF = FileType("PDF 文件", (".pdf",), "application/pdf", "UPLOAD_ATTACHMENT_MAX_BYTES")
JPEG = FileType("JPEG 图片", (".jpg", ".jpeg"), "image/jpeg", "UPLOAD_ATTACHMENT_MAX_BYTES")
PNG = FileType("PNG 图片", (".png",), "image/png", "UPLOAD_ATTACHMENT_MAX_BYTES")
XLSX = FileType(
    "Excel 工作簿（.xlsx）",
    (".xlsx", ".xlsm"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "UPLOAD_XLSX_MAX_BYTES",
)
CSV = FileType("CSV 文本文件", (".csv",), "text/csv", "UPLOAD_CSV_MAX_BYTES")


@dataclass(frozen=True)
class Kind:
    name: str
    types: tuple[FileType, ...]
    accepts: str  # "附件只接受 …": said in every refusal

    def type_for(self, filename: str) -> FileType | None:
        suffix = Path(filename).suffix.lower()
        return next((t for t in self.types if suffix in t.extensions), None)


ATTACHMENT = Kind("附件", (PDF, JPEG, PNG), "附件只接受 jpg、png 图片或 pdf 文件")
IMPORT = Kind("导入文件", (XLSX, CSV), "只能导入 .xlsx 或 .csv 文件（.xls 请先另存为 .xlsx）")


def max_bytes(file_type: FileType) -> int:
    return int(getattr(settings, file_type.max_setting))


def unzipped_max_bytes() -> int:
    return int(settings.IMPORT_UNZIPPED_MAX_BYTES)


def size_text(size: int) -> str:
    if size >= MB:
        return f"{size / MB:.0f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} 字节"

"""Photos re-encoded from their pixels, so nothing but the image is kept of an upload.

EXIF (GPS, camera), comments, ICC profiles and bytes appended after the image are left behind;
a decompression bomb is refused before its pixels are decoded (`UPLOAD_IMAGE_MAX_PIXELS`).
Called by `fpa.core.uploads.accept_attachment` once the bytes are known to be a JPEG or PNG.
"""

from __future__ import annotations

import io
from typing import IO, Any

from django.conf import settings

from .upload_types import ATTACHMENT, JPEG, FileType, UploadRefused


def reencode(fh: IO[bytes], file_type: FileType) -> bytes:
    """The pixels of a JPEG or PNG written afresh: EXIF (GPS, camera), comments, ICC profiles
    and any bytes appended after the image are left behind; EXIF orientation is applied first
    so a phone photo still stands the right way up."""
    from PIL import Image, ImageOps

    pixels = int(settings.UPLOAD_IMAGE_MAX_PIXELS)
    too_large = UploadRefused(
        f"图片像素太多（上限 {pixels / 1_000_000:g} 百万像素）：请缩小后再上传", field="file"
    )
    # Pillow's own guard agrees with ours: it refuses twice the limit even before our check.
    Image.MAX_IMAGE_PIXELS = pixels
    fmt = "JPEG" if file_type is JPEG else "PNG"
    fh.seek(0)
    try:
        with Image.open(fh, formats=[fmt]) as image:
            # The header gives the size: a bomb is refused before its pixels are decoded.
            if image.width * image.height > pixels:
                raise too_large
            image.load()
            return _pixels_only(ImageOps.exif_transpose(image), fmt)
    except UploadRefused:
        raise
    except Image.DecompressionBombError as exc:
        raise too_large from exc
    except Exception as exc:  # a bad image is refused, never a 500
        raise UploadRefused(
            f"无法读取这张{file_type.label}（文件已损坏或不是图片）：{ATTACHMENT.accepts}",
            field="file",
        ) from exc


def _pixels_only(image: Any, fmt: str) -> bytes:
    # Only transparency is kept of the image's info: it says which pixels are clear.
    keep = {"transparency": image.info["transparency"]} if "transparency" in image.info else {}
    image.info = keep
    out = io.BytesIO()
    if fmt == "JPEG":
        if image.mode not in ("L", "RGB", "CMYK"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=90)
    else:
        image.save(out, "PNG", **keep)
    return out.getvalue()

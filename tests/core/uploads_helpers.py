"""Real files, made small, for the upload tests: images from Pillow, workbooks from openpyxl,
and the hostile ones (an executable, a page, a script in an SVG, zip bombs) from their bytes."""

from __future__ import annotations

import io
import struct
import zipfile

from openpyxl import Workbook
from PIL import ExifTags, Image

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.domain)</script></svg>"
)
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
GPS_LATITUDE = (28.0, 11.0, 30.0)


def png(size: tuple[int, int] = (20, 10)) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, (10, 120, 200))
    image.save(out, "PNG", pnginfo=_text_chunk())
    return out.getvalue()


def _text_chunk() -> object:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "拍摄地点：湖湾村")
    return info


def jpeg_with_gps(size: tuple[int, int] = (40, 30)) -> bytes:
    """A photo as a phone takes it: EXIF with the camera, an orientation and a GPS position."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneCam"
    exif[ExifTags.Base.Orientation] = 6  # rotated 90°: shown upright only after the turn
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = GPS_LATITUDE
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (112.0, 58.0, 0.0)
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "JPEG", exif=exif, comment=b"secret")
    return out.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims `width`×`height` pixels: a decompression bomb's first bytes."""
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    chunks = chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


SHEET = "xl/worksheets/sheet1.xml"


def xlsx_bomb(rows: int = 20_000) -> bytes:
    """A real workbook (openpyxl's parts) whose sheet is `rows` identical rows of zeros: it
    compresses about 100:1 or better, like the 4 MB file that unzipped to 873 MB."""
    good = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["姓名"]])))
    row = "<row>" + "<c><v>0</v></c>" * 20 + "</row>"
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main"><sheetData>' + row * rows + "</sheetData></worksheet>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in good.infolist():
            data = sheet.encode() if info.filename == SHEET else good.read(info)
            archive.writestr(info.filename, data)
    return out.getvalue()


def declare(data: bytes, member: str, size: int) -> bytes:
    """`data` with `member`'s uncompressed size set to `size` in its central directory entry
    and its local header: an archive that lies about how far it expands."""
    out = bytearray(data)
    at = out.find(b"PK\x01\x02")
    while at != -1:
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", out, at + 28)
        if bytes(out[at + 46 : at + 46 + name_len]) == member.encode():
            struct.pack_into("<I", out, at + 24, size)
            local = struct.unpack_from("<I", out, at + 42)[0]
            struct.pack_into("<I", out, local + 22, size)
        at = out.find(b"PK\x01\x02", at + 46 + name_len + extra_len + comment_len)
    return bytes(out)

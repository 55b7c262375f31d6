"""Mainland phone numbers: a mobile or a landline, normalised to one canonical form.

A mobile is 11 digits starting 13-19 (an optional +86 or 0086 prefix and separators dropped)
and is returned as the 11 digits. A landline is an area code (010, 02x, or 0 and three digits
from 03 to 09) and a local number of 7 or 8 digits not starting with 0 or 1, optionally
followed by "-extension"; it is returned as "0731-84123456" (or "0731-84123456-123").
"""

from __future__ import annotations

import re
import unicodedata

from fpa.core.errors import DomainError

# Optional area code in brackets or before a hyphen, the local number, an optional extension.
_LANDLINE = re.compile(r"(?:\((?P<a1>\d+)\)-?|(?P<a2>0\d+)-)?(?P<local>\d+)(?:-(?P<ext>\d+))?")
_LANDLINE_CHARS = frozenset("0123456789-()")
_MOBILE_MESSAGE = "手机号码应为11位数字，以1开头"


class PhoneError(DomainError):
    """The phone number is wrong; the message says what."""

    def __init__(self, message: str, field: str = "phone") -> None:
        super().__init__(message, field=field)


def is_area_code(code: str) -> bool:
    """010 and 020-029 have three characters; every other area code is 0 and three digits."""
    if not (code.isascii() and code.isdigit()) or code[:1] != "0" or len(code) < 3:
        return False
    if code[1] == "1":
        return code == "010"
    if code[1] == "2":
        return len(code) == 3
    return len(code) == 4


def parse_phone(value: str, *, default_area_code: str | None = None) -> str:
    """Normalise and check a mobile or landline number; raise PhoneError when it is wrong.

    Rules: full-width characters become half-width and whitespace goes; a mobile is 11 digits
    1[3-9]... (after an optional +86/0086 and hyphens); a landline needs its area code, except
    that a bare local number takes ``default_area_code`` when one is given.
    """
    if default_area_code is not None and not is_area_code(default_area_code):
        raise ValueError(f"default_area_code {default_area_code!r} is not an area code")
    text = "".join(unicodedata.normalize("NFKC", value or "").split())
    if not text:
        raise PhoneError("请填写电话号码")
    if text.startswith("+86") or text.startswith("0086"):
        rest = text[3:] if text[0] == "+" else text[4:]
        digits = rest.lstrip("-").replace("-", "")
        if not digits.startswith("1"):
            raise PhoneError("电话号码格式不正确：+86 或 0086 之后应为11位手机号码")
        return _mobile(digits)
    digits = text.replace("-", "")
    if digits.startswith("1"):
        return _mobile(digits)
    return _landline(text, default_area_code)


def _mobile(digits: str) -> str:
    if len(digits) != 11 or not (digits.isascii() and digits.isdigit()):
        raise PhoneError(_MOBILE_MESSAGE)
    if digits[1] in "012":
        raise PhoneError("手机号码格式不正确：第2位应为3至9")
    return digits


def _landline(text: str, default_area_code: str | None) -> str:
    if not (text.isascii() and set(text) <= _LANDLINE_CHARS):
        raise PhoneError("电话号码格式不正确：只能包含数字、空格、连字符和括号")
    match = _LANDLINE.fullmatch(text)
    if match is None:
        raise PhoneError("电话号码格式不正确：应为11位手机号码，或如0731-84123456的固定电话")
    area = match["a1"] or match["a2"]
    local, ext = match["local"], match["ext"]
    if ext and len(local) < 7 and 7 <= len(local) + len(ext) <= 8:
        # "0731-8412-3456": a hyphen inside the local number, not an extension.
        local, ext = local + ext, None
    if not area and local.startswith("0"):
        # Written without separator: the area code's length follows from its second digit.
        size = 3 if local[1:2] in ("1", "2") else 4
        area, local = local[:size], local[size:]
    if not area:
        if default_area_code is None:
            raise PhoneError("电话号码格式不正确：缺少区号，应写作如0731-84123456")
        area = default_area_code
    if not is_area_code(area):
        raise PhoneError(f"电话号码格式不正确：区号{area}无效")
    if not 7 <= len(local) <= 8 or local[0] in "01":
        raise PhoneError(f"电话号码格式不正确：区号后的号码{local}应为7至8位，且不以0或1开头")
    if ext is not None and len(ext) > 6:
        raise PhoneError(f"电话号码格式不正确：分机号{ext}过长")
    return f"{area}-{local}-{ext}" if ext else f"{area}-{local}"

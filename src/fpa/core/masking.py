"""The one masking rule for ID numbers, phones and bank accounts on pages, exports and the API.

Every hidden character becomes ``*`` (bank accounts: a fixed ``****``, so the length is hidden
too). Nothing here decrypts: callers pass the plain value they already hold, or for a bank
account just its stored last four. Empty or ``None`` gives ``""``.
"""

from __future__ import annotations

import re
import unicodedata

# Spaces never carry meaning inside a number; hyphens do in a phone (they mark the area code).
_SPACES = re.compile(r"\s+")
_PHONE_NOISE = re.compile(r"[\s()（）]+")


def mask_id_number(value: object) -> str:
    """Mask a resident ID number, revealing at most 10 characters.

    Rule: 18 characters or more keep the first 6 (the issuing division) and the last 4;
    a 15-character first-generation number keeps 6 and 3 (its birth date stays hidden);
    any other length (passports, permits) keeps only a short tail (``_tail``).
    """
    text = _clean(value, _SPACES).upper()  # A trailing x shows as X, as it is indexed.
    if len(text) >= 18:
        return _keep(text, 6, 4)
    if len(text) >= 15:
        return _keep(text, 6, 3)
    return _tail(text)


def mask_phone(value: object) -> str:
    """Mask a phone number.

    Rule: a mobile (11 digits starting with 1, with or without +86) keeps 3 + 4
    (``138****5678``); a landline keeps its area code and the last 4 (``0731-****3456``);
    anything else keeps only a short tail.
    """
    text = _clean(value, _PHONE_NOISE)
    for prefix in ("+86", "0086"):
        if text.startswith(prefix) and len(text.replace("-", "")) == len(prefix) + 11:
            text = text[len(prefix) :]
    digits = text.replace("-", "")
    if len(digits) == 11 and digits.startswith("1") and digits.isdigit():
        return _keep(digits, 3, 4)
    area, sep, local = text.partition("-")
    if sep and area.startswith("0") and 3 <= len(area) <= 4 and local:
        return f"{area}-{_keep(local.replace('-', ''), 0, 4)}"
    if digits.startswith("0") and len(digits) >= 10 and digits.isdigit():
        # Without a hyphen: 010 and 02x are the three-digit area codes, all others have four.
        size = 3 if digits[1] in "12" else 4
        return f"{digits[:size]}-{_keep(digits[size:], 0, 4)}"
    return _tail(text)


def mask_bank_account(value: object) -> str:
    """Mask a bank account: ``****`` and the last 4 (fewer for a value under 8 characters)."""
    text = _clean(value, _SPACES).replace("-", "")
    if not text:
        return ""
    size = _tail_size(len(text))
    return "****" + (text[-size:] if size else "")


def _clean(value: object, noise: re.Pattern[str]) -> str:
    if value is None:
        return ""
    # NFKC: numbers typed on a Chinese keyboard may come in full-width digits.
    return noise.sub("", unicodedata.normalize("NFKC", str(value)))


def _keep(text: str, head: int, tail: int) -> str:
    """Keep ``head`` and ``tail`` characters; if that would hide nothing, fall back to ``_tail``."""
    if len(text) <= head + tail:
        return _tail(text)
    return text[:head] + "*" * (len(text) - head - tail) + text[len(text) - tail :]


def _tail(text: str) -> str:
    """An unknown format: keep at most the last 4 characters and never more than half."""
    size = _tail_size(len(text))
    return "*" * (len(text) - size) + (text[-size:] if size else "")


def _tail_size(length: int) -> int:
    return min(4, length // 2)

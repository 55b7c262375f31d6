"""Finding an org by the division code a person types: in full, or as clerks know it.

A county is known as 430624, a township as 430624101; the table stores 12 digits. The short
forms are the significant digits of the 12 (`divisions.SIGNIFICANT`), so padding with zeros
gives one code and no short form can mean two orgs.
"""

from __future__ import annotations

import re

from fpa.core.errors import DomainError
from fpa.core.forms import FULL_WIDTH

from .models import Org, Status

#: ASCII digits only: `\d` also takes other scripts' digits, which no code holds
_CODE = re.compile(r"^(?:[0-9]{6}|[0-9]{9}|[0-9]{12})$")


def full_code(code: str) -> str:
    """The 12-digit code for a code of 6, 9 or 12 digits; `DomainError` for anything else."""
    # Full-width digits as an input method types them, but not NFKC: that makes "²" a 2.
    digits = (code or "").strip().translate(FULL_WIDTH)
    if not _CODE.match(digits):
        raise DomainError(
            f"区划代码“{digits}”应为 6 位（县）、9 位（乡镇）或 12 位数字，"
            "如 430121、430121001 或 430121001000"
        )
    return digits.ljust(12, "0")


def org_by_code(code: str) -> Org:
    """The org in force under `code` (6, 9 or 12 digits), for a command's `--org`.

    An abolished org is refused with what to use instead: its records have moved on.
    """
    full = full_code(code)
    found = list(Org.unscoped_objects.filter(code=full))
    live = [org for org in found if org.status != Status.ABOLISHED]
    if live:
        return live[0]
    if found:
        raise DomainError(
            f"区划代码 {full} 的单位（{found[0].name}）已撤销，请使用其并入单位的代码"
        )
    raise DomainError(f"找不到区划代码为 {full} 的单位")

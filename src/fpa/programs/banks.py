"""Bank file formats: one column mapping per bank, and a sample of each.

The platform's line reference (平台流水号) is in every format, so the bank's return file, which
echoes the request with a result column, names the line it settles.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from fpa.core.exports import write_xlsx

REF = "平台流水号"


@dataclass(frozen=True)
class BankLine:
    ref: str
    name: str
    account: str
    bank_name: str
    amount: Decimal
    purpose: str


Getter = Callable[[int, BankLine], Any]


@dataclass(frozen=True)
class BankFormat:
    code: str
    name: str
    columns: tuple[tuple[str, Getter], ...]

    def header(self) -> list[str]:
        return [label for label, _ in self.columns]

    def rows(self, lines: Iterable[BankLine]) -> Iterator[list[Any]]:
        for number, line in enumerate(lines, start=1):
            yield [get(number, line) for _, get in self.columns]


def _no(n: int, line: BankLine) -> int:
    return n


def _ref(n: int, line: BankLine) -> str:
    return line.ref


def _name(n: int, line: BankLine) -> str:
    return line.name


def _account(n: int, line: BankLine) -> str:
    return line.account


def _bank(n: int, line: BankLine) -> str:
    return line.bank_name


def _amount(n: int, line: BankLine) -> Decimal:
    return line.amount


def _purpose(n: int, line: BankLine) -> str:
    return line.purpose


FORMATS: dict[str, BankFormat] = {
    f.code: f
    for f in (
        BankFormat(
            "hnrcu",
            "湖南农信（农商银行）代发",
            (
                ("序号", _no),
                ("客户账号", _account),
                ("户名", _name),
                ("金额", _amount),
                ("用途", _purpose),
                (REF, _ref),
            ),
        ),
        BankFormat(
            "icbc",
            "中国工商银行 批量代付",
            (
                (REF, _ref),
                ("收款人账号", _account),
                ("收款人名称", _name),
                ("收款人开户行", _bank),
                ("金额(元)", _amount),
                ("用途", _purpose),
            ),
        ),
        BankFormat(
            "ccb",
            "中国建设银行 代发代扣",
            (
                ("序号", _no),
                ("账号", _account),
                ("户名", _name),
                ("金额", _amount),
                ("开户行", _bank),
                ("摘要", _purpose),
                (REF, _ref),
            ),
        ),
        BankFormat(
            "psbc",
            "中国邮政储蓄银行 批量代发",
            (
                ("序号", _no),
                ("收款账号", _account),
                ("收款户名", _name),
                ("代发金额", _amount),
                ("附言", _purpose),
                (REF, _ref),
            ),
        ),
    )
}
CHOICES = [(f.code, f.name) for f in FORMATS.values()]


def write(fmt: BankFormat, path: Path, title: str, lines: Iterable[BankLine]) -> None:
    write_xlsx(path, title, fmt.header(), fmt.rows(lines))


SAMPLE = [
    BankLine(
        "L1",
        "张三",
        "6230901234567890123",
        "长沙农商银行星沙支行",
        Decimal("1200.00"),
        "住院护理补贴",
    ),
    BankLine(
        "L2",
        "李四",
        "6217001234567890",
        "中国建设银行长沙县支行",
        Decimal("150.00"),
        "计生健康保险",
    ),
]


def sample(code: str, path: Path) -> None:
    """A filled example of a bank's file (made-up accounts) for the bank to confirm the layout."""
    fmt = FORMATS[code]
    write(fmt, path, "样例", SAMPLE)


def sample_return(path: Path) -> None:
    """What a return file looks like: the request's columns plus 处理结果 and 失败原因."""
    rows = [
        [line.ref, line.account, line.name, line.amount, result, reason]
        for line, (result, reason) in zip(
            SAMPLE, [("成功", ""), ("失败", "户名与账号不符")], strict=True
        )
    ]
    write_xlsx(path, "回盘样例", [REF, "收款账号", "户名", "金额", "处理结果", "失败原因"], rows)

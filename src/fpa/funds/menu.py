from __future__ import annotations

from fpa.core.menu import Entry, Group

MENU = [
    Group(
        "资金",
        (
            Entry(
                "预算与资金",
                "funds:home",
                covers=(
                    "funds:line",
                    "funds:line_add",
                    "funds:line_revise",
                    "funds:line_transfer",
                ),
            ),
            Entry("转移支付", "funds:transfers"),
        ),
        order=50,
    )
]

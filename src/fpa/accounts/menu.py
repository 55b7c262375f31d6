from __future__ import annotations

from fpa.core.menu import Entry, Group

MENU = [
    Group(
        "系统管理",
        (
            Entry(
                "账号管理",
                "accounts:users",
                covers=("accounts:user", "accounts:user_add", "accounts:user_password"),
            ),
            Entry("安全管理", "accounts:security"),
            Entry("API 令牌", "accounts:tokens"),
        ),
        order=90,
    )
]

from __future__ import annotations

from fpa.core.menu import Entry, Group

MENU = [
    Group(
        "组织",
        (
            Entry(
                "组织网络",
                "orgs:tree",
                covers=(
                    "orgs:detail",
                    "orgs:children",
                    "orgs:edit",
                    "orgs:year",
                    "orgs:site_add",
                    "orgs:site_edit",
                    "orgs:add_child",
                    "orgs:merge",
                ),
            ),
            Entry("查找单位", "orgs:search"),
        ),
        order=10,
    )
]

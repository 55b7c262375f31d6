from __future__ import annotations

from fpa.core.menu import Entry, Group

MENU = [
    Group(
        "特殊家庭",
        (
            Entry("待办", "families:worklist"),
            Entry(
                "家庭名单",
                "families:list",
                covers=(
                    "families:family",
                    "families:add",
                    "families:care",
                    "families:contact",
                    "families:green",
                    "families:doctor",
                    "families:end",
                    "families:attach",
                ),
            ),
            Entry("覆盖情况", "families:coverage"),
            Entry("节日慰问", "families:batch"),
            Entry(
                "批量导入",
                "families:import",
                covers=(
                    "families:import_template",
                    "families:import_result",
                    "families:import_commit",
                ),
            ),
        ),
        order=30,
    )
]

from __future__ import annotations

from fpa.core.menu import Entry, Group

MENU = [
    Group(
        "帮扶项目",
        (
            Entry(
                "项目",
                "programs:list",
                covers=(
                    "programs:detail",
                    "programs:add",
                    "programs:rate",
                    "programs:split",
                    "programs:apply",
                    "programs:import",
                    "programs:import_template",
                    "programs:import_result",
                ),
            ),
            Entry("待我审批", "programs:worklist"),
            Entry(
                "申请",
                "programs:applications",
                covers=("programs:application", "programs:claim"),
            ),
            Entry(
                "发放批次",
                "programs:batches",
                covers=(
                    "programs:batch",
                    "programs:return",
                    "programs:return_result",
                    "programs:payee_account",
                ),
            ),
        ),
        order=40,
    )
]

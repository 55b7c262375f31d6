from __future__ import annotations

from fpa.core.menu import Entry, Group

from .positions_services import KINDS, LABELS

MENU = [
    Group(
        "人员与会员",
        (
            Entry(
                "人员",
                "people:persons",
                covers=(
                    "people:person",
                    "people:person_add",
                    "people:person_edit",
                    "people:check",
                    "people:household_found",
                    "people:household_add",
                    "people:position_add",
                ),
            ),
            Entry(
                "会员",
                "people:members",
                covers=(
                    "people:roster",
                    "people:card",
                    "people:join",
                    "people:group_add",
                    "people:group_member_add",
                    "people:assign_group",
                ),
            ),
            *(Entry(LABELS[kind], "people:positions", args=(kind,)) for kind in KINDS),
            Entry(
                "转接",
                "people:relocations",
                covers=("people:relocation_request", "people:relocation_decide"),
            ),
            Entry("疑似重复", "people:duplicates", covers=("people:merge",)),
            Entry(
                "批量导入",
                "people:import",
                covers=("people:import_template", "people:import_result", "people:import_commit"),
            ),
        ),
        order=20,
    )
]

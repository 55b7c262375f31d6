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
                    "funds:line_spend",
                    "funds:import",
                    "funds:import_template",
                    "funds:import_result",
                    "funds:import_commit",
                    "funds:transfer_import",
                    "funds:transfer_import_template",
                    "funds:transfer_import_result",
                    "funds:transfer_import_commit",
                ),
            ),
            Entry("转移支付", "funds:transfers"),
            Entry(
                "项目库",
                "funds:projects",
                covers=(
                    "funds:project_board",
                    "funds:project_add",
                    "funds:project",
                    "funds:project_advance",
                    "funds:project_target",
                    "funds:project_milestone",
                    "funds:project_milestone_done",
                    "funds:project_attach",
                    "funds:project_evidence",
                    "funds:project_evaluate",
                ),
            ),
            Entry(
                "捐赠登记",
                "funds:donations",
                covers=(
                    "funds:donation",
                    "funds:donation_add",
                    "funds:donor",
                    "funds:receipt_issue",
                    "funds:donation_import",
                    "funds:donation_import_template",
                    "funds:donation_import_result",
                    "funds:donation_import_commit",
                ),
            ),
            Entry(
                "捐赠票据",
                "funds:receipts",
                covers=("funds:receipt_void", "funds:receipt_reissue"),
            ),
            Entry("募捐活动", "funds:campaigns", covers=("funds:campaign", "funds:campaign_add")),
            Entry(
                "捐赠款物发放",
                "funds:distributions",
                covers=(
                    "funds:distribution",
                    "funds:distribution_add",
                    "funds:distribution_import",
                    "funds:distribution_import_template",
                    "funds:distribution_import_result",
                    "funds:distribution_import_commit",
                ),
            ),
        ),
        order=50,
    )
]

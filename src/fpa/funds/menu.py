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

# Donations (issue 14 points 4–5), in the 资金 group.
MENU[0] = Group(
    MENU[0].label,
    (
        *MENU[0].entries,
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
    order=MENU[0].order,
)

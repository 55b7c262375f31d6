"""The funds ledger: budget lines and their versions, transfers down the tree, the project library,
and (models/donations.py) the donations and what they were given to."""

from .budgets import (
    BudgetLine,
    BudgetVersion,
    Expenditure,
    Purpose,
    Source,
    Transfer,
    money,
)
from .projects import (
    GradeBand,
    Milestone,
    PerformanceTarget,
    Project,
    ProjectEvidence,
    ProjectKind,
    ProjectState,
    ProjectStep,
    TargetKind,
)

__all__ = [
    "GradeBand",
    "Milestone",
    "PerformanceTarget",
    "ProjectEvidence",
    "ProjectStep",
    "TargetKind",
    "BudgetLine",
    "BudgetVersion",
    "Expenditure",
    "Project",
    "ProjectKind",
    "ProjectState",
    "Purpose",
    "Source",
    "Transfer",
    "money",
]

# Donations (issue 14 points 4–5), kept apart so the budget files merge cleanly.
from .donations import (  # noqa: E402
    Campaign,
    Channel,
    Distribution,
    Donation,
    DonationKind,
    DonationReceipt,
    Donor,
    DonorKind,
    Draw,
    ReceiptStatus,
    RecipientKind,
    Valuation,
)

__all__ += [
    "Campaign",
    "Channel",
    "Distribution",
    "Donation",
    "DonationKind",
    "DonationReceipt",
    "Donor",
    "DonorKind",
    "Draw",
    "ReceiptStatus",
    "RecipientKind",
    "Valuation",
]

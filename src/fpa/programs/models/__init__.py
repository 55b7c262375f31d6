"""Assistance programs: one engine from application to paid (issue 6).

A program is data (kind, year, funding, budget and its split, eligibility, versioned rates, the
approval chain, a window). An application climbs the chain; the last approval turns it into
entitlements (one per program, beneficiary and period — a database rule); entitlements are paid
through payment batches whose lines are unique per entitlement unless they failed.
"""

from __future__ import annotations

from .applications import (
    Application,
    ApplicationAttachment,
    ApplicationStatus,
    CapLedger,
    Decision,
    DecisionAction,
    Entitlement,
    EntitlementStatus,
    InsuranceClaim,
    InsurancePolicy,
)
from .payments import (
    BankReturn,
    BatchQuerySet,
    BatchStatus,
    LineStatus,
    PaymentBatch,
    PaymentLine,
)
from .programs import (
    STEP_LEVELS,
    ZERO,
    ApprovalStep,
    Eligibility,
    FundingSource,
    Payee,
    PayeeKind,
    PayeeQuerySet,
    Program,
    ProgramKind,
    ProgramQuerySet,
    ProgramRate,
    ProgramStatus,
    ReachQuerySet,
    money,
)

__all__ = [
    "Application",
    "ApplicationAttachment",
    "ApplicationStatus",
    "ApprovalStep",
    "BankReturn",
    "BatchQuerySet",
    "BatchStatus",
    "CapLedger",
    "Decision",
    "DecisionAction",
    "Eligibility",
    "Entitlement",
    "EntitlementStatus",
    "FundingSource",
    "InsuranceClaim",
    "InsurancePolicy",
    "LineStatus",
    "Payee",
    "PayeeKind",
    "PayeeQuerySet",
    "PaymentBatch",
    "PaymentLine",
    "Program",
    "ProgramKind",
    "ProgramQuerySet",
    "ProgramRate",
    "ProgramStatus",
    "ReachQuerySet",
    "STEP_LEVELS",
    "ZERO",
    "money",
]

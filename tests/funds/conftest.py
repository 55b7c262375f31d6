from __future__ import annotations

from decimal import Decimal

import pytest

from fpa.funds import ledger
from fpa.funds.models import BudgetLine
from tests.conftest import actor_of

YEAR = 2026


@pytest.fixture
def province_line(users, tree) -> BudgetLine:
    """The province's own operations money for the year: 1,000,000 yuan of 本级财政."""
    return ledger.open_line(
        tree["430000000000"],
        YEAR,
        "local",
        "operations",
        Decimal("1000000.00"),
        doc_number="湘财社〔2026〕1号",
        actor=actor_of(users["province"]),
    )

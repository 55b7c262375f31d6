"""Two clerks passing money from one line at the same moment (PostgreSQL: real connections and
row locks): they cannot both pass what is left."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection

from fpa.core.errors import DomainError
from fpa.funds import ledger
from fpa.funds.models import BudgetLine, Transfer
from tests.conftest import actor_of
from tests.programs.test_concurrency import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (concurrent connections and row locks)")


def test_two_transfers_at_once_cannot_both_pass_the_remainder(users, tree):
    line = ledger.open_line(
        tree["430000000000"],
        2026,
        "local",
        "operations",
        Decimal("1000"),
        actor=actor_of(users["province"]),
    )
    on = datetime.date(2026, 3, 1)

    def send(code: str):
        return lambda: ledger.transfer(
            line,
            tree[code],
            Decimal("600"),
            doc_number=f"D-{code}",
            on=on,
            actor=actor_of(users["province"]),
        )

    outcomes = race(send("430100000000"), send("430200000000"))
    refused = [o for o in outcomes if isinstance(o, DomainError)]
    assert len(refused) == 1 and "结余 400.00 元" in refused[0].message, outcomes
    line.refresh_from_db()
    assert (line.transferred, Transfer.unscoped_objects.count()) == (Decimal("600.00"), 1)
    assert BudgetLine.unscoped_objects.get(pk=line.pk).remaining == Decimal("400.00")

"""The programs' allocations become budget lines and transfers (funds 0002, programs 0004): the
migration run on a database that holds a program split down the tree, with approvals."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("programs", "0003_date_span"), ("funds", "0001_initial")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_allocations_become_lines_and_transfers_keeping_what_each_committed(tree):
    old = _migrate(BEFORE)
    Program = old.get_model("programs", "Program")
    Allocation = old.get_model("programs", "Allocation")
    province, city, county = (tree[c] for c in ("430000000000", "430100000000", "430121000000"))
    program = Program._default_manager.create(
        code="ZYHL2025",
        name="住院护理补贴",
        kind="hospital_care",
        year=2025,
        funding_source="province",
        funding_org_id=province.pk,
        budget=Decimal("1000.00"),
        eligibility="family_member",
        opens_on=datetime.date(2025, 1, 1),
        closes_on=datetime.date(2025, 12, 31),
    )
    # The old allocations counted what was approved in their whole subtree: 300 in the county.
    for org, amount, committed in [
        (province, "1000", "300"),
        (city, "600", "300"),
        (county, "400", "300"),
    ]:
        Allocation._default_manager.create(
            program=program, org_id=org.pk, amount=Decimal(amount), committed=Decimal(committed)
        )
    new = _migrate(_migrate_leaves())
    Line = new.get_model("funds", "BudgetLine")
    Transfer = new.get_model("funds", "Transfer")
    lines = {
        line.org_id: (line.source, line.planned, line.received, line.transferred, line.committed)
        for line in Line._default_manager.filter(program_id=program.pk)
    }
    assert lines == {
        province.pk: ("local", Decimal("1000.00"), 0, Decimal("600.00"), 0),
        city.pk: ("transfer", 0, Decimal("600.00"), Decimal("400.00"), 0),
        county.pk: ("transfer", 0, Decimal("400.00"), 0, Decimal("300.00")),
    }
    sent = sorted((t.sender_id, t.org_id, t.amount) for t in Transfer._default_manager.all())
    assert sent == sorted(
        [(province.pk, city.pk, Decimal("600.00")), (city.pk, county.pk, Decimal("400.00"))]
    )
    assert new.get_model("programs", "Program")._default_manager.get().funding_source == "local"


def _migrate_leaves():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()

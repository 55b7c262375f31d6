from __future__ import annotations

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from fpa.core.errors import DomainError
from fpa.funds.models import BudgetLine
from fpa.programs import services
from fpa.programs.models import CapLedger, Entitlement
from tests.conftest import actor_of

from .conftest import ADMITTED, file, stay

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(*calls) -> list[object]:
    """Run the calls at the same moment, each on its own connection; their outcomes in order."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def run(i: int, call) -> None:
        try:
            barrier.wait()
            outcomes[i] = call()
        except BaseException as exc:  # the outcome under test
            outcomes[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (concurrent connections and row locks)")


def test_two_approvers_clicking_at_once_produce_one_approval(program, mother, payee, staff):
    application = file(program, mother, payee, staff)
    services.decide(application.pk, "approve", actor=actor_of(staff["reviewer"]))
    first, second = (actor_of(staff["approver"]) for _ in range(2))
    outcomes = race(
        lambda: services.decide(application.pk, "approve", actor=first),
        lambda: services.decide(application.pk, "approve", actor=second),
    )
    refused = [o for o in outcomes if isinstance(o, DomainError)]
    assert len(refused) == 1 and "已批准" in refused[0].message, outcomes
    assert Entitlement.unscoped_objects.count() == 1
    county = BudgetLine.unscoped_objects.get(program=program, org=staff["approver"].org)
    assert county.committed == Decimal("500.00")
    assert application.decisions.filter(action="approve").count() == 2  # township + county


def test_two_stays_approved_at_once_cannot_both_pass_the_cap(program, mother, payee, staff):
    later = ADMITTED + datetime.timedelta(days=100)
    apps = [
        file(program, mother, payee, staff, stay(days=40)),
        file(program, mother, payee, staff, stay(later, 40)),
    ]
    for a in apps:
        services.decide(a.pk, "approve", actor=actor_of(staff["reviewer"]))
    race(
        *(
            (lambda pk=a.pk: services.decide(pk, "approve", actor=actor_of(staff["approver"])))
            for a in apps
        )
    )
    amounts = sorted(Entitlement.unscoped_objects.values_list("amount", flat=True))
    assert amounts == [Decimal("1000.00"), Decimal("2000.00")]  # 2,000 each, cut at 3,000
    assert CapLedger.objects.get(person=mother).used == Decimal("3000.00")

"""Two distributions at once cannot both pass a gift's remaining balance (PostgreSQL: concurrent
connections and row locks)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection

from fpa.core.errors import DomainError
from fpa.funds.models import Distribution, Donation
from tests.programs.test_concurrency import race

from .donation_helpers import gift, give, medic

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (concurrent connections and row locks)")


def test_two_distributions_at_once_cannot_both_pass_the_remaining_balance(users, tree):
    county = tree["430121000000"]
    donation = gift(users, county, "6000")
    a, b = medic(users, tree, seq=31, name="甲"), medic(users, tree, seq=32, name="乙")
    outcomes = race(
        lambda: give(users, county, a, "4000", [(donation.pk, "4000")]),
        lambda: give(users, county, b, "4000", [(donation.pk, "4000")]),
    )
    refused = [o for o in outcomes if isinstance(o, DomainError)]
    assert len(refused) == 1 and "结余 2000.00 元" in refused[0].message, outcomes
    donation.refresh_from_db()
    assert donation.distributed == Decimal("4000.00")
    assert Distribution.unscoped_objects.count() == 1


def test_two_distributions_drawing_on_two_gifts_in_opposite_orders_do_not_deadlock(users, tree):
    county = tree["430121000000"]
    one, two = gift(users, county, "1000"), gift(users, county, "1000")
    person = medic(users, tree)
    outcomes = race(
        lambda: give(users, county, person, "1000", [(one.pk, "500"), (two.pk, "500")]),
        lambda: give(users, county, person, "1000", [(two.pk, "500"), (one.pk, "500")]),
    )
    assert all(isinstance(o, Distribution) for o in outcomes), outcomes
    assert {d.distributed for d in Donation.unscoped_objects.all()} == {Decimal("1000.00")}

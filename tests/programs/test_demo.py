from __future__ import annotations

import datetime
import random

import pytest

from fpa.accounts import demo as accounts_demo
from fpa.accounts.models import User
from fpa.audit.models import LogEntry
from fpa.core.money import yuan_text
from fpa.families import demo as families_demo
from fpa.families.models import FamilyParent
from fpa.orgs.models import Org, Status
from fpa.people import demo as people_demo
from fpa.programs import demo as programs_demo
from fpa.programs.models import (
    Application,
    Entitlement,
    LineStatus,
    PaymentBatch,
    PaymentLine,
    Program,
)


@pytest.fixture
def demo_tree(tree):
    """The core demo's users, people and special families, on the mini tree's 长沙县."""
    Org.unscoped_objects.update(status=Status.ESTABLISHED)
    accounts_demo.users()
    county = tree["430121000000"]
    rng = random.Random(2021)
    people_demo.residents(rng, county, per_village=30)
    families_demo.families(rng, county)
    return tree


@pytest.mark.parametrize(
    ("today", "year"),
    [(datetime.date(2026, 6, 1), 2026), (datetime.date(2027, 1, 10), 2026)],
)
def test_the_demo_year_is_last_year_in_january(today, year):
    assert programs_demo.demo_year(today) == year


def test_demo_programs_have_applications_and_payments_in_every_state(demo_tree, client):
    assert programs_demo.load() is True
    year = programs_demo.demo_year(datetime.date.today())
    programs = Program.unscoped_objects.filter(year=year)
    assert sorted(programs.values_list("kind", flat=True)) == sorted(
        ["hospital_care", "insurance", "loan_interest", "production", "fixed_grant"]
    )
    assert {str(p.budget) for p in programs} >= {"18160000.00", "14370000.00", "5180000.00"}
    # The budget reached the demo county and its township.
    county = demo_tree["430121000000"]
    for program in programs:
        assert program.budget_lines.get(org=county).received > 0
        assert program.budget_lines.get(org=demo_tree["430121001000"]).received > 0

    care = Application.unscoped_objects.filter(program__kind="hospital_care")
    states = set(care.values_list("status", "step"))
    assert {("pending", 0), ("pending", 1), ("returned", 0), ("rejected", 1)} <= states
    assert {"withdrawn", "approved"} <= {s for s, _ in states}
    assert care.get(status="returned").decisions.get(action="return").reason
    assert care.get(status="rejected").decisions.get(action="reject").reason
    assert {"unpaid", "in_batch", "paid"} <= set(
        Entitlement.unscoped_objects.values_list("status", flat=True)
    )
    assert set(PaymentBatch.unscoped_objects.values_list("status", flat=True)) == {
        "draft",
        "exported",
        "closed",
    }
    closed = PaymentBatch.unscoped_objects.get(status="closed")
    assert set(closed.lines.values_list("status", flat=True)) == {"paid", "failed"}
    assert closed.returns.count() == 1
    assert LogEntry.unscoped_objects.filter(action="fpa.payment.bank_return").exists()

    # The paid family's page shows the money.
    paid = PaymentLine.objects.filter(batch=closed, status=LineStatus.PAID).first()
    family = FamilyParent.objects.get(person=paid.entitlement.person).family
    client.force_login(User.objects.get(username="changshaxian"))
    page = client.get(f"/families/{family.pk}/").content.decode()
    assert f'data-testid="paid-total">{yuan_text(paid.amount)}<' in page

    # A second run changes nothing.
    before = Application.unscoped_objects.count()
    assert programs_demo.load() is False
    assert Application.unscoped_objects.count() == before

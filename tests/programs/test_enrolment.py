from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from fpa.audit.models import LogEntry
from fpa.core.errors import DomainError
from fpa.funds.models import BudgetLine
from fpa.programs import enrolment
from fpa.programs.models import (
    Application,
    Entitlement,
    InsurancePolicy,
)
from tests.conftest import actor_of
from tests.families.conftest import make_family

from .conftest import file, make_insurance, make_insurer

START, END = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)


@pytest.fixture
def insurance(staff):
    return make_insurance(staff, budget=Decimal("2000"))


@pytest.fixture
def insurer(insurance):
    return make_insurer(insurance)


@pytest.fixture
def parents(staff, tree):
    """Two parents in 长沙县 and one in 浏阳市."""
    return [
        make_family(staff, tree, seq=300).parents.get().person,
        make_family(staff, tree, village="430121002001", seq=302).parents.get().person,
        make_family({**staff, "county": staff["province"]}, tree, village="430181001001", seq=304)
        .parents.get()
        .person,
    ]


def enrol(program, org, insurer, staff, who="approver"):
    return enrolment.enrol_insurance(
        program,
        org,
        insurer=insurer,
        group_policy="GP2026",
        starts_on=START,
        ends_on=END,
        actor=actor_of(staff[who]),
    )


def test_county_approver_insures_every_eligible_person_once(insurance, insurer, parents, staff):
    county = staff["approver"].org
    assert enrol(insurance, county, insurer, staff) == {"persons": 2, "amount": "300.00"}
    entitlements = Entitlement.unscoped_objects.filter(program=insurance)
    assert sorted(entitlements.values_list("person_id", flat=True)) == sorted(
        p.pk for p in parents[:2]
    )
    assert set(entitlements.values_list("amount", "period", "payee_id")) == {
        (Decimal("150.00"), "2026年度", insurer.pk)
    }
    policy = InsurancePolicy.objects.get(person=parents[0])
    assert policy.policy_no == f"GP2026-{parents[0].pk}" and policy.ends_on == END
    application = Application.unscoped_objects.get(person=parents[0])
    assert application.status == "approved"
    assert list(application.decisions.values_list("action", "org")) == [("approve", county.pk)]
    assert BudgetLine.unscoped_objects.get(program=insurance, org=county).committed == 300
    entry = LogEntry.unscoped_objects.get(action="fpa.program.insurance_enrolled")
    assert entry.changes["persons"] == 2
    assert entry.rows == [{"county": "长沙县", "persons": 2, "amount": "300.00"}]
    with pytest.raises(DomainError, match="没有尚未参保的符合条件人员"):
        enrol(insurance, county, insurer, staff)


def test_a_person_with_a_live_application_is_left_to_that_application(
    insurance, insurer, parents, staff
):
    details = {"policy_no": "P-1", "starts_on": "2026-01-01", "ends_on": "2026-12-31"}
    file(insurance, parents[0], insurer, staff, details)
    assert enrol(insurance, staff["approver"].org, insurer, staff)["persons"] == 1


def test_enrolment_past_the_budget_writes_nothing(insurance, insurer, parents, staff):
    county = staff["approver"].org
    BudgetLine.unscoped_objects.filter(program=insurance, org=county).update(
        received=Decimal("299")
    )
    with pytest.raises(DomainError, match="长沙县本项目剩余预算 299.00 元，不足以批准 300.00 元"):
        enrol(insurance, county, insurer, staff)
    assert not Entitlement.unscoped_objects.exists()
    assert not Application.unscoped_objects.exists()


def test_only_an_approver_in_reach_enrols(insurance, insurer, parents, staff, tree):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        enrol(insurance, staff["county"].org, insurer, staff, who="county")
    with pytest.raises(DomainError, match="只能为本辖区"):
        enrol(insurance, tree["430181000000"], insurer, staff)

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from fpa.core.errors import DomainError
from fpa.programs.rules import RULES, Portion, rule_for


def test_hospital_care_days_are_discharge_minus_admission_counted_in_discharge_year():
    rule = rule_for("hospital_care")
    details = rule.clean(
        {
            "hospital": "县医院",
            "admitted_on": datetime.date(2025, 12, 28),
            "discharged_on": "2026-01-04",
        }
    )
    assert rule.days(details) == 7
    assert rule.rate_date(details, 2026) == datetime.date(2025, 12, 28)
    portions = rule.portions(details, {"per_day": "33.335", "annual_cap": "3000"}, 2026)
    # 7 × 33.335 = 233.345 → rounded half up to the fen
    assert portions == [Portion("住院2025-12-28", 2026, Decimal("233.35"))]


def test_hospital_care_stay_never_exceeds_the_annual_cap():
    rule = rule_for("hospital_care")
    details = rule.clean(
        {"hospital": "县医院", "admitted_on": "2026-01-01", "discharged_on": "2026-05-01"}
    )
    assert rule.portions(details, {"per_day": "50", "annual_cap": "3000"}, 2026)[0].amount == 3000


@pytest.mark.parametrize(
    ("admitted", "discharged", "message"),
    [
        ("2026-03-05", "2026-03-05", "出院日期须晚于入院日期"),
        ("2026-03-05", "2026-03-01", "出院日期须晚于入院日期"),
        ("2026-03-05", "2999-01-01", "出院日期不能晚于今天"),
        ("2026-02-30", "2026-03-01", "入院日期格式不正确"),
    ],
)
def test_hospital_care_refuses_impossible_stays(admitted, discharged, message):
    with pytest.raises(DomainError, match=message):
        rule_for("hospital_care").clean(
            {"hospital": "县医院", "admitted_on": admitted, "discharged_on": discharged}
        )


def test_missing_required_detail_names_the_field():
    with pytest.raises(DomainError) as exc:
        rule_for("hospital_care").clean({"admitted_on": "2026-03-01"})
    assert exc.value.field == "hospital" and "住院医院" in exc.value.message


def test_insurance_premium_is_per_person_for_the_policy_year():
    rule = rule_for("insurance")
    details = rule.clean({"policy_no": "P1", "starts_on": "2026-01-01", "ends_on": "2026-12-31"})
    assert rule.portions(details, {"premium": "150"}, 2026) == [
        Portion("2026年度", 2026, Decimal("150.00"))
    ]
    with pytest.raises(DomainError, match="止期须晚于起期"):
        rule.clean({"policy_no": "P1", "starts_on": "2026-01-01", "ends_on": "2025-12-31"})


def test_loan_interest_subsidy_is_split_by_calendar_year_and_rounded_per_year():
    rule = rule_for("loan_interest")
    details = rule.clean(
        {
            "bank": "农商银行",
            "principal": "100000",
            "annual_rate": "4.35",
            "starts_on": "2026-10-15",
            "months": 24,
        }
    )
    assert rule.months_by_year(details) == {2026: 3, 2027: 12, 2028: 9}
    portions = rule.portions(details, {"share": "0.5", "max_principal": "80000"}, 2026)
    # principal capped at 80,000; yearly subsidy 80,000 × 4.35% × 0.5 = 1,740
    assert portions == [
        Portion("2026年", 2026, Decimal("435.00")),
        Portion("2027年", 2027, Decimal("1740.00")),
        Portion("2028年", 2028, Decimal("1305.00")),
    ]
    assert sum(p.amount for p in portions) == Decimal("3480.00")


def test_loan_interest_rounds_half_up_at_each_period():
    rule = rule_for("loan_interest")
    details = rule.clean(
        {
            "bank": "农商银行",
            "principal": "10001",
            "annual_rate": "5",
            "starts_on": "2026-01-01",
            "months": 1,
        }
    )
    # 10001 × 5% × 1/12 × 1 = 41.670833… → 41.67
    assert rule.portions(details, {"share": "1", "max_principal": "1000000"}, 2026)[0].amount == (
        Decimal("41.67")
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("principal", "0", "本金须大于 0"), ("annual_rate", "40", "年利率"), ("months", 0, "期限")],
)
def test_loan_interest_refuses_bad_terms(field, value, message):
    raw = {
        "bank": "农商银行",
        "principal": "1000",
        "annual_rate": "4",
        "starts_on": "2026-01-01",
        "months": 12,
        field: value,
    }
    with pytest.raises(DomainError, match=message):
        rule_for("loan_interest").clean(raw)


def test_production_grant_may_not_pass_the_cap_per_project():
    rule = rule_for("production")
    details = rule.clean({"project": "养鸡", "households": 12, "grant": "50000.004"})
    assert rule.portions(details, {"max_grant": "50000"}, 2026)[0].amount == Decimal("50000.00")
    big = rule.clean({"project": "养牛", "households": 3, "grant": "60000"})
    with pytest.raises(DomainError, match="超过每个项目上限 50000.00 元"):
        rule.portions(big, {"max_grant": "50000"}, 2026)


def test_fixed_grant_pays_the_program_amount_once_a_year():
    rule = rule_for("fixed_grant")
    assert rule.portions(rule.clean({}), {"amount": "1000"}, 2026) == [
        Portion("2026年", 2026, Decimal("1000.00"))
    ]


def test_every_kind_has_a_rule_and_params_are_checked():
    from fpa.programs.models import ProgramKind

    assert set(RULES) == set(ProgramKind.values)
    with pytest.raises(DomainError, match="不能为负数"):
        rule_for("fixed_grant").clean_params({"amount": "-1"})
    with pytest.raises(DomainError, match="请填写每人保费"):
        rule_for("insurance").clean_params({})

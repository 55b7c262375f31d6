"""The built-in benefit rules: what an application holds and what it is worth.

Each rule is a small class: the detail fields an application of its kind carries, the
parameters a program of its kind versions (rates and caps are program data, never settings),
`clean` (the checks on the details) and `portions` (the amounts, one per period, rounded to the
fen at the point the rule names). Adding a program of a built-in kind needs no code; adding a
kind is one class here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from fpa.core.errors import DomainError
from fpa.core.money import to_fen

from .models import ProgramKind


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    type: str = "text"  # text, date, decimal, int
    required: bool = True
    help: str = ""


@dataclass(frozen=True)
class Portion:
    """One entitlement an approval creates: the period it covers, the year it counts in."""

    period: str
    year: int
    amount: Decimal


def _date(details: dict[str, Any], name: str) -> datetime.date:
    value = details[name]
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def _decimal(details: dict[str, Any], name: str) -> Decimal:
    return Decimal(str(details[name]))


class BenefitRule:
    kind: ClassVar[str]
    #: each person is capped or insured on their own: no household may be the beneficiary
    per_person: ClassVar[bool] = False
    fields: ClassVar[tuple[Field, ...]] = ()
    params: ClassVar[tuple[Field, ...]] = ()

    def clean(self, raw: dict[str, Any]) -> dict[str, Any]:
        """Typed, checked details in their stored (JSON) form; DomainError names the field."""
        details: dict[str, Any] = {}
        for f in self.fields:
            value = raw.get(f.name)
            if value in (None, ""):
                if f.required:
                    raise DomainError(f"请填写{f.label}", field=f.name)
                continue
            details[f.name] = _typed(f, value)
        self.check(details)
        return details

    def check(self, details: dict[str, Any]) -> None:
        """Rules across fields (a discharge after the admission)."""

    def clean_params(self, raw: dict[str, Any]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for f in self.params:
            value = raw.get(f.name)
            if value in (None, ""):
                raise DomainError(f"请填写{f.label}", field=f.name)
            values[f.name] = _typed(f, value)
            if f.type == "decimal" and Decimal(values[f.name]) < 0:
                raise DomainError(f"{f.label}不能为负数", field=f.name)
        self.check_params(values)
        return values

    def check_params(self, values: dict[str, Any]) -> None:
        """Rules on the parameters beyond their types (a share between 0 and 1)."""

    def amounts(self, details: dict[str, Any], rate: dict[str, Any], year: int) -> list[Portion]:
        """The portions worth paying: a period that rounds to 0.00 is dropped, and an
        application worth nothing at all is refused (the database keeps amounts positive)."""
        portions = [p for p in self.portions(details, rate, year) if p.amount > 0]
        if not portions:
            raise DomainError("按本项目标准测算的金额为 0 元，不能申请")
        return portions

    def rate_date(self, details: dict[str, Any], year: int) -> datetime.date:
        """The date whose rate applies (the rate in force on admission, say)."""
        return datetime.date(year, 1, 1)

    def portions(self, details: dict[str, Any], rate: dict[str, Any], year: int) -> list[Portion]:
        raise NotImplementedError


#: no amount, principal or rate of a program reaches a trillion; larger is a typing slip
LIMIT = Decimal("1e12")


def _typed(f: Field, value: Any) -> Any:
    try:
        if f.type == "date":
            return (
                value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)
            ).isoformat()
        if f.type == "decimal":
            number = Decimal(str(value))
            if not number.is_finite() or abs(number) >= LIMIT:
                raise DomainError(f"{f.label}数值过大", field=f.name)
            return str(number)
        if f.type == "int":
            return int(value)
    except (ValueError, TypeError, InvalidOperation) as exc:
        raise DomainError(f"{f.label}格式不正确", field=f.name) from exc
    text = str(value).strip()
    if len(text) > 200:
        raise DomainError(f"{f.label}不能超过 200 字", field=f.name)
    return text


class HospitalCare(BenefitRule):
    """住院护理补贴: per stay, days = discharge − admission, at the rate in force on admission,
    counted in the discharge year; the per-person annual cap is applied on approval through the
    locked ledger (services.grant)."""

    kind = ProgramKind.HOSPITAL_CARE
    per_person = True
    fields = (
        Field("hospital", "住院医院"),
        Field("admitted_on", "入院日期", "date"),
        Field("discharged_on", "出院日期", "date"),
    )
    params = (
        Field("per_day", "每日补贴（元）", "decimal"),
        Field("annual_cap", "每人每年封顶（元）", "decimal"),
    )

    def check(self, details: dict[str, Any]) -> None:
        admitted, discharged = _date(details, "admitted_on"), _date(details, "discharged_on")
        if discharged <= admitted:
            raise DomainError("出院日期须晚于入院日期", field="discharged_on")
        if discharged > datetime.date.today():
            raise DomainError("出院日期不能晚于今天", field="discharged_on")

    def rate_date(self, details: dict[str, Any], year: int) -> datetime.date:
        return _date(details, "admitted_on")

    def days(self, details: dict[str, Any]) -> int:
        return (_date(details, "discharged_on") - _date(details, "admitted_on")).days

    def portions(self, details: dict[str, Any], rate: dict[str, Any], year: int) -> list[Portion]:
        amount = to_fen(self.days(details) * _decimal(rate, "per_day"))
        amount = min(amount, to_fen(_decimal(rate, "annual_cap")))
        stay = f"住院{details['admitted_on']}"
        return [Portion(stay, _date(details, "discharged_on").year, amount)]


class HealthInsurance(BenefitRule):
    """计生健康保险: a person enrolled for a policy period at the premium per person."""

    kind = ProgramKind.INSURANCE
    per_person = True
    fields = (
        Field("policy_no", "保单号"),
        Field("starts_on", "保险起期", "date"),
        Field("ends_on", "保险止期", "date"),
    )
    params = (Field("premium", "每人保费（元）", "decimal"),)

    def check(self, details: dict[str, Any]) -> None:
        if _date(details, "ends_on") <= _date(details, "starts_on"):
            raise DomainError("保险止期须晚于起期", field="ends_on")

    def rate_date(self, details: dict[str, Any], year: int) -> datetime.date:
        return _date(details, "starts_on")

    def portions(self, details: dict[str, Any], rate: dict[str, Any], year: int) -> list[Portion]:
        starts = _date(details, "starts_on")
        return [Portion(f"{starts.year}年度", starts.year, to_fen(_decimal(rate, "premium")))]


class LoanInterest(BenefitRule):
    """创业贷款贴息: interest of each calendar year of the term × the subsidy share, rounded to
    the fen per year; one entitlement a year."""

    kind = ProgramKind.LOAN_INTEREST
    fields = (
        Field("bank", "贷款银行"),
        Field("principal", "贷款本金（元）", "decimal"),
        Field("annual_rate", "年利率（%）", "decimal"),
        Field("starts_on", "放款日期", "date"),
        Field("months", "贷款期限（月）", "int"),
    )
    params = (
        Field("share", "贴息比例（0–1）", "decimal"),
        Field("max_principal", "贴息本金上限（元）", "decimal"),
    )

    def check_params(self, values: dict[str, Any]) -> None:
        if not Decimal(values["share"]) <= 1:
            raise DomainError("贴息比例须在 0 到 1 之间（如 0.5 表示贴息一半）", field="share")

    def check(self, details: dict[str, Any]) -> None:
        if _decimal(details, "principal") <= 0:
            raise DomainError("贷款本金须大于 0", field="principal")
        if not Decimal("0") < _decimal(details, "annual_rate") <= Decimal("36"):
            raise DomainError("年利率须在 0 到 36 之间", field="annual_rate")
        if not 1 <= details["months"] <= 120:
            raise DomainError("贷款期限须为 1 到 120 个月", field="months")

    def rate_date(self, details: dict[str, Any], year: int) -> datetime.date:
        return _date(details, "starts_on")

    def months_by_year(self, details: dict[str, Any]) -> dict[int, int]:
        start = _date(details, "starts_on")
        counts: dict[int, int] = {}
        for m in range(details["months"]):
            y = start.year + (start.month - 1 + m) // 12
            counts[y] = counts.get(y, 0) + 1
        return counts

    def portions(self, details: dict[str, Any], rate: dict[str, Any], year: int) -> list[Portion]:
        principal = min(_decimal(details, "principal"), _decimal(rate, "max_principal"))
        yearly = principal * _decimal(details, "annual_rate") / 100 * _decimal(rate, "share")
        return [
            Portion(f"{y}年", y, to_fen(yearly * months / 12))
            for y, months in self.months_by_year(details).items()
        ]


class ProductionSupport(BenefitRule):
    """生产扶持项目 / 幸福工程: a project grant to a household-based project, with the households
    it supports and its milestones; the grant may not pass the program's cap per project."""

    kind = ProgramKind.PRODUCTION
    fields = (
        Field("project", "项目名称"),
        Field("households", "带动户数", "int"),
        Field("grant", "申请扶持金额（元）", "decimal"),
        Field("milestones", "项目节点", required=False, help="如 4月建棚，9月出栏"),
    )
    params = (Field("max_grant", "每个项目扶持上限（元）", "decimal"),)

    def check(self, details: dict[str, Any]) -> None:
        if details["households"] < 1:
            raise DomainError("带动户数至少为 1", field="households")
        if _decimal(details, "grant") <= 0:
            raise DomainError("申请金额须大于 0", field="grant")

    def portions(self, details: dict[str, Any], rate: dict[str, Any], year: int) -> list[Portion]:
        grant, cap = to_fen(_decimal(details, "grant")), to_fen(_decimal(rate, "max_grant"))
        if grant > cap:
            raise DomainError(f"申请金额超过每个项目上限 {cap} 元", field="grant")
        return [Portion(f"{year}年", year, grant)]


class FixedGrant(BenefitRule):
    """定额补助 (金秋助学, 节日慰问金): the program's amount, once a beneficiary and year."""

    kind = ProgramKind.FIXED_GRANT
    fields = (Field("reason", "申请事由", required=False),)
    params = (Field("amount", "补助标准（元）", "decimal"),)

    def portions(self, details: dict[str, Any], rate: dict[str, Any], year: int) -> list[Portion]:
        return [Portion(f"{year}年", year, to_fen(_decimal(rate, "amount")))]


RULES: dict[str, BenefitRule] = {
    rule.kind: rule
    for rule in (
        HospitalCare(),
        HealthInsurance(),
        LoanInterest(),
        ProductionSupport(),
        FixedGrant(),
    )
}


def rule_for(kind: str) -> BenefitRule:
    return RULES[kind]

"""Budget lines, their versions, and transfers down the tree: the ledger's rules."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from fpa import figures
from fpa.audit.models import LogEntry
from fpa.core.errors import DomainError
from fpa.funds import ledger
from fpa.funds.models import BudgetLine, Transfer
from tests.conftest import actor_of

from .conftest import YEAR

ON = datetime.date(YEAR, 3, 1)


def send(line, to, amount, users, who="province", doc="湘计生协〔2026〕5号"):
    return ledger.transfer(
        line, to, Decimal(amount), doc_number=doc, on=ON, actor=actor_of(users[who])
    )


def test_a_transfer_becomes_the_receivers_budget_and_leaves_the_senders(province_line, users, tree):
    county = tree["430121000000"]
    made = send(province_line, county, "300000", users)
    province_line.refresh_from_db()
    assert (province_line.transferred, province_line.remaining) == (
        Decimal("300000.00"),
        Decimal("700000.00"),
    )
    received = BudgetLine.unscoped_objects.get(org=county, year=YEAR)
    assert (received.source, received.purpose, received.received) == (
        "transfer",
        "operations",
        Decimal("300000.00"),
    )
    assert (made.sender, made.org, made.to_line) == (province_line.org, county, received)
    # A second transfer to the same org adds to its line; the register keeps both.
    send(province_line, county, "100000", users, doc="湘计生协〔2026〕9号")
    received.refresh_from_db()
    assert received.received == Decimal("400000.00")
    assert Transfer.unscoped_objects.filter(org=county).count() == 2
    entry = LogEntry.unscoped_objects.filter(action="fpa.funds.transferred").latest("id")
    assert entry.changes["to"] == "长沙县" and entry.changes["amount"] == "100000.00"


def test_a_transfer_past_what_the_line_has_left_is_refused_and_changes_nothing(
    province_line, users, tree
):
    send(province_line, tree["430100000000"], "999999.99", users)
    with pytest.raises(DomainError, match="湖南省该科目结余 0.01 元，不足以下拨 0.02 元"):
        send(province_line, tree["430121000000"], "0.02", users)
    assert Transfer.unscoped_objects.count() == 1
    assert not BudgetLine.unscoped_objects.filter(org=tree["430121000000"]).exists()


def test_the_database_refuses_a_line_used_past_what_it_holds(province_line):
    province_line.transferred = Decimal("1000000.01")
    with pytest.raises(IntegrityError), transaction.atomic():
        province_line.save()


@pytest.mark.parametrize(
    ("to", "who", "message"),
    [
        ("430000000000", "province", "只能下拨给湖南省的下级单位"),
        ("430121000000", "county", "只能从本单位及下级的预算下拨"),
    ],
)
def test_money_goes_only_down_from_a_line_in_reach(province_line, users, tree, to, who, message):
    with pytest.raises(DomainError, match=message):
        send(province_line, tree[to], "1", users, who=who)
    assert not Transfer.unscoped_objects.exists()


def test_a_county_cannot_pass_its_money_to_another_countys_township(users, tree):
    county = tree["430121000000"]
    line = ledger.open_line(
        county, YEAR, "local", "operations", Decimal("500"), actor=actor_of(users["county"])
    )
    with pytest.raises(DomainError, match="只能下拨给长沙县的下级单位"):
        send(line, tree["430181001000"], "1", users, who="county")


def test_bad_amounts_and_a_missing_document_number_are_refused(province_line, users, tree):
    county = tree["430121000000"]
    for amount, message in [("0", "金额应在"), ("-5", "金额应在"), ("1e13", "金额应在")]:
        with pytest.raises(DomainError, match=message):
            send(province_line, county, amount, users)
    with pytest.raises(DomainError, match="请填写下达文号"):
        send(province_line, county, "5", users, doc="  ")


def test_a_revision_is_a_new_version_and_never_below_what_was_used(province_line, users, tree):
    actor = actor_of(users["province"])
    send(province_line, tree["430121000000"], "600000", users)
    with pytest.raises(DomainError, match="调整后的预算不能少于 600000.00 元"):
        ledger.revise(province_line, Decimal("599999.99"), reason="压减", on=ON, actor=actor)
    ledger.revise(
        province_line,
        Decimal("1200000"),
        reason="追加预算",
        doc_number="湘财社〔2026〕30号",
        on=datetime.date(YEAR, 7, 1),
        actor=actor,
    )
    province_line.refresh_from_db()
    assert province_line.planned == Decimal("1200000.00")
    assert list(province_line.versions.values_list("amount", "reason")) == [
        (Decimal("1000000.00"), "年初预算"),
        (Decimal("1200000.00"), "追加预算"),
    ]
    with pytest.raises(DomainError, match="请填写调整原因"):
        ledger.revise(province_line, Decimal("1"), reason=" ", on=ON, actor=actor)


def test_one_operations_line_per_org_year_and_source(province_line, users, tree):
    with pytest.raises(DomainError, match="湖南省2026年已有该用途的预算科目"):
        ledger.open_line(
            tree["430000000000"],
            YEAR,
            "local",
            "operations",
            Decimal("5"),
            actor=actor_of(users["province"]),
        )


def test_the_report_figures_for_any_org_and_year(province_line, users, tree):
    actor = actor_of(users["province"])
    province, city = tree["430000000000"], tree["430100000000"]
    ledger.open_line(province, YEAR - 1, "local", "operations", Decimal("800000"), actor=actor)
    ledger.open_line(province, YEAR, "cfpa", "operations", Decimal("250000"), actor=actor)
    send(province_line, city, "900000", users)
    got = figures.many(
        [
            "funds.budget",
            "funds.budget_growth",
            "funds.passed_down",
            "funds.passed_share",
            "funds.cfpa",
        ],
        province,
        YEAR,
    )
    assert got == {
        "funds.budget": Decimal("1250000.00"),
        "funds.budget_growth": Decimal("450000.00"),
        "funds.passed_down": Decimal("900000.00"),
        "funds.passed_share": Decimal("72.0"),
        "funds.cfpa": Decimal("250000.00"),
    }
    # The city's own figures: what it received, on its own page and in the province's row.
    assert figures.figure("funds.received", city, YEAR) == Decimal("900000.00")
    assert figures.by_child("funds.received", province, YEAR)[city.pk] == Decimal("900000.00")


def test_spending_an_operations_line_is_recorded_and_refused_past_the_remainder(
    province_line, users, tree
):
    actor = actor_of(users["province"])
    made = ledger.spend(
        province_line,
        Decimal("12000.50"),
        on=ON,
        voucher="记-2026-031",
        payee="湖南日报社",
        note="宣传品印制",
        actor=actor,
    )
    province_line.refresh_from_db()
    assert (province_line.spent, made.org) == (Decimal("12000.50"), province_line.org)
    with pytest.raises(DomainError, match="该科目结余 987999.50 元，不足以支出 987999.51 元"):
        ledger.spend(
            province_line, Decimal("987999.51"), on=ON, voucher="x", payee="y", actor=actor
        )
    with pytest.raises(DomainError, match="请填写凭证号"):
        ledger.spend(province_line, Decimal("1"), on=ON, voucher=" ", payee="y", actor=actor)
    # A program's line is spent by its approvals and payments, never here.
    from tests.programs.conftest import make_program

    program = make_program(users)
    with pytest.raises(DomainError, match="帮扶项目的支出由审批和银行发放记录"):
        ledger.spend(
            program.budget_lines.get(), Decimal("1"), on=ON, voucher="x", payee="y", actor=actor
        )
    assert LogEntry.unscoped_objects.filter(action="fpa.funds.spent").count() == 1

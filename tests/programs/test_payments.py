from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.db import IntegrityError, transaction

from fpa.audit.models import LogEntry
from fpa.core.errors import DomainError
from fpa.core.imports import accepted, preview
from fpa.funds.models import BudgetLine
from fpa.programs import banks, imports, payments
from fpa.programs.models import BankReturn, Entitlement, PaymentBatch, PaymentLine
from tests.conftest import actor_of
from tests.families.conftest import make_family

from .conftest import approve_all, file, person_payee

ACCOUNT = "6230901234567890123"


@pytest.fixture
def granted(program, mother, payee, staff, tree):
    """Two approved stays in 长沙县: the mother's and another family's."""
    other = make_family(staff, tree, seq=420).parents.get().person
    approve_all(file(program, mother, payee, staff), staff)
    approve_all(file(program, other, person_payee(other, "6230901234567890999"), staff), staff)
    return Entitlement.unscoped_objects.order_by("pk")


@pytest.fixture
def batch(granted, staff, tree):
    return payments.build_batch(
        granted[0].program,
        tree["430121000000"],
        "2026-06",
        "hnrcu",
        actor=actor_of(staff["county"]),
    )


def read_rows(path: Path) -> list[list]:
    sheet = openpyxl.load_workbook(path, read_only=True).active
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def return_file(path: Path, rows: list[list]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["银行代发回盘"])  # a title row above the header, as banks send them
    sheet.append([banks.REF, "客户账号", "户名", "金额", "交易结果", "备注"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def settle(batch, path: Path, staff) -> dict:
    actor = actor_of(staff["county"])
    context = imports.ReturnContext(actor, batch)
    result = preview(path, imports.ReturnSchema(), context)
    assert not result.rejected, result.errors
    return payments.apply_return(
        batch,
        imports.return_rows(accepted(result, "update")),
        actor=actor,
        sha256=imports.file_digest(path),
        filename=path.name,
    )


def test_batch_takes_the_county_unpaid_entitlements_with_totals(batch, granted):
    assert (batch.line_count, batch.total, batch.status) == (2, Decimal("1000.00"), "draft")
    assert batch.number == "ZYHL2026-430121-202606-01"
    assert set(granted.values_list("status", flat=True)) == {"in_batch"}
    entry = LogEntry.unscoped_objects.get(action="fpa.payment.batch_built")
    assert entry.changes["lines"] == 2 and entry.changes["left_out"] == 0


def test_nothing_to_pay_is_a_clear_refusal(batch, staff, tree):
    with pytest.raises(DomainError, match="长沙县没有待发放的住院护理补贴待遇"):
        payments.build_batch(
            batch.program, tree["430121000000"], "2026-07", "hnrcu", actor=actor_of(staff["county"])
        )


def test_batch_is_built_per_county_in_the_actor_reach(granted, staff, tree):
    with pytest.raises(DomainError, match="按县"):
        payments.build_batch(
            granted[0].program,
            tree["430121001000"],
            "2026-06",
            "hnrcu",
            actor=actor_of(staff["county"]),
        )
    with pytest.raises(DomainError, match="按县"):
        payments.build_batch(
            granted[0].program,
            tree["430121000000"],
            "2026-06",
            "hnrcu",
            actor=actor_of(staff["outsider"]),
        )
    with pytest.raises(DomainError, match="年-月"):
        payments.build_batch(
            granted[0].program,
            tree["430121000000"],
            "2026-13",
            "hnrcu",
            actor=actor_of(staff["county"]),
        )


def test_a_beneficiary_no_longer_eligible_is_left_out_of_the_batch(granted, staff, tree):
    from fpa.people.models import Person

    Person.unscoped_objects.filter(pk=granted[1].person_id).update(status="deceased")
    batch = payments.build_batch(
        granted[0].program,
        tree["430121000000"],
        "2026-06",
        "hnrcu",
        actor=actor_of(staff["county"]),
    )
    assert batch.line_count == 1
    assert LogEntry.unscoped_objects.get(action="fpa.payment.batch_built").rows == [
        {"entitlement": granted[1].pk, "reason": "不再符合受益条件"}
    ]


def test_export_needs_matching_control_totals_and_writes_the_bank_layout(batch, staff, tmp_path):
    actor = actor_of(staff["county"])
    path = tmp_path / "bank.xlsx"
    with pytest.raises(
        DomainError, match="核对不符：批次合计 2 笔 1000.00 元，您填写的是 2 笔 999.00"
    ):
        payments.export_batch(
            batch, path, actor=actor, control_total=Decimal("999.00"), control_count=2
        )
    assert not path.exists()
    payments.export_batch(batch, path, actor=actor, control_total=Decimal("1000"), control_count=2)
    rows = read_rows(path)
    assert rows[0] == ["序号", "客户账号", "户名", "金额", "用途", banks.REF]
    line = batch.lines.order_by("pk").first()
    assert rows[1][:4] == [1, ACCOUNT, "母亲300", 500]
    assert rows[1][5] == f"L{line.pk}"
    batch.refresh_from_db()
    assert batch.status == "exported"


def test_export_refuses_when_lines_no_longer_add_up(batch, staff, tmp_path):
    PaymentLine.objects.filter(batch=batch).update(amount=Decimal("1.00"))
    with pytest.raises(DomainError, match="批次明细与批次合计不符"):
        payments.export_batch(
            batch,
            tmp_path / "b.xlsx",
            actor=actor_of(staff["county"]),
            control_total=batch.total,
            control_count=batch.line_count,
        )


@pytest.mark.parametrize("code", sorted(banks.FORMATS))
def test_every_bank_format_has_a_sample_with_the_line_reference(code, tmp_path):
    path = tmp_path / f"{code}.xlsx"
    banks.sample(code, path)
    header, *rows = read_rows(path)
    assert header == banks.FORMATS[code].header() and banks.REF in header
    assert len(rows) == 2 and {r[header.index(banks.REF)] for r in rows} == {"L1", "L2"}


def exported(batch, staff, tmp_path):
    payments.export_batch(
        batch,
        tmp_path / "bank.xlsx",
        actor=actor_of(staff["county"]),
        control_total=batch.total,
        control_count=batch.line_count,
    )
    return list(batch.lines.order_by("pk"))


def test_return_file_marks_lines_paid_and_failed_and_twice_changes_nothing(
    batch, staff, tmp_path, granted, tree
):
    paid, failed = exported(batch, staff, tmp_path)
    path = return_file(
        tmp_path / "return.xlsx",
        [
            [f"L{paid.pk}", ACCOUNT, "母亲300", 500, "交易成功", ""],
            [f"L{failed.pk}", "6230901234567890999", "母亲420", 500, "失败", "账户已销户"],
        ],
    )
    assert settle(batch, path, staff) == {"paid": 1, "failed": 1, "unchanged": 0}
    paid.refresh_from_db()
    failed.refresh_from_db()
    assert (paid.status, failed.status, failed.failure) == ("paid", "failed", "账户已销户")
    assert list(granted.values_list("status", flat=True)) == ["paid", "unpaid"]
    batch.refresh_from_db()
    assert batch.status == "closed"
    # One ledger: what reached its payee moved from committed to spent on the county's line.
    line = BudgetLine.unscoped_objects.get(program=batch.program, org=tree["430121000000"])
    assert (line.committed, line.spent) == (Decimal("500.00"), Decimal("500.00"))

    with pytest.raises(DomainError, match="该回盘文件已导入过，本次未作任何更改"):
        settle(batch, path, staff)
    # The same rows in another file: each line is already settled that way, nothing changes.
    again = return_file(
        tmp_path / "again.xlsx", [[f"L{paid.pk}", ACCOUNT, "母亲300", 500, "成功", "重发"]]
    )
    result = preview(
        again, imports.ReturnSchema(), imports.ReturnContext(actor_of(staff["county"]), batch)
    )
    assert (result.counts["unchanged"], accepted(result, "update")) == (1, [])
    assert settle(batch, again, staff) == {"paid": 0, "failed": 0, "unchanged": 0}
    assert BankReturn.objects.filter(batch=batch).count() == 2
    paid.refresh_from_db()
    assert paid.status == "paid"


def test_return_rows_that_do_not_match_are_rejected_in_the_preview(batch, staff, tmp_path):
    line, other = exported(batch, staff, tmp_path)
    path = return_file(
        tmp_path / "bad.xlsx",
        [
            [f"L{line.pk}", ACCOUNT, "母亲300", 400, "成功", ""],
            [f"L{other.pk}", "6230901234560000", "母亲420", 500, "成功", ""],
            ["L999999", ACCOUNT, "x", 500, "成功", ""],
            ["123", ACCOUNT, "x", 500, "成功", ""],
            [f"L{line.pk}", ACCOUNT, "母亲300", 500, "处理中", ""],
        ],
    )
    result = preview(
        path, imports.ReturnSchema(), imports.ReturnContext(actor_of(staff["county"]), batch)
    )
    reasons = [(e.row, e.column, e.reason) for e in result.errors]
    assert reasons == [
        (3, "金额", "金额 400.00 与发放金额 500.00 不符"),
        (4, "收款账号", "账号与发放明细不符"),
        (5, banks.REF, f"该流水号不属于批次 {batch.number}"),
        (6, banks.REF, "平台流水号应为 L 加数字，如 L123，请勿修改银行文件中的这一列"),
        (7, "处理结果", "无法识别处理结果，应为“成功”或“失败”"),
        (7, banks.REF, "与第3行重复"),
    ]


def test_paid_line_cannot_be_turned_failed(batch, staff, tmp_path):
    line, _ = exported(batch, staff, tmp_path)
    settle(
        batch,
        return_file(tmp_path / "r1.xlsx", [[f"L{line.pk}", ACCOUNT, "", 500, "成功", ""]]),
        staff,
    )
    path = return_file(tmp_path / "r2.xlsx", [[f"L{line.pk}", ACCOUNT, "", 500, "失败", "x"]])
    result = preview(
        path, imports.ReturnSchema(), imports.ReturnContext(actor_of(staff["county"]), batch)
    )
    assert [e.reason for e in result.errors] == ["该笔已是“已发放”，不能改为“发放失败”"]


def test_failed_line_is_reissued_in_a_new_batch_and_never_paid_twice(batch, staff, tmp_path):
    line, other = exported(batch, staff, tmp_path)
    settle(
        batch,
        return_file(
            tmp_path / "r.xlsx",
            [
                [f"L{line.pk}", ACCOUNT, "", 500, "成功", ""],
                [f"L{other.pk}", "", "", 500, "失败", "户名不符"],
            ],
        ),
        staff,
    )
    again = payments.reissue(batch, "2026-07", actor=actor_of(staff["county"]))
    assert again.line_count == 1 and again.lines.get().entitlement_id == other.entitlement_id
    with pytest.raises(DomainError, match="没有待重新发放的失败项"):
        payments.reissue(batch, "2026-08", actor=actor_of(staff["county"]))
    # The database itself refuses a second live line for an entitlement.
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentLine.objects.create(
            batch=again,
            entitlement_id=line.entitlement_id,
            amount=line.amount,
            payee_id=line.payee_id,
        )


def test_return_before_export_is_refused(batch, staff):
    with pytest.raises(DomainError, match="尚未导出银行文件"):
        payments.apply_return(
            batch, [], actor=actor_of(staff["county"]), sha256="x", filename="r.xlsx"
        )


def test_settled_on_defaults_to_today(batch, staff, tmp_path):
    line, _ = exported(batch, staff, tmp_path)
    settle(
        batch,
        return_file(tmp_path / "r.xlsx", [[f"L{line.pk}", ACCOUNT, "", 500, "成功", ""]]),
        staff,
    )
    line.refresh_from_db()
    assert line.settled_on == datetime.date.today()


def test_failed_account_is_corrected_on_the_batch_page_then_reissued(
    batch, staff, tmp_path, client_for
):
    line, other = exported(batch, staff, tmp_path)
    settle(
        batch,
        return_file(tmp_path / "r.xlsx", [[f"L{other.pk}", "", "", 500, "失败", "账号不存在"]]),
        staff,
    )
    client = client_for(staff["county"])
    page = client.get(f"/programs/batches/{batch.pk}/").content.decode()
    assert 'data-testid="fix-account"' in page and "重新发放失败的 1 笔" in page
    url = f"/programs/batches/{batch.pk}/payees/{other.payee_id}/account/"
    prefix = f"account{other.payee_id}"
    client.post(url, {f"{prefix}-bank_name": "农商行", f"{prefix}-account": "12ab"})
    other.payee.refresh_from_db()
    assert other.payee.account_last4 == "0999"
    client.post(
        url, {f"{prefix}-bank_name": "农商行", f"{prefix}-account": "6230 9012 3456 7812 345"}
    )
    other.payee.refresh_from_db()
    assert other.payee.account_last4 == "2345" and other.payee.bank_name == "农商行"
    entry = LogEntry.unscoped_objects.get(action="fpa.payee.account_changed")
    assert "6230901234567812345" not in str(entry.changes)
    # Only a payee of a failed line of this batch can be corrected from here.
    bad = f"/programs/batches/{batch.pk}/payees/{line.payee_id}/account/"
    assert client.post(bad, {f"account{line.payee_id}-bank_name": "x"}).status_code == 404
    client.post(f"/programs/batches/{batch.pk}/reissue/", {"reissue-period": "2026-07"})
    again = PaymentBatch.unscoped_objects.exclude(pk=batch.pk).get()
    assert again.lines.get().payee.account_last4 == "2345"

"""Every importer is the one flow (fpa.core.imports.flow): for each registered `ImportFlow`, the
template downloads as a workbook whose header is the schema's, an upload with one bad row shows
that row's error on the preview and writes nothing, and the commit writes the good row.

A new importer registers a flow and adds its case to CASES: the first test fails until it does.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from fpa.core.exports import export_path
from fpa.core.fields import reveal
from fpa.core.imports.flow import FLOWS
from fpa.core.imports.template import header_text
from fpa.core.models import Job
from fpa.families.models import SpecialFamily
from fpa.funds import ledger
from fpa.funds.models import BudgetLine, Transfer
from fpa.people import services as people
from fpa.people.models import Person
from fpa.programs import payments, setup
from fpa.programs.models import Application
from tests.conftest import actor_of
from tests.factories import UserFactory
from tests.families.conftest import make_family
from tests.people.conftest import id_for
from tests.programs.conftest import approve_all, file, make_program, person_payee

ACCOUNT = "6230901234567890123"


@dataclass
class Case:
    """Who imports into what, a row that passes and one that does not (with a fragment of its
    reason), and how many business rows the import is about."""

    user: Any
    owner: Any
    good: dict[str, object]
    bad: dict[str, object]
    reason: str
    written: Callable[[], int]


def _people(users: dict[str, Any], tree: dict[str, Any]) -> Case:
    good = id_for("430121", datetime.date(1971, 2, 3), seq=30)
    wrong_digit = good[:-1] + ("1" if good[-1] != "1" else "2")
    return Case(
        users["county"],
        None,
        {"name": "王桂英", "id_number": good, "village": "430121001001"},
        {"name": "李四", "id_number": wrong_digit, "village": "430121001001"},
        "校验位",
        Person.unscoped_objects.count,
    )


def _families(users: dict[str, Any], tree: dict[str, Any]) -> Case:
    mother = id_for("430121", datetime.date(1956, 4, 4), 700)
    people.register_person(
        {"name": "母", "id_number": mother, "org": tree["430121001001"]},
        actor=actor_of(users["county"]),
    )
    row = {"kind": "失独家庭", "recognized_on": "2018-05-01", "child_name": "小强"}
    return Case(
        users["county"],
        None,
        {**row, "parent1": mother, "child_died_on": "2017-09-09"},
        {**row, "parent1": id_for("430121", datetime.date(1950, 1, 1), 720)},
        "请先导入人员",
        SpecialFamily.unscoped_objects.count,
    )


def _program(users: dict[str, Any], tree: dict[str, Any]) -> tuple[Any, Any, dict[str, Any]]:
    """A hospital-care program whose budget reached 长沙县, a bereaved mother, the chain's staff."""
    staff = {
        **users,
        "reviewer": UserFactory(username="shencha", org=tree["430121001000"], roles=["reviewer"]),
        "approver": UserFactory(username="shenpi", org=tree["430121000000"], roles=["approver"]),
    }
    program = make_program(staff)
    province = actor_of(staff["province"])
    setup.split_budget(program, program.funding_org, "equal", actor=province)
    city = program.funding_org.children.get(code="430100000000")
    setup.split_budget(program, city, "equal", actor=province)
    mother = make_family(staff, tree).parents.get().person
    return program, mother, staff


def _applications(users: dict[str, Any], tree: dict[str, Any]) -> Case:
    program, mother, staff = _program(users, tree)
    row = {
        "id_number": reveal(mother.id_number_enc),
        "bank_name": "农商行",
        "account": ACCOUNT,
        "hospital": "县医院",
        "admitted_on": "2026-03-01",
        "discharged_on": "2026-03-06",
    }
    return Case(
        staff["village"],
        program,
        {**row, "name": mother.name},
        {**row, "name": "别人", "admitted_on": "2026-04-01", "discharged_on": "2026-04-06"},
        "姓名与人员库不符",
        Application.unscoped_objects.count,
    )


def _returns(users: dict[str, Any], tree: dict[str, Any]) -> Case:
    program, mother, staff = _program(users, tree)
    approve_all(file(program, mother, person_payee(mother, ACCOUNT), staff), staff)
    county = actor_of(staff["county"])
    batch = payments.build_batch(program, tree["430121000000"], "2026-06", "hnrcu", actor=county)
    payments.export_batch(
        batch,
        export_path(f"{batch.number}.xlsx"),
        actor=county,
        control_total=batch.total,
        control_count=batch.line_count,
    )
    line = batch.lines.get()
    row = {"amount": str(line.amount), "result": "成功"}
    return Case(
        staff["county"],
        batch,
        {**row, "line": f"L{line.pk}"},
        {**row, "line": "L999999999"},
        "不属于批次",
        batch.lines.filter(status="paid").count,
    )


def _budget_lines(users: dict[str, Any], tree: dict[str, Any]) -> Case:
    row = {"year": "2026", "source": "本级财政", "purpose": "本级工作经费", "amount": "1000"}
    return Case(
        users["province"],
        None,
        {**row, "org": "湖南省"},
        {**row, "org": "不存在的单位"},
        "找不到",
        BudgetLine.unscoped_objects.count,
    )


def _transfers(users: dict[str, Any], tree: dict[str, Any]) -> Case:
    line = ledger.open_line(
        tree["430000000000"],
        2026,
        "local",
        "operations",
        Decimal("1000"),
        actor=actor_of(users["province"]),
    )
    row = {"amount": "100", "doc_number": "湘计生协〔2026〕8号", "on": "2026-03-01"}
    return Case(
        users["province"],
        line,
        {**row, "to_org": "长沙市"},
        {**row, "to_org": "湖南省"},
        "的下级单位",
        Transfer.unscoped_objects.count,
    )


def _donations(users: dict[str, Any], tree: dict[str, Any]) -> Case:
    from fpa.funds.models import Donation

    row = {"received_on": "2026-02-10", "kind": "资金", "amount": "5000", "channel": "银行转账"}
    return Case(
        users["county"],
        None,
        {**row, "donor_kind": "单位", "donor_name": "爱心企业"},
        {**row, "donor_kind": "单位"},
        "请填写捐赠单位名称",
        Donation.unscoped_objects.count,
    )


def _distributions(users: dict[str, Any], tree: dict[str, Any]) -> Case:
    from fpa.funds.models import Distribution
    from tests.funds.donation_helpers import gift, medic

    gift(users, tree["430121000000"], "5000")
    medic(users, tree)
    row = {"on": "2026-03-01", "kind": "资金", "purpose": "慰问金"}
    return Case(
        users["county"],
        None,
        {**row, "id_number": id_for("430121", seq=31), "amount": "4500"},
        {**row, "id_number": id_for("430121", seq=31), "amount": "4500"},
        "结余仅余 500.00 元",
        Distribution.unscoped_objects.count,
    )


CASES: dict[str, Callable[[dict[str, Any], dict[str, Any]], Case]] = {
    "funds.donations_import": _donations,
    "funds.distributions_import": _distributions,
    "people.import": _people,
    "families.import": _families,
    "programs.applications": _applications,
    "programs.return": _returns,
    "funds.import.lines": _budget_lines,
    "funds.import.transfers": _transfers,
}


def test_every_registered_importer_has_a_case_here():
    assert sorted(CASES) == sorted(FLOWS)


def _workbook(header: list[Any], rows: list[list[object]]) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    for row in [header, *rows]:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return SimpleUploadedFile("名单.xlsx", out.getvalue())


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_importer_has_the_same_four_steps(name, users, tree, client_for):
    flow, case = FLOWS[name], CASES[name](users, tree)
    client = client_for(case.user)
    schema = flow.schema(case.owner)

    response = client.get(flow.url("template", case.owner))
    book = load_workbook(BytesIO(b"".join(response.streaming_content)))
    header = [cell.value for cell in book.worksheets[0][1]]
    assert header == [header_text(column) for column in schema.columns]

    before = case.written()
    rows = [[row.get(column.key) for column in schema.columns] for row in (case.good, case.bad)]
    response = client.post(flow.url("", case.owner), {"file": _workbook(header, rows)})
    preview = Job.unscoped_objects.get(kind=flow.preview_kind)
    assert response.url == f"/jobs/{preview.pk}/"
    assert preview.result["counts"]["rejected"] == 1, preview.result
    (error,) = preview.result["errors"]
    assert error["row"] == 3 and case.reason in error["reason"]
    page = client.get(flow.url("result", case.owner, job_id=preview.pk)).content.decode()
    assert case.reason in page and 'data-testid="summary"' in page
    assert 'data-testid="commit"' in page and case.written() == before
    # the counter counts the file's rows (2), not the engine's steps (4)
    assert (preview.done, preview.total) == (2, 2)

    mode = flow.modes[0].existing
    response = client.post(flow.url("commit", case.owner, job_id=preview.pk), {"mode": mode})
    done = Job.unscoped_objects.get(kind=flow.commit_kind)
    assert response.url == f"/jobs/{done.pk}/" and done.status == "done", done.message
    assert done.result["next_url"] == flow.after_url(case.owner)
    assert case.written() == before + 1
    assert (done.done, done.total) == (1, 1)  # rows written, not "0 / 0" under a full bar


def _preview_of(client, flow, rows: list[list[object]]) -> Job:
    schema = flow.schema(None)
    header = [header_text(column) for column in schema.columns]
    client.post(flow.url("", None), {"file": _workbook(header, rows)})
    return Job.unscoped_objects.filter(kind=flow.preview_kind).latest("created_at")


def test_a_file_with_nothing_to_write_offers_no_commit_and_its_commit_is_not_found(
    users, tree, client_for
):
    flow, case = FLOWS["people.import"], _people(users, tree)
    client = client_for(case.user)
    schema = flow.schema(None)
    preview = _preview_of(client, flow, [[case.bad.get(column.key) for column in schema.columns]])
    page = client.get(flow.url("result", None, job_id=preview.pk)).content.decode()
    assert 'data-testid="commit" disabled' in page
    for mode in ("skip", "update"):
        url = flow.url("commit", None, job_id=preview.pk)
        assert client.post(url, {"mode": mode}).status_code == 404
    assert not Job.unscoped_objects.filter(kind=flow.commit_kind).exists()


def test_an_unreadable_file_offers_the_upload_again_on_every_importer(users, tree, client_for):
    client = client_for(users["county"])
    for name in ("people.import", "families.import"):
        flow = FLOWS[name]
        client.post(flow.url("", None), {"file": SimpleUploadedFile("坏.csv", "姓名\r\n".encode())})
        preview = Job.unscoped_objects.filter(kind=flow.preview_kind).latest("created_at")
        page = client.get(flow.url("result", None, job_id=preview.pk)).content.decode()
        assert 'data-testid="unreadable"' in page and f'href="{flow.url("", None)}"' in page


def test_a_preview_is_found_only_under_its_own_importer(users, tree, client_for):
    people, families = FLOWS["people.import"], FLOWS["families.import"]
    case = _people(users, tree)
    client = client_for(case.user)
    schema = people.schema(None)
    preview = _preview_of(client, people, [[case.good.get(c.key) for c in schema.columns]])
    assert client.get(families.url("result", None, job_id=preview.pk)).status_code == 404
    assert client.post(families.url("commit", None, job_id=preview.pk)).status_code == 404
    assert client.get(people.url("result", None, job_id=preview.pk)).status_code == 200

"""Bad input and forged requests the review found: each is refused with a message or a 404,
and changes nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from fpa.core.errors import DomainError
from fpa.programs import enrolment, payees, payments, setup
from fpa.programs.models import Application, Payee, Program
from fpa.programs.rules import rule_for
from tests.conftest import actor_of
from tests.factories import UserFactory, grant

from .conftest import approve_all, file, make_insurance, make_insurer, make_program


def test_a_county_cannot_rewrite_the_province_insurer_account(staff):
    insurer = make_insurer(make_insurance(staff))
    with pytest.raises(DomainError, match="只能更正本辖区个人收款账号"):
        payees.change_account(
            insurer, "农商行", "6230901234567800000", actor=actor_of(staff["county"])
        )
    insurer.refresh_from_db()
    assert insurer.account_last4 == "0123"


def test_an_exported_batch_is_not_exported_again_but_its_file_can_be_downloaded(
    program, mother, payee, staff, tree, client_for
):
    approve_all(file(program, mother, payee, staff), staff)
    actor = actor_of(staff["county"])
    batch = payments.build_batch(program, tree["430121000000"], "2026-06", "hnrcu", actor=actor)
    client = client_for(staff["county"])
    form = {"export-control_count": 1, "export-control_total": "500.00"}
    assert client.post(f"/programs/batches/{batch.pk}/export/", form).status_code == 200
    again = client.post(f"/programs/batches/{batch.pk}/export/", form)
    assert again.status_code == 302
    assert "不能重新生成" in str(list(again.wsgi_request._messages))
    download = client.get(f"/programs/batches/{batch.pk}/file/")
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")


def test_an_application_worth_nothing_is_refused_at_filing(staff, mother, payee):
    program = make_program(
        staff, kind="production", code="SJH", rate={"max_grant": "50000"}, eligibility="resident"
    )
    setup.split_budget(program, program.funding_org, "equal", actor=actor_of(staff["province"]))
    with pytest.raises(DomainError, match="测算的金额为 0 元"):
        file(program, mother, payee, staff, {"project": "养鸡", "households": 3, "grant": "0.001"})
    assert not Application.unscoped_objects.exists()


def test_loan_subsidy_share_must_lie_between_0_and_1():
    with pytest.raises(DomainError, match="贴息比例须在 0 到 1 之间"):
        rule_for("loan_interest").clean_params({"share": "5", "max_principal": "100000"})


def test_a_huge_number_is_a_message_not_a_crash():
    with pytest.raises(DomainError, match="申请扶持金额（元）数值过大"):
        rule_for("production").clean({"project": "x", "households": 1, "grant": 1e30})


def test_group_enrolment_needs_an_open_program(staff, mother):
    program = make_insurance(staff)
    Program.unscoped_objects.filter(pk=program.pk).update(status="closed")
    program.refresh_from_db()
    with pytest.raises(DomainError, match="不在受理期"):
        enrolment.enrol_insurance(
            program,
            staff["approver"].org,
            insurer=make_insurer(program),
            group_policy="GP",
            starts_on=datetime.date(2026, 1, 1),
            ends_on=datetime.date(2026, 12, 31),
            actor=actor_of(staff["approver"]),
        )


def test_a_policy_number_already_used_is_refused_at_filing(staff, mother, tree):
    from tests.families.conftest import make_family

    program = make_insurance(staff)
    insurer = make_insurer(program)
    details = {"policy_no": "P-7", "starts_on": "2026-01-01", "ends_on": "2026-12-31"}
    file(program, mother, insurer, staff, details)
    other = make_family(staff, tree, seq=460).parents.get().person
    with pytest.raises(DomainError, match="保单号 P-7 已被使用"):
        file(program, other, insurer, staff, details)


def test_bulk_approve_with_odd_ids_is_not_a_500(program, mother, payee, staff, client_for):
    application = file(program, mother, payee, staff)
    response = client_for(staff["reviewer"]).post(
        "/programs/worklist/decide/",
        {"ids": ["²", "9" * 23, str(application.pk)], "action": "approve"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.step == 1


def test_a_program_year_out_of_range_is_a_form_error(staff, client_for):
    response = client_for(staff["province"]).post(
        "/programs/add/?kind=fixed_grant",
        {
            "code": "Y0",
            "name": "x",
            "year": 0,
            "funding_source": "local",
            "budget": "100",
            "eligibility": "member",
            "opens_on": "2026-01-01",
            "closes_on": "2026-12-31",
            "status": "open",
            "levels": ["county"],
            "rate_amount": "5",
        },
    )
    assert response.status_code == 200 and not Program.unscoped_objects.exists()


def test_an_export_missing_its_object_is_not_found(staff, client_for):
    client = client_for(staff["county"])
    assert client.post("/programs/export/?what=lines").status_code == 404
    assert client.post("/programs/export/", {"what": "dashboard"}).status_code == 404


def test_a_get_starts_no_export_job(staff, client_for):
    from fpa.core.models import Job

    client = client_for(staff["county"])
    assert client.get("/programs/export/", {"what": "applications"}).status_code == 405
    assert not Job.unscoped_objects.exists()


def test_a_refused_filing_leaves_no_payee_behind(program, mother, staff, client_for):
    Program.unscoped_objects.filter(pk=program.pk).update(status="closed")
    before = Payee.unscoped_objects.count()
    response = client_for(staff["village"]).post(
        f"/programs/{program.pk}/apply/?person={mother.pk}",
        {
            "bank_name": "农商行",
            "account": "6230901234567890555",
            "hospital": "县医院",
            "admitted_on": "2026-03-01",
            "discharged_on": "2026-03-05",
        },
    )
    assert "不在受理期" in response.content.decode()
    assert Payee.unscoped_objects.count() == before


def test_an_import_row_with_a_bad_account_is_a_row_error(program, mother, staff, tmp_path):
    from fpa.core.fields import reveal
    from fpa.core.imports import preview
    from fpa.programs.imports import ApplicationContext, ApplicationSchema
    from tests.programs.test_pages import xlsx_upload

    upload = xlsx_upload(
        "a.xlsx",
        ["身份证号码", "姓名", "开户行", "银行账号", "住院医院", "入院日期", "出院日期"],
        [
            [
                reveal(mother.id_number_enc),
                "母亲300",
                "农商行",
                "123",
                "县医院",
                "2026-03-01",
                "2026-03-06",
            ]
        ],
    )
    path = tmp_path / "a.xlsx"
    path.write_bytes(upload.read())
    result = preview(
        path,
        ApplicationSchema(program.kind),
        ApplicationContext(actor_of(staff["village"]), program),
    )
    assert [(e.column, e.reason) for e in result.errors] == [
        ("银行账号", "银行账号应为 12 至 30 位数字")
    ]


def test_budget_out_of_range_is_refused(staff):
    with pytest.raises(DomainError, match="预算应为"):
        make_program(staff, code="B1", budget=Decimal("-1"))


def test_a_self_only_province_clerk_cannot_split_a_city_budget(staff, tree):
    """Reach checks honour 本级-only: the city's allocation is beyond the province's own org."""
    program = make_program(staff)
    province = actor_of(staff["province"])
    setup.split_budget(program, program.funding_org, "equal", actor=province)
    own_only = UserFactory(username="benji", org=tree["430000000000"])
    grant(own_only, "clerk", own_org_only=True)
    with pytest.raises(DomainError, match="只能分配本单位及下级的预算"):
        setup.split_budget(program, tree["430100000000"], "equal", actor=actor_of(own_only))


@pytest.mark.parametrize("kind", ["hospital_care", "insurance"])
def test_a_per_person_program_cannot_be_for_households(staff, kind):
    # Approval caps or insures a person; a household application names none (the NOT NULL
    # person of the cap ledger or the policy failed there).
    with pytest.raises(DomainError, match="不能以家庭户为申请对象"):
        make_program(
            staff,
            kind=kind,
            rate={"per_day": "50", "annual_cap": "3000", "premium": "150"},
            eligibility="household",
        )
    assert not Program.unscoped_objects.exists()
